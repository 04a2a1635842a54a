/**
 * nginx as deploy will drive it (strategy.proxy.nginx), checked without reloading it: the pid file names a running
 * master (deploy waits for that master's new workers after a reload), the configured test command passes on the live
 * config, and the configured reload command is allowed: through sudo without a password (`sudo -n -l`, which lists
 * and runs nothing), or, run directly, by a user who may signal the master (`kill -0`, which sends nothing).
 */
import { catArgv } from '../commands/files.js';
import {
  commandPathArgv,
  isNginxMaster,
  isSudo,
  nginxConfOf,
  parsePidFile,
  processArgsArgv,
  signalCheckArgv,
  sudoListArgv,
  sudoListingArgv,
  sudoNonInteractive,
  sudoPasswordFor,
} from '../commands/prerequisites.js';
import type { NginxProxyConfig } from '../config/schema.js';
import { errorMessage } from '../core/errors.js';
import { exitText } from '../transports/exit-status.js';
import type { Transport } from '../transports/types.js';
import { failureText, type HostRun } from './host-run.js';
import { type CheckResult, fail, pass, warn } from './types.js';

/**
 * Where the upstream-layout candidate test (src/proxy/candidate.ts: the upstream file as a switch writes it, under
 * the host's `nginx -t`) plugs in: called after the live config passed its test, on the same host, with its
 * transport; its results join the report (a rejection becomes a failed `nginx candidate`). Unset: not run.
 */
export type NginxCandidateCheck = (host: {
  target: string;
  transport: Transport;
  nginx: NginxProxyConfig;
  run: HostRun;
}) => Promise<CheckResult[]>;

/** The planned commands of checkNginx, for the dry run (`PID` is read from the pid file at run time). */
export function nginxPlan(nginx: NginxProxyConfig): Array<{ argv: string[] } | { note: string }> {
  const container = nginx.container;
  if (container !== undefined)
    return [
      {
        note: `nginx in container ${container}: Engine API GET /containers/${container}/json, exec ${nginx.test.join(' ')}`,
      },
    ];
  const items: Array<{ argv: string[] } | { note: string }> = [{ argv: catArgv(nginx['pid-file']) }];
  items.push({ note: `then: ps -o args= -p PID (PID from ${nginx['pid-file']})` });
  items.push({ argv: sudoNonInteractive(nginx.test) });
  if (isSudo(nginx.reload))
    items.push({ argv: sudoListArgv(nginx.reload) }, { argv: sudoListingArgv(nginx.reload[0]) });
  else if (isNginx(nginx.reload)) items.push({ note: 'then: kill -0 PID (sends no signal)' });
  else items.push({ argv: commandPathArgv(nginx.reload[0] ?? '') });
  return items;
}

const isNginx = (argv: readonly string[]): boolean => /(^|\/)nginx$/.test(argv[0] ?? '');
const shown = (argv: readonly string[]): string => argv.join(' ');
const NEEDS_PASSWORD = /password is required|terminal is required|askpass/i;

/** Every nginx check on one host; each failure says what to set. `candidate` runs last when given. */
export async function checkNginx(
  target: string,
  transport: Transport,
  run: HostRun,
  nginx: NginxProxyConfig,
  candidate?: NginxCandidateCheck,
): Promise<CheckResult[]> {
  // nginx in a container: its test and reload are Engine API execs and its master is the container's main process.
  const container = nginx.container;
  if (container !== undefined) {
    // Its master and test are the candidate check's (through the Engine API); without it, said so.
    if (candidate) {
      return candidate({ target, transport, nginx, run }).catch((e: unknown) => [
        fail(target, 'nginx container', errorMessage(e)),
      ]);
    }
    return [warn(target, 'nginx', `nginx runs in container ${container}: its test, reload and master are not checked`)];
  }
  const guarded = (check: string, fn: () => Promise<CheckResult>) =>
    fn().catch((err: unknown) => fail(target, check, errorMessage(err)));
  let master: number | undefined;
  const pid = await guarded('nginx pid', async () => {
    const r = await masterOf(target, run, nginx['pid-file'], nginx.test);
    master = r.pid;
    return r.result;
  });
  const test = await guarded('nginx test', () => checkTest(target, run, nginx.test));
  const reload = await guarded('nginx reload', () => checkReload(target, run, nginx.reload, master));
  const results = [pid, test, reload];
  if (candidate && test.status === 'pass') {
    results.push(
      ...(await candidate({ target, transport, nginx, run }).catch((e: unknown) => [
        fail(target, 'nginx candidate', errorMessage(e)),
      ])),
    );
  }
  return results;
}

async function masterOf(
  target: string,
  run: HostRun,
  file: string,
  test: readonly string[],
): Promise<{ pid?: number; result: CheckResult }> {
  const check = 'nginx pid';
  const how = `set strategy.proxy.nginx.pid-file to the file named by the \`pid\` directive of the running nginx (after a reload, deploy waits for that master's new workers)`;
  const read = await run(catArgv(file));
  if (read.code !== 0) {
    const missing = /No such file/i.test(read.stderr);
    return {
      result: fail(
        target,
        check,
        `${file} ${missing ? 'does not exist' : `cannot be read (${failureText(read)})`}: ${how}`,
      ),
    };
  }
  const pid = parsePidFile(read.stdout);
  if (pid === undefined) return { result: fail(target, check, `${file} does not hold a process id: ${how}`) };
  const ps = await run(processArgsArgv(pid));
  const args = ps.stdout.trim();
  if (ps.code !== 0 || args === '') {
    return {
      result: fail(
        target,
        check,
        `${file} names pid ${pid}, which is not running (nginx stopped, or a stale file): ${how}`,
      ),
    };
  }
  if (!isNginxMaster(args)) {
    return {
      result: fail(target, check, `${file} names pid ${pid} (${args.slice(0, 120)}), not an nginx master: ${how}`),
    };
  }
  // Two nginx on one host: the pid file must name the master of the nginx that `test` and `reload` drive.
  const [theirs, ours] = [nginxConfOf(args), nginxConfOf(test)];
  if (theirs !== undefined && ours !== undefined && theirs !== ours) {
    return {
      result: fail(
        target,
        check,
        `${file} names the master of another nginx (pid ${pid}, -c ${theirs}) than the one test and reload drive (-c ${ours}): ${how}`,
      ),
    };
  }
  return { pid, result: pass(target, check, `${file}: pid ${pid}, ${args.slice(0, 120)}`) };
}

/** The test command as configured (through `sudo -n` when it uses sudo, so a password prompt fails, not hangs). */
async function checkTest(target: string, run: HostRun, test: readonly string[]): Promise<CheckResult> {
  const check = 'nginx test';
  const r = await run(sudoNonInteractive(test));
  if (r.code === 0) return pass(target, check, `${shown(test)} passes on the live config`);
  if (isSudo(test) && NEEDS_PASSWORD.test(r.stderr)) {
    return fail(target, check, `sudo asks for a password to run ${shown(test)}: add a NOPASSWD sudoers rule for it`);
  }
  if (r.code === 127) {
    return fail(
      target,
      check,
      `${test[0]} is not found on the deploy user's PATH: give its full path in strategy.proxy.nginx.test`,
    );
  }
  return fail(target, check, `${shown(test)} fails (${exitText(r)}): ${failureText(r)}`);
}

/** Is the reload command allowed? Nothing is reloaded or signalled. `master` is the running master's pid, if known. */
async function checkReload(
  target: string,
  run: HostRun,
  reload: readonly string[],
  master: number | undefined,
): Promise<CheckResult> {
  const check = 'nginx reload';
  if (isSudo(reload)) {
    const allowed = await run(sudoListArgv(reload));
    if (allowed.code !== 0) {
      const why = NEEDS_PASSWORD.test(allowed.stderr)
        ? 'sudo asks for a password'
        : `sudoers does not allow it (${failureText(allowed)})`;
      return fail(target, check, `${shown(reload)}: ${why}; add a NOPASSWD sudoers rule for exactly this command`);
    }
    const resolved = allowed.stdout.trim().split('\n')[0]?.trim() || shown(reload.slice(1));
    const listing = await run(sudoListingArgv(reload[0]));
    switch (sudoPasswordFor(listing.stdout, resolved)) {
      case 'nopasswd':
        return pass(target, check, `sudo allows ${resolved} without a password (sudo -n -l; not run)`);
      case 'passwd':
        return fail(target, check, `sudo allows ${resolved} only with a password: make its sudoers rule NOPASSWD`);
      default:
        return warn(target, check, `sudo allows ${resolved}; whether without a password, sudo -l does not say`);
    }
  }
  const found = await run(commandPathArgv(reload[0] ?? ''));
  if (found.code !== 0) {
    return fail(
      target,
      check,
      `${reload[0]} is not found on the deploy user's PATH: give its full path in strategy.proxy.nginx.reload`,
    );
  }
  if (!isNginx(reload)) return pass(target, check, `${found.stdout.trim()} found (${shown(reload)} not run)`);
  if (master === undefined)
    return warn(target, check, `${shown(reload)}: without a running master, whether it may signal nginx is unknown`);
  const signal = await run(signalCheckArgv(master));
  if (signal.code === 0)
    return pass(target, check, `the deploy user may signal nginx's master, pid ${master} (kill -0; not reloaded)`);
  return fail(
    target,
    check,
    `${shown(reload)} runs as the deploy user, who may not signal nginx's master (pid ${master}: ${failureText(signal)}): use reload: [sudo, nginx, -s, reload] with a NOPASSWD sudoers rule`,
  );
}
