/**
 * Fleets: roles on targets and services, and how a release rolls over many hosts (`strategy.batch-size` or
 * `strategy.max-unavailable`, `strategy.on-failure`, `strategy.host-timeout`). The hosts of a batch deploy at once,
 * each over its own connection; a host that fails stops the rollout.
 */
import * as z from 'zod';
import { zMatching } from './fields.js';
import { show } from './text.js';
import { zDurationIn } from './units.js';

const ROLE_HELP = 'expected a role name like web or worker (lower-case letters, digits and "-", at most 32)';
export const zRole = zMatching(/^[a-z][a-z0-9-]{0,31}$/, ROLE_HELP);

/** `roles: [web, worker]`: at least one, no repeats. */
export const zRoles = z
  .array(zRole, { error: `${ROLE_HELP}, in a list like [web, worker]` })
  .min(1, { error: 'expected at least one role; leave roles out to run every service here' })
  .refine((roles) => new Set(roles).size === roles.length, { error: 'a role is named twice' });

/** How many hosts at once: a count (`2`) or a share of the hosts that run the release (`25%`). */
export type HostCount = { count: number } | { percent: number };

const COUNT_HELP = 'expected a number of hosts from 1 to 1000 (like 2) or a percentage of them (like 25%)';
export const zHostCount = z.union([z.number(), z.string()], { error: COUNT_HELP }).transform((v, ctx): HostCount => {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 1 && v <= 1000) return { count: v };
  } else {
    const m = /^(\d{1,3})%$/.exec(v.trim());
    const p = m ? Number(m[1]) : Number.NaN;
    if (p >= 1 && p <= 100) return { percent: p };
  }
  ctx.addIssue({ code: 'custom', message: `got ${show(v)}: ${COUNT_HELP}` });
  return z.NEVER;
});

/** The keys `strategy` gains for fleets (merged into the strategy schema). */
export const fleetStrategyKeys = {
  /** Hosts that deploy at once (default 1: one host after another). */
  'batch-size': zHostCount.optional(),
  /** Hosts that may be changing (out of full service) at once: the same as batch-size, said the other way. */
  'max-unavailable': zHostCount.optional(),
  /** When a host fails: roll back the hosts already switched (default), or leave every host as it is. */
  'on-failure': z.enum(['rollback', 'pause'], { error: 'expected rollback or pause' }).default('rollback'),
  /** The longest one host may take for its part of a release, from 10s to 6h (then it counts as failed). */
  'host-timeout': zDurationIn(10_000, 6 * 3_600_000).default(900_000),
};

/** The number of hosts per batch for `hosts` hosts: at least 1, at most all of them. */
export function batchSizeOf(size: HostCount | undefined, hosts: number): number {
  if (hosts <= 0) return 0;
  if (!size) return 1;
  const n = 'count' in size ? size.count : Math.ceil((size.percent / 100) * hosts);
  return Math.max(1, Math.min(hosts, n));
}

interface RolesView {
  services?: Record<string, { roles?: string[] }>;
  environments: Record<string, { targets: Array<{ name: string; roles?: string[] }> }>;
}

/** A service whose roles no target of an environment plays would run nowhere there: an error naming both. */
export function checkRoles(config: RolesView, ctx: z.RefinementCtx): void {
  for (const [envName, env] of Object.entries(config.environments)) {
    const played = new Set(env.targets.flatMap((t) => t.roles ?? []));
    const unroled = env.targets.some((t) => t.roles === undefined);
    for (const [name, service] of Object.entries(config.services ?? {})) {
      if (!service.roles || unroled || service.roles.some((r) => played.has(r))) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['services', name, 'roles'],
        message: `no target of environment ${envName} plays ${service.roles.join(' or ')} (its roles: ${[...played].join(', ') || 'none'}), so ${name} would run nowhere there`,
      });
    }
  }
}

/** Does `target` run `service`? A target without roles runs every service; a service without roles runs everywhere. */
export function runsOn(target: { roles?: string[] }, service: { roles?: string[] } | undefined): boolean {
  if (!target.roles || !service?.roles) return true;
  return service.roles.some((r) => target.roles?.includes(r));
}

interface BalancerView {
  environments: Record<
    string,
    { 'load-balancer'?: string; targets: Array<{ name: string; kind: string; roles?: string[] }> }
  >;
  strategy: { type: string; driver?: string; proxy?: unknown };
  services?: Record<string, { network?: string; 'host-ports'?: unknown; roles?: string[] }>;
}

/**
 * `load-balancer` names a target of its environment with a shell (nginx runs there) and needs strategy.proxy.nginx;
 * the strategies that switch its upstream host by host (rolling, recreate, blue-green) are the ones it supports.
 */
export function checkLoadBalancer(config: BalancerView, ctx: z.RefinementCtx): void {
  for (const [envName, env] of Object.entries(config.environments)) {
    const lb = env['load-balancer'];
    if (lb === undefined) continue;
    const path = ['environments', envName, 'load-balancer'];
    const target = env.targets.find((t) => t.name === lb);
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!target) issue(`unknown target ${JSON.stringify(lb)} (targets: ${env.targets.map((t) => t.name).join(', ')})`);
    else if (target.kind === 'docker')
      issue(`target ${lb} is a docker: target; the load balancer's nginx needs a shell: use an ssh or local target`);
    if (config.strategy.proxy === undefined)
      issue('a load balancer moves traffic through strategy.proxy.nginx (its files on that target): set it');
    if (config.strategy.type === 'canary')
      issue('strategy canary measures each host’s own nginx; with load-balancer use rolling, recreate or blue-green');
    if (config.strategy.driver === 'swarm')
      issue('driver swarm fronts its tasks from the manager’s nginx; leave load-balancer out');
    for (const [name, service] of Object.entries(config.services ?? {})) {
      if (service['host-ports'] === undefined || service.network === 'host') continue;
      // The engine driver publishes a bridge container's port on the host's 127.0.0.1 only (never on every address).
      ctx.addIssue({
        code: 'custom',
        path: ['services', name, 'network'],
        message: `${service.network ?? 'bridge'}: environment ${envName} has load-balancer ${lb}, which reaches each host's replicas at the host's address, and a bridge container's port is published on 127.0.0.1 only: use network: host with the app listening on that address (BIND: 0.0.0.0 or the address)`,
      });
    }
  }
}
