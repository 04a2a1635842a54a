import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './helpers/sandbox.js';

const ssh = sandboxSsh();
const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const config = join(dir, 'runbook.yml');
// The state dir is written by the sandbox's SSH user (pre-deploy-check probes it), with the sandbox engine's socket.
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'state'), { mode: 0o777 });
chmodSync(join(dir, 'state'), 0o777);
writeFileSync(
  config,
  `app: shop
environments:
  sandbox:
    state-dir: ${join(dir, 'state')}
    targets: [{ name: web1, ssh: { host: 127.0.0.1, port: ${ssh.port}, user: ${ssh.user} }, docker-socket: ${sandboxPart('docker').socket} }]
checks: { min-free-disk: 1%, docker: false, compose: false }
`,
);

const cli = (args: string[]) => runCli(args, {}, dir);

const keyInputs = [
  '--input',
  `ssh-private-key=@${ssh.privateKeyPath}`,
  '--input',
  `ssh-known-hosts=@${ssh.knownHostsPath}`,
];

describe('runbook CLI', () => {
  it('runs pre-deploy-check with the same input names and exits 0', async () => {
    const r = await cli(['pre-deploy-check', '--config', config, '--env', 'sandbox', ...keyInputs]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^PASS {2}web1 reachable +runbook-sandbox@127\.0\.0\.1:\d+, host key pinned$/m);
    expect(r.out).toContain('pre-deploy check passed');
    expect(r.out).not.toMatch(/::(group|error|warning)::/);
  });

  it('--json prints the outputs as one JSON object', async () => {
    const r = await cli(['pre-deploy-check', '--config', config, '--env', 'sandbox', '--json', ...keyInputs]);
    const last = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as { passed: string; report: string };
    expect(last.passed).toBe('true');
    expect(JSON.parse(last.report).environment).toBe('sandbox');
  });

  it.each([
    [['pre-deploy-check', '--config', config, '--env', 'prod;id'], /input "environment": "prod;id" is not valid/],
    [
      ['pre-deploy-check', '--config', config, '--env', 'sandbox', '--input', 'nope=1'],
      /unknown input "nope"; this command accepts: config, environment/,
    ],
    [['pre-deploy-check', '--config', config, '--env', 'sandbox', '--dry-run=yes'], /dry-run/],
    [['deploy-everything'], /unknown command "deploy-everything"/],
    [['pre-deploy-check', '--config', config, '--env', 'sandbox'], /the input "ssh-private-key" is required/],
  ])('%j fails with exit 1 and says why', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(message);
  });

  it('the private key is never written to disk: after success, failure and cancel no file holds it', async () => {
    const keyLines = ssh.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    const inputs = {
      config,
      environment: 'sandbox',
      'ssh-private-key': ssh.privateKey,
      'ssh-known-hosts': ssh.knownHosts,
    };
    await runStep('pre-deploy-check', { inputs });
    await runStep('pre-deploy-check', { inputs: { ...inputs, 'ssh-known-hosts': '' } });
    await runStep('pre-deploy-check', { inputs, onSpawn: (c) => setTimeout(() => c.kill('SIGINT'), 50) });
    await cli(['pre-deploy-check', '--config', config, '--env', 'sandbox', ...keyInputs]);
    // One pass over the places a runner or CLI could write (temp, home, the checkout); grep exits 1 on no match.
    const patterns = keyLines.flatMap((l) => ['-e', l]);
    const skip = ['node_modules', '.sandbox', '.git', '.npm', '.cache', '.pyenv', '.rustup', '.cargo', '.m2'];
    const r = spawnSync(
      'grep',
      ['-rlFs', ...skip.map((d) => `--exclude-dir=${d}`), ...patterns, '--', tmpdir(), homedir(), REPO_ROOT],
      { encoding: 'utf8' },
    );
    expect(keyLines.length).toBeGreaterThan(2);
    // 1: no match. 2: a file vanished or was unreadable mid-scan (other tests' temp files come and go) — fine as
    // long as nothing matched; 0 would mean a file holds the key.
    expect(r.stdout).toBe('');
    expect(r.error).toBeUndefined();
    expect([1, 2]).toContain(r.status);
  });
});
