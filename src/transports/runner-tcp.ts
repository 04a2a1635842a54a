/**
 * TCP connections opened by the runner itself, for hosts it reaches directly: the network checks of a `docker:`
 * target's replicas when the environment has no load balancer (health gates, free-port probes). A connection that
 * is neither made nor refused within the connect timeout fails, naming the address, rather than hanging for the
 * kernel's minutes of SYN retries.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { authorityOf } from '../core/address.js';
import { CancelledError, UserError } from '../core/errors.js';
import type { ExecResult, Transport } from './types.js';

/** How long a connection attempt may take before it fails (a filtered port never answers). */
export const RUNNER_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A TCP connection from the runner to host:port (Nagle off). Rejects with the socket's error (ECONNREFUSED …), a
 * UserError naming the address after `timeoutMs`, or CancelledError when `signal` aborts first; the socket is destroyed
 * whenever it rejects.
 */
export function connectFromRunner(
  host: string,
  port: number,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Socket> {
  const timeoutMs = opts.timeoutMs ?? RUNNER_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new CancelledError(`connecting to ${authorityOf(host, port)} was cancelled`));
      return;
    }
    const socket = netConnect({ host, port, noDelay: true });
    const fail = (err: Error) => {
      done();
      socket.destroy();
      reject(err);
    };
    const onError = (err: Error) => fail(err);
    const onAbort = () => fail(new CancelledError(`connecting to ${authorityOf(host, port)} was cancelled`));
    const timer = setTimeout(
      () =>
        fail(new UserError(`no TCP connection to ${authorityOf(host, port)} within ${timeoutMs} ms (from the runner)`)),
      timeoutMs,
    );
    const done = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    socket.once('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      done();
      resolve(socket);
    });
  });
}

/**
 * The runner's own network as a Transport that only connects: `connectTcp` is connectFromRunner; commands and file
 * transfers are refused (there is no host behind it to run them on). Closing it closes nothing.
 */
export class RunnerNetwork implements Transport {
  readonly name = 'the runner';

  constructor(private readonly timeoutMs = RUNNER_CONNECT_TIMEOUT_MS) {}

  connectTcp(host: string, port: number): Promise<Duplex> {
    return connectFromRunner(host, port, { timeoutMs: this.timeoutMs });
  }

  exec(argv: readonly string[]): Promise<ExecResult> {
    return Promise.reject(this.refuse(`run ${argv[0] ?? 'a command'}`));
  }

  upload(remotePath: string, _source: Readable): Promise<void> {
    return Promise.reject(this.refuse(`write ${remotePath}`));
  }

  download(remotePath: string): Promise<Readable> {
    return Promise.reject(this.refuse(`read ${remotePath}`));
  }

  async close(): Promise<void> {}

  private refuse(what: string): UserError {
    return new UserError(`the runner's network only opens TCP connections; it cannot ${what}`);
  }
}
