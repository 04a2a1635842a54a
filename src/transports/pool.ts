import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { LocalTransport } from './local.js';
import type { Transport } from './types.js';

/** SSH credentials from the action inputs; held in memory only. */
export interface SshCredentials {
  privateKey?: string;
  passphrase?: string;
  knownHosts?: string;
  insecureIgnoreHostKey: boolean;
}

interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

/** The target shapes a pool can open (structurally the config's targets). */
export type PoolTarget =
  | {
      name: string;
      ssh: SshEndpoint & { jump?: SshEndpoint; 'connect-timeout': number; 'keepalive-interval': number };
    }
  | { name: string; local: true }
  | { name: string; docker: { host: string } };

/**
 * One connection per target for the whole run: every command of every check or step reuses it. Connections are
 * opened on first use and all closed by `close()` (registered as runner cleanup).
 */
export class TargetPool {
  private readonly open = new Map<string, Promise<Transport>>();

  constructor(
    private readonly creds: SshCredentials,
    private readonly log: Logger,
    /** Cancels connection attempts still in progress (the runner's signal). */
    private readonly signal?: AbortSignal,
  ) {}

  get(target: PoolTarget): Promise<Transport> {
    let t = this.open.get(target.name);
    if (!t) {
      t = this.connect(target);
      this.open.set(target.name, t);
    }
    return t;
  }

  private async connect(target: PoolTarget): Promise<Transport> {
    if ('local' in target) return new LocalTransport(target.name, this.log);
    if ('docker' in target) {
      throw new ConfigError(
        `target ${target.name}: docker targets (${target.docker.host}) are not supported by this action yet; use ssh or local`,
      );
    }
    const { privateKey, passphrase, knownHosts, insecureIgnoreHostKey } = this.creds;
    if (!privateKey) throw new ConfigError(`target ${target.name} uses SSH: the input "ssh-private-key" is required`);
    if (!knownHosts && !insecureIgnoreHostKey) {
      throw new ConfigError(
        `target ${target.name} uses SSH: the input "ssh-known-hosts" is required to pin its host key (ssh-keyscan -p ${target.ssh.port} ${target.ssh.host}, then verify the fingerprint)`,
      );
    }
    // ssh2 (~0.8 MB with its crypto) is loaded only when a run opens its first SSH connection.
    const { connectSsh } = await import('./ssh.js');
    return connectSsh(
      {
        name: target.name,
        host: target.ssh.host,
        port: target.ssh.port,
        user: target.ssh.user,
        privateKey,
        passphrase,
        knownHosts: knownHosts ?? '',
        insecureIgnoreHostKey,
        connectTimeoutMs: target.ssh['connect-timeout'],
        keepaliveIntervalMs: target.ssh['keepalive-interval'],
        jump: target.ssh.jump,
        signal: this.signal,
      },
      this.log,
    );
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    // A connection still being opened is given up by the abort signal; an open one is closed.
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
