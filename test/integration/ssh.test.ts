/**
 * SshTransport against the sandbox sshd (bash test/sandbox/up.sh): arguments arrive as literal bytes, exec
 * semantics (env, cwd, exit codes, stdin, streaming, timeout, cancel), SFTP, and many commands on one connection.
 * Connection-level behaviour (host keys, auth, timeouts, jump host, drops) is in ssh-connect.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ConnectionError, TimeoutError, UserError } from '../../src/core/errors.js';
import type { SshTransport } from '../../src/transports/ssh.js';
import type { CapturedLogger } from './helpers/capture-logger.js';
import { connectSandbox, eventually, sandboxHost } from './helpers/ssh.js';

let ssh: SshTransport;
let log: CapturedLogger;
let home: string;

beforeAll(async () => {
  home = sandboxHost().home;
  ({ transport: ssh, logger: log } = await connectSandbox());
});
afterAll(async () => {
  await ssh?.close();
});

/** Run `printf '%s\0' args…` remotely and split the output back into the arguments it received. */
async function echoArgs(args: string[]): Promise<string[]> {
  const result = await ssh.exec(['printf', '%s\\0', ...args], { quiet: true });
  expect(result.code).toBe(0);
  expect(result.stdout.endsWith('\0')).toBe(true);
  return result.stdout.slice(0, -1).split('\0');
}

describe('hostile arguments arrive exactly', () => {
  const marker = `/tmp/runbook-ssh-marker-${randomBytes(6).toString('hex')}`;

  it('quotes, substitutions, separators, globs, newlines, leading dashes and unicode', async () => {
    const hostile = [
      "single ' quote",
      'double " quote',
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `&& touch ${marker}`,
      `|| touch ${marker}`,
      `| touch ${marker}`,
      `\ntouch ${marker}\n`,
      `$HOME \${HOME} $((1+1)) ~ ~root`,
      '*',
      '/*',
      '-n',
      '--help',
      '-oProxyCommand=touch /tmp/x',
      'ünïcödé ✓ 日本語 🚀',
      "'",
      '\\',
      '\t tab and \r carriage return',
      '',
      '>',
      '< /etc/passwd',
      '# not a comment',
      '!history',
    ];
    expect(await echoArgs(hostile)).toEqual(hostile);
    const check = await ssh.exec(['test', '-e', marker]);
    expect(check.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('random strings (100 runs over one connection)', async () => {
    const arg = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\0', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { minLength: 1, maxLength: 8 }), async (args) => {
        expect(await echoArgs(args)).toEqual(args);
      }),
      { numRuns: 100 },
    );
    // Everything above went over the single connection opened in beforeAll.
    expect(log.messages('debug').filter((m) => m.includes('TCP connected to'))).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('exec', () => {
  it('applies env and cwd', async () => {
    const env = { FOO: `it's $(not) "expanded"`, EMPTY: '', MULTI: 'a\nb' };
    const result = await ssh.exec(['sh', '-c', 'printf "%s|%s|%s|%s" "$FOO" "$EMPTY" "$MULTI" "$(pwd)"'], {
      env,
      cwd: '/tmp',
      quiet: true,
    });
    expect(result).toEqual({ code: 0, stdout: `${env.FOO}||a\nb|/tmp`, stderr: '' });
  });

  it('a missing cwd fails the command without running it', async () => {
    const result = await ssh.exec(['touch', `/tmp/should-not-exist-${randomBytes(4).toString('hex')}`], {
      cwd: '/nonexistent/dir',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/can't cd|No such file/);
  });

  it('propagates exit codes and signals', async () => {
    expect((await ssh.exec(['sh', '-c', 'exit 42'])).code).toBe(42);
    expect((await ssh.exec(['true'])).code).toBe(0);
    expect((await ssh.exec(['no-such-program-xyz'])).code).toBe(127);
    const killed = await ssh.exec(['sh', '-c', 'kill -TERM $$']);
    expect(killed.code).toBe(-1);
    expect(killed.signal).toBe('SIGTERM');
  });

  it('delivers stdin (string, Buffer, stream) and sends EOF when none is given', async () => {
    expect((await ssh.exec(['cat'], { stdin: 'line 1\nline 2\n', quiet: true })).stdout).toBe('line 1\nline 2\n');
    const bytes = randomBytes(200_000);
    const b64 = await ssh.exec(['base64', '-w0'], { stdin: bytes, quiet: true });
    expect(Buffer.from(b64.stdout, 'base64').equals(bytes)).toBe(true);
    expect((await ssh.exec(['cat'], { stdin: Readable.from(['a', 'b', 'c']), quiet: true })).stdout).toBe('abc');
    expect((await ssh.exec(['cat'], { timeoutMs: 10_000 })).stdout).toBe('');
  });

  it('streams stdout/stderr to the logger as they arrive, decoding multibyte characters across chunks', async () => {
    const before = log.calls.length;
    const result = await ssh.exec(['sh', '-c', 'yes é | head -n 100000; echo oops >&2']);
    const expected = 'é\n'.repeat(100_000);
    expect(result.stdout).toBe(expected);
    expect(result.stderr).toBe('oops\n');
    const streamed = log.calls.slice(before).filter((c) => c.kind === 'remote');
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed.every((c) => c.kind === 'remote' && c.source === 'sandbox')).toBe(true);
    const text = (s: string) => streamed.map((c) => (c.kind === 'remote' && c.stream === s ? c.message : '')).join('');
    expect(text('stdout')).toBe(expected);
    expect(text('stderr')).toBe('oops\n');
  });

  it('quiet collects output without logging it', async () => {
    const before = log.calls.length;
    expect((await ssh.exec(['echo', 'secret-ish'], { quiet: true })).stdout).toBe('secret-ish\n');
    expect(log.calls.slice(before).filter((c) => c.kind === 'remote')).toEqual([]);
  });

  it('timeoutMs kills the remote command and rejects with TimeoutError; the connection stays usable', async () => {
    const err = await ssh.exec(['sleep', '37.25'], { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe('`sleep` did not finish within 1s (timeout) and was killed');
    const gone = await eventually(async () => (await ssh.exec(['pgrep', '-f', 'sleep 37[.]25'])).code === 1);
    expect(gone).toBe(true);
    expect((await ssh.exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('an aborted signal kills the remote command and rejects with CancelledError', async () => {
    const controller = new AbortController();
    const pending = ssh.exec(['sleep', '38.25'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toContain('`sleep` was cancelled');
    const gone = await eventually(async () => (await ssh.exec(['pgrep', '-f', 'sleep 38[.]25'])).code === 1);
    expect(gone).toBe(true);
    const already = await ssh.exec(['touch', '/tmp/never'], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(already).toBeInstanceOf(CancelledError);
  });

  it('runs 30 commands at once on one connection (channels limited below MaxSessions)', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => ssh.exec(['sh', '-c', `sleep 0.3; echo job-${i}`], { quiet: true })),
    );
    expect(results.map((r) => r.code)).toEqual(Array(30).fill(0));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 30 }, (_, i) => `job-${i}\n`));
  });

  it('refuses argv that the quoting boundary refuses', async () => {
    await expect(ssh.exec([])).rejects.toThrow(/empty command/);
    await expect(ssh.exec(['echo', 'a\0b'])).rejects.toThrow(/NUL/);
    await expect(ssh.exec(['-oProxyCommand=x'])).rejects.toThrow(/starts with "-"/);
  });
});

describe('SFTP', () => {
  const dir = () => `${home}/sftp-test-${randomBytes(4).toString('hex')}`;

  it('upload then download round-trips bytes, with the mode, and leaves no temp file', async () => {
    const base = dir();
    expect((await ssh.exec(['mkdir', base])).code).toBe(0);
    const path = `${base}/payload.bin`;
    const bytes = randomBytes(1_500_000);
    await ssh.upload(path, Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]), { mode: 0o640 });
    expect((await ssh.exec(['stat', '-c', '%a %s', path])).stdout).toBe(`640 ${bytes.length}\n`);
    const chunks: Buffer[] = [];
    for await (const chunk of await ssh.download(path)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect((await ssh.exec(['ls', '-A', base])).stdout).toBe('payload.bin\n');

    // Replacing an existing file goes through the temp file and rename too.
    await ssh.upload(path, Readable.from(['v2']));
    expect((await ssh.exec(['cat', path])).stdout).toBe('v2');
    expect((await ssh.exec(['stat', '-c', '%a', path])).stdout).toBe('600\n');
    expect((await ssh.exec(['ls', '-A', base])).stdout).toBe('payload.bin\n');
    await ssh.exec(['rm', '-r', base]);
  });

  it('a failed upload leaves the old file byte-identical and removes the temp file', async () => {
    const base = dir();
    await ssh.exec(['mkdir', base]);
    const path = `${base}/live.conf`;
    await ssh.upload(path, Readable.from(['old content']));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(100_000, 1));
        this.destroy(new Error('source broke'));
      },
    });
    const err = await ssh.upload(path, failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/could not upload to .*live\.conf: source broke/);
    expect((await ssh.exec(['cat', path])).stdout).toBe('old content');
    expect((await ssh.exec(['ls', '-A', base])).stdout).toBe('live.conf\n');
    await ssh.exec(['rm', '-r', base]);
  });

  it('download of a missing file rejects clearly', async () => {
    await expect(ssh.download(`${home}/does-not-exist`)).rejects.toThrow(
      /could not read .*does-not-exist: No such file/,
    );
  });
});

describe('close', () => {
  it('is idempotent and later calls fail with ConnectionError', async () => {
    const { transport } = await connectSandbox();
    expect((await transport.exec(['true'])).code).toBe(0);
    await Promise.all([transport.close(), transport.close()]);
    await transport.close();
    await expect(transport.exec(['true'])).rejects.toBeInstanceOf(ConnectionError);
  });
});
