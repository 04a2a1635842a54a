/**
 * One host's part of the upstream on the environment's load balancer (`environments.<name>.load-balancer`): the
 * upstream lists every host's replicas at that host's address (`10.0.0.5:18001`); each host's deploy sees and
 * changes only its own servers, as if the upstream were its own (`127.0.0.1:18001`). Changes from the hosts of a
 * batch, which deploy at once, are made one at a time (read, rewrite, test, reload under one lock per upstream), so
 * no host's change overwrites another's.
 */

import { authorityOf, isLoopback } from '../core/address.js';
import { UserError } from '../core/errors.js';
import type { Semaphore } from '../transports/semaphore.js';
import type { NginxUpstream } from './nginx.js';
import { hostPortOf, isPlaceholder, type UpstreamFile, type UpstreamServer } from './upstream-file.js';
import type { UpstreamSwitch } from './upstream-switch.js';

/** What a share needs of the whole upstream on the load balancer (NginxUpstream). */
export type WholeUpstream = UpstreamSwitch & Pick<NginxUpstream, 'parse'>;

export class HostShare implements UpstreamSwitch {
  /**
   * @param lb the whole upstream, on the load balancer's host.
   * @param address where the load balancer reaches this host (`10.0.0.5`; `127.0.0.1` for the balancer itself).
   * @param lock one per upstream file, shared by every host's share in the run.
   * @param hosts the addresses of every host that runs the fronted service, and whether this share also holds the
   *   servers of no such host (a team's servers from before the take-over, a fresh site's placeholder): exactly one
   *   share does (the first host), so those are taken over — drained once its replicas serve — exactly once. Such a
   *   server on the balancer's own loopback is shown as `<balancer>:port` (the balancer's target name), never as
   *   `127.0.0.1:port`, which in a host's view is that host's own replica (ProbeVia reaches `<balancer>` on the
   *   balancer's loopback).
   */
  constructor(
    private readonly lb: WholeUpstream,
    readonly address: string,
    private readonly lock: Semaphore,
    private readonly hosts: { owners: readonly string[]; claimsUnowned: boolean; balancer?: string } = {
      owners: [address],
      claimsUnowned: false,
    },
    /** `closed` set: this host was abandoned by its rollout; every change refuses from then on. */
    private readonly fence: { closed?: boolean } = {},
  ) {}

  current(): Promise<string | undefined> {
    return this.lb.current();
  }

  async read(): Promise<{ text: string | undefined; file: UpstreamFile }> {
    const { text, file } = await this.lb.read();
    return { text, file: this.view(file) };
  }

  assertWritable(): Promise<void> {
    return this.lb.assertWritable();
  }

  master(): Promise<{ pid: number; workers: number[] }> {
    return this.lb.master();
  }

  render(text: string | undefined, servers: readonly UpstreamServer[], opts: { sticky?: string } = {}): string {
    return this.lb.render(text, [...this.others(text), ...servers.map((s) => this.outward(s))], opts);
  }

  async set(servers: readonly UpstreamServer[], why: string, opts: { sticky?: string } = {}): Promise<void> {
    await this.exclusive(async () => {
      const others = this.others(await this.lb.current());
      await this.lb.set([...others, ...servers.map((s) => this.outward(s))], `${this.address}: ${why}`, opts);
    });
  }

  async restore(text: string | undefined, why: string): Promise<void> {
    const mine = text === undefined ? [] : this.view(this.parse(text)).servers;
    await this.set(mine, why);
  }

  reloadAfter(path: string, before: string | undefined, why: string): Promise<void> {
    return this.exclusive(() => this.lb.reloadAfter(path, before, why));
  }

  /** This host's servers of `file`, at the addresses the host uses (`127.0.0.1:port`). */
  private view(file: UpstreamFile): UpstreamFile {
    const servers: UpstreamServer[] = [];
    for (const s of file.servers) {
      if (isPlaceholder(s)) continue;
      if (this.owns(s)) servers.push(this.inward(s));
      else if (this.hosts.claimsUnowned && this.isUnowned(s)) servers.push(this.balancerLocal(s));
    }
    return { ...file, servers };
  }

  /** The servers of the other hosts (and those of no host, unless this share holds them) in `text`, as they are. */
  private others(text: string | undefined): UpstreamServer[] {
    return this.parse(text).servers.filter(
      (s) => !isPlaceholder(s) && !this.owns(s) && !(this.hosts.claimsUnowned && this.isUnowned(s)),
    );
  }

  private isUnowned(s: UpstreamServer): boolean {
    const host = hostPortOf(s.address)?.host;
    return host === undefined || !this.hosts.owners.includes(host);
  }

  private parse(text: string | undefined): UpstreamFile {
    return this.lb.parse(text);
  }

  private owns(s: UpstreamServer): boolean {
    return hostPortOf(s.address)?.host === this.address && this.hosts.owners.includes(this.address);
  }

  /** `127.0.0.1:18001` → `10.0.0.5:18001`; other addresses as they are. */
  private outward(s: UpstreamServer): UpstreamServer {
    const hp = hostPortOf(s.address);
    const balancer = this.hosts.balancer;
    if (hp && balancer !== undefined && hp.host === balancer) return { ...s, address: `127.0.0.1:${hp.port}` };
    return atHost(s, this.address);
  }

  /** A server of no host on the balancer's own loopback, as this host's view shows it: `<balancer>:port`. */
  private balancerLocal(s: UpstreamServer): UpstreamServer {
    const hp = hostPortOf(s.address);
    const balancer = this.hosts.balancer;
    return hp && balancer !== undefined && isLoopback(hp.host) ? { ...s, address: `${balancer}:${hp.port}` } : s;
  }

  /** `10.0.0.5:18001` → `127.0.0.1:18001`. */
  private inward(s: UpstreamServer): UpstreamServer {
    const hp = hostPortOf(s.address);
    return hp ? { ...s, address: `127.0.0.1:${hp.port}` } : s;
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      if (this.fence.closed) {
        throw new UserError(
          `${this.address}: this host's part was abandoned (it stopped answering); the load balancer is no longer its to change`,
        );
      }
      return await fn();
    } finally {
      release();
    }
  }
}

/** A host's own server (`127.0.0.1:18001`) as the load balancer reaches it (`10.0.0.5:18001`); others as they are. */
export function atHost(s: UpstreamServer, address: string): UpstreamServer {
  const hp = hostPortOf(s.address);
  return hp && isLoopback(hp.host) ? { ...s, address: authorityOf(address, hp.port) } : s;
}
