/**
 * How the HTTP client opens a connection: from the runner (undici's own connector) or through a target's transport
 * (over SSH a direct-tcpip channel opened by the target), plain or TLS. Both the strict path (undici) and the lenient
 * one (node:http, see lenient.ts) take their sockets from the same connector, so TLS is verified the same way on both.
 */
import { isIP, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { buildConnector } from 'undici';
import type { Transport } from '../transports/types.js';

/**
 * TLS of https requests. Verification is on by default (Node's CA store); `servername` (SNI, and the name the
 * certificate must carry) is the request's Host header without its port when it has one, else the URL's host (an IP
 * address: no SNI, the certificate's IP SANs must hold it).
 */
export interface TlsOptions {
  /** Trust these PEM certificates (replaces the default CA store), e.g. a private CA. */
  ca?: string;
  /** False: any certificate is accepted (no verification at all). Default true. */
  rejectUnauthorized?: boolean;
}

/**
 * One connection attempt (undici's connector shape): `hostname` without IPv6 brackets, `host` with its port,
 * `port` as text or empty (the scheme's default).
 */
export interface ConnectTarget {
  protocol: string;
  hostname: string;
  host: string;
  port: string;
  servername?: string | null;
}

export type Connector = (opts: ConnectTarget, callback: (err: Error | null, socket: Socket | null) => void) => void;

/** The connector of a client: through `via` when given, else from the runner; connecting gives up after timeoutMs. */
export function connectorFor(o: { via?: Transport; timeoutMs: number; tls?: TlsOptions }): Connector {
  if (o.via) return transportConnector(o.via, o.timeoutMs, o.tls ?? {});
  return buildConnector({ timeout: o.timeoutMs, ...tlsOf(o.tls ?? {}) }) as unknown as Connector;
}

function tlsOf(t: TlsOptions): { ca?: string; rejectUnauthorized?: boolean } {
  return {
    ...(t.ca === undefined ? {} : { ca: t.ca }),
    ...(t.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: t.rejectUnauthorized }),
  };
}

/** The SNI for a Host header value (`api.example.com:8443` → `api.example.com`); undefined for an IP or nothing. */
export function serverNameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined) return undefined;
  const name = hostHeader.trim().replace(/:\d*$/, '');
  if (name === '' || name.startsWith('[') || isIP(name) !== 0) return undefined;
  return name;
}

/**
 * A connector over a transport: the TCP stream comes from `transport.connectTcp`; https is TLS over that stream,
 * verified against `servername` when given, else the URL's host (IP addresses against the certificate's IP SANs,
 * without SNI). The whole of it (channel and handshake) must be done within `timeoutMs`.
 */
function transportConnector(transport: Transport, timeoutMs: number, t: TlsOptions): Connector {
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
          done(null, keepDestroyError(s) as Socket);
          return;
        }
        const servername = opts.servername || (isIP(host) ? undefined : host);
        const tls = tlsConnect({ socket: s, host, servername, ALPNProtocols: ['http/1.1'], ...tlsOf(t) });
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

/**
 * Make `destroy(err)` report `err` as net.Socket does ('error', then 'close'). An ssh2 channel's destroy() ignores its
 * argument (it only ends and closes the channel), so undici, which destroys a socket with the parse error it found,
 * would only see the close and report a bare "closed": the cause lost, and the lenient re-read never tried. A real
 * socket (the local transport's) is left as it is.
 */
function keepDestroyError(s: Duplex): Duplex {
  if (s instanceof Socket) return s;
  const destroy = s.destroy.bind(s);
  let reported = false;
  s.destroy = ((err?: Error) => {
    if (err && !reported) {
      reported = true;
      process.nextTick(() => s.emit('error', err));
    }
    destroy(err);
    return s;
  }) as typeof s.destroy;
  return s;
}
