/**
 * One SSH hop: TCP (or a forwarded stream), host key verification against known_hosts BEFORE authentication, public
 * key login, and every way that can fail turned into a ConnectionError that says what to do.
 */
import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import ssh2 from 'ssh2';
import { CancelledError, ConnectionError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { formatDuration } from './command.js';
import {
  fingerprint,
  hostKeyAlgorithmsFor,
  type KnownHostsDb,
  keyType,
  knownHostsName,
  lookupHostKeys,
  verifyHostKey,
} from './known-hosts.js';
import type { PrivateKeyInfo } from './ssh-key.js';

export interface HopOptions {
  host: string;
  port: number;
  user: string;
  /** The parsed key; its `passphrase` (if any) is what ssh2 needs to decrypt `key.text`. */
  key: PrivateKeyInfo;
  knownHosts: KnownHostsDb;
  insecureIgnoreHostKey: boolean;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** An already-open stream to the server (a jump host's forwarded channel); otherwise a TCP connection is made. */
  sock?: Duplex;
  /** How this hop is named in messages, e.g. `jump host 10.0.0.1:22`; defaults to `host:port`. */
  label?: string;
  /** Abort the connection attempt (SIGINT/SIGTERM): rejects with CancelledError at once. */
  signal?: AbortSignal;
}

type SshError = Error & { level?: string; code?: string };

/** Host key algorithms to offer: only those that can present a pinned (non-revoked) key, or undefined for defaults. */
function pinnedHostKeyAlgorithms(db: KnownHostsDb, host: string, port: number): string[] | undefined {
  const { keys, revoked } = lookupHostKeys(db, host, port);
  const usable = keys.filter((k) => !revoked.some((r) => r.equals(k.key)));
  const algorithms = [...new Set(usable.flatMap((k) => hostKeyAlgorithmsFor(k.type)))];
  return algorithms.length > 0 ? algorithms : undefined;
}

/** Connect and authenticate one hop. Resolves with a ready Client that already has an `error` listener attached. */
export function openClient(hop: HopOptions, logger: Logger): Promise<Client> {
  const where = hop.label ?? `${hop.host}:${hop.port}`;
  const client = new ssh2.Client();
  const algorithms = hop.insecureIgnoreHostKey
    ? undefined
    : pinnedHostKeyAlgorithms(hop.knownHosts, hop.host, hop.port);
  let hostKeyFailure: ConnectionError | undefined;
  let handshakeDone = false;

  const hostVerifier = (offered: Buffer): boolean => {
    const offeredText = `${keyType(offered) ?? 'unknown-type'} ${fingerprint(offered)}`;
    if (hop.insecureIgnoreHostKey) {
      logger.warn(
        `ssh-insecure-ignore-host-key is set: accepting ${knownHostsName(hop.host, hop.port)}'s host key ` +
          `${offeredText} WITHOUT verification — anyone on the network path can impersonate this server`,
      );
      return true;
    }
    const verdict = verifyHostKey(hop.knownHosts, hop.host, hop.port, offered);
    if (verdict.ok) {
      logger.debug(`ssh: ${where} presented pinned host key ${offeredText}`);
      return true;
    }
    hostKeyFailure = new ConnectionError(verdict.message);
    return false;
  };

  // noDelay: SSH sends many small packets (channel open, exec, EOF); with Nagle each command costs ~80 ms more.
  const sock = hop.sock ?? tcpConnect({ host: hop.host, port: hop.port, noDelay: true });
  if (!hop.sock) {
    sock.once('connect', () => {
      const local = sock as unknown as { localAddress?: string; localPort?: number };
      logger.debug(`ssh: TCP connected to ${where} from ${local.localAddress}:${local.localPort}`);
    });
  }

  const config: ConnectConfig = {
    sock,
    username: hop.user,
    privateKey: hop.key.text,
    readyTimeout: hop.connectTimeoutMs,
    keepaliveInterval: hop.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    authHandler: ['publickey'],
    hostVerifier,
  };
  if (hop.key.passphrase !== undefined) config.passphrase = hop.key.passphrase;
  if (algorithms)
    config.algorithms = { serverHostKey: algorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };

  const describe = (err: SshError): ConnectionError => {
    if (hostKeyFailure) return hostKeyFailure;
    const code = err.code ?? '';
    if (code === 'ECONNREFUSED') return new ConnectionError(`connection refused by ${where}`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
      return new ConnectionError(`could not resolve host name ${JSON.stringify(hop.host)} (${code}) for ${where}`);
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
      return new ConnectionError(`cannot reach ${where} (${code})`);
    }
    if (err.level === 'client-timeout' || err instanceof HopTimeout) {
      return handshakeDone
        ? new ConnectionError(
            `SSH login to ${where} did not finish within ${formatDuration(hop.connectTimeoutMs)} (connect-timeout)`,
          )
        : new ConnectionError(
            `no SSH answer from ${where} within ${formatDuration(hop.connectTimeoutMs)} (connect-timeout)`,
          );
    }
    if (err.level === 'client-authentication') {
      return new ConnectionError(
        `authentication failed for ${hop.user}@${where}: the server rejected the private key ` +
          `(${hop.key.fingerprint} of the public key)`,
      );
    }
    if (/no matching host key format/i.test(err.message) && algorithms) {
      return new ConnectionError(
        `${where} offers none of the host key types pinned for it in ssh-known-hosts (${algorithms.join(', ')}); ` +
          'pin the key the server actually has (ssh-keyscan, then verify the fingerprint out of band)',
      );
    }
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      return new ConnectionError(`${where} closed the connection during the SSH handshake (${code})`);
    }
    return new ConnectionError(`SSH connection to ${where} failed: ${err.message}`);
  };

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => fail(new CancelledError(`connecting to ${where} was cancelled`));
    const fail = (err: SshError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      hop.signal?.removeEventListener('abort', onAbort);
      reject(err instanceof CancelledError ? err : describe(err));
      client.destroy();
      sock.destroy();
    };
    if (hop.signal?.aborted) {
      fail(new CancelledError(`connecting to ${where} was cancelled`));
      return;
    }
    hop.signal?.addEventListener('abort', onAbort, { once: true });
    // ssh2's readyTimeout covers this already; the guard only makes sure no path can hang past the deadline.
    const guard = setTimeout(() => fail(new HopTimeout()), hop.connectTimeoutMs + 2000);
    client.on('handshake', () => {
      handshakeDone = true;
    });
    client.on('error', (err: SshError) => {
      if (!settled) fail(err);
      else logger.debug(`ssh: ${where}: ${err.message}`);
    });
    client.on('close', () => fail(new Error('the connection closed during the SSH handshake')));
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      hop.signal?.removeEventListener('abort', onAbort);
      logger.debug(`ssh: logged in to ${hop.user}@${where} with key ${hop.key.fingerprint}`);
      resolve(client);
    });
    try {
      client.connect(config);
    } catch (err) {
      fail(err as SshError);
    }
  });
}

class HopTimeout extends Error {
  constructor() {
    super('timed out');
  }
}

/** Open a TCP stream from `jump` to host:port (direct-tcpip), bounded by `timeoutMs`. */
export function forwardThrough(
  jump: Client,
  jumpLabel: string,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(
        new ConnectionError(
          `${jumpLabel} did not open a connection to ${host}:${port} within ${formatDuration(timeoutMs)}`,
        ),
      );
    }, timeoutMs);
    jump.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      clearTimeout(timer);
      if (timedOut) stream?.destroy();
      else if (err)
        reject(new ConnectionError(`${jumpLabel} could not open a connection to ${host}:${port}: ${err.message}`));
      else resolve(stream);
    });
  });
}
