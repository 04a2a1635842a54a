/**
 * The one HTTP client of the toolkit, for the deploy health gate and the smoke checks: requests from the runner or
 * through a target's transport (over SSH every connection is a direct-tcpip channel opened by the target, so
 * addresses only the target reaches can be asked), each with a deadline, a body cap, and redirects followed only
 * when asked. TLS is verified by default (a private CA or an explicit opt-out per client, SNI from the Host header),
 * also through a transport. A failed exchange is a result whose error names the cause (failure.ts), never an
 * exception.
 *
 * Answers are read by undici's strict parser first. When it refuses one as not HTTP/1.1 (chiefly header lines ending
 * in a bare LF, as busybox httpd CGI writes them, which nginx and curl accept), the request is sent once more on a
 * connection of its own and read by node:http's lenient parser (lenient.ts), and the client remembers that origin:
 * its later requests go to the lenient reader directly (a health gate asks twice only at its first probe). Only GET,
 * HEAD and OPTIONS are sent twice that way; another method fails with the parse error the first time (its origin is
 * not yet known to need leniency). Why not lenient always: the strict parser stays the rule for every server that
 * speaks proper HTTP (an answer it refuses on a kept connection could desync the next one), the lenient one only
 * ever reads one answer per connection, and a server whose answers neither reads gets the strict parser's reason.
 */
import { Agent, type buildConnector, type Dispatcher, errors } from 'undici';
import { type ElapsedMs, systemElapsedMs } from '../core/clock.js';
import type { Transport } from '../transports/types.js';
import { type Connector, connectorFor, type TlsOptions } from './connector.js';
import { describeFailure } from './failure.js';
import { type Hop, type HopAnswer, lenientExchange } from './lenient.js';

export type { TlsOptions } from './connector.js';

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
  /** TLS of https requests: a CA to trust, or no verification. Default: verified against Node's CA store. */
  tls?: TlsOptions;
}

/** Connections kept between requests until `close`. */
export interface HttpClient {
  /** One request (plus its redirects when allowed). Never rejects: failures are results. */
  request(url: string, r: HttpRequest): Promise<HttpResult>;
  /**
   * Close the kept connections once their requests are done; what has not closed after CLOSE_GRACE_MS is destroyed
   * (a peer or an SSH channel that never finishes closing must not hang the caller). Never rejects.
   */
  close(): Promise<void>;
}

/** How long `close` waits for connections to finish before it destroys them. */
export const CLOSE_GRACE_MS = 1000;

async function closeAgent(agent: Agent): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_GRACE_MS);
  });
  await Promise.race([agent.close().catch(() => undefined), grace]);
  clearTimeout(timer);
  await agent.destroy().catch(() => undefined);
}

/** Methods that may be sent a second time to read an answer leniently (RFC 9110 safe methods). */
const RESENDABLE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What one client's requests share: the undici agent, the connector under it, the origins read leniently. */
interface Conn {
  agent: Agent;
  connect: Connector;
  lenient: Set<string>;
}

/** A client whose connections come from the runner, or from `via`'s transport. */
export function httpClient(o: HttpClientOptions = {}): HttpClient {
  const c = connFor(o);
  const elapsed = o.elapsedMs ?? systemElapsedMs;
  return {
    request: (url, r) => send(c, elapsed, url, r),
    close: () => closeAgent(c.agent),
  };
}

/**
 * One request on a connection of its own, dropped afterwards (nothing is reused between two health probes, so a
 * restarted server never meets a stale connection). Connecting gives up after `timeoutMs` unless told otherwise.
 */
export async function requestOnce(url: string, r: HttpRequest & HttpClientOptions): Promise<HttpResult> {
  const c = connFor({ ...r, keepAlive: false, connectTimeoutMs: r.connectTimeoutMs ?? r.timeoutMs });
  try {
    return await send(c, r.elapsedMs ?? systemElapsedMs, url, r);
  } finally {
    c.agent.destroy().catch(() => undefined);
  }
}

function connFor(o: HttpClientOptions): Conn {
  const connect = connectorFor({ via: o.via, timeoutMs: o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, tls: o.tls });
  const c = connect as unknown as buildConnector.connector;
  // pipelining 0: no keep-alive, each request gets its own connection.
  const agent = new Agent(
    o.keepAlive === false ? { pipelining: 0, connect: c } : { keepAliveTimeout: 10_000, connections: 8, connect: c },
  );
  return { agent, connect, lenient: new Set() };
}

/** `host:port` of a URL, the port always given (for messages). */
function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  } catch {
    return url;
  }
}

async function send(c: Conn, elapsed: ElapsedMs, url: string, r: HttpRequest): Promise<HttpResult> {
  const started = elapsed();
  let next: Hop = { url, method: r.method ?? 'GET', body: r.body, headers: r.headers };
  for (let hops = 0; ; hops++) {
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    try {
      const a = await exchange(c, next, r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, r.timeoutMs, signal);
      const redirect = a.location !== undefined && a.status >= 300 && a.status < 400;
      if (r.followRedirects && redirect && hops < MAX_REDIRECTS) {
        next = { url: new URL(a.location as string, next.url).toString(), method: 'GET', headers: r.headers };
        continue;
      }
      return { ok: true, ...a, latencyMs: elapsed() - started };
    } catch (err) {
      const why = timeout.aborted
        ? `no complete answer within ${r.timeoutMs} ms`
        : err instanceof NotResent
          ? `${describeFailure(err.cause, whereOf(next.url))}; not read leniently, as a ${err.method} is never sent twice`
          : describeFailure(err, whereOf(next.url));
      return { ok: false, error: why, latencyMs: elapsed() - started };
    }
  }
}

/** A strict parse error on a request that must not be sent twice. */
class NotResent extends Error {
  constructor(
    override readonly cause: unknown,
    readonly method: string,
  ) {
    super('not resent');
  }
}

/** One hop: strict first, lenient on a parse error (see the module's comment). Throws on any failure. */
async function exchange(
  c: Conn,
  hop: Hop,
  maxBody: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HopAnswer> {
  const origin = new URL(hop.url).origin;
  if (c.lenient.has(origin)) return lenientExchange(c.connect, hop, maxBody, signal);
  try {
    return await strictExchange(c.agent, hop, maxBody, timeoutMs, signal);
  } catch (err) {
    if (!(err instanceof errors.HTTPParserError) || signal.aborted) throw err;
    if (!RESENDABLE.has(hop.method.toUpperCase())) throw new NotResent(err, hop.method);
    const a = await lenientExchange(c.connect, hop, maxBody, signal);
    c.lenient.add(origin);
    return a;
  }
}

/** One hop through undici: send, then read the body up to the cap. Throws on any failure. */
async function strictExchange(
  d: Dispatcher,
  hop: Hop,
  max: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HopAnswer> {
  const u = new URL(hop.url);
  const res = await d.request({
    origin: u.origin,
    path: `${u.pathname}${u.search}`,
    method: hop.method as Dispatcher.HttpMethod,
    headers: hop.headers,
    body: hop.body,
    signal,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
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
