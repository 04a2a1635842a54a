import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Agent, type buildConnector } from 'undici';
import type { Transport } from '../transports/types.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A keep-alive client whose connections are opened by the target's transport (over SSH: a direct-tcpip channel), so
 * smoke checks reach addresses only the target reaches. https is TLS over that stream, verified as usual.
 */
export function tunnelAgent(transport: Transport, connectTimeoutMs = CONNECT_TIMEOUT_MS): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 8, connect: tunnelConnector(transport, connectTimeoutMs) });
}

function tunnelConnector(transport: Transport, timeoutMs: number): buildConnector.connector {
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
        // Verified against the URL's host (IP addresses against the certificate's IP SANs); no SNI for IPs.
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
