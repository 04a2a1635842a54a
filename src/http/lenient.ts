/**
 * The lenient reading of an answer: node:http with its lenient parser (`insecureHTTPParser`), for servers whose
 * answers undici's strict parser refuses although nginx, curl and wget read them, chiefly header lines ending in a
 * bare LF (busybox httpd CGI, small embedded servers). It is used only on a connection of its own, closed after the one
 * exchange (`Connection: close`), so whatever the lenient parser lets through cannot shift the framing of a later
 * answer on the same connection (the desync the strict parser guards against).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Connector } from './connector.js';
import { serverNameOf } from './connector.js';

/** One hop as the client sends it. */
export interface Hop {
  url: string;
  method: string;
  body?: string;
  headers?: Record<string, string>;
}

/** What a hop answered (the fields of HttpAnswer but latency). */
export interface HopAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  truncated: boolean;
  location?: string;
}

/** The Host header of a header record, whatever its case. */
export function hostHeaderOf(headers: Record<string, string> | undefined): string | undefined {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === 'host') return v;
  return undefined;
}

/**
 * Send `hop` on a new connection from `connect` and read the answer leniently, the body up to `maxBodyBytes` (the
 * rest is not read: `truncated`). Rejects on any failure (connect, TLS, a parse error even the lenient parser
 * refuses, `signal`); the connection is destroyed in every case.
 */
export function lenientExchange(
  connect: Connector,
  hop: Hop,
  maxBodyBytes: number,
  signal: AbortSignal,
): Promise<HopAnswer> {
  const u = new URL(hop.url);
  const hostname = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const servername = serverNameOf(hostHeaderOf(hop.headers));
  return new Promise<HopAnswer>((resolve, reject) => {
    let socket: Socket | undefined;
    const req = httpRequest({
      method: hop.method,
      host: hostname,
      port: u.port,
      path: `${u.pathname}${u.search}`,
      headers: { ...hop.headers, connection: 'close' },
      insecureHTTPParser: true,
      createConnection: ((_: unknown, oncreate: (err: Error | null, s?: Socket) => void) => {
        connect(
          { protocol: u.protocol, hostname, host: u.host, port: u.port, servername: servername ?? null },
          (err, s) => {
            socket = s ?? undefined;
            if (err || !s) oncreate(err ?? new Error('no socket'));
            else oncreate(null, s);
          },
        );
        return undefined;
      }) as unknown as never,
    });
    const abort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    let settled = false;
    const finish = (err: Error | null, answer?: HopAnswer) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', abort);
      req.destroy();
      socket?.destroy();
      if (err) reject(err);
      else resolve(answer as HopAnswer);
    };
    req.once('error', (err) => finish(err));
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () => {
        const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
        const body = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body, truncated, location });
      };
      res.on('data', (b: Buffer) => {
        chunks.push(b);
        size += b.length;
        if (size > maxBodyBytes && !truncated) {
          truncated = true;
          done();
        }
      });
      res.once('end', () => {
        if (!truncated) done();
      });
      res.once('error', (err) => finish(err));
    });
    req.end(hop.body);
  });
}
