/**
 * The canary's access log: the runbook_canary format parsed line by line (retries `a, b`, internal redirects
 * `a : b`, `-` for no answer), foreign lines counted, and the readers over a real local transport on temp files
 * (only the bytes since an offset, whole lines only, a rotated or missing log), plus the pre-deploy check.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACCESS_LOG_FORMAT,
  accessLogDirective,
  accessLogSize,
  parseAccessLine,
  parseAccessLog,
  readAccessLogSince,
} from '../../../src/canary/access-log.js';
import { checkAccessLog } from '../../../src/checks/canary-log.js';
import { tailFromArgv } from '../../../src/commands/files.js';
import { silentLogger } from '../../../src/core/logger.js';
import { LocalTransport } from '../../../src/transports/local.js';

const line = (addr: string, status: string, time: string, req = '0.250', code = '200', msec = '1767268800.123') =>
  `runbook1 ${msec} ${code} ${req} "${addr}" "${status}" "${time}"`;

describe('the runbook_canary format', () => {
  it('is a log_format directive with the version prefix, and an access_log line for a path', () => {
    expect(ACCESS_LOG_FORMAT).toBe(
      `log_format runbook_canary 'runbook1 $msec $status $request_time "$upstream_addr" "$upstream_status" "$upstream_response_time"';`,
    );
    expect(accessLogDirective('/var/log/nginx/shop.log')).toBe('access_log /var/log/nginx/shop.log runbook_canary;');
  });

  it('one attempt: time in ms, the upstream status and time', () => {
    expect(parseAccessLine(line('10.0.0.5:8080', '200', '0.012', '0.013'))).toEqual({
      atMs: 1767268800123,
      status: 200,
      seconds: 0.013,
      attempts: [{ address: '10.0.0.5:8080', status: 200, seconds: 0.012, error: false }],
    });
  });

  it('a retry `a, b`: a failed (502 after its own 3 s), b answered', () => {
    const e = parseAccessLine(line('10.0.0.5:8080, 10.0.0.6:8080', '502, 200', '3.001, 0.020', '3.021'));
    expect(e?.attempts).toEqual([
      { address: '10.0.0.5:8080', status: 502, seconds: 3.001, error: true },
      { address: '10.0.0.6:8080', status: 200, seconds: 0.02, error: false },
    ]);
  });

  it('an internal redirect `a : b` is two attempts; unix sockets and IPv6 keep their colons', () => {
    const e = parseAccessLine(line('unix:/run/app.sock : [::1]:8080', '404 : 200', '0.001 : 0.002'));
    expect(e?.attempts.map((a) => [a.address, a.status])).toEqual([
      ['unix:/run/app.sock', 404],
      ['[::1]:8080', 200],
    ]);
  });

  it('no upstream answer (`-` status, `-` time): an error at the request time, never dropped', () => {
    const e = parseAccessLine(line('10.0.0.5:8080', '-', '-', '60.000', '504'));
    expect(e?.attempts).toEqual([{ address: '10.0.0.5:8080', status: undefined, seconds: 60, error: true }]);
  });

  it('a 503 from the upstream is an error, a 404 is not', () => {
    expect(parseAccessLine(line('a:1', '503', '0.1'))?.attempts[0]?.error).toBe(true);
    expect(parseAccessLine(line('a:1', '404', '0.1'))?.attempts[0]?.error).toBe(false);
  });

  it('a request nginx answered itself (`-` address) has no attempts', () => {
    expect(parseAccessLine(line('-', '-', '-', '0.000', '301'))?.attempts).toEqual([]);
  });

  it.each([
    ['the combined format', '127.0.0.1 - - [01/Jan/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"'],
    ['another version of the format', 'runbook2 1767268800.123 200 0.1 "a:1" "200" "0.1"'],
    ['a line cut short', 'runbook1 1767268800.123 200 0.1 "a:1" "200'],
    ['lists of different lengths', line('a:1, b:2', '502', '0.1, 0.2')],
    ['a status that is not a code', line('a:1', 'xyz', '0.1')],
    ['an empty line', ''],
  ])('%s is not in the format', (_what, text) => {
    expect(parseAccessLine(text)).toBeUndefined();
  });

  it('a log: entries, foreign lines counted with the first one kept, empty lines and CR skipped', () => {
    const foreign = '127.0.0.1 - - [01/Jan/2026] "GET /" 200';
    const text = `${line('a:1', '200', '0.1')}\r\n${foreign}\n\n${line('b:2', '500', '0.2')}\nnoise\n`;
    const parsed = parseAccessLog(text);
    expect(parsed.entries.map((e) => e.attempts[0]?.address)).toEqual(['a:1', 'b:2']);
    expect(parsed.foreign).toBe(2);
    expect(parsed.firstForeign).toBe(foreign);
    expect(parseAccessLog('')).toEqual({ entries: [], foreign: 0 });
  });
});

describe('reading the log on a target (local transport, temp files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-log-'));
  const t = new LocalTransport('self', silentLogger);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tail -c +N reads from a 0-based byte offset, after --', () => {
    expect(tailFromArgv('/var/log/x.log', 0)).toEqual(['tail', '-c', '+1', '--', '/var/log/x.log']);
    expect(tailFromArgv('-x', 120)).toEqual(['tail', '-c', '+121', '--', '-x']);
  });

  it('size: bytes, or undefined for a missing file', async () => {
    const path = join(dir, 'size.log');
    writeFileSync(path, 'abc\n');
    expect(await accessLogSize(t, path)).toBe(4);
    expect(await accessLogSize(t, join(dir, 'missing.log'))).toBeUndefined();
  });

  it('only the bytes since the offset; a line still being written waits for the next read', async () => {
    const path = join(dir, 'grow.log');
    const a = `${line('a:1', '200', '0.1')}\n`;
    writeFileSync(path, a);
    const first = await readAccessLogSince(t, path, 0);
    expect(first).toEqual({ text: a, size: a.length, rotated: false });
    const b = `${line('b:2', '502', '0.2')}\n`;
    appendFileSync(path, `${b}runbook1 1767268800.9`);
    const second = await readAccessLogSince(t, path, first.size);
    expect(second).toEqual({ text: b, size: a.length + b.length, rotated: false });
    appendFileSync(path, ' 200 0.1 "c:3" "200" "0.1"\n');
    const third = await readAccessLogSince(t, path, second.size);
    expect(parseAccessLog(third.text).entries.map((e) => e.attempts[0]?.address)).toEqual(['c:3']);
    expect(await readAccessLogSince(t, path, third.size)).toEqual({ text: '', size: third.size, rotated: false });
  });

  it('a rotated log (shorter than the offset) is read from its start, and says so', async () => {
    const path = join(dir, 'rotate.log');
    writeFileSync(path, `${line('a:1', '200', '0.1')}\n${line('a:1', '200', '0.1')}\n`);
    const before = await readAccessLogSince(t, path, 0);
    const fresh = `${line('b:2', '200', '0.1')}\n`;
    writeFileSync(path, fresh);
    expect(await readAccessLogSince(t, path, before.size)).toEqual({ text: fresh, size: fresh.length, rotated: true });
  });

  it('a missing log reads as empty (rotated when something had been read)', async () => {
    const path = join(dir, 'gone.log');
    expect(await readAccessLogSince(t, path, 0)).toEqual({ text: '', size: 0, rotated: false });
    expect(await readAccessLogSince(t, path, 500)).toEqual({ text: '', size: 0, rotated: true });
  });
});

describe('pre-deploy check of the access log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-check-'));
  const t = new LocalTransport('web1', silentLogger);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = (n: number) => Array.from({ length: n }, () => line('10.0.0.5:8080', '200', '0.01')).join('\n');
  const combined = '10.0.0.9 - - [01/Jan/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"';

  it('missing: fails naming the path and the exact lines to add', async () => {
    const path = join(dir, 'none.log');
    const r = await checkAccessLog(t, path);
    expect(r).toMatchObject({ target: 'web1', check: 'canary access log', status: 'fail' });
    expect(r.detail).toContain(`no access log at ${path}`);
    expect(r.detail).toContain(ACCESS_LOG_FORMAT);
    expect(r.detail).toContain(`access_log ${path} runbook_canary;`);
  });

  it('empty: a warning, nothing proves the format yet', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const r = await checkAccessLog(t, path);
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('nothing proves');
  });

  it('in the format: passes', async () => {
    const path = join(dir, 'good.log');
    writeFileSync(path, `${good(80)}\n`);
    expect(await checkAccessLog(t, path)).toMatchObject({
      status: 'pass',
      detail: `${path}: the last 50 lines are in the runbook_canary format`,
    });
  });

  it('the combined format: fails naming the first foreign line and the lines to add', async () => {
    const path = join(dir, 'combined.log');
    writeFileSync(path, `${combined}\n${combined}\n`);
    const r = await checkAccessLog(t, path);
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      `2 of the last 2 lines of ${path} are not in the runbook_canary format (first: ${combined})`,
    );
    expect(r.detail).toContain(`access_log ${path} runbook_canary;`);
  });

  it('old lines before the format was set, the newest in it: a warning', async () => {
    const path = join(dir, 'switched.log');
    writeFileSync(path, `${combined}\n${good(3)}\n`);
    const r = await checkAccessLog(t, path);
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('1 of the last 4 lines');
  });

  it('a big log: only its end is read, the line cut by the read is not counted as foreign', async () => {
    const path = join(dir, 'big.log');
    writeFileSync(path, `${good(2000)}\n`);
    expect((await checkAccessLog(t, path)).status).toBe('pass');
  });

  it('not readable (a directory here): fails saying so', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    const r = await checkAccessLog(t, path);
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(`${path} is not readable by the deploy user`);
  });
});
