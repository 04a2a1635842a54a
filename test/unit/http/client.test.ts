/**
 * The HTTP client against a real server on 127.0.0.1: from the runner, and through a transport (the local one, whose
 * connectTcp is a real TCP connection) as the health gate and `via` checks use it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/core/errors.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { DEFAULT_MAX_BODY_BYTES, httpClient, MAX_REDIRECTS, requestOnce } from '../../../src/http/client.js';
import { LocalTransport } from '../../../src/transports/local.js';
import type { Transport } from '../../../src/transports/types.js';
import { type RawServer, rawServer, stop } from './servers.js';

/** The local transport, remembering every connection it was asked to open. */
class CountingTransport extends LocalTransport {
  readonly opened: string[] = [];
  override connectTcp(host: string, port: number): Promise<Duplex> {
    this.opened.push(`${host}:${port}`);
    return super.connectTcp(host, port);
  }
}

const log = new StreamLogger({ sink: () => undefined, masker: new Masker(), mode: 'cli', debug: false });

/** A latency clock that moves 5 ms at every reading. */
function steppingClock() {
  let t = 1000;
  return () => {
    t += 5;
    return t;
  };
}

function appServer(): { server: Server; connections: () => number; methods: string[] } {
  let connections = 0;
  const methods: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    methods.push(`${req.method} ${url.pathname}`);
    switch (url.pathname) {
      case '/health':
        res.writeHead(200, { 'content-type': 'application/json', 'x-release': 'v2' });
        return res.end('{"status":"ok"}');
      case '/redirect':
        res.writeHead(302, { location: '/login' });
        return res.end();
      case '/loop':
        res.writeHead(307, { location: '/loop' });
        return res.end();
      case '/login':
        res.writeHead(200);
        return res.end('<form>login</form>');
      case '/endless': {
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'.repeat(4096)), 1);
        req.on('close', () => clearInterval(timer));
        return;
      }
      case '/silent':
        return; // headers never come
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  server.on('connection', () => connections++);
  return { server, connections: () => connections, methods };
}

describe('the HTTP client', () => {
  const app = appServer();
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    app.server.closeAllConnections();
    app.server.close();
  });

  it('answers with status, headers, body and the latency of the injected clock', async () => {
    const client = httpClient({ elapsedMs: steppingClock() });
    try {
      const r = await client.request(`${base}/health`, { timeoutMs: 5000 });
      expect(r).toMatchObject({ ok: true, status: 200, body: '{"status":"ok"}', truncated: false, latencyMs: 5 });
      expect(r.ok && r.headers['x-release']).toBe('v2');
    } finally {
      await client.close();
    }
  });

  it('opens every connection through the transport it is given', async () => {
    const via = new CountingTransport('web1', log);
    const client = httpClient({ via });
    try {
      const r = await client.request(`${base}/health?via`, { timeoutMs: 5000 });
      expect(r).toMatchObject({ ok: true, status: 200 });
      expect(via.opened).toEqual([base.replace('http://', '')]);
    } finally {
      await client.close();
    }
  });

  it('requestOnce opens a connection of its own for every request (nothing reused between health probes)', async () => {
    const before = app.connections();
    const via = new CountingTransport('web1', log);
    for (let i = 0; i < 3; i++) {
      expect(await requestOnce(`${base}/health`, { via, timeoutMs: 5000 })).toMatchObject({ ok: true, status: 200 });
    }
    expect(app.connections() - before).toBe(3);
    expect(via.opened).toHaveLength(3);
  });

  it('cuts an endless body at the cap and says so', async () => {
    const r = await requestOnce(`${base}/endless`, { timeoutMs: 5000, maxBodyBytes: 10_000 });
    expect(r).toMatchObject({ ok: true, status: 200, truncated: true });
    expect(r.ok && r.body.length).toBe(10_000);
    const capped = await requestOnce(`${base}/endless`, { timeoutMs: 5000 });
    expect(capped.ok && capped.body.length).toBe(DEFAULT_MAX_BODY_BYTES);
  });

  it('answers a redirect with the 3xx and its location unless following is allowed, then as GET', async () => {
    const kept = await requestOnce(`${base}/redirect`, { timeoutMs: 5000 });
    expect(kept).toMatchObject({ ok: true, status: 302, location: '/login', body: '' });
    app.methods.length = 0;
    const followed = await requestOnce(`${base}/redirect`, {
      method: 'POST',
      body: 'x=1',
      timeoutMs: 5000,
      followRedirects: true,
    });
    expect(followed).toMatchObject({ ok: true, status: 200, body: '<form>login</form>' });
    expect(app.methods).toEqual(['POST /redirect', 'GET /login']);
  });

  it(`stops following after ${MAX_REDIRECTS} hops and answers with the last redirect`, async () => {
    app.methods.length = 0;
    const r = await requestOnce(`${base}/loop`, { timeoutMs: 5000, followRedirects: true });
    expect(r).toMatchObject({ ok: true, status: 307, location: '/loop' });
    expect(app.methods).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('fails, never throws: no answer in time, a refused connection, a cancelled run, a bad URL', async () => {
    expect(await requestOnce(`${base}/silent`, { timeoutMs: 100 })).toMatchObject({
      ok: false,
      error: 'no complete answer within 100 ms',
    });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const via = new CountingTransport('web1', log);
    const refused = await requestOnce(`http://127.0.0.1:${port}/`, { via, timeoutMs: 5000 });
    expect(refused).toMatchObject({
      ok: false,
      error: `connection refused by 127.0.0.1:${port} (nothing listens there)`,
    });
    const cancelled = await requestOnce(`${base}/silent`, { timeoutMs: 5000, signal: AbortSignal.abort() });
    expect(cancelled).toMatchObject({ ok: false, error: expect.stringMatching(/abort/i) });
    expect(await requestOnce('not a url', { timeoutMs: 5000 })).toMatchObject({ ok: false });
  });
});

/** A transport whose connections fail the way ssh2 reports a refused direct-tcpip channel (SshTransport's wording). */
class SshLikeTransport extends LocalTransport {
  constructor(private readonly said = 'Connection refused') {
    super('web1', log);
  }
  override connectTcp(host: string, port: number): Promise<Duplex> {
    return Promise.reject(
      new ConnectionError(
        `deploy@10.0.0.5:22 could not open a connection to ${host}:${port}: (SSH) Channel open failure: ${this.said}`,
      ),
    );
  }
}

/** A transport whose channels open and never carry a byte (a stuck target). */
class StuckTransport extends LocalTransport {
  override connectTcp(): Promise<Duplex> {
    return new Promise(() => undefined);
  }
}

describe('a failed exchange names its cause', () => {
  const servers: RawServer[] = [];
  const serve = async (answer: Parameters<typeof rawServer>[0]) => {
    const s = await rawServer(answer);
    servers.push(s);
    return `http://127.0.0.1:${s.port}`;
  };
  afterAll(async () => {
    for (const s of servers) await stop(s.server);
  });

  it.each<{ name: string; answer: Parameters<typeof rawServer>[0]; error: (where: string) => RegExp | string }>([
    {
      name: 'reset',
      answer: (_, socket) => socket.resetAndDestroy(),
      error: (where) => `connection reset by ${where} (ECONNRESET)`,
    },
    {
      name: 'closed without answering',
      answer: (_, socket) => socket.end(),
      error: (where) => `${where} closed the connection without answering (other side closed)`,
    },
    {
      name: 'closed in the middle of the answer',
      answer: (_, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"status"'),
      error: (where) =>
        new RegExp(`^${where.replaceAll('.', '\\.')} closed the connection in the middle of its answer`),
    },
  ])('$name', async ({ answer, error }) => {
    const base = await serve(answer);
    const where = base.replace('http://', '');
    const r = await requestOnce(`${base}/health`, { timeoutMs: 5000 });
    const want = error(where);
    expect(r).toMatchObject({ ok: false, error: typeof want === 'string' ? want : expect.stringMatching(want) });
    expect(r.ok || r.error).not.toMatch(/^(closed|other side closed|socket hang up)$/);
  });

  it('over SSH: the channel failure, with what the target said', async () => {
    const r = await requestOnce('http://127.0.0.1:18001/health', {
      via: new SshLikeTransport(),
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({
      ok: false,
      error:
        'the target (deploy@10.0.0.5:22) could not connect to 127.0.0.1:18001: Connection refused (nothing listens there)',
    });
    const forbidden = await requestOnce('http://127.0.0.1:18001/health', {
      via: new SshLikeTransport('open failed'),
      timeoutMs: 5000,
    });
    expect(forbidden).toMatchObject({
      ok: false,
      error:
        'the target (deploy@10.0.0.5:22) could not connect to 127.0.0.1:18001: open failed (the SSH server refused to forward: AllowTcpForwarding or PermitOpen?)',
    });
  });

  it('a transport that never connects gives up after the connect timeout', async () => {
    const r = await requestOnce('http://127.0.0.1:18001/health', {
      via: new StuckTransport('web1', log),
      timeoutMs: 5000,
      connectTimeoutMs: 50,
    });
    expect(r).toMatchObject({ ok: false, error: 'web1 could not connect to 127.0.0.1:18001 within 50 ms' });
  });
});

describe('HttpClient.close', () => {
  it('ends even when a connection never finishes closing (as an SSH channel whose far end never confirms)', async () => {
    // The transport seam: a stream that answers once and whose destroy never completes (no 'close' event), as an
    // ssh2 channel waiting for the server's CHANNEL_CLOSE. A graceful close alone waits for that event forever.
    let destroyCalls = 0;
    const via = {
      name: 'stuck',
      connectTcp: async () =>
        new Duplex({
          read() {},
          write(_chunk, _enc, cb) {
            this.push('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
            cb();
          },
          destroy(_err, _cb) {
            destroyCalls++; // never calls back: 'close' never comes
          },
        }),
    } as unknown as Transport;
    const client = httpClient({ via, keepAlive: true });
    const r = await client.request('http://127.0.0.1:9/', { timeoutMs: 2000 });
    expect(r.ok && r.status).toBe(200);
    await client.close(); // resolves: after the grace time the connection is given up
    expect(destroyCalls).toBeGreaterThan(0);
  });
});
