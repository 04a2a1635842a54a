import { Agent, request } from 'undici';
import { errorMessage } from '../core/errors.js';

export interface SmokeAnswer {
  status: number;
  body: string;
  latencyMs: number;
  location?: string;
  truncated: boolean;
}

export type SmokeResult = ({ ok: true } & SmokeAnswer) | { ok: false; error: string; latencyMs: number };

export interface SmokeRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Bodies beyond this are cut: an endless body cannot hang a check. */
  maxBytes: number;
  followRedirects: boolean;
  dispatcher: Agent;
  signal?: AbortSignal;
}

/** A keep-alive client for a run's checks (TLS verified, as undici does by default). */
export function smokeAgent(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 8 });
}

/** One request from the runner. Never throws: failures are results. Redirects are followed only when allowed. */
export async function smokeRequest(r: SmokeRequest, hops = 0): Promise<SmokeResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
  try {
    const res = await request(r.url, {
      method: r.method as 'GET',
      headers: r.headers,
      body: r.body,
      dispatcher: r.dispatcher,
      signal,
      headersTimeout: r.timeoutMs,
      bodyTimeout: r.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > r.maxBytes) {
        truncated = true;
        res.body.destroy();
        break;
      }
    }
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    if (r.followRedirects && location && res.statusCode >= 300 && res.statusCode < 400 && hops < 5) {
      return smokeRequest({ ...r, url: new URL(location, r.url).toString(), method: 'GET', body: undefined }, hops + 1);
    }
    const body = Buffer.concat(chunks).subarray(0, r.maxBytes).toString('utf8');
    return { ok: true, status: res.statusCode, body, location, truncated, latencyMs: performance.now() - started };
  } catch (err) {
    const why = timeout.aborted ? `no complete answer within ${r.timeoutMs} ms` : errorMessage(err);
    return { ok: false, error: why, latencyMs: performance.now() - started };
  }
}
