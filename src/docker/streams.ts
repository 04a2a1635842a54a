/**
 * Docker's two streaming formats, with no I/O: the multiplexed stdout/stderr stream of logs and exec (8-byte frame
 * headers), and the JSON-lines progress stream of pulls (which reports failures in-stream after an HTTP 200).
 */
import type { PullProgress } from './types.js';

export type StreamName = 'stdin' | 'stdout' | 'stderr';

const STREAMS: Record<number, StreamName> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };
const HEADER = 8;
/** Per stream; beyond this the output is cut (and `truncated` set) so a chatty command cannot exhaust memory. */
const DEFAULT_OUTPUT_LIMIT = 16 * 1024 * 1024;

/**
 * Splits the multiplexed stream: each frame is `[stream, 0, 0, 0, size (uint32 BE)]` then `size` bytes. Chunks may
 * cut a header or payload anywhere. `combined` keeps stdout and stderr in arrival order (for logs).
 */
export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly parts: Record<'stdout' | 'stderr' | 'combined', Buffer[]> = { stdout: [], stderr: [], combined: [] };
  private readonly sizes = { stdout: 0, stderr: 0, combined: 0 };
  truncated = false;

  constructor(private readonly limit = DEFAULT_OUTPUT_LIMIT) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (buf.length < HEADER) break;
      const type = buf[0] ?? -1;
      const stream = STREAMS[type];
      if (!stream || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) {
        throw new Error(`not a multiplexed Docker stream (frame header ${buf.subarray(0, HEADER).toString('hex')})`);
      }
      const size = buf.readUInt32BE(4);
      if (buf.length < HEADER + size) break;
      if (stream !== 'stdin') this.add(stream, buf.subarray(HEADER, HEADER + size));
      buf = buf.subarray(HEADER + size);
    }
    // Copy the remainder so the caller's (possibly pooled) chunk is not retained.
    this.pending = Buffer.from(buf);
  }

  /** Bytes of an unfinished frame at the end (0 when the stream ended cleanly). */
  get leftover(): number {
    return this.pending.length;
  }

  text(which: 'stdout' | 'stderr' | 'combined'): string {
    return Buffer.concat(this.parts[which]).toString('utf8');
  }

  private add(stream: 'stdout' | 'stderr', data: Buffer): void {
    for (const key of [stream, 'combined'] as const) {
      const room = this.limit - this.sizes[key];
      if (room <= 0) {
        this.truncated = true;
        continue;
      }
      const kept = data.length > room ? data.subarray(0, room) : data;
      if (kept.length < data.length) this.truncated = true;
      this.parts[key].push(Buffer.from(kept));
      this.sizes[key] += kept.length;
    }
  }
}

/** Splits a byte stream into lines, holding a partial last line until the next chunk. */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array): string[] {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.trim()).filter((l) => l !== '');
  }

  end(): string[] {
    const last = (this.rest + this.decoder.decode()).trim();
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

export interface PullLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** The failure a pull line reports, if any (`errorDetail.message` preferred, then `error`). */
export function pullLineError(line: PullLine): string | undefined {
  const detail = line.errorDetail?.message;
  if (typeof detail === 'string' && detail !== '') return detail;
  if (typeof line.error === 'string' && line.error !== '') return line.error;
  if (line.errorDetail !== undefined || line.error !== undefined) return 'the pull failed (no message from Docker)';
  return undefined;
}

export function parsePullLine(text: string): PullLine | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as PullLine) : undefined;
  } catch {
    return undefined;
  }
}

const LAYER_DONE = new Set(['Pull complete', 'Already exists', 'Download complete']);

/**
 * Aggregates pull lines into a progress summary and decides when to report it: the first line, then at most once
 * per interval. `now` is injected so the throttle is testable.
 */
export class PullTracker {
  private readonly layers = new Map<string, { current: number; total: number; done: boolean }>();
  private lastReport = Number.NEGATIVE_INFINITY;
  private status = '';
  digest: string | undefined;
  finalStatus: string | undefined;

  constructor(
    private readonly ref: string,
    private readonly intervalMs: number,
  ) {}

  /** Feed one line; returns a summary when one is due. Throws nothing: errors are the caller's (pullLineError). */
  push(line: PullLine, now: number): PullProgress | undefined {
    const status = typeof line.status === 'string' ? line.status : '';
    if (status.startsWith('Digest: ')) this.digest = status.slice('Digest: '.length).trim();
    if (status.startsWith('Status: ')) this.finalStatus = status;
    if (status !== '') this.status = status;
    // Layer lines carry a short hex id; the first line's id is the tag, which is not a layer.
    if (typeof line.id === 'string' && /^[a-f0-9]{12}$/.test(line.id)) {
      const layer = this.layers.get(line.id) ?? { current: 0, total: 0, done: false };
      const d = line.progressDetail;
      if (status === 'Downloading' && d && typeof d.current === 'number') {
        layer.current = d.current;
        if (typeof d.total === 'number' && d.total > 0) layer.total = d.total;
      }
      if (LAYER_DONE.has(status)) {
        layer.done = true;
        if (layer.total > 0) layer.current = layer.total;
      }
      this.layers.set(line.id, layer);
    }
    if (now - this.lastReport < this.intervalMs) return undefined;
    this.lastReport = now;
    return this.summary();
  }

  summary(): PullProgress {
    const layers = [...this.layers.values()];
    return {
      ref: this.ref,
      status: this.status,
      layersDone: layers.filter((l) => l.done).length,
      layersTotal: layers.length,
      bytesDone: layers.reduce((s, l) => s + l.current, 0),
      bytesTotal: layers.reduce((s, l) => s + l.total, 0),
    };
  }
}

export function formatPullProgress(p: PullProgress): string {
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const bytes = p.bytesTotal > 0 ? `, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)}` : '';
  return `pulling ${p.ref}: ${p.layersDone}/${p.layersTotal} layers${bytes}${p.status ? ` (${p.status})` : ''}`;
}
