/** A scripted stand-in for dockerd on a Unix socket (or TCP port): each test routes `METHOD /path` to a handler. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SeenRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => void;

export interface FakeDocker {
  socketPath: string;
  seen: SeenRequest[];
  /** Route by exact `METHOD /path` (query ignored) or by a regex on `METHOD /path`. */
  on(route: string | RegExp, handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** One multiplexed frame as Docker writes it. */
export function frame(stream: 1 | 2, text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** Answer like dockerd's hijacked exec start: a bare 200 head, raw bytes, then the connection closes. */
export function hijack(raw: IncomingMessage, payload: Buffer): void {
  const socket = raw.socket;
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n');
  socket.end(payload);
}

export async function fakeDocker(
  opts: { apiVersion?: string; minApiVersion?: string; tcp?: boolean } = {},
): Promise<FakeDocker & { port: number; server: Server }> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  const socketPath = join(dir, 'docker.sock');
  const routes: Array<[string | RegExp, Handler]> = [];
  const seen: SeenRequest[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(req);
      const key = `${req.method} ${req.url.split('?')[0]}`;
      const route = [...routes].reverse().find(([r]) => (typeof r === 'string' ? r === key : r.test(key)));
      if (route) return route[1](req, res, raw);
      if (/^GET (\/v[\d.]+)?\/version$/.test(key)) {
        return json(res, 200, {
          Version: '99.0.0-fake',
          ApiVersion: opts.apiVersion ?? '1.41',
          MinAPIVersion: opts.minApiVersion ?? '1.12',
          Os: 'linux',
          Arch: 'amd64',
        });
      }
      json(res, 404, { message: `page not found: ${key}` });
    });
  });
  let port = 0;
  if (opts.tcp) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  } else {
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  }
  return {
    socketPath,
    port,
    server,
    seen,
    on: (route, handler) => void routes.push([route, handler]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
