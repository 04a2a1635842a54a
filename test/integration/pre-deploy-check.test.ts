import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { sandboxPart, sandboxSsh } from './helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'pre-deploy-check-'));
const ssh = sandboxSsh();
// The environment's state dir, writable by the sandbox's SSH user (pre-deploy-check probes it as deploy will write).
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'state'), { mode: 0o777 });
chmodSync(join(dir, 'state'), 0o777);

/** A config file; every environment gets the state dir above. */
function config(name: string, body: string): string {
  const path = join(dir, name);
  const withState = body.includes('state-dir:')
    ? body
    : body.replace(/^( {2}sandbox:\n)/m, `$1    state-dir: ${join(dir, 'state')}\n`);
  writeFileSync(path, withState);
  return path;
}

/** The sandbox sshd as web1, with the sandbox engine's socket (reached through the SSH connection, as deploy does). */
const target = (port = ssh.port) =>
  `{ name: web1, ssh: { host: 127.0.0.1, port: ${port}, user: ${ssh.user}, connect-timeout: 3s }, docker-socket: ${sandboxPart('docker').socket} }`;

const baseInputs = () => ({
  environment: 'sandbox',
  'ssh-private-key': ssh.privateKey,
  'ssh-known-hosts': ssh.knownHosts,
});

interface Report {
  passed: boolean;
  checks: { target: string; check: string; status: string; detail: string }[];
}

describe('pre-deploy-check, run as the Actions runner runs it', () => {
  // A TCP listener standing in for a host: it counts connections, so a test can prove none was opened.
  let connections = 0;
  const listener = createServer((s) => {
    connections++;
    s.destroy();
  });
  let listenerPort = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    listenerPort = (listener.address() as { port: number }).port;
  });
  afterAll(() => {
    listener.close();
  });

  it('passes on a healthy host: reachable with the pinned key, disk, secrets, outputs and summary', async () => {
    const path = config(
      'ok.yml',
      `app: shop
environments:
  sandbox:
    targets: [${target()}, { name: self, local: true }]
checks:
  min-free-disk: 1%
  disk-paths: [/, /tmp]
  docker: false
  compose: false
  required-secrets: [DB_PASSWORD]
`,
    );
    const r = await runStep('pre-deploy-check', {
      inputs: { ...baseInputs(), config: path },
      env: { DB_PASSWORD: 'pg-pass-123456' },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.passed).toBe('true');
    const report = JSON.parse(r.outputs.report ?? '{}') as Report;
    const statusOf = (t: string, c: string) => report.checks.find((x) => x.target === t && x.check === c)?.status;
    expect(statusOf('web1', 'reachable')).toBe('pass');
    expect(statusOf('self', 'reachable')).toBe('pass');
    expect(report.checks.filter((c) => c.target === 'web1' && c.check === 'disk')).toHaveLength(2);
    expect(statusOf('*', 'secret DB_PASSWORD')).toBe('pass');
    expect(r.summary).toContain('<td>web1</td><td>reachable</td><td>✅ pass</td>');
    expect(shown(r.stdout)).not.toContain('pg-pass-123456');
    expect(r.stdout).toContain('::add-mask::pg-pass-123456');
  });

  it('reports every failing check, fails the step, and names the first failure in one line', async () => {
    const path = config(
      'fail.yml',
      `app: shop
environments:
  sandbox:
    targets: [${target()}]
checks:
  min-free-disk: 100%
  docker: ">=24"
  compose: false
  required-secrets: [MISSING_SECRET]
`,
    );
    const r = await runStep('pre-deploy-check', { inputs: { ...baseInputs(), config: path } });
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    const report = JSON.parse(r.outputs.report ?? '{}') as Report;
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.check);
    expect(failed).toEqual(expect.arrayContaining(['secret MISSING_SECRET', 'disk', 'docker']));
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    // An annotation per failing check (the run's page lists them), then the step's failure in one line.
    expect(errors).toHaveLength(failed.length + 1);
    for (const check of ['secret MISSING_SECRET', 'disk', 'docker'])
      expect(errors.some((l) => l.includes(` ${check}: `))).toBe(true);
    expect(errors.at(-1)).toMatch(/^::error::pre-deploy check failed: .*\(and \d+ more\)$/);
  });

  it('fail-on: warning fails on a warning', async () => {
    const path = config(
      'warn.yml',
      `app: shop
environments:
  sandbox:
    targets: [{ name: self, local: true }]
checks: { min-free-disk: 1%, docker: false, compose: false }
`,
    );
    // Deploy windows that are always open make a pass; a disk minimum just under the free space makes a warning.
    const okRun = await runStep('pre-deploy-check', {
      inputs: { ...baseInputs(), config: path, 'fail-on': 'warning' },
    });
    expect(okRun.code, okRun.stdout).toBe(0);
    const free = (JSON.parse(okRun.outputs.report ?? '{}') as Report).checks.find((c) => c.check === 'disk')?.detail;
    const percent = Number(/\(([\d.]+)%\)/.exec(free ?? '')?.[1]);
    const tight = config(
      'tight.yml',
      `app: shop
environments:
  sandbox:
    targets: [{ name: self, local: true }]
checks: { min-free-disk: ${Math.max(1, Math.floor(percent / 1.2))}%, docker: false, compose: false }
`,
    );
    const warnRun = await runStep('pre-deploy-check', {
      inputs: { ...baseInputs(), config: tight, 'fail-on': 'warning' },
    });
    expect(warnRun.outputs.passed).toBe('false');
    expect(warnRun.code).toBe(1);
    const errorRun = await runStep('pre-deploy-check', {
      inputs: { ...baseInputs(), config: tight, 'fail-on': 'error' },
    });
    expect(errorRun.code).toBe(0);
  });

  it.each([
    ['no inputs', {}, /^::error::input "environment" is required/],
    ['environment "prod;id"', { environment: 'prod;id' }, /^::error::input "environment": "prod;id" is not valid/],
    [
      'an unknown config key',
      { config: 'unknown-key' },
      /^::error::.*unknown-key\.yml:6:\d+: .*unknown key "prot" \(did you mean "port"\?\)/, // line 5 + state-dir
    ],
    ['malformed YAML', { config: 'malformed' }, /^::error::.*malformed\.yml:\d+:\d+/],
    ['an unknown environment', { environment: 'prod' }, /^::error::unknown environment "prod"/],
  ])('%s: a clear one-line error and no connection opened', async (_name, inputs, message) => {
    config(
      'unknown-key.yml',
      `app: shop\nenvironments:\n  sandbox:\n    targets:\n    - { name: x, ssh: { host: 127.0.0.1, prot: ${listenerPort}, user: u } }\n`,
    );
    config('malformed.yml', `app: shop\nenvironments:\n  sandbox: [\n  targets: {\n`);
    const valid = config(
      'valid.yml',
      `app: shop\nenvironments:\n  sandbox:\n    targets: [{ name: x, ssh: { host: 127.0.0.1, port: ${listenerPort}, user: u } }]\n`,
    );
    const named = inputs as Record<string, string>;
    const withConfig = named.config
      ? { ...named, config: join(dir, `${named.config}.yml`) }
      : { config: valid, ...named };
    const before = connections;
    const r = await runStep('pre-deploy-check', {
      inputs: Object.keys(named).length === 0 ? {} : { ...baseInputs(), ...withConfig },
    });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(r.stdout).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(connections).toBe(before);
  });

  it('an unreachable target fails its reachable check within connect-timeout; the other targets are still checked', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const path = config(
      'unreachable.yml',
      `app: shop
environments:
  sandbox:
    targets: [${target(closed).replace('web1', 'gone')}, ${target()}]
checks: { min-free-disk: 1%, docker: false, compose: false }
`,
    );
    const r = await runStep('pre-deploy-check', { inputs: { ...baseInputs(), config: path } });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.outputs.report ?? '{}') as Report;
    const gone = report.checks.find((c) => c.target === 'gone' && c.check === 'reachable');
    expect(gone?.status).toBe('fail');
    expect(gone?.detail).toMatch(/refused/);
    expect(report.checks.find((c) => c.target === 'web1' && c.check === 'reachable')?.status).toBe('pass');
  });

  it('the private key never reaches the output, nor its base64 form, even when the run fails', async () => {
    const path = config(
      'leak.yml',
      `app: shop\nenvironments:\n  sandbox:\n    targets: [${target()}]\nchecks: { docker: ">=99" , compose: false }\n`,
    );
    const r = await runStep('pre-deploy-check', { inputs: { ...baseInputs(), config: path } });
    const keyBody = ssh.privateKey.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    expect(keyBody.length).toBeGreaterThan(2);
    for (const line of keyBody) expect(shown(r.stdout)).not.toContain(line);
    expect(shown(r.stdout)).not.toContain(Buffer.from(ssh.privateKey).toString('base64').slice(0, 40));
    expect(r.code).toBe(1);
  });

  it('docker and compose versions on a real engine: both compose commands recognised, constraints enforced', async () => {
    const docker = sandboxPart('docker');
    const path = config(
      'versions.yml',
      `app: shop
environments:
  sandbox:
    targets: [{ name: self, local: true, env: { DOCKER_HOST: "${docker.host}" }, docker-socket: ${docker.socket} }]
checks: { min-free-disk: 1%, docker: ">=20.10", compose: ">=1.29" }
`,
    );
    const ok = await runStep('pre-deploy-check', { inputs: { ...baseInputs(), config: path } });
    expect(ok.code, ok.stdout).toBe(0);
    const report = JSON.parse(ok.outputs.report ?? '{}') as Report;
    const detail = (check: string) => report.checks.find((c) => c.check === check)?.detail;
    expect(detail('docker')).toMatch(/^docker engine 20\.10\.\d+\S* \(>=20\.10\)$/);
    // No compose.command: `docker compose` (v2) is tried first, then `docker-compose` (v1) answers.
    expect(detail('compose')).toMatch(/^docker-compose 1\.29\.\d+ \(>=1\.29\)$/);

    const strict = config(
      'versions-strict.yml',
      readFileSync(path, 'utf8').replace('docker: ">=20.10", compose: ">=1.29"', 'docker: ">=24", compose: ">=2.20"'),
    );
    const bad = await runStep('pre-deploy-check', { inputs: { ...baseInputs(), config: strict } });
    expect(bad.code).toBe(1);
    const failed = (JSON.parse(bad.outputs.report ?? '{}') as Report).checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.detail)).toEqual([
      expect.stringMatching(/^docker engine 20\.10\.\d+\S* does not satisfy >=24$/),
      expect.stringMatching(/^docker-compose 1\.29\.\d+ does not satisfy >=2\.20$/),
    ]);
  });
});
