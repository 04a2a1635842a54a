/**
 * Faults of the reliability matrix about access, secrets and the runner protocol, each run through an action's
 * committed bundle as the runner runs it (runStep): a regenerated host key (#2), the Docker API over plain TCP and a
 * wrong CA (#3), the private key on disk after a success, a failure and a cancel (#4), hostile server text (#5/#16),
 * a secret the server echoes (#17), an sshd refusing TCP forwarding (#19) and an sshd frozen mid-run (#10). sshd
 * faults use an sshd of this file's own (helpers/own-sshd.ts); the sandbox's is never changed. No nginx is used.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { obeyedCommands } from '../../../src/core/untrusted.js';
import { runStep, type StepResult } from '../../integration/helpers/action-runner.js';
import { type OwnSshd, startOwnSshd } from '../../integration/helpers/own-sshd.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from '../../integration/helpers/sandbox.js';
import { freshKey } from '../../integration/helpers/ssh.js';
import { type Fault, faultSuite } from './fault.js';

const ssh = sandboxSsh();
const dir = mkdtempSync(join(tmpdir(), 'rel-access-'));
chmodSync(dir, 0o755);
const stateDir = join(dir, 'state');
mkdirSync(stateDir, { mode: 0o777 });
chmodSync(stateDir, 0o777);

let configs = 0;
function config(body: string): string {
  const path = join(dir, `runbook-${++configs}.yml`);
  writeFileSync(path, `app: shop\n${body}`);
  return path;
}

/** An environment `sandbox` with `targets` (a YAML flow list) and the state dir above. */
const env = (targets: string, extra = '') =>
  `environments:\n  sandbox:\n    state-dir: ${stateDir}\n    targets: ${targets}\n${extra}`;

const sshTarget = (sshd: OwnSshd, options = 'connect-timeout: 3s') =>
  `{ name: web1, ssh: { host: ${sshd.host}, port: ${sshd.port}, user: ${sshd.user}, ${options} }, docker-socket: ${sandboxPart('docker').socket} }`;

const NO_ENGINE_CHECKS = 'checks: { min-free-disk: 1%, docker: false, compose: false }\n';

interface Check {
  target: string;
  check: string;
  status: string;
  detail: string;
}
const checksOf = (r: StepResult): Check[] =>
  (JSON.parse(r.outputs.report ?? '{"checks":[]}') as { checks: Check[] }).checks;
const errorsOf = (r: StepResult) => r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
const firstError = (r: StepResult) => (errorsOf(r)[0] ?? `(no ::error::, exit ${r.code})`).slice(0, 160);

async function withSshd<T>(options: string[], keys: string[], fn: (sshd: OwnSshd) => Promise<T>): Promise<T> {
  const sshd = await startOwnSshd(options, keys);
  try {
    return await fn(sshd);
  } finally {
    await sshd.stop();
  }
}

/** A TCP listener that counts connections and drops them. */
async function countingListener(): Promise<{ port: number; count: () => number; close: () => void }> {
  let n = 0;
  const server: Server = createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, count: () => n, close: () => server.close() };
}

// ---- #4: files a run created or changed, and whether any holds the key ----

const SKIP_DIRS = new Set(['node_modules', '.git', 'proc', 'sys']);

/** path → mtime of every regular file under `roots` (not following links). */
function listing(roots: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name) && depth < 12) walk(p, depth + 1);
      } else if (st.isFile()) out.set(p, st.mtimeMs);
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** Files new or changed between two listings, and how many of them contain any of `needles`. */
function scanCreated(before: Map<string, number>, after: Map<string, number>, needles: string[]) {
  let files = 0;
  const holding: string[] = [];
  for (const [path, mtime] of after) {
    if (before.get(path) === mtime) continue;
    files++;
    try {
      if (lstatSync(path).size > 32 * 1024 * 1024) continue;
      const text = readFileSync(path, 'latin1');
      if (needles.some((n) => text.includes(n))) holding.push(path);
    } catch {
      // gone again, or unreadable: not something the run left
    }
  }
  return { files, holding };
}

/** The signal-free parts of an sshd: the listener and every process under it (the per-connection children). */
function sshdTree(sshd: OwnSshd): number[] {
  const config = join(dirname(sshd.logPath), 'sshd_config');
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' }));
  const root = rows.find((r) => r.args.includes(`-f ${config}`) && r.args.includes('-D'));
  if (!root) return [];
  const tree = [root.pid];
  for (let i = 0; i < tree.length; i++) for (const r of rows) if (r.ppid === tree[i]) tree.push(r.pid);
  return tree;
}

function signalTree(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

// ---- #5/#16, #17: an HTTP server whose bodies and headers are hostile ----

const HOSTILE = {
  mask: '::add-mask::PWNED-mask',
  error: '::error::PWNED-error',
  legacy: 'ok ##[error]PWNED-legacy',
  cr: 'fine\r::error::PWNED-cr',
};

/**
 * A raw HTTP/1.1 server (raw so a header may carry a lone CR): /json answers the hostile values as JSON, /redirect
 * a Location that is a command, /cr a Location with a lone CR before `::error::`, /echo the request's Authorization
 * value (and its base64) in the body and a response header.
 */
async function hostileServer(): Promise<{ base: string; hits: () => number; close: () => void }> {
  let hits = 0;
  const server = createServer((socket) => {
    let buf = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      hits++;
      const [requestLine = '', ...headerLines] = buf.slice(0, end).split('\r\n');
      buf = '';
      const path = requestLine.split(' ')[1] ?? '/';
      const header = (name: string) =>
        headerLines.find((h) => h.toLowerCase().startsWith(`${name}:`))?.replace(/^[^:]*:\s*/, '') ?? '';
      const send = (status: string, headers: string[], body = '') =>
        socket.end(
          `HTTP/1.1 ${status}\r\n${[...headers, `content-length: ${Buffer.byteLength(body)}`, 'connection: close'].join('\r\n')}\r\n\r\n${body}`,
        );
      if (path === '/json') {
        send('200 OK', ['content-type: application/json', `x-note: ${HOSTILE.error}`], JSON.stringify(HOSTILE));
      } else if (path === '/redirect') {
        send('302 Found', [`location: ${HOSTILE.legacy}`]);
      } else if (path === '/redirect2') {
        send('302 Found', [`location: ${HOSTILE.error}`]);
      } else if (path === '/cr') {
        send('302 Found', [`location: ${HOSTILE.cr}`]);
      } else if (path === '/echo') {
        const secret = header('authorization').replace(/^Bearer /, '');
        send(
          '200 OK',
          ['content-type: application/json', `x-echo: ${secret}`],
          JSON.stringify({
            status: secret,
            b64: Buffer.from(secret).toString('base64'),
            url: encodeURIComponent(secret),
          }),
        );
      } else {
        send('404 Not Found', []);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => server.close(),
  };
}

/** Commands the runner would obey that came from the hostile text (their data is the payload's, PWNED-…). */
const hostileObeyed = (out: string) => obeyedCommands(out).filter((c) => c.data.startsWith('PWNED'));

const smokeConfig = () => config(env('[{ name: self, local: true }]'));

/** smoke-test via an own sshd that is SIGSTOPped (with its session processes) while a check's request is in flight. */
async function frozenRun(wait: string) {
  let requests = 0;
  const hang = createHttpServer(() => {
    requests++;
  });
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  const hangPort = (hang.address() as AddressInfo).port;
  let stopped: number[] = [];
  let stoppedAt = 0;
  let verdictAt = 0;
  const sshd = await startOwnSshd([]);
  try {
    const r = await runStep('smoke-test', {
      inputs: {
        config: config(env(`[${sshTarget(sshd, 'connect-timeout: 2s, keepalive-interval: 500ms')}]`)),
        environment: 'sandbox',
        'ssh-private-key': ssh.privateKey,
        'ssh-known-hosts': sshd.knownHosts,
        checks: `- { name: frozen, url: "http://127.0.0.1:${hangPort}/", via: target }\n`,
        wait,
      },
      timeoutMs: 90_000,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (!verdictAt && d.toString().includes('::error::')) verdictAt = Date.now();
        });
        const poll = setInterval(() => {
          if (requests > 0) {
            clearInterval(poll);
            stopped = sshdTree(sshd);
            signalTree(stopped, 'SIGSTOP');
            stoppedAt = Date.now();
          }
        }, 10);
      },
    });
    const ended = Date.now();
    const since = (t: number) => (stoppedAt && t ? (t - stoppedAt) / 1000 : Number.NaN);
    return {
      wait,
      code: r.code,
      // Ended by itself, not by the harness's SIGKILL at its 90 s limit: a hang is what the promise excludes.
      byItself: r.signal === null,
      requests,
      stopped: stopped.length,
      verdictAfterStop: since(verdictAt),
      exitAfterStop: since(ended),
      roundsAfterLoss: r.stdout.split('\n').filter((l) => /^smoke: .*round \d+.*was lost/.test(l)).length,
      error: firstError(r),
    };
  } finally {
    signalTree(sshdTree(sshd), 'SIGCONT');
    await sshd.stop();
    hang.closeAllConnections();
    hang.close();
  }
}

/** pre-deploy-check against an own sshd with the known_hosts `pin` gives: refused saying `words`, no auth logged. */
async function refusedBeforeAuth(pin: (sshd: OwnSshd) => string, words: string) {
  return withSshd([], [], async (sshd) => {
    const r = await runStep('pre-deploy-check', {
      inputs: {
        config: config(env(`[${sshTarget(sshd)}]`, NO_ENGINE_CHECKS)),
        environment: 'sandbox',
        'ssh-private-key': ssh.privateKey,
        'ssh-known-hosts': pin(sshd),
      },
    });
    await new Promise((res) => setTimeout(res, 300)); // let sshd log the disconnect
    const log = readFileSync(sshd.logPath, 'utf8').split('\n');
    const connections = log.filter((l) => l.startsWith('Connection from')).length;
    const auth = log.filter((l) => /(Accepted|Failed|Postponed) publickey|Starting session|session opened/.test(l));
    const said = r.stdout.includes(words);
    return {
      survived: r.code === 1 && said && auth.length === 0 && connections >= 1,
      detail: `exit ${r.code}; "${words}" ${said ? 'reported' : 'MISSING'}; sshd log: ${connections} connection(s), ${auth.length} auth/session line(s); ${firstError(r)}`,
    };
  });
}

// ---- the faults ----

const faults: Fault[] = [
  {
    promise: 2,
    name: 'a regenerated host key: refused as a mismatch before authentication, nothing ran',
    run: async () => {
      // The pin is the key of an sshd that has gone; a new sshd (new host key) answers at the pinned address.
      const old = await startOwnSshd([]);
      const oldKey = old.knownHosts.trim().split(' ').slice(1).join(' ');
      await old.stop();
      return refusedBeforeAuth((sshd) => `[127.0.0.1]:${sshd.port} ${oldKey}\n`, 'host key mismatch');
    },
  },
  {
    promise: 2,
    name: 'a missing pin (known_hosts names another port): refused before authentication, nothing ran',
    run: () =>
      refusedBeforeAuth(
        (sshd) => sshd.knownHosts.replace(`]:${sshd.port} `, `]:${sshd.port === 1 ? 2 : 1} `),
        'no known_hosts entry',
      ),
  },
  {
    promise: 3,
    name: 'the Docker API over plain TCP is refused unless allowed; a wrong CA or client certificate is refused',
    run: async () => {
      const docker = sandboxPart('docker');
      const pem = (p: string) => readFileSync(p, 'utf8');
      const good = {
        DOCKER_TLS_CA: pem(docker.tls.ca),
        DOCKER_TLS_CERT: pem(docker.tls.cert),
        DOCKER_TLS_KEY: pem(docker.tls.key),
      };
      const tls = '{ ca-env: DOCKER_TLS_CA, cert-env: DOCKER_TLS_CERT, key-env: DOCKER_TLS_KEY }';
      const checks = 'checks: { docker: ">=20", compose: false }\n';
      const check = (docker: string, e: Record<string, string> = good) =>
        runStep('pre-deploy-check', {
          inputs: { config: config(env(`[{ name: engine1, docker: ${docker} }]`, checks)), environment: 'sandbox' },
          env: e,
        });
      const reach = (r: StepResult) => checksOf(r).find((c) => c.target === 'engine1' && c.check === 'reachable');
      const listener = await countingListener();
      try {
        const plain = await check(`{ host: "tcp://127.0.0.1:${listener.port}" }`);
        const plainConnections = listener.count();
        const allowed = await check(`{ host: "tcp://127.0.0.1:${listener.port}", allow-plain-tcp: true }`);
        const allowedConnections = listener.count() - plainConnections;
        const wrongCa = await check(`{ host: "${docker.tcp}", tls: ${tls} }`, {
          ...good,
          DOCKER_TLS_CA: pem(docker.tls.wrongCa),
        });
        const wrongCert = await check(`{ host: "${docker.tcp}", tls: ${tls} }`, {
          ...good,
          DOCKER_TLS_CERT: pem(docker.tls.wrongCert),
          DOCKER_TLS_KEY: pem(docker.tls.wrongKey),
        });
        const ok = await check(`{ host: "${docker.tcp}", tls: ${tls} }`);
        const plainRefused =
          plain.code === 1 && plainConnections === 0 && /has no TLS/.test(reach(plain)?.detail ?? '');
        const wrongRefused =
          wrongCa.code === 1 && reach(wrongCa)?.status === 'fail' && /certificate/i.test(reach(wrongCa)?.detail ?? '');
        const certRefused = wrongCert.code === 1 && reach(wrongCert)?.status === 'fail';
        const goodPasses = ok.code === 0 && reach(ok)?.status === 'pass';
        return {
          survived: plainRefused && allowedConnections > 0 && wrongRefused && certRefused && goodPasses,
          detail:
            `plain tcp: exit ${plain.code}, ${plainConnections} connection(s) opened ("${(reach(plain)?.detail ?? '').slice(0, 60)}…"); ` +
            `allow-plain-tcp: ${allowedConnections} connection(s) opened (a listener that hangs up: exit ${allowed.code}); wrong CA: exit ${wrongCa.code}, ${reach(wrongCa)?.status} ("…${(/[^:;(]*certificate[^;)]*/i.exec(reach(wrongCa)?.detail ?? '')?.[0] ?? reach(wrongCa)?.detail ?? '').trim().slice(0, 80)}"); ` +
            `untrusted client certificate: exit ${wrongCert.code}, ${reach(wrongCert)?.status}; right CA and certificate: exit ${ok.code}, ${reach(ok)?.status}`,
        };
      } finally {
        listener.close();
      }
    },
  },
  {
    promise: 4,
    name: 'the private key is in no file the run created, after a success, a failure and a cancel',
    timeoutMs: 240_000,
    run: async () => {
      const key = await freshKey();
      // The base64 body of the key, without its first line (the same in every OpenSSH ed25519 key).
      const body = key.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
      const needles = body.slice(1).filter((l) => l.length >= 16);
      const roots = [tmpdir(), REPO_ROOT, homedir(), '/dev/shm', '/var/tmp'];
      // The scan itself, proven: a file written between two listings is found.
      const planted = join(dir, 'planted-key');
      const beforePlant = listing([dir]);
      writeFileSync(planted, JSON.stringify({ key: key.privateKey }));
      const control = scanCreated(beforePlant, listing([dir]), needles).holding.length;
      rmSync(planted);
      return withSshd([], [key.publicKey], async (sshd) => {
        const inputs = (cfg: string) => ({
          config: cfg,
          environment: 'sandbox',
          'ssh-private-key': key.privateKey,
          'ssh-known-hosts': sshd.knownHosts,
        });
        const runs: Array<{
          name: string;
          code: number | null;
          want: boolean;
          files: number;
          holding: string[];
        }> = [];
        const scanned = async (name: string, want: (r: StepResult) => boolean, step: () => Promise<StepResult>) => {
          const before = listing(roots);
          const r = await step();
          const after = listing(roots);
          runs.push({ name, code: r.code, want: want(r), ...scanCreated(before, after, needles) });
        };
        await scanned(
          'success',
          (r) => r.code === 0,
          () => runStep('pre-deploy-check', { inputs: inputs(config(env(`[${sshTarget(sshd)}]`, NO_ENGINE_CHECKS))) }),
        );
        await scanned(
          'failure',
          (r) => r.code === 1,
          () =>
            runStep('pre-deploy-check', {
              inputs: inputs(
                config(env(`[${sshTarget(sshd)}]`, 'checks: { min-free-disk: 100%, docker: false, compose: false }\n')),
              ),
            }),
        );
        // Cancel: a second target that accepts TCP and never speaks; SIGINT once the key has logged in on web1.
        const silent = createServer((s) => s.resume());
        await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
        const silentPort = (silent.address() as AddressInfo).port;
        try {
          const cancelled = (r: StepResult) =>
            r.code === 1 && r.stdout.includes('::warning::SIGINT received: cancelling') && errorsOf(r).length === 1;
          await scanned('cancel', cancelled, () =>
            runStep('pre-deploy-check', {
              inputs: inputs(
                config(
                  env(
                    `[${sshTarget(sshd)}, { name: hung, ssh: { host: 127.0.0.1, port: ${silentPort}, user: u, connect-timeout: 10m } }]`,
                    NO_ENGINE_CHECKS,
                  ),
                ),
              ),
              env: {},
              onSpawn: (child) => {
                const started = Date.now();
                const offset = readFileSync(sshd.logPath).length;
                const wait = setInterval(() => {
                  const loggedIn = readFileSync(sshd.logPath).subarray(offset).includes('Accepted publickey');
                  if (loggedIn || Date.now() - started > 5000) {
                    clearInterval(wait);
                    child.kill('SIGINT');
                  }
                }, 20);
              },
            }),
          );
        } finally {
          silent.close();
        }
        const holding = runs.flatMap((r) => r.holding);
        return {
          survived: holding.length === 0 && runs.every((r) => r.want) && needles.length >= 3 && control === 1,
          detail: `${runs.map((r) => `${r.name}: exit ${r.code}${r.want ? '' : ' (UNEXPECTED)'}, ${r.files} file(s) created/changed, ${r.holding.length} with the key`).join('; ')}; ${needles.length} key lines searched (a planted copy found: ${control === 1 ? 'yes' : 'NO'})${holding.length ? `; KEY FOUND IN ${holding.join(', ')}` : ''}`,
          secretsFound: holding.length,
        };
      });
    },
  },
  {
    promise: 16,
    name: 'hostile smoke bodies and headers (::add-mask::, ::error::, ##[error], \\r::error::) are printed, not obeyed',
    run: async () => {
      const server = await hostileServer();
      try {
        const checks = [
          '- { name: json, url: /json, expect: { json: { mask: ok, error: ok, legacy: ok, cr: ok } } }',
          '- { name: redirect, url: /redirect, expect: { status: 200 } }',
          '- { name: redirect2, url: /redirect2, expect: { status: 200 } }',
          '- { name: lone-cr, url: /cr, expect: { status: 200 } }',
        ].join('\n');
        const r = await runStep('smoke-test', {
          inputs: { config: smokeConfig(), environment: 'sandbox', url: server.base, checks: `${checks}\n` },
        });
        const all = `${r.stdout}\n${r.stderr}`;
        const obeyed = hostileObeyed(all);
        const printed = ['PWNED-mask', 'PWNED-error', 'PWNED-legacy', 'PWNED-cr'].filter((p) => r.stdout.includes(p));
        return {
          survived: r.code === 1 && obeyed.length === 0 && printed.length >= 4 && server.hits() >= 4,
          detail: `exit ${r.code}, ${server.hits()} requests; hostile values printed: ${printed.length}/4 (${printed.join(', ')}); obeyed as commands: ${obeyed.length}${obeyed.length ? ` (${obeyed.map((c) => `${c.name}:${c.data}`).join(', ')})` : ''}`,
        };
      } finally {
        server.close();
      }
    },
  },
  {
    promise: 5,
    name: 'remote output over SSH saying ::add-mask:: / ::error:: / ##[error] / \\r::error:: is printed, not obeyed',
    run: async () => {
      // A host whose every command but the reachability probe prints the payload on stdout and stderr and fails
      // (sshd ForceCommand): pre-deploy-check's disk check quotes the first line of df's stderr.
      const script = join(dir, 'hostile.sh');
      writeFileSync(
        script,
        [
          '#!/bin/sh',
          // The reachability probe (`true`) passes, so the later checks run and meet the hostile answers.
          `case "$SSH_ORIGINAL_COMMAND" in "exec true"|"exec 'true'") exit 0;; esac`,
          "printf '::add-mask::PWNED-mask\\nok ##[error]PWNED-legacy\\n'",
          "printf 'fine\\r::error::PWNED-cr ##[warning]PWNED-legacy2\\n::error::PWNED-stderr\\n' >&2",
          'exit 3',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
      chmodSync(script, 0o755);
      return withSshd([`ForceCommand ${script}`], [], async (sshd) => {
        const r = await runStep('pre-deploy-check', {
          inputs: {
            config: config(env(`[${sshTarget(sshd)}]`, NO_ENGINE_CHECKS)),
            environment: 'sandbox',
            'ssh-private-key': ssh.privateKey,
            'ssh-known-hosts': sshd.knownHosts,
          },
        });
        const all = `${r.stdout}\n${r.stderr}`;
        const obeyed = hostileObeyed(all);
        const payloads = ['PWNED-cr', 'PWNED-legacy2', 'PWNED-mask', 'PWNED-legacy', 'PWNED-stderr'];
        const printed = payloads.filter((p) => all.includes(p));
        return {
          survived: r.code === 1 && obeyed.length === 0 && printed.length >= 1,
          detail: `exit ${r.code}; hostile remote lines printed: ${printed.length}/${payloads.length} (${printed.join(', ')}); obeyed as commands: ${obeyed.length}${obeyed.length ? ` (${obeyed.map((c) => `${c.name}:${JSON.stringify(c.data)}`).join(', ')})` : ''}; ${firstError(r)}`,
        };
      });
    },
  },
  {
    promise: 17,
    name: 'a secret the server echoes back (body, base64, URL-encoded, header) is masked in every sink',
    run: async () => {
      const secret = 'tok/5ecret+Value=42';
      const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
      const server = await hostileServer();
      try {
        const ref = ['$', '{env.TEST_TOKEN}'].join('');
        const checks = `- { name: echo, url: /echo, headers: { Authorization: "Bearer ${ref}" }, expect: { json: { status: ok, b64: ok, url: ok } } }\n`;
        const r = await runStep('smoke-test', {
          inputs: { config: smokeConfig(), environment: 'sandbox', url: server.base, checks },
          env: { TEST_TOKEN: secret },
        });
        const stdout = r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n');
        const sinks: Record<string, string> = {
          stdout,
          stderr: r.stderr,
          summary: r.summary,
          report: r.outputs.report ?? '',
          ...Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [`output ${k}`, v])),
        };
        const count = (text: string) => forms.reduce((n, f) => n + text.split(f).length - 1, 0);
        const found = Object.entries(sinks)
          .map(([name, text]) => [name, count(text)] as const)
          .filter(([, n]) => n > 0);
        const secretsFound = found.reduce((n, [, c]) => n + c, 0);
        const masked = (r.stdout.match(/\*\*\*/g) ?? []).length;
        return {
          survived: r.code === 1 && server.hits() >= 1 && secretsFound === 0,
          detail: `exit ${r.code}, ${server.hits()} request(s) echoing the secret; ${Object.keys(sinks).length} sinks read; ${masked} "***" in stdout; secret forms found: ${secretsFound}${found.length ? ` (${found.map(([n, c]) => `${n}: ${c}`).join(', ')})` : ''}`,
          secretsFound,
        };
      } finally {
        server.close();
      }
    },
  },
  {
    promise: 19,
    name: 'sshd with AllowTcpForwarding no: pre-deploy-check fails the forwarding check naming the option',
    run: async () =>
      withSshd(['AllowTcpForwarding no'], [], async (sshd) => {
        const r = await runStep('pre-deploy-check', {
          inputs: {
            config: config(
              env(
                `[${sshTarget(sshd)}]`,
                `services:\n  api: { image: acme/api, port: 8000, health: { http: { path: /health } } }\n${NO_ENGINE_CHECKS}`,
              ),
            ),
            environment: 'sandbox',
            'ssh-private-key': ssh.privateKey,
            'ssh-known-hosts': sshd.knownHosts,
          },
        });
        const tcp = checksOf(r).find((c) => c.check === 'tcp forwarding');
        const sock = checksOf(r).find((c) => c.check === 'socket forwarding');
        const named = tcp?.detail.includes('AllowTcpForwarding') ?? false;
        return {
          survived: r.code === 1 && tcp?.status === 'fail' && named,
          detail: `exit ${r.code}; tcp forwarding: ${tcp?.status ?? 'NOT CHECKED'} (${named ? 'names AllowTcpForwarding' : 'option not named'}); socket forwarding: ${sock?.status ?? 'not checked'}; ${firstError(r)}`,
        };
      }),
  },
  {
    promise: 10,
    name: 'an sshd frozen (SIGSTOP) mid-run: the step fails within its timeouts, not a hang',
    timeoutMs: 150_000,
    run: async () => {
      // A check through the target (direct-tcpip) to a server that never answers: the request is in flight over the
      // SSH connection when the whole sshd (listener and session processes) is stopped. Once with no smoke wait
      // (the SSH timeouts alone bound it), once with wait: 20s (the wait bounds it).
      const a = await frozenRun('0s');
      const b = await frozenRun('20s');
      // The figures (seconds after SIGSTOP) go to the report; what must hold is that each run ended by itself.
      const okA = a.code === 1 && a.stopped >= 2 && a.byItself;
      const okB = b.code === 1 && b.stopped >= 2 && b.byItself;
      const retried = b.roundsAfterLoss > 0;
      return {
        survived: okA && okB,
        detail:
          `wait 0s: ${a.stopped} sshd processes stopped with ${a.requests} request in flight, verdict ${a.verdictAfterStop.toFixed(1)} s and exit ${a.exitAfterStop.toFixed(1)} s after SIGSTOP (keepalive 500 ms, connect-timeout 2 s), exit ${a.code}; ` +
          `wait 20s: verdict ${b.verdictAfterStop.toFixed(1)} s, exit ${b.exitAfterStop.toFixed(1)} s after SIGSTOP, exit ${b.code}` +
          (retried
            ? `; WEAKNESS: smoke retried ${b.roundsAfterLoss} rounds on the SSH connection already lost ("was lost (Keepalive timeout)") until the wait ran out, instead of failing at once`
            : '') +
          [a, b]
            .filter((x) => x.exitAfterStop - x.verdictAfterStop > 3)
            .map(
              (x) =>
                `; WEAKNESS: with wait ${x.wait} the process exits ${(x.exitAfterStop - x.verdictAfterStop).toFixed(1)} s after its ::error:: verdict`,
            )
            .join('') +
          (/lost|keepalive/i.test(a.error)
            ? ''
            : '; MISLEADING: with wait 0s the verdict blames the app server, not the SSH connection lost to keepalive') +
          `; wait 0s said: ${a.error}`,
      };
    },
  },
];

faultSuite('access, secrets and the runner protocol', faults);
