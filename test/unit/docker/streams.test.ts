import { describe, expect, it } from 'vitest';
import {
  Demuxer,
  formatPullProgress,
  LineSplitter,
  PullTracker,
  parsePullLine,
  pullLineError,
} from '../../../src/docker/streams.js';

/** One multiplexed frame: [stream, 0, 0, 0, size BE] + payload. */
function frame(stream: 0 | 1 | 2, payload: string | Buffer): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** Cut a buffer at the given offsets. */
function cut(buf: Buffer, offsets: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (const o of [...offsets, buf.length]) {
    parts.push(buf.subarray(start, o));
    start = o;
  }
  return parts;
}

describe('Demuxer', () => {
  const stream = Buffer.concat([
    frame(1, 'hello '),
    frame(2, 'oops\n'),
    frame(1, 'world\n'),
    frame(1, ''),
    frame(2, 'ünïcödé ✓\n'),
  ]);

  it('splits stdout and stderr and keeps their interleaving in combined', () => {
    const d = new Demuxer();
    d.push(stream);
    expect(d.text('stdout')).toBe('hello world\n');
    expect(d.text('stderr')).toBe('oops\nünïcödé ✓\n');
    expect(d.text('combined')).toBe('hello oops\nworld\nünïcödé ✓\n');
    expect(d.leftover).toBe(0);
    expect(d.truncated).toBe(false);
  });

  it('gives the same result for every way of cutting the stream into chunks, headers included', () => {
    // Every single cut point (inside headers, inside payloads, inside a multi-byte character) and byte-by-byte.
    const cuts = [
      ...Array.from({ length: stream.length - 1 }, (_, i) => [i + 1]),
      Array.from({ length: stream.length - 1 }, (_, i) => i + 1),
    ];
    for (const offsets of cuts) {
      const d = new Demuxer();
      for (const part of cut(stream, offsets)) d.push(part);
      expect(d.text('stdout'), `cut at ${offsets.slice(0, 3).join(',')}`).toBe('hello world\n');
      expect(d.text('stderr')).toBe('oops\nünïcödé ✓\n');
      expect(d.leftover).toBe(0);
    }
  });

  it('holds an unfinished frame as leftover', () => {
    const d = new Demuxer();
    d.push(frame(1, 'abcdef').subarray(0, 10));
    expect(d.text('stdout')).toBe('');
    expect(d.leftover).toBe(10);
  });

  it('ignores stdin frames', () => {
    const d = new Demuxer();
    d.push(Buffer.concat([frame(0, 'in'), frame(1, 'out')]));
    expect(d.text('combined')).toBe('out');
  });

  it('rejects a stream that is not multiplexed (a TTY container)', () => {
    const d = new Demuxer();
    expect(() => d.push(Buffer.from('plain text output\n'))).toThrow(/not a multiplexed Docker stream/);
  });

  it('cuts output beyond the limit and says so', () => {
    const d = new Demuxer(5);
    d.push(Buffer.concat([frame(1, 'abc'), frame(1, 'defgh'), frame(2, 'xy')]));
    expect(d.text('stdout')).toBe('abcde');
    expect(d.text('stderr')).toBe('xy');
    expect(d.text('combined')).toBe('abcde');
    expect(d.truncated).toBe(true);
  });
});

describe('LineSplitter', () => {
  it('joins lines cut across chunks and multi-byte characters cut across chunks', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"status":"a"}\r\n{"status":"ü', 'utf8');
    const out = [...s.push(bytes.subarray(0, 5)), ...s.push(bytes.subarray(5, bytes.length - 1))];
    expect(out).toEqual(['{"status":"a"}']);
    expect(s.push(Buffer.concat([bytes.subarray(bytes.length - 1), Buffer.from('"}\n\n')]))).toEqual([
      '{"status":"ü"}',
    ]);
    expect(s.push(Buffer.from('{"tail":1}'))).toEqual([]);
    expect(s.end()).toEqual(['{"tail":1}']);
  });
});

describe('pull stream errors', () => {
  it.each([
    [
      '{"error":"manifest unknown","errorDetail":{"message":"manifest for app:v9 not found: manifest unknown"}}',
      'manifest for app:v9 not found: manifest unknown',
    ],
    ['{"error":"pull access denied"}', 'pull access denied'],
    ['{"errorDetail":{"message":"unauthorized: authentication required"}}', 'unauthorized: authentication required'],
    ['{"errorDetail":{}}', 'the pull failed (no message from Docker)'],
  ])('%s → %s', (text, message) => {
    const line = parsePullLine(text);
    expect(line).toBeDefined();
    expect(pullLineError(line ?? {})).toBe(message);
  });

  it('finds no error in progress lines', () => {
    for (const text of [
      '{"status":"Pulling from library/app","id":"v1"}',
      '{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"0123456789ab"}',
      '{"status":"Status: Downloaded newer image for app:v1"}',
    ]) {
      expect(pullLineError(parsePullLine(text) ?? {})).toBeUndefined();
    }
  });

  it('does not treat non-JSON or non-object lines as pull lines', () => {
    expect(parsePullLine('not json')).toBeUndefined();
    expect(parsePullLine('[1,2]')).toBeUndefined();
    expect(parsePullLine('null')).toBeUndefined();
  });
});

describe('PullTracker', () => {
  const lines = [
    { status: 'Pulling from team/app', id: 'v1' },
    { status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' },
    { status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' },
    { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 50, total: 100 } },
    { status: 'Downloading', id: 'bbbbbbbbbbbb', progressDetail: { current: 10, total: 300 } },
    { status: 'Pull complete', id: 'aaaaaaaaaaaa' },
    { status: `Digest: sha256:${'c'.repeat(64)}` },
    { status: 'Status: Downloaded newer image for team/app:v1' },
  ];

  it('reports the first line, then at most once per interval, and sums layers', () => {
    const t = new PullTracker('team/app:v1', 1000);
    const reports = lines.map((line, i) => t.push(line, [0, 100, 200, 1100, 1200, 1300, 2200, 2300][i] ?? 0));
    expect(reports.map((r) => r !== undefined)).toEqual([true, false, false, true, false, false, true, false]);
    expect(reports[3]).toMatchObject({ layersDone: 0, layersTotal: 2, bytesDone: 50, bytesTotal: 100 });
    expect(t.summary()).toEqual({
      ref: 'team/app:v1',
      status: 'Status: Downloaded newer image for team/app:v1',
      layersDone: 1,
      layersTotal: 2,
      bytesDone: 110,
      bytesTotal: 400,
    });
    expect(t.digest).toBe(`sha256:${'c'.repeat(64)}`);
    expect(t.finalStatus).toBe('Status: Downloaded newer image for team/app:v1');
  });

  it('formats a one-line summary', () => {
    expect(
      formatPullProgress({
        ref: 'app:v1',
        status: 'Downloading',
        layersDone: 1,
        layersTotal: 3,
        bytesDone: 1.5e6,
        bytesTotal: 12e6,
      }),
    ).toBe('pulling app:v1: 1/3 layers, 1.5 MB of 12.0 MB (Downloading)');
  });
});
