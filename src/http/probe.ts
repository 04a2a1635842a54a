import type { Socket } from 'node:net';
import { Client } from 'undici';
import { errorMessage } from '../core/errors.js';
import type { Transport } from '../transports/types.js';

export interface ProbeRequest {
  host: string;
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Bodies beyond this are cut (an endless body cannot hang or exhaust a probe). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export type ProbeResult =
  | { ok: true; status: number; body: string; truncated: boolean; latencyMs: number }
  | { ok: false; error: string; latencyMs: number };

/**
 * One HTTP request to host:port as seen from the target: the TCP connection is opened by the transport (over SSH:
 * direct-tcpip), so addresses only the target reaches can be probed. Never throws; failures are results.
 */
export async function probe(t: Transport, r: ProbeRequest): Promise<ProbeResult> {
  const started = performance.now();
  const client = new Client(`http://${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`, {
    connect: (_opts, callback) => {
      t.connectTcp(r.host, r.port).then(
        (s) => callback(null, s as Socket),
        (e: Error) => callback(e, null),
      );
    },
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs,
    pipelining: 0,
  });
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
  try {
    const res = await client.request({
      path: r.path,
      method: (r.method ?? 'GET') as 'GET',
      headers: r.headers,
      signal,
    });
    const max = r.maxBytes ?? 64 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      chunks.push(b);
      size += b.length;
      if (size > max) {
        truncated = true;
        res.body.destroy();
        break;
      }
    }
    const body = Buffer.concat(chunks).subarray(0, max).toString('utf8');
    return { ok: true, status: res.statusCode, body, truncated, latencyMs: performance.now() - started };
  } catch (err) {
    const why = timeout.aborted ? `no answer within ${r.timeoutMs}ms` : errorMessage(err);
    return { ok: false, error: why, latencyMs: performance.now() - started };
  } finally {
    client.destroy().catch(() => undefined);
  }
}
