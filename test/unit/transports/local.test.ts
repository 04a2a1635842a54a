import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError } from '../../../src/core/errors.js';
import { childEnvironment, LocalTransport } from '../../../src/transports/local.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';

const node = process.execPath;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-transport-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalTransport.exec', () => {
  it('passes hostile arguments through exactly, with no shell', async () => {
    const marker = join(dir, 'MARKER');
    const hostile = [
      `it's "quoted"`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `&& touch ${marker}`,
      `| touch ${marker}`,
      'line1\nline2',
      '*',
      '-rf',
      '--help',
      'ünïcödé ✓ 日本',
      '',
      ' spaced  out ',
    ];
    const t = new LocalTransport('local', captureLogger());
    const result = await t.exec([
      node,
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      ...hostile,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it('does not hand INPUT_* or runner tokens to the child, but adds opts.env', async () => {
    const saved = { ...process.env };
    process.env.INPUT_SSH_PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----secret';
    process.env.input_lower = 'also-secret';
    process.env.GITHUB_TOKEN = 'ghs_secret';
    process.env.ACTIONS_RUNTIME_TOKEN = 'rt_secret';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'id_secret';
    process.env.KEEP_ME = 'kept';
    try {
      const t = new LocalTransport('local', captureLogger());
      const result = await t.exec([node, '-e', 'process.stdout.write(JSON.stringify(process.env))'], {
        env: { EXTRA: 'x y' },
      });
      const env = JSON.parse(result.stdout) as Record<string, string>;
      expect(Object.keys(env).filter((k) => k.toUpperCase().startsWith('INPUT_'))).toEqual([]);
      expect(env.GITHUB_TOKEN).toBeUndefined();
      expect(env.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
      expect(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBeUndefined();
      expect(result.stdout).not.toContain('secret');
      expect(env.KEEP_ME).toBe('kept');
      expect(env.EXTRA).toBe('x y');
      expect(childEnvironment().INPUT_SSH_PRIVATE_KEY).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  it('streams output to the logger unless quiet, and decodes multibyte characters split across chunks', async () => {
    const log = captureLogger();
    const t = new LocalTransport('box', log);
    // Write "é" as two separate chunks (0xC3, then 0xA9) with a pause between them.
    const script =
      'process.stdout.write(Buffer.from([0xc3]));setTimeout(()=>{process.stdout.write(Buffer.from([0xa9]));process.stderr.write("warn\\n")},50)';
    const result = await t.exec([node, '-e', script]);
    expect(result.stdout).toBe('é');
    expect(result.stderr).toBe('warn\n');
    expect(log.remoteText('stdout', 'box')).toBe('é');
    expect(log.remoteText('stderr', 'box')).toBe('warn\n');

    const quiet = captureLogger();
    const r2 = await new LocalTransport('box', quiet).exec([node, '-e', 'console.log("hidden")'], { quiet: true });
    expect(r2.stdout).toBe('hidden\n');
    expect(quiet.calls.filter((c) => c.kind === 'remote')).toEqual([]);
  });

  it('propagates exit codes, cwd and stdin', async () => {
    const t = new LocalTransport('local', captureLogger());
    expect((await t.exec([node, '-e', 'process.exit(7)'])).code).toBe(7);
    expect((await t.exec([node, '-e', 'process.stdout.write(process.cwd())'], { cwd: dir })).stdout).toBe(dir);
    const echo = 'process.stdin.pipe(process.stdout)';
    expect((await t.exec([node, '-e', echo], { stdin: 'from stdin\n' })).stdout).toBe('from stdin\n');
    expect((await t.exec([node, '-e', echo], { stdin: Readable.from(['a', 'b']) })).stdout).toBe('ab');
    // No stdin given: the child sees EOF at once instead of waiting forever.
    expect((await t.exec([node, '-e', echo], { timeoutMs: 5000 })).stdout).toBe('');
  });

  it('reports a missing cwd like a shell does (2), without running the command', async () => {
    const marker = join(dir, 'cwd-marker');
    const result = await new LocalTransport('local', captureLogger()).exec(
      [node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
      {
        cwd: join(dir, 'missing-dir'),
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing-dir: No such file or directory');
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a missing program like a shell does (127)', async () => {
    const result = await new LocalTransport('local', captureLogger()).exec(['/nonexistent/program-xyz']);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('ENOENT');
  });

  describe('kills', () => {
    const pids: number[] = [];
    afterEach(() => {
      for (const pid of pids.splice(0)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    });
    // Running, and not a zombie (in a container, PID 1 may never reap orphans).
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^\d+ \(.*\) Z/s.test(stat);
    };
    // The child prints its pid, then a grandchild's, then sleeps: the whole process group must die.
    const sleeper = `const {spawn}=require('child_process');const g=spawn(process.execPath,['-e','setTimeout(()=>{},60000)'],{stdio:'ignore'});console.log(process.pid+' '+g.pid);setTimeout(()=>{},60000)`;

    it('on timeout: rejects with TimeoutError naming the program and kills the process group', async () => {
      const log = captureLogger();
      const t = new LocalTransport('local', log);
      const err = await t.exec([node, '-e', sleeper], { timeoutMs: 800 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toContain(`\`${node}\` did not finish within 800ms`);
      const [child, grandchild] = log.remoteText('stdout').trim().split(' ').map(Number);
      pids.push(child ?? 0, grandchild ?? 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(alive(child ?? 0)).toBe(false);
      expect(alive(grandchild ?? 0)).toBe(false);
    });

    it('on abort: rejects with CancelledError and kills the command', async () => {
      const log = captureLogger();
      const controller = new AbortController();
      const pending = new LocalTransport('local', log).exec([node, '-e', sleeper], { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 400));
      controller.abort();
      const err = await pending.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CancelledError);
      const [child, grandchild] = log.remoteText('stdout').trim().split(' ').map(Number);
      pids.push(child ?? 0, grandchild ?? 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(alive(child ?? 0)).toBe(false);
      expect(alive(grandchild ?? 0)).toBe(false);
    });

    it('an already-aborted signal cancels without leaving a process', async () => {
      const err = await new LocalTransport('local', captureLogger())
        .exec([node, '-e', 'setTimeout(()=>{},60000)'], { signal: AbortSignal.abort() })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CancelledError);
    });
  });
});

describe('LocalTransport upload/download', () => {
  it('round-trips bytes atomically with the requested mode', async () => {
    const t = new LocalTransport('local', captureLogger());
    const target = join(dir, 'uploaded.bin');
    const bytes = randomBytes(300_000);
    await t.upload(target, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { mode: 0o640 });
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await t.download(target)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a failing source leaves the old file untouched and no temp file', async () => {
    const t = new LocalTransport('local', captureLogger());
    const target = join(dir, 'keep.txt');
    await t.upload(target, Readable.from(['old']));
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('source broke'));
      },
    });
    await expect(t.upload(target, failing)).rejects.toThrow(/could not upload to .*source broke/);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('download of a missing file rejects with a clear error', async () => {
    await expect(new LocalTransport('local', captureLogger()).download(join(dir, 'nope'))).rejects.toThrow(
      /could not read .*nope/,
    );
  });
});
