/**
 * Answers undici's strict parser refuses but nginx and curl read (header lines ending in a bare LF, as busybox httpd
 * relays a CGI's): read by the lenient path, from the runner and through a transport, remembered per origin; a
 * method that must not be sent twice gets the real parse error instead.
 */
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { httpClient, requestOnce } from '../../../src/http/client.js';
import { LocalTransport } from '../../../src/transports/local.js';
import { bareLf, type RawServer, rawServer, stop } from './servers.js';

const log = new StreamLogger({ sink: () => undefined, masker: new Masker(), mode: 'cli', debug: false });

class CountingTransport extends LocalTransport {
  readonly opened: string[] = [];
  override connectTcp(host: string, port: number): Promise<Duplex> {
    this.opened.push(`${host}:${port}`);
    return super.connectTcp(host, port);
  }
}

/** A transport whose streams ignore destroy(err)'s error, as ssh2's channels do (they only end and close). */
class ChannelLikeTransport extends LocalTransport {
  override async connectTcp(host: string, port: number): Promise<Duplex> {
    const socket = await super.connectTcp(host, port);
    const destroy = socket.destroy.bind(socket);
    const stream = new PassThroughLike(socket);
    stream.destroy = (() => {
      destroy();
      return stream;
    }) as typeof stream.destroy;
    return stream;
  }
}

/** A plain Duplex over a socket (not a net.Socket, like an ssh2 channel). */
class PassThroughLike extends Duplex {
  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (d) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.emit('close'));
  }
  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }
  override _final(cb: () => void): void {
    this.socket.end();
    cb();
  }
}

describe('answers with bare-LF header lines', () => {
  let cgi: RawServer;
  let garbage: RawServer;
  beforeAll(async () => {
    cgi = await rawServer((head, socket) => {
      const path = head.split(' ')[1] ?? '';
      if (path === '/big') socket.end(bareLf('200 OK', 'x'.repeat(50_000)));
      else if (path === '/moved') socket.end(bareLf('302 Found', '', { Location: '/health' }));
      else
        socket.end(bareLf('200 OK', `{"status":"ok","host":${JSON.stringify(/\r\nhost: ([^\r]*)/i.exec(head)?.[1])}}`));
    });
    garbage = await rawServer((_, socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
  });
  afterAll(async () => {
    await stop(cgi.server);
    await stop(garbage.server);
  });

  it('reads them (status, headers, body), sending the GET once more on a connection of its own', async () => {
    const before = cgi.connections();
    const r = await requestOnce(`http://127.0.0.1:${cgi.port}/health`, { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, status: 200, truncated: false });
    expect(r.ok && JSON.parse(r.body)).toMatchObject({ status: 'ok', host: `127.0.0.1:${cgi.port}` });
    expect(r.ok && r.headers['content-type']).toBe('application/json');
    expect(cgi.connections() - before).toBe(2);
  });

  it('sends the request headers on the lenient path too (Host)', async () => {
    const r = await requestOnce(`http://127.0.0.1:${cgi.port}/health`, {
      timeoutMs: 5000,
      headers: { Host: 'api.example.test' },
    });
    expect(r.ok && JSON.parse(r.body)).toMatchObject({ host: 'api.example.test' });
    expect(cgi.requests.at(-1)).toMatch(/\r\nConnection: close(\r\n|$)/i);
  });

  it('remembers the origin: later requests of the client go to the lenient reader directly', async () => {
    const client = httpClient({ keepAlive: false });
    try {
      const before = cgi.connections();
      for (let i = 0; i < 3; i++) {
        expect(await client.request(`http://127.0.0.1:${cgi.port}/health`, { timeoutMs: 5000 })).toMatchObject({
          ok: true,
          status: 200,
        });
      }
      expect(cgi.connections() - before).toBe(4); // strict try + lenient, then lenient twice
    } finally {
      await client.close();
    }
  });

  it('through a transport: both tries open their connection through it', async () => {
    const via = new CountingTransport('web1', log);
    const r = await requestOnce(`http://127.0.0.1:${cgi.port}/health`, { via, timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(via.opened).toEqual([`127.0.0.1:${cgi.port}`, `127.0.0.1:${cgi.port}`]);
  });

  it('through a transport whose streams drop the error of destroy(err) (ssh2 channels): still read, cause kept', async () => {
    const via = new ChannelLikeTransport('web1', log);
    expect(await requestOnce(`http://127.0.0.1:${cgi.port}/health`, { via, timeoutMs: 5000 })).toMatchObject({
      ok: true,
      status: 200,
    });
    const post = await requestOnce(`http://127.0.0.1:${cgi.port}/submit`, { via, method: 'POST', timeoutMs: 5000 });
    expect(post).toMatchObject({
      ok: false,
      error: expect.stringMatching(/is not valid HTTP\/1\.x: Missing expected CR/),
    });
  });

  it('keeps the body cap and follows redirects on the lenient path', async () => {
    const big = await requestOnce(`http://127.0.0.1:${cgi.port}/big`, { timeoutMs: 5000, maxBodyBytes: 1000 });
    expect(big).toMatchObject({ ok: true, truncated: true });
    expect(big.ok && big.body.length).toBe(1000);
    const moved = await requestOnce(`http://127.0.0.1:${cgi.port}/moved`, { timeoutMs: 5000, followRedirects: true });
    expect(moved).toMatchObject({ ok: true, status: 200 });
  });

  it('never sends a POST twice: the parse error is the answer until a GET showed the origin needs leniency', async () => {
    const client = httpClient();
    try {
      const url = `http://127.0.0.1:${cgi.port}/submit`;
      const before = cgi.connections();
      const first = await client.request(url, { method: 'POST', body: 'x=1', timeoutMs: 5000 });
      expect(first).toMatchObject({
        ok: false,
        error: `the answer from 127.0.0.1:${cgi.port} is not valid HTTP/1.x: Missing expected CR after response line; not read leniently, as a POST is never sent twice`,
      });
      expect(cgi.connections() - before).toBe(1);
      await client.request(`http://127.0.0.1:${cgi.port}/health`, { timeoutMs: 5000 });
      expect(await client.request(url, { method: 'POST', body: 'x=1', timeoutMs: 5000 })).toMatchObject({
        ok: true,
        status: 200,
      });
    } finally {
      await client.close();
    }
  });

  it('names the parse error when even the lenient reader cannot read the answer', async () => {
    const r = await requestOnce(`http://127.0.0.1:${garbage.port}/health`, { timeoutMs: 5000 });
    expect(r).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        new RegExp(`^the answer from 127\\.0\\.0\\.1:${garbage.port} is not valid HTTP/1\\.x: .+`),
      ),
    });
  });
});
