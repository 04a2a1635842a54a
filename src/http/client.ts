/**
 * The one HTTP client of the toolkit, for the deploy health gate and the smoke checks: requests from the runner or
 * through a target's transport (over SSH every connection is a direct-tcpip channel opened by the target, so
 * addresses only the target reaches can be asked), each with a deadline, a body cap, and redirects followed only
 * when asked. TLS is verified as undici and node:tls do by default, also through a transport. A failed exchange is a
 * result, never an exception.
 */
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Agent, type buildConnector, type Dispatcher } from 'undici';
import { type ElapsedMs, systemElapsedMs } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Transport } from '../transports/types.js';

/** Bodies beyond this many bytes are cut unless a request says otherwise: an endless body cannot hang or exhaust. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Hops followed at most when a request allows redirects; the answer of the last hop is the result. */
export const MAX_REDIRECTS = 5;
const CONNECT_TIMEOUT_MS = 10_000;

export interface HttpRequest {
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline of each hop's whole exchange (connecting, headers and body), in ms. */
  timeoutMs: number;
  /** Body bytes kept (default DEFAULT_MAX_BODY_BYTES); the rest is not read and the answer says `truncated`. */
  maxBodyBytes?: number;
  /** Follow a 3xx with a Location (as GET without a body, at most MAX_REDIRECTS hops). Default false: the 3xx is the answer. */
  followRedirects?: boolean;
  /** Aborts the exchange (e.g. the run is cancelled); the result is then a failure. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8, at most maxBodyBytes bytes of it. */
  body: string;
  /** True when the body was longer than the cap (and cut). */
  truncated: boolean;
  /** Milliseconds from sending the first request to the end of the last answer's body. */
  latencyMs: number;
  /** The answer's Location header, when it has one. */
  location?: string;
}

/** An answer (any status), or why there is none (refused, TLS, timeout: `no complete answer within N ms`, …). */
export type HttpResult = ({ ok: true } & HttpAnswer) | { ok: false; error: string; latencyMs: number };

export interface HttpClientOptions {
  /** Open every TCP connection through this transport instead of from the runner's own network. */
  via?: Transport;
  /** Reuse connections between requests (default true). False: one connection per request, closed after it. */
  keepAlive?: boolean;
  /** Give up opening a connection (TCP, and TLS over a transport) after this many ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** The latency clock (monotonic ms). Default systemElapsedMs. */
  elapsedMs?: ElapsedMs;
}

/** Connections kept between requests until `close`. */
export interface HttpClient {
  /** One request (plus its redirects when allowed). Never rejects: failures are results. */
  request(url: string, r: HttpRequest): Promise<HttpResult>;
  /** Close the kept connections once their requests are done. */
  close(): Promise<void>;
}

/** A client whose connections come from the runner, or from `via`'s transport. */
export function httpClient(o: HttpClientOptions = {}): HttpClient {
  const agent = agentFor(o);
  const elapsed = o.elapsedMs ?? systemElapsedMs;
  return {
    request: (url, r) => send(agent, elapsed, url, r),
    close: () => agent.close().catch(() => undefined),
  };
}

/**
 * One request on a connection of its own, dropped afterwards (nothing is reused between two health probes, so a
 * restarted server never meets a stale connection). Connecting gives up after `timeoutMs` unless told otherwise.
 */
export async function requestOnce(url: string, r: HttpRequest & HttpClientOptions): Promise<HttpResult> {
  const agent = agentFor({ ...r, keepAlive: false, connectTimeoutMs: r.connectTimeoutMs ?? r.timeoutMs });
  try {
    return await send(agent, r.elapsedMs ?? systemElapsedMs, url, r);
  } finally {
    agent.destroy().catch(() => undefined);
  }
}

function agentFor(o: HttpClientOptions): Agent {
  const timeout = o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const connect = o.via ? transportConnector(o.via, timeout) : { timeout };
  // pipelining 0: no keep-alive, each request gets its own connection.
  return new Agent(
    o.keepAlive === false ? { pipelining: 0, connect } : { keepAliveTimeout: 10_000, connections: 8, connect },
  );
}

async function send(d: Dispatcher, elapsed: ElapsedMs, url: string, r: HttpRequest): Promise<HttpResult> {
  const started = elapsed();
  let next = { url, method: r.method ?? 'GET', body: r.body };
  for (let hops = 0; ; hops++) {
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    try {
      const a = await exchange(d, next, r, signal);
      const redirect = a.location !== undefined && a.status >= 300 && a.status < 400;
      if (r.followRedirects && redirect && hops < MAX_REDIRECTS) {
        next = { url: new URL(a.location as string, next.url).toString(), method: 'GET', body: undefined };
        continue;
      }
      return { ok: true, ...a, latencyMs: elapsed() - started };
    } catch (err) {
      const why = timeout.aborted ? `no complete answer within ${r.timeoutMs} ms` : errorMessage(err);
      return { ok: false, error: why, latencyMs: elapsed() - started };
    }
  }
}

/** One hop: send, then read the body up to the cap. Throws on any failure. */
async function exchange(
  d: Dispatcher,
  hop: { url: string; method: string; body?: string },
  r: HttpRequest,
  signal: AbortSignal,
): Promise<Omit<HttpAnswer, 'latencyMs'>> {
  const u = new URL(hop.url);
  const res = await d.request({
    origin: u.origin,
    path: `${u.pathname}${u.search}`,
    method: hop.method as Dispatcher.HttpMethod,
    headers: r.headers,
    body: hop.body,
    signal,
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs,
  });
  const max = r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
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
  const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
  const body = Buffer.concat(chunks).subarray(0, max).toString('utf8');
  return { status: res.statusCode, headers: res.headers, body, truncated, location };
}

/**
 * undici's connector over a transport: the TCP stream comes from `transport.connectTcp` (SSH: direct-tcpip); https
 * is TLS over that stream, verified against the URL's host (IP addresses against the certificate's IP SANs, no SNI).
 */
function transportConnector(transport: Transport, timeoutMs: number): buildConnector.connector {
  return (opts, callback) => {
    const https = opts.protocol === 'https:';
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(opts.port) || (https ? 443 : 80);
    let stream: Duplex | undefined;
    let settled = false;
    const done = (err: Error | null, socket?: Socket) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (err || !socket) {
        stream?.destroy();
        callback(err ?? new Error('no socket'), null);
      } else callback(null, socket);
    };
    const timer = setTimeout(
      () => done(new Error(`${transport.name} could not connect to ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    transport.connectTcp(host, port).then(
      (s) => {
        stream = s;
        if (settled) {
          s.destroy();
          return;
        }
        if (!https) {
          done(null, s as Socket);
          return;
        }
        const servername = opts.servername || (isIP(host) ? undefined : host);
        const tls = tlsConnect({ socket: s, host, servername, ALPNProtocols: ['http/1.1'] });
        const fail = (e: Error) => {
          tls.destroy();
          done(e);
        };
        tls.once('error', fail);
        tls.once('secureConnect', () => {
          tls.off('error', fail);
          done(null, tls);
        });
      },
      (e: Error) => done(e),
    );
  };
}
