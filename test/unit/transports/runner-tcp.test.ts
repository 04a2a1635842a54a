/**
 * The runner's own TCP connections (src/transports/runner-tcp.ts), against real sockets on 127.0.0.1: a connection
 * that carries bytes both ways, a refused port, a cancelled attempt, and RunnerNetwork refusing anything but
 * connections.
 */
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../src/core/errors.js';
import { connectFromRunner, RunnerNetwork } from '../../../src/transports/runner-tcp.js';
import { acceptsTcp } from '../../../src/transports/tcp-probe.js';

/** A server on a free port of 127.0.0.1 that answers each line with `echo: <line>`. */
let echo: Server;
let port: number;
/** A port nothing listens on (bound once to find it, then closed). */
let closedPort: number;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

beforeAll(async () => {
  echo = createServer((socket) => socket.on('data', (d) => socket.write(`echo: ${d.toString()}`)));
  port = await listen(echo);
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});

afterAll(() => new Promise((r) => echo.close(r)));

describe('connectFromRunner', () => {
  it('opens a connection that carries bytes both ways', async () => {
    const socket = await connectFromRunner('127.0.0.1', port);
    const answer = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    socket.write('ping');
    expect(await answer).toBe('echo: ping');
    socket.destroy();
  });

  it("rejects with the socket's error when nothing listens", async () => {
    await expect(connectFromRunner('127.0.0.1', closedPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with CancelledError naming the address when cancelled', async () => {
    const stop = new AbortController();
    stop.abort();
    const err = await connectFromRunner('127.0.0.1', port, { signal: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe(`connecting to 127.0.0.1:${port} was cancelled`);
  });
});

describe('RunnerNetwork', () => {
  const net = new RunnerNetwork(2000);

  it('is what the TCP probes of a docker: target without a load balancer go through', async () => {
    expect(await acceptsTcp(net, '127.0.0.1', port)).toBe(true);
    expect(await acceptsTcp(net, '127.0.0.1', closedPort)).toBe(false);
  });

  it('refuses commands and files: there is no host behind it', async () => {
    const refusals = await Promise.all([
      net.exec(['docker', 'ps']).catch((e: unknown) => e),
      net.upload('/etc/x', Readable.from(['x'])).catch((e: unknown) => e),
      net.download('/etc/x').catch((e: unknown) => e),
    ]);
    for (const err of refusals) expect(err).toBeInstanceOf(UserError);
    expect(refusals.map((e) => (e as Error).message)).toEqual([
      "the runner's network only opens TCP connections; it cannot run docker",
      "the runner's network only opens TCP connections; it cannot write /etc/x",
      "the runner's network only opens TCP connections; it cannot read /etc/x",
    ]);
  });
});
