/**
 * The environment's load balancer (`environments.<name>.load-balancer`): where it reaches each host, and network
 * checks of a host's replicas made from it (the path nginx's requests take), so a replica is healthy only when the
 * load balancer can reach it.
 */
import type { Duplex, Readable } from 'node:stream';
import type { Config, Environment, Target } from '../../config/schema.js';
import { runsOn } from '../../config/schema-fleet.js';
import { isLoopback } from '../../core/address.js';
import { UserError } from '../../core/errors.js';
import type { ExecOptions, ExecResult, Transport } from '../../transports/types.js';

/**
 * Where the load balancer reaches `target`'s replicas: `targets[].address`, else the ssh host, the host of a tcp://
 * or ssh:// docker endpoint, 127.0.0.1 for a local target or a unix:// endpoint. The balancer itself: 127.0.0.1.
 */
export function balancerAddressOf(target: Target, balancer: string): string {
  if (target.name === balancer) return '127.0.0.1';
  if (target.address !== undefined) return target.address;
  if (target.kind === 'ssh') return target.ssh.host;
  if (target.kind === 'docker') {
    const m = /^(?:tcp|ssh):\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)/.exec(target.docker.host);
    if (m?.[1]) return m[1].replace(/^\[|\]$/g, '');
  }
  return '127.0.0.1';
}

/**
 * Does `target` run `service` in `environment`: its roles (runsOn), except that the load balancer runs a service only
 * when its own roles name one of the service's.
 */
export function runsHere(environment: Environment, target: Target, service: { roles?: string[] } | undefined): boolean {
  if (environment['load-balancer'] === target.name && !target.roles) return false;
  return runsOn(target, service);
}

/**
 * Every host's seat facts for the load balancer's upstream: the addresses of the hosts that run the service nginx
 * fronts, and which one of them holds the servers of no host (the first, in config order).
 */
export function balancerHosts(config: Config, environment: Environment): { owners: string[]; claimer?: string } {
  const lb = environment['load-balancer'];
  if (lb === undefined) return { owners: [] };
  const fronted =
    config.strategy.proxy?.nginx.service ?? config.strategy.order?.[0] ?? Object.keys(config.services ?? {})[0];
  const service = fronted === undefined ? undefined : config.services?.[fronted];
  const running = environment.targets.filter((t) => runsHere(environment, t, service));
  return { owners: running.map((t) => balancerAddressOf(t, lb)), claimer: running[0]?.name };
}

/**
 * `host`'s shell (`shell`; undefined: a docker: target, which has none), with its TCP connections opened from the load
 * balancer: `127.0.0.1:port` of the host becomes `address:port` seen from the balancer. A host with no shell refuses
 * commands and file transfers with an error naming it.
 */
export class ProbeVia implements Transport {
  readonly name: string;

  constructor(
    private readonly balancer: Transport,
    private readonly address: string,
    host: string,
    private readonly shell?: Transport,
    /** The balancer's target name: a view's `<balancer>:port` is the balancer's own loopback. */
    private readonly balancerName?: string,
  ) {
    this.name = shell?.name ?? host;
  }

  async exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.need('run commands').exec(argv, opts);
  }

  async upload(remotePath: string, source: Readable, opts?: { mode?: number }): Promise<void> {
    return this.need(`write ${remotePath}`).upload(remotePath, source, opts);
  }

  async download(remotePath: string): Promise<Readable> {
    return this.need(`read ${remotePath}`).download(remotePath);
  }

  connectTcp(host: string, port: number): Promise<Duplex> {
    if (host === this.balancerName) return this.balancer.connectTcp('127.0.0.1', port);
    return this.balancer.connectTcp(isLoopback(host) ? this.address : host, port);
  }

  async close(): Promise<void> {
    // The shell and the balancer's transport belong to the session, which closes them.
  }

  private need(what: string): Transport {
    if (this.shell) return this.shell;
    throw new NoShellError(`${this.name} is a docker: target: there is no shell to ${what} (only its Engine API)`);
  }
}

/** What a docker: target was asked for that only a shell gives. */
export class NoShellError extends UserError {
  override name = 'NoShellError';
}

/** Where network checks of `target`'s replicas run from: the load balancer when there is one, else the host. */
export const probeOf = (target: { probe?: Transport; transport: Transport }): Transport =>
  target.probe ?? target.transport;
