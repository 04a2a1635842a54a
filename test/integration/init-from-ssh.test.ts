/**
 * `runbook init --from-ssh` against a server laid out by hand: the sandbox sshd (its user, key and pinned host key),
 * a compose app of the sandbox engine (the compose fixture: runbook-test-app:v1, host network, PORT; never pulled)
 * behind an nginx of its own (root master) whose conf tree is written here: nginx.conf → conf.d/*.conf holding the
 * upstream block in front of the app, sites-enabled/* holding the server block and another upstream, one file the
 * deploy user cannot read. The steps run in-process (runModule with the live connector), so this tests the source,
 * not the committed bundle. The survey only reads (every command it ran is a read; the conf tree and the app are as
 * they were); pre-deploy-check then runs on the proposal as written, and once its TODOs are filled in (a state dir,
 * the sudoers rule it asks for), the first deploy takes the compose app over under load without a failed request.
 * Needs root (nginx master, sudoers) and sudo.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, initAction, preDeployCheckAction } from '../../src/actions/catalog.js';
import { runModule } from '../../src/actions/module.js';
import { loadConfig } from '../../src/config/loader.js';
import { memoryRunner } from '../unit/helpers/runner.js';
import { fetchFresh } from './helpers/deploy-env.js';
import { run } from './helpers/hand-script.js';
import { startLoad } from './helpers/load.js';
import { freePortRange } from './helpers/ports.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './helpers/sandbox.js';

if (!existsSync('/usr/bin/sudo')) throw new Error('this test needs sudo: apt-get install sudo');

const dir = mkdtempSync(join(tmpdir(), 'init-from-ssh-'));
chmodSync(dir, 0o755); // the sandbox's SSH user reads the nginx tree in here
const nginx = join(dir, 'nginx');
const conf = join(nginx, 'nginx.conf');
const nginxArgv = ['/usr/sbin/nginx', '-c', conf];
const project = `rbinit${randomBytes(3).toString('hex')}`;
const fixture = join(REPO_ROOT, 'test/fixtures/compose/docker-compose.yml');
const sudoers = `/etc/sudoers.d/runbook-init-${process.pid}`;
const docker = () => ['-H', sandboxPart('docker').host];
let appPort = 0;
let nginxPort = 0;
let compose: string[] = [];
let composeEnv: Record<string, string> = {};

/** The conf files of the tree and their bytes (nginx's pid file and logs aside): the survey must leave them. */
const confTree = (): Record<string, string> =>
  Object.fromEntries(
    execFileSync('find', [nginx, '-type', 'f', '-not', '-path', '*/logs/*', '-not', '-name', 'nginx.pid'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .sort()
      .map((f) => [f, readFileSync(f, 'utf8')]),
  );

/** The ids of the compose app's containers. */
const appContainers = (): string =>
  execFileSync(
    'docker',
    [...docker(), 'ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`],
    { encoding: 'utf8' },
  ).trim();

beforeAll(async () => {
  [appPort, nginxPort] = await freePortRange(2);
  for (const d of ['conf.d', 'sites-enabled', 'logs']) mkdirSync(join(nginx, d), { recursive: true, mode: 0o755 });
  mkdirSync(join(nginx, 'temp'), { mode: 0o777 });
  chmodSync(join(nginx, 'temp'), 0o777);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${nginx}/temp/${t};`);
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${nginx}/nginx.pid;
error_log ${nginx}/logs/error.log;
events { worker_connections 256; }
http {
    ${temp.join('\n    ')}
    access_log off;
    include ${nginx}/conf.d/*.conf;
    include sites-enabled/*;
}
`,
  );
  writeFileSync(
    join(nginx, 'conf.d/shop-upstream.conf'),
    `# Shop API: edited by hand (ops wiki, "deploys")
upstream shop_api {
    keepalive 16;
    server 127.0.0.1:${appPort} max_fails=3 fail_timeout=10s;  # docker-compose app
    server 127.0.0.1:9 backup;
}
`,
  );
  writeFileSync(join(nginx, 'conf.d/secrets.conf'), 'map $http_x_token $token_ok { default 0; }\n', { mode: 0o600 });
  writeFileSync(join(nginx, 'conf.d/disabled.conf.off'), 'upstream old { server 127.0.0.1:1; }\n');
  writeFileSync(
    join(nginx, 'sites-enabled/shop'),
    `server {
    listen 127.0.0.1:${nginxPort};
    server_name shop.example.test www.shop.example.test;
    location / {
        proxy_pass http://shop_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
    location /reports/ { proxy_pass http://reports/; }
}
upstream reports { server 10.0.0.9:8080; }
`,
  );
  // The deploy user may write the upstream file (as server-setup.md says), nothing else of the tree.
  execFileSync('chown', [sandboxSsh().user, join(nginx, 'conf.d/shop-upstream.conf')]);
  execFileSync(nginxArgv[0] as string, nginxArgv.slice(1));
  compose = ['docker-compose', '-p', project, '-f', fixture];
  composeEnv = { DOCKER_HOST: sandboxPart('docker').host, APP_VERSION: 'v1', APP_PORT: String(appPort) };
  if ((await run([...compose, 'up', '-d', '--no-deps', 'app'], composeEnv)) !== 0) {
    throw new Error('the compose app did not start');
  }
  for (let i = 0; i < 50 && (await fetchFresh(`http://127.0.0.1:${nginxPort}/version`).catch(() => '')) !== 'v1'; i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  rmSync(sudoers, { force: true });
  try {
    execFileSync(nginxArgv[0] as string, [...nginxArgv.slice(1), '-s', 'quit']);
  } catch {}
  if (compose.length > 0) await run([...compose, 'down'], composeEnv);
  // The deploy's own containers (labels io.runbook.app=<project>).
  const ids = execFileSync('docker', [...docker(), 'ps', '-aq', '--filter', `label=io.runbook.app=${project}`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) execFileSync('docker', [...docker(), 'rm', '-f', ...ids]);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** The sandbox's key and known_hosts, as every action takes them. */
const sshInputs = () => ({ 'ssh-private-key': sandboxSsh().privateKey, 'ssh-known-hosts': sandboxSsh().knownHosts });

/** Run init in-process against the hand-made server; the record of the run. */
async function init(inputs: Record<string, string>) {
  const ssh = sandboxSsh();
  const { runner, record } = memoryRunner(
    {
      'from-ssh': `${ssh.user}@127.0.0.1:${ssh.port}`,
      ...sshInputs(),
      'nginx-conf': conf,
      'docker-socket': sandboxPart('docker').socket,
      ...inputs,
    },
    { mode: 'cli', debug: true },
  );
  const ok = await runModule(initAction, { runner, signals: new EventEmitter() });
  return { ok, ...record };
}

/** The argv the survey ran, from its debug lines. */
const surveyed = (lines: readonly string[]): string[][] =>
  lines.flatMap((l) => {
    const m = /survey: (\[.*\])$/.exec(l);
    return m ? [JSON.parse(m[1] as string) as string[]] : [];
  });

/** The read commands a survey may run, by their first words. */
const READS = [
  'id -u',
  'id -Gn',
  'docker version',
  'docker ps',
  'docker inspect',
  'docker image inspect',
  'docker compose version',
  'docker-compose version',
  'cat --',
  'ls -1',
  'ss -ltnH',
  'pg_lsclusters --no-header',
];

describe('runbook init --from-ssh on a server set up by hand', () => {
  const path = join(dir, 'out', 'runbook.yml');

  it('proposes a config the loader accepts: the compose app, the upstream in front of it, a rolling take-over', async () => {
    const before = confTree();
    const app = appContainers();
    const r = await init({ path, environment: 'prod' });
    expect(r.failed, r.lines.join('\n')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.outputs.get('path')).toBe(path);
    const text = readFileSync(path, 'utf8');
    if (process.env.INIT_PROPOSAL_OUT) writeFileSync(process.env.INIT_PROPOSAL_OUT, text); // to show one
    const config = await loadConfig(path);
    const ssh = sandboxSsh();
    expect(config.app).toBe(project); // the compose project behind the upstream, among the engine's others
    expect(config.environments.prod?.url).toBe('http://shop.example.test');
    expect(config.environments.prod?.targets[0]).toMatchObject({
      kind: 'ssh',
      ssh: { host: '127.0.0.1', port: ssh.port, user: ssh.user },
      'docker-socket': sandboxPart('docker').socket,
    });
    expect(config.services?.app).toMatchObject({
      image: 'runbook-test-app',
      network: 'host',
      'port-env': 'PORT',
      health: { container: true },
    });
    const [lo, hi] = config.services?.app?.['host-ports'] ?? [0, 0];
    expect(lo).toBeGreaterThan(appPort);
    expect(hi - lo).toBe(9);
    expect(config.strategy).toMatchObject({
      type: 'rolling',
      // A compose app: its replicas are created from the compose file, which carries what the app needs.
      driver: 'compose',
      proxy: {
        nginx: {
          'upstream-file': join(nginx, 'conf.d/shop-upstream.conf'),
          upstream: 'shop_api',
          service: 'app',
          test: ['sudo', '-n', 'nginx', '-c', conf, '-t'],
          reload: ['sudo', '-n', 'nginx', '-c', conf, '-s', 'reload'],
          'pid-file': `${nginx}/nginx.pid`,
        },
      },
    });
    expect(config.compose).toMatchObject({
      directory: join(REPO_ROOT, 'test/fixtures/compose'),
      project,
      command: ['docker-compose'],
      'version-env': 'APP_VERSION',
    });
    // What it found, what it could not know, what it could not read.
    expect(text).toContain(`compose project ${project} in ${join(REPO_ROOT, 'test/fixtures/compose')}`);
    expect(text).toContain(
      `nginx upstream shop_api in ${join(nginx, 'conf.d/shop-upstream.conf')} serves 127.0.0.1:${appPort} (app)`,
    );
    expect(text).toMatch(/nginx upstream reports in .*sites-enabled\/shop \(10\.0\.0\.9:8080\): not in front of it/);
    expect(text).toContain(`cannot read ${join(nginx, 'conf.d/secrets.conf')}: Permission denied`);
    expect(text).toContain('Take-over: the first deploy starts the new replicas on host-ports beside the running');
    expect(text).not.toContain('upstream old');
    expect(text).toContain('# TODO: a sudoers rule that allows exactly these two commands (server-setup.md)');
    // Read only: only read commands ran, and nothing changed.
    const argv = surveyed(r.lines);
    expect(argv.length).toBeGreaterThan(8);
    for (const a of argv)
      expect(
        READS.some((w) => a.join(' ').startsWith(w)),
        JSON.stringify(a),
      ).toBe(true);
    expect(confTree()).toEqual(before);
    expect(appContainers()).toBe(app);
  });

  it('pre-deploy-check runs on the proposal as written: what still fails is what it marks TODO', async () => {
    const { runner, record } = memoryRunner({ config: path, environment: 'prod', ...sshInputs() });
    await runModule(preDeployCheckAction, { runner, signals: new EventEmitter() });
    const report = JSON.parse(record.outputs.get('report') ?? '{"checks":[]}') as {
      checks: { check: string; status: string; detail: string }[];
    };
    const status = Object.fromEntries(report.checks.map((c) => [c.check, c.status]));
    for (const check of [
      'config',
      'strategy',
      'reachable',
      'docker',
      'nginx pid',
      'socket forwarding',
      'compose replicas',
    ]) {
      expect(status[check], JSON.stringify(report.checks, null, 1)).toBe('pass');
    }
    expect(report.checks.find((c) => c.check === 'drift')?.detail).toMatch(
      new RegExp(`the upstream serves 127\\.0\\.0\\.1:${appPort}; the first deploy takes it over`),
    );
    // The TODOs: the state directory, the sudoers rule for nginx.
    expect(status).toMatchObject({ 'state dir': 'fail', 'nginx test': 'fail' });
  });

  it('with its TODOs filled in, the first deploy takes the compose app over under load: 0 failed', async () => {
    const filled = join(dir, 'filled.yml');
    mkdirSync(join(dir, 'state'), { mode: 0o777 });
    chmodSync(join(dir, 'state'), 0o777);
    const text = readFileSync(path, 'utf8')
      .replace(/ {4}# state-dir: .*/, `    state-dir: ${join(dir, 'state')}`)
      .replace(/\ndatabase:\n(?: {2}.*\n)+/, '\n') // a database, if the sandbox's host has a cluster up
      .replace('required-secrets: [DB_PASSWORD]', 'required-secrets: []');
    writeFileSync(filled, text);
    const rule = `${sandboxSsh().user} ALL=(root) NOPASSWD: ${[...nginxArgv, '-t'].join(' ')}, ${[...nginxArgv, '-s', 'reload'].join(' ')}\n`;
    writeFileSync(`${sudoers}.tmp`, rule, { mode: 0o440 });
    execFileSync('visudo', ['-c', '-q', '-f', `${sudoers}.tmp`]);
    execFileSync('mv', [`${sudoers}.tmp`, sudoers]);

    const load = startLoad(`http://127.0.0.1:${nginxPort}/version`, {
      workers: 4,
      ratePerSecond: 100,
      maxSeconds: 120,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const { runner, record } = memoryRunner({ config: filled, environment: 'prod', version: 'v2', ...sshInputs() });
    const ok = await runModule(deployAction, { runner, signals: new EventEmitter() });
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    expect(ok, `${record.failed.join('\n')}\n${record.lines.join('\n')}`).toBe(true);
    expect(record.lines.join('\n')).toMatch(/took the site over/);
    expect(result.failed, result.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(result.bodies.v1).toBeGreaterThan(0);
    expect(result.bodies.v2).toBeGreaterThan(0);
    expect(await fetchFresh(`http://127.0.0.1:${nginxPort}/version`)).toBe('v2');
    const upstream = readFileSync(join(nginx, 'conf.d/shop-upstream.conf'), 'utf8');
    expect(upstream).toContain('# Shop API: edited by hand');
    expect(upstream).toContain('    server 127.0.0.1:9 backup;\n');
    expect(upstream).not.toContain(`127.0.0.1:${appPort}`);
    // The compose app is left running out of traffic, as the proposal says.
    expect(await fetchFresh(`http://127.0.0.1:${appPort}/version`)).toBe('v1');
  }, 120_000);

  it('never overwrites the file without force', async () => {
    writeFileSync(path, 'app: mine\n');
    const r = await init({ path });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([`${path} already exists; keep it, or overwrite it with --force`]);
    expect(readFileSync(path, 'utf8')).toBe('app: mine\n');
    // Named: after the take-over above, no compose project is in front any more, and other projects may run here.
    const forced = await init({ path, force: 'true', environment: 'prod', 'compose-project': project });
    expect(forced.failed).toEqual([]);
    await expect(loadConfig(path)).resolves.toMatchObject({ app: project });
  });

  it('an unknown host key fails before authentication, and nothing is written', async () => {
    const other = join(dir, 'other-key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const line = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const file = join(dir, 'pinned.yml');
    const r = await init({ path: file, 'ssh-known-hosts': `[127.0.0.1]:${sandboxSsh().port} ${line}\n` });
    expect(r.ok).toBe(false);
    expect(r.failed[0]).toMatch(/host key/i);
    expect(existsSync(file)).toBe(false);
  });

  it('a compose project that does not run is named with the ones that do', async () => {
    const r = await init({ path: join(dir, 'none.yml'), 'compose-project': 'nosuchproject' });
    expect(r.ok).toBe(false);
    expect(r.failed[0]).toMatch(
      new RegExp(
        `^input "compose-project": no compose project nosuchproject runs on 127\\.0\\.0\\.1 \\(running: .*${project}`,
      ),
    );
  });
});
