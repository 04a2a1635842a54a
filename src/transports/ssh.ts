/**
 * The SSH transport: one authenticated connection per target (optionally through a jump host), reused by every
 * command, with host keys pinned by known_hosts. The private key stays in memory.
 */
import type { Duplex, Readable } from 'node:stream';
import type { Client, SFTPWrapper } from 'ssh2';
import { renameArgv } from '../commands/files.js';
import { CancelledError, ConnectionError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { toRemoteCommand } from '../core/quote.js';
import { exitText } from './exit-status.js';
import { parseKnownHosts } from './known-hosts.js';
import { withSecretEnv } from './secret-env.js';
import { Semaphore } from './semaphore.js';
import { openStreamLocal, openTcp } from './ssh-channel.js';
import { forwardThrough, openClient } from './ssh-connect.js';
import { execOnChannel } from './ssh-exec.js';
import { parsePrivateKey } from './ssh-key.js';
import { sftpDownload, sftpUpload } from './ssh-sftp.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';

export interface SshJump {
  host: string;
  port: number;
  user: string;
}

export interface SshOptions {
  /** Name used in logs, e.g. `web1`. */
  name: string;
  host: string;
  port: number;
  user: string;
  /** OpenSSH, PEM or PKCS#8 private key text (CRLF tolerated). Held in memory only. */
  privateKey: string;
  passphrase?: string;
  /** known_hosts text; the pinned keys of the target (and jump host). */
  knownHosts: string;
  /** Accept any host key (with a loud warning). */
  insecureIgnoreHostKey: boolean;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Connect through this host first (same key and known_hosts). */
  jump?: SshJump;
  /** Cancels the connection attempt (the runner's SIGINT/SIGTERM signal). */
  signal?: AbortSignal;
}

/** OpenSSH's MaxSessions defaults to 10; keep two free (SFTP uses one). */
const MAX_CHANNELS = 8;

/** Connect (and authenticate) to the target, through the jump host if given. Rejects with ConnectionError. */
export async function connectSsh(opts: SshOptions, logger: Logger): Promise<SshTransport> {
  // Defence in depth: the action also registers its inputs, but nothing derived from the key may ever be printed.
  logger.addSecret(opts.privateKey);
  if (opts.passphrase) logger.addSecret(opts.passphrase);
  const key = parsePrivateKey(opts.privateKey, opts.passphrase);
  if (key.convertedFrom) {
    // The re-encoded (decrypted) key is key material too.
    logger.addSecret(key.text);
    logger.debug(
      `ssh: ${key.convertedFrom} private key (${key.type} ${key.fingerprint}) re-encoded in memory for ssh2`,
    );
  }
  const knownHosts = parseKnownHosts(opts.knownHosts);
  for (const note of knownHosts.notes) logger.warn(note);
  const common = {
    key,
    knownHosts,
    insecureIgnoreHostKey: opts.insecureIgnoreHostKey,
    connectTimeoutMs: opts.connectTimeoutMs,
    keepaliveIntervalMs: opts.keepaliveIntervalMs,
    signal: opts.signal,
  };
  const where = `${opts.user}@${opts.host}:${opts.port}`;
  if (!opts.jump) {
    const client = await openClient({ ...common, host: opts.host, port: opts.port, user: opts.user }, logger);
    return new SshTransport(opts.name, where, client, undefined, logger, opts.user);
  }
  const jumpLabel = `jump host ${opts.jump.host}:${opts.jump.port}`;
  const jump = await openClient({ ...common, ...opts.jump, label: jumpLabel }, logger);
  try {
    const sock = await forwardThrough(jump, jumpLabel, opts.host, opts.port, opts.connectTimeoutMs);
    const label = `${opts.host}:${opts.port} (via ${jumpLabel})`;
    const client = await openClient(
      { ...common, host: opts.host, port: opts.port, user: opts.user, sock, label },
      logger,
    );
    const via = `${where} via ${opts.jump.host}:${opts.jump.port}`;
    return new SshTransport(opts.name, via, client, jump, logger, opts.user);
  } catch (err) {
    jump.end();
    throw err;
  }
}

export class SshTransport implements Transport {
  private readonly slots = new Semaphore(MAX_CHANNELS);
  private readonly lostListeners = new Set<(err: ConnectionError) => void>();
  private lost: ConnectionError | undefined;
  private closing: Promise<void> | undefined;
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private lastError: string | undefined;
  private readonly ended = new Set<Client>();

  constructor(
    readonly name: string,
    /** `user@host:port` (and the jump host), for messages. */
    readonly where: string,
    private readonly client: Client,
    private readonly jump: Client | undefined,
    private readonly logger: Logger,
    /** The login user, for messages about what sshd allows it. */
    readonly user = 'the SSH user',
  ) {
    const onError = (err: Error): void => {
      this.lastError = err.message;
      logger.debug(`ssh: ${where}: ${err.message}`);
    };
    const onClose = (): void => {
      if (this.closing || this.lost) return;
      const reason = this.lastError ? ` (${this.lastError})` : '';
      this.lost = new ConnectionError(`the connection to ${where} was lost${reason}`);
      for (const listener of [...this.lostListeners]) listener(this.lost);
    };
    for (const c of [client, jump]) {
      c?.on('error', onError);
      c?.on('close', () => {
        this.ended.add(c);
        onClose();
      });
    }
  }

  async exec(argv: readonly string[], given: ExecOptions = {}): Promise<ExecResult> {
    const program = argv[0] ?? '';
    let opts = given;
    let full: readonly string[] = argv;
    if (given.secretEnv && Object.keys(given.secretEnv).length > 0) {
      const wrapped = withSecretEnv(argv, given.secretEnv, given.stdin);
      full = wrapped.argv;
      opts = { ...given, stdin: wrapped.stdin };
    }
    const command = toRemoteCommand(full, { env: opts.env, cwd: opts.cwd });
    this.assertOpen();
    const release = await this.slots.acquire(opts.signal, () => this.cancelledWhileQueued(program));
    try {
      this.assertOpen();
    } catch (err) {
      release();
      throw err;
    }
    return execOnChannel(
      {
        client: this.client,
        source: this.name,
        where: this.where,
        logger: this.logger,
        onLost: (cb) => {
          this.lostListeners.add(cb);
          return () => this.lostListeners.delete(cb);
        },
        release,
      },
      command,
      program,
      opts,
    );
  }

  async upload(remotePath: string, source: Readable, opts: { mode?: number } = {}): Promise<void> {
    const sftp = await this.sftp();
    await sftpUpload(sftp, remotePath, source, opts.mode ?? 0o600, async (from, to) => {
      const result = await this.exec(renameArgv(from, to), { quiet: true });
      if (result.code !== 0) throw new Error(`mv failed (${exitText(result)}): ${result.stderr.trim()}`);
    });
  }

  async download(remotePath: string): Promise<Readable> {
    return sftpDownload(await this.sftp(), remotePath);
  }

  /**
   * A TCP stream from the target to host:port (direct-tcpip), for probes of addresses only the target reaches. A
   * refusal by sshd rejects with ForwardingRefusedError (naming the sshd_config option), unlike a closed port.
   */
  connectTcp(host: string, port: number): Promise<Duplex> {
    this.assertOpen();
    return openTcp(this.client, this.where, this.user, host, port).then((s) =>
      this.failsWhenLost(s, `a TCP connection to ${host}:${port}`),
    );
  }

  /**
   * A stream to a Unix socket on the target (OpenSSH streamlocal forwarding), e.g. `/var/run/docker.sock`. When it
   * fails, the socket is looked at through the shell: missing, not accessible, or sshd refusing the channel.
   */
  openUnixSocket(path: string): Promise<Duplex> {
    this.assertOpen();
    return openStreamLocal(this.client, this.where, this.user, path, (argv) =>
      this.exec(argv, { quiet: true, timeoutMs: 15_000 }),
    ).then((s) => this.failsWhenLost(s, `the Unix socket ${path}`));
  }

  /** End the connection (and the jump host's). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all(
      [this.client, this.jump].map((c) => (c && !this.ended.has(c) ? endClient(c) : undefined)),
    ).then(() => {});
    return this.closing;
  }

  /**
   * A forwarded stream (direct-tcpip, streamlocal) that, when the connection is lost, first errors with why: ssh2
   * then only ends and closes it, so a Docker API call in flight over it failed with undici's bare `closed` (as if
   * dockerd had hung up) instead of `the connection to … was lost`. Emitted only to a stream someone listens to for
   * errors (an unheard 'error' would end the process); ssh2 closes it right after, as before.
   */
  private failsWhenLost(stream: Duplex, what: string): Duplex {
    const onLost = (err: ConnectionError): void => {
      this.lostListeners.delete(onLost);
      if (stream.destroyed || stream.listenerCount('error') === 0) return;
      stream.emit('error', new ConnectionError(`${err.message} while using ${what}`));
    };
    this.lostListeners.add(onLost);
    stream.once('close', () => this.lostListeners.delete(onLost));
    return stream;
  }

  private assertOpen(): void {
    if (this.lost) throw this.lost;
    if (this.closing) throw new ConnectionError(`the connection to ${this.where} is closed`);
  }

  private cancelledWhileQueued(program: string): Error {
    return new CancelledError(`\`${program}\` was cancelled before it started`);
  }

  private sftp(): Promise<SFTPWrapper> {
    this.assertOpen();
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          this.sftpSession = undefined;
          reject(new ConnectionError(`could not start SFTP on ${this.where}: ${err.message}`));
          return;
        }
        sftp.on('close', () => {
          this.sftpSession = undefined;
        });
        resolve(sftp);
      });
    });
    return this.sftpSession;
  }
}

/** Half-close politely, then give up waiting after a second. */
function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, 1000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}
