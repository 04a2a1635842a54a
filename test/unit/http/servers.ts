/**
 * Real servers on 127.0.0.1 (random ports) for the HTTP client and health gate tests: raw TCP servers that answer
 * exactly the bytes a test gives (bare-LF headers, resets, early closes), and a private CA with a server certificate
 * made by `openssl` at test time. The keys never touch the disk: bash process substitution hands them to openssl.
 */
import { execFile } from 'node:child_process';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A listening server's port; close it with `stop`. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await stop(s);
  return port;
}

export interface RawServer {
  server: Server;
  port: number;
  /** Every request head received (up to the blank line), in order. */
  requests: string[];
  /** Connections accepted so far. */
  connections: () => number;
}

/**
 * A TCP server that reads each request's head and then does what `answer` says with the socket: write bytes and
 * end, reset, close without a word. One request per connection.
 */
export async function rawServer(answer: (head: string, socket: Socket) => void): Promise<RawServer> {
  const requests: string[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      if (buffered.includes('\r\n\r\n')) return;
      buffered += d.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      requests.push(head);
      answer(head, socket);
    });
  });
  return { server, port: await listen(server), requests, connections: () => connections };
}

/** An answer the way busybox httpd relays a CGI's: every line (status line too) ends in a bare LF. */
export function bareLf(status: string, body: string, headers: Record<string, string> = {}): string {
  const lines = [
    `HTTP/1.0 ${status}`,
    'Content-Type: application/json',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\n')}\n\n${body}`;
}

/** A strict HTTP/1.1 answer with Content-Length, the connection closed after it. */
export function crlf(status: string, body: string): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export interface TestPki {
  /** The CA certificate (PEM): trusting it makes the server certificate valid. */
  caCert: string;
  /** The server's key and certificate: for api.example.test and 127.0.0.1, signed by the CA. */
  key: string;
  cert: string;
}

const PKI_SCRIPT = `set -euo pipefail
pem() { printf '%s\\n' "$@"; }
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256; }
ca_key=$(ec)
ca_cert=$(openssl req -x509 -new -key <(pem "$ca_key") -subj '/CN=runbook test CA' -days 2 \\
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign')
leaf_key=$(ec)
leaf_cert=$(openssl req -x509 -new -key <(pem "$leaf_key") -CA <(pem "$ca_cert") -CAkey <(pem "$ca_key") \\
  -subj '/CN=api.example.test' -days 2 -addext 'subjectAltName=DNS:api.example.test,IP:127.0.0.1' \\
  -addext 'basicConstraints=CA:FALSE')
pem "$ca_cert" "$leaf_key" "$leaf_cert"`;

/** A fresh CA and server certificate (openssl, about 50 ms), all in memory. */
export async function makePki(): Promise<TestPki> {
  const { stdout } = await run('bash', ['-c', PKI_SCRIPT]);
  const blocks = stdout.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----\n/g) ?? [];
  const [caCert, key, cert] = blocks;
  if (!caCert || !key || !cert) throw new Error(`openssl made ${blocks.length} PEM blocks, expected 3`);
  return { caCert, key, cert };
}
