/**
 * pre-deploy-check's deploy prerequisites on a hand-laid server: a throwaway user (made here, removed after) logs in
 * to a throwaway sshd (two ports: the second refuses TCP and Unix socket forwarding), an nginx of its own (root
 * master), sudoers rules written per test. The step runs in-process (runModule with the live connector), so it is the
 * source under test, not the committed bundle. Needs root and sudo (`apt-get install sudo`).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preDeployCheckAction } from '../../src/actions/catalog.js';
import { runModule } from '../../src/actions/module.js';
import { memoryRunner } from '../unit/helpers/runner.js';
import { freePortRange } from './helpers/ports.js';
import { sandboxPart } from './helpers/sandbox.js';
import { freshKey } from './helpers/ssh.js';
import { yamlList } from './helpers/yaml.js';

const sh = (argv: string[]) => execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: 'pipe' });
if (!existsSync('/usr/bin/sudo')) throw new Error('this test needs sudo: apt-get install sudo');

const user = `rbpq${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'pre-deploy-prereqs-'));
chmodSync(dir, 0o755); // the throwaway user reads its key, nginx's pid file and the compose files in here
const sudoers = `/etc/sudoers.d/${user}`;
const nginxPrefix = join(dir, 'nginx');
const nginxConf = join(nginxPrefix, 'nginx.conf');
const nginxPid = join(nginxPrefix, 'nginx.pid');
const nginxArgv = ['/usr/sbin/nginx', '-p', nginxPrefix, '-c', nginxConf];
const sshdPid = join(dir, 'sshd.pid');
let key: Awaited<ReturnType<typeof freshKey>>;
let knownHosts = '';
let open = 0; // sshd port allowing forwarding
let closed = 0; // same sshd, forwarding refused (Match LocalPort)

/** Wait until an SSH server greets on 127.0.0.1:port. */
async function sshdUp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => {
        resolve(d.toString().startsWith('SSH-2.0'));
        s.destroy();
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port}; see ${dir}/sshd.log`);
}

/** Replace the throwaway user's sudoers rules (checked by visudo first), or remove them. */
function sudoRules(rules: string | undefined): void {
  rmSync(sudoers, { force: true });
  if (rules === undefined) return;
  const tmp = join(dir, 'sudoers.tmp');
  writeFileSync(tmp, `${rules}\n`, { mode: 0o440 });
  sh(['visudo', '-cf', tmp]);
  sh(['cp', tmp, sudoers]);
  chmodSync(sudoers, 0o440);
}

beforeAll(async () => {
  [open, closed] = await freePortRange(3);
  const nginxPort = closed + 1;
  key = await freshKey();
  mkdirSync(join(dir, 'home'));
  sh(['useradd', '-M', '-d', join(dir, 'home'), '-s', '/bin/sh', user]);
  sh(['usermod', '-p', '*', user]); // useradd leaves it locked, which sshd refuses
  sh(['chown', user, join(dir, 'home')]);
  writeFileSync(join(dir, 'authorized_keys'), `${key.publicKey}\n`, { mode: 0o644 });
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  knownHosts = `[127.0.0.1]:${open} ${hostKey}\n[127.0.0.1]:${closed} ${hostKey}\n`;
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${open}`,
      `Port ${closed}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${sshdPid}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      `AllowUsers ${user}`,
      'Subsystem sftp internal-sftp',
      'AllowTcpForwarding yes',
      `Match LocalPort ${closed}`,
      '  AllowTcpForwarding no',
      '  AllowStreamLocalForwarding no',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  sh(['/usr/sbin/sshd', '-t', '-f', join(dir, 'sshd_config')]);
  sh(['/usr/sbin/sshd', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')]);
  await Promise.all([sshdUp(open), sshdUp(closed)]);

  mkdirSync(join(nginxPrefix, 'tmp'), { recursive: true });
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (t) => `${t}_temp_path ${nginxPrefix}/tmp/${t};`,
  );
  writeFileSync(
    nginxConf,
    `pid ${nginxPid};\nerror_log ${nginxPrefix}/error.log;\nevents { worker_connections 16; }\n` +
      `http {\n  access_log off;\n  ${temp.join('\n  ')}\n  server { listen 127.0.0.1:${nginxPort}; return 200 "ok\\n"; }\n}\n`,
  );
  sh([...nginxArgv, '-e', `${nginxPrefix}/error.log`]);

  mkdirSync(join(dir, 'compose-ok'));
  writeFileSync(
    join(dir, 'compose-ok', 'docker-compose.yml'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, resolved by `config -q`
    'version: "3.8"\nservices:\n  api:\n    image: "acme/api:${APP_VERSION}"\n',
  );
  mkdirSync(join(dir, 'compose-bad'));
  writeFileSync(
    join(dir, 'compose-bad', 'docker-compose.yml'),
    'version: "3.8"\nservices:\n  api:\n    image: [not, a, string]\n',
  );
  mkdirSync(join(dir, 'locked', 'sandbox'), { recursive: true }); // root's, 755: the user may not write it
  mkdirSync(join(dir, 'state')); // the user's: deploy creates state/sandbox in it
  sh(['chown', user, join(dir, 'state')]);
});

afterAll(() => {
  sudoRules(undefined);
  for (const pidFile of [nginxPid, sshdPid]) {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 0) process.kill(pid, pidFile === nginxPid ? 'SIGQUIT' : 'SIGTERM');
  }
  // The user's sessions end with their connections; userdel refuses while one still runs, so try a few times.
  for (let i = 0; i < 20; i++) {
    try {
      sh(['userdel', user]);
      break;
    } catch {
      execFileSync('sleep', ['0.2']);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Check {
  target: string;
  check: string;
  status: string;
  detail: string;
}

interface Run {
  /** More top-level sections (compose:, strategy:). */
  body?: string;
  /** The sshd port: `open` (default) or `closed` (forwarding refused). */
  port?: number;
  stateDir?: string;
  checks?: string;
}

/** Run pre-deploy-check in-process on one ssh target (docker-socket: the sandbox's); the report's checks. */
async function preDeployCheck(o: Run = {}): Promise<Check[]> {
  const config = join(dir, `runbook-${randomBytes(3).toString('hex')}.yml`);
  const target = `{ name: web1, ssh: { host: 127.0.0.1, port: ${o.port ?? open}, user: ${user}, connect-timeout: 5s }, docker-socket: ${sandboxPart('docker').socket} }`;
  writeFileSync(
    config,
    `app: shop
environments:
  sandbox:
    targets: [${target}]
    state-dir: ${o.stateDir ?? join(dir, 'state')}
services:
  api: { image: acme/api, port: 8000, health: { http: { path: /health } } }
checks: ${o.checks ?? '{ min-free-disk: 1%, docker: false, compose: false }'}
${o.body ?? ''}`,
  );
  const inputs = { config, environment: 'sandbox', 'ssh-private-key': key.privateKey, 'ssh-known-hosts': knownHosts };
  const { runner, record } = memoryRunner(inputs);
  await runModule(preDeployCheckAction, { runner, signals: new EventEmitter() });
  const report = record.outputs.get('report');
  if (!report) throw new Error(`no report: ${record.failed.join('; ')}\n${record.lines.join('\n')}`);
  return (JSON.parse(report) as { checks: Check[] }).checks;
}

const statusOf = (checks: Check[], name: string) => checks.find((c) => c.check === name);

/** The compose driver with the own nginx, its test and reload through sudo. */
const composeNginx = (
  o: { compose?: string; pidFile?: string } = {},
) => `compose: { command: [docker-compose], directory: ${join(dir, o.compose ?? 'compose-ok')} }
strategy:
  type: recreate
  proxy:
    nginx:
      upstream-file: ${join(nginxPrefix, 'upstream.conf')}
      upstream: shop
      test: ${yamlList(['sudo', ...nginxArgv, '-t'])}
      reload: ${yamlList(['sudo', ...nginxArgv, '-s', 'reload'])}
      pid-file: ${o.pidFile ?? nginxPid}
`;
const ONLY_NGINX = () =>
  `${user} ALL=(root) NOPASSWD: ${[...nginxArgv, '-t'].join(' ')}, ${[...nginxArgv, '-s', 'reload'].join(' ')}`;

describe('pre-deploy-check: deploy prerequisites on a hand-laid server', () => {
  it('a sudoers rule allowing only nginx -t and -s reload, a writable state dir, a resolving compose file: all pass', async () => {
    sudoRules(ONLY_NGINX());
    const before = readFileSync(nginxPid, 'utf8');
    const checks = await preDeployCheck({ body: composeNginx() });
    for (const name of [
      'strategy',
      'state dir',
      'nginx pid',
      'nginx test',
      'nginx reload',
      'tcp forwarding',
      'compose file',
    ]) {
      expect(statusOf(checks, name), JSON.stringify(checks, null, 1)).toMatchObject({ status: 'pass' });
    }
    expect(statusOf(checks, 'state dir')?.detail).toBe(
      `${join(dir, 'state', 'sandbox')} does not exist yet; deploy can create it in ${join(dir, 'state')} (probe file written and removed)`,
    );
    expect(statusOf(checks, 'nginx reload')?.detail).toMatch(/without a password \(sudo -n -l; not run\)$/);
    expect(readdirSync(join(dir, 'state'))).toEqual([]); // the probe file is gone, and nothing was created
    expect(readFileSync(nginxPid, 'utf8')).toBe(before); // never reloaded (same master, no new pid file)
  });

  it('sudo without NOPASSWD for nginx: the test and the reload fail', async () => {
    sudoRules(`${user} ALL=(root) /usr/sbin/nginx`);
    const checks = await preDeployCheck({ body: composeNginx() });
    expect(statusOf(checks, 'nginx test')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/sudo asks for a password/),
    });
    expect(statusOf(checks, 'nginx reload')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/sudo asks for a password; add a NOPASSWD/),
    });
  });

  it('a state dir the deploy user cannot write: fails naming it', async () => {
    const checks = await preDeployCheck({ stateDir: join(dir, 'locked') });
    expect(statusOf(checks, 'state dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        `${join(dir, 'locked', 'sandbox')} (journal and lock) is not writable by the deploy user`,
      ),
    });
  });

  it('a missing pid file: fails saying what to set', async () => {
    sudoRules(ONLY_NGINX());
    const checks = await preDeployCheck({ body: composeNginx({ pidFile: join(nginxPrefix, 'missing.pid') }) });
    expect(statusOf(checks, 'nginx pid')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/missing\.pid does not exist: set strategy\.proxy\.nginx\.pid-file/),
    });
  });

  it('a compose file that does not resolve: fails with compose’s words', async () => {
    sudoRules(ONLY_NGINX());
    const checks = await preDeployCheck({ body: composeNginx({ compose: 'compose-bad' }) });
    expect(statusOf(checks, 'compose file')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/config -q in .*compose-bad fails \(exit 1\): .*image/),
    });
  });

  it('engine driver: the docker check asks the engine through the SSH tunnel to docker-socket, as deploy does', async () => {
    const checks = await preDeployCheck({ checks: '{ min-free-disk: 1%, docker: ">=20.10", compose: false }' });
    expect(statusOf(checks, 'docker')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^docker engine 20\.10\./),
    });
    expect(statusOf(checks, 'socket forwarding')?.status).toBe('pass');
  });

  it('sshd with AllowTcpForwarding no and AllowStreamLocalForwarding no: clear failures', async () => {
    const checks = await preDeployCheck({ port: closed });
    expect(statusOf(checks, 'tcp forwarding')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^sshd refuses TCP forwarding for rbpq\w+ \(AllowTcpForwarding no, or DisableForwarding yes\); deploy needs it for HTTP health probes/,
      ),
    });
    expect(statusOf(checks, 'socket forwarding')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^sshd refuses Unix socket forwarding .*AllowStreamLocalForwarding no/),
    });
  });
});
