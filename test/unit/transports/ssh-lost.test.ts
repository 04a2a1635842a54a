/**
 * SshTransport: a connection lost while a forwarded stream (streamlocal, direct-tcpip) is open. ssh2 then only ends
 * and closes such a channel (its channel manager's cleanup, right after the client's 'close'), so an HTTP request in
 * flight over it — a Docker API call to the target's socket — failed with undici's bare `closed`. The transport now
 * tells the stream's reader why first: `the connection to … was lost while using …`.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { Client as SshClient } from 'ssh2';
import { Pool } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionError } from '../../../src/core/errors.js';
import { SshTransport } from '../../../src/transports/ssh.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';

/**
 * A forwarded channel as ssh2 makes one: no 'close' of its own (emitClose false), a destroy() that takes no error
 * (ssh2's ends and closes the channel); written bytes go nowhere.
 */
class FakeChannel extends Duplex {
  written = '';
  constructor() {
    super({ emitClose: false, allowHalfOpen: true });
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.written += chunk.toString();
    cb();
  }
  override destroy(): this {
    this.end();
    return this;
  }
}

/** The parts of ssh2's Client the transport's forwarding uses, and a loss as ssh2 reports one. */
class FakeSsh extends EventEmitter {
  readonly channels: FakeChannel[] = [];
  openssh_forwardOutStreamLocal(_path: string, cb: (err: Error | undefined, s: Duplex) => void): void {
    const ch = new FakeChannel();
    this.channels.push(ch);
    setImmediate(() => cb(undefined, ch));
  }
  forwardOut(_a: string, _b: number, _host: string, _port: number, cb: (err: Error | undefined, s: Duplex) => void) {
    this.openssh_forwardOutStreamLocal('', cb);
  }
  /**
   * The socket reset: ssh2 emits 'error' (client-socket), then 'close', then its channel manager ends every channel
   * and emits its 'close' (once its 'end' was emitted, when it is still readable).
   */
  lose(): void {
    this.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', level: 'client-socket' }));
    this.emit('close');
    for (const ch of this.channels) {
      ch.push(null);
      if (!ch.readable || ch.readableEnded) ch.emit('close');
      else ch.once('end', () => ch.emit('close'));
    }
  }
  /** The transport's own close: the connection ends a moment later. */
  end(): void {
    setImmediate(() => this.lose());
  }
}

const transport = (ssh: FakeSsh) =>
  new SshTransport('host2', 'deploy@10.0.0.2:22', ssh as unknown as SshClient, undefined, captureLogger(), 'deploy');

describe('SshTransport: a connection lost under an open forwarded stream', () => {
  it('a Docker API call in flight over the Unix socket fails saying the connection was lost, not `closed`', async () => {
    const ssh = new FakeSsh();
    const t = transport(ssh);
    const pool = new Pool('http://docker', {
      connect: (_opts, callback) => {
        t.openUnixSocket('/var/run/docker.sock').then(
          (s) => callback(null, s as Socket),
          (err: Error) => callback(err, null),
        );
      },
    });
    try {
      const call = pool.request({ method: 'POST', path: '/v1.41/containers/abc/start' });
      // The request went out over the channel; dockerd has not answered yet.
      await vi.waitFor(() => expect(ssh.channels[0]?.written).toMatch(/^POST \/v1\.41\/containers\/abc\/start/));
      ssh.lose();
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toBe(
        'the connection to deploy@10.0.0.2:22 was lost (read ECONNRESET) while using the Unix socket /var/run/docker.sock',
      );
      // A new call cannot open a channel on the lost connection: the same reason.
      await expect(pool.request({ method: 'GET', path: '/_ping' })).rejects.toThrow(
        /the connection to deploy@10\.0\.0\.2:22 was lost/,
      );
    } finally {
      await pool.destroy();
    }
  });

  it('a TCP stream being read is told why; one nobody listens to for errors is closed as before, no crash', async () => {
    const ssh = new FakeSsh();
    const t = transport(ssh);
    const heard = await t.connectTcp('127.0.0.1', 18004);
    const unheard = await t.connectTcp('127.0.0.1', 18005);
    const errors: Error[] = [];
    heard.on('error', (e) => errors.push(e));
    let closed = 0;
    for (const s of [heard, unheard]) s.on('close', () => closed++).resume();
    ssh.lose();
    expect(errors.map((e) => e.message)).toEqual([
      'the connection to deploy@10.0.0.2:22 was lost (read ECONNRESET) while using a TCP connection to 127.0.0.1:18004',
    ]);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
    await vi.waitFor(() => expect(closed).toBe(2));
    expect(unheard.listenerCount('error')).toBe(0);
  });

  it('a stream that closed before the loss is forgotten: nothing reaches it', async () => {
    const ssh = new FakeSsh();
    const t = transport(ssh);
    const s = await t.openUnixSocket('/var/run/docker.sock');
    const onError = vi.fn();
    s.on('error', onError);
    s.emit('close');
    ssh.channels.length = 0; // ssh2 forgets a closed channel too
    ssh.lose();
    expect(onError).not.toHaveBeenCalled();
  });

  it('a connection the transport closed itself says nothing to its streams', async () => {
    const ssh = new FakeSsh();
    const t = transport(ssh);
    const s = await t.openUnixSocket('/var/run/docker.sock');
    const onError = vi.fn();
    s.on('error', onError);
    await t.close();
    expect(onError).not.toHaveBeenCalled();
  });
});
