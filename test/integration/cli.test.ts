import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Run dist/cli.js with `args`, stdout and stderr apart; `closeStdout` closes the reader's end before it writes. */
function split(
  args: string[],
  opts: { closeStdout?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
    });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A shell pipeline from the repository root (the CLI as a user pipes it); `set -o pipefail` keeps its exit code. */
function pipeline(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CLI: join(REPO_ROOT, 'dist/cli.js'), NODE: process.execPath },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const check = ['pre-deploy-check', '--config', config, '--env', 'sandbox', ...keyInputs];
const status = ['status', '--config', config, '--env', 'sandbox', ...keyInputs];

describe('runbook CLI', () => {
  it('runs pre-deploy-check with the same input names: the report on stdout, the log on stderr, exit 0', async () => {
    const r = await split(check);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}web1 reachable +runbook-sandbox@127\.0\.0\.1:\d+, host key pinned$/m);
    expect(r.stdout).toMatch(/^pre-deploy check passed: \d+ passed, \d+ warnings\n$/m);
    // Progress (the group and what it holds) is log.
    expect(r.stderr).toMatch(/^▶ Checking 1 targets$/m);
    expect(r.stdout).not.toMatch(/▶|◀|^warning: /m);
    expect(r.stdout + r.stderr).not.toMatch(/::(group|error|warning)::/);
  });

  it('--json prints exactly one JSON document on stdout, JSON outputs embedded once, the log on stderr', async () => {
    const r = await split([...check, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; ok: boolean; outputs: Record<string, unknown> };
    expect(doc).toMatchObject({ command: 'pre-deploy-check', ok: true });
    expect(doc.outputs.passed).toBe(true);
    expect(doc.outputs.report).toMatchObject({ environment: 'sandbox', passed: true });
    expect(r.stderr).toMatch(/^PASS {2}web1 reachable/m);
    // Piped into a JSON reader, as a user would.
    const piped = pipeline(
      `"$NODE" "$CLI" ${status.map((a) => `'${a}'`).join(' ')} --json 2>/dev/null | "$NODE" -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(d.command, d.ok, typeof d.outputs.journal)'`,
    );
    expect(piped).toMatchObject({ status: 0, stdout: 'status true object\n' });
  });

  it('status: the lock and the journal on stdout, exit 0', async () => {
    const r = await split(status);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lock: free \(shop\/sandbox\)$/m);
    expect(r.stdout).toMatch(/^releases \(0, newest last\):$/m);
  });

  it('a reader of stdout that leaves early: no stack trace, no EPIPE, the exit code of the run', async () => {
    for (const args of [status, [...check, '--json'], ['--help'], ['deploy', '--help']]) {
      const r = await split(args, { closeStdout: true });
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|Error|\bat .*:\d+:\d+/);
      expect(r.code, args.join(' ')).toBe(0);
    }
    const head = pipeline(`"$NODE" "$CLI" ${status.map((a) => `'${a}'`).join(' ')} | head -1`);
    expect(head.stdout).toMatch(/^lock: free/);
    expect(head.stderr).not.toMatch(/EPIPE|Error|\bat .*:\d+:\d+/);
    expect(head.status).toBe(0);
  });

  it('--help of every command and --version: stdout, exit 0', async () => {
    const list = await split(['--help']);
    expect(list.code).toBe(0);
    const names = [...list.stdout.matchAll(/^ {2}(\S+(?: list| verify| restore)?) {2,}/gm)].map((m) => m[1] ?? '');
    expect(names).toContain('backup list');
    expect(names.length).toBeGreaterThanOrEqual(13);
    for (const name of names) {
      const r = await split([...name.split(' '), '--help']);
      expect(r, name).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^usage: runbook ${name} `));
      expect(r.stdout).toContain('--env <name>');
    }
    const version = await split(['--version']);
    expect(version).toEqual({
      code: 0,
      stdout: `${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`,
      stderr: '',
    });
  });

  it.each([
    [['pre-deploy-check', '--config', config, '--env', 'prod;id'], /input "environment": "prod;id" is not valid/],
    [
      ['pre-deploy-check', '--config', config, '--env', 'sandbox', '--input', 'nope=1'],
      /unknown input "nope"; this command accepts: config, environment/,
    ],
    [['pre-deploy-check', '--config', config, '--env', 'sandbox', '--dry-run=yes'], /dry-run/],
    [['pre-deploy-check', '--config', config, '--env', 'sandbox', '--bogus'], /Unknown option '--bogus'/],
    [['deploy-everything'], /unknown command "deploy-everything"/],
    [['deploy', '--config', config, '--env', 'sandbox'], /input "version" is required/],
    [[], /^usage: runbook <command>/],
  ])('%j is a usage error: exit 2, says why on stderr, nothing on stdout', async (args, message) => {
    const r = await split(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a failure is exit 1, the reason on stderr; with --json the document says so', async () => {
    const args = ['pre-deploy-check', '--config', config, '--env', 'sandbox'];
    const r = await split(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the input "ssh-private-key" is required/);
    const j = await split([...args, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/ssh-private-key/) });
  });

  it('the private key is never written to disk: after success, failure and cancel no file holds it', async () => {
    // The first line of the body is the format's header ("openssh-key-v1", no cipher, the key type): the same in every
    // unencrypted key of this type, so it would find other keys on the machine. The lines after it hold this key.
    const keyLines = ssh.privateKey
      .split('\n')
      .filter((l) => l.length > 20 && !l.startsWith('-----'))
      .slice(1);
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
