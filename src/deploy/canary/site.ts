/**
 * One target's side of a canary: the fronted service's new replicas started beside the servers that serve now (the
 * stable version), the upstream as it was, and the moves every step makes there — weights, the route file, promote
 * (the canary takes all traffic, the old replicas are drained and stopped, kept) and abort (the old bytes back, the
 * canary stopped).
 */
import { inspectAccessLog } from '../../canary/access-log.js';
import type { CanaryConfig } from '../../config/schema-progressive.js';
import { UserError } from '../../core/errors.js';
import { readUpstreamFile, type UpstreamServer } from '../../proxy/upstream-file.js';
import { readText, writeConfigFile } from '../../transports/files.js';
import {
  allocatePort,
  gate,
  type Replica,
  type ServiceDeploy,
  startReplica,
  stopReplica,
  upstreamOf,
} from '../engine/replicas.js';
import { runningReplicas, undo } from '../engine/rolling.js';
import { smokeSlot } from '../engine/slot-smoke.js';
import type { CanaryState, ReleaseReplica } from '../journal.js';
import { upstreamBefore } from '../takeover.js';
import { routeFileText, stickyDirective, weightedServers } from './weights.js';

export interface CanarySite {
  /** The fronted service on one target, its release the canary's. */
  d: ServiceDeploy;
  canary: Replica[];
  /** What served before the canary (ours or not), with the parameters the file gave them. */
  stable: UpstreamServer[];
  /** The upstream file's bytes before the canary (undefined: none). */
  before: string | undefined;
  /** Servers of the stable version the toolkit did not start (a site taken over): left running at promotion. */
  foreign: UpstreamServer[];
  /** The header route the canary writes (from the config at its start, kept in the journal for later runs). */
  route?: CanaryConfig['route'];
  /** Its stickiness (the same: from the config at its start, then the journal). */
  sticky?: CanaryConfig['sticky'];
}

/**
 * Start the canary on `d.target`: `replicas` new replicas on free host ports, health-gated and smoked on their own
 * ports, still out of traffic. A failure removes them (nothing else changed). Needs `d.proxy`.
 */
export async function startCanary(d: ServiceDeploy): Promise<CanarySite> {
  // Judged on a log it cannot read (a wrong path, another format): refused before anything starts.
  const log = d.config.strategy.canary?.['access-log'];
  if (log) {
    const found = await inspectAccessLog(d.target.transport, log);
    if (found.status === 'fail')
      throw new UserError(`${d.target.name}: the canary could not be judged: ${found.detail}`);
    if (found.status === 'warn') d.log.warn(`${d.target.name}: ${found.detail}`);
  }
  const before = await upstreamBefore(d);
  if (!before || !d.proxy) throw new Error(`${d.target.name}/${d.name}: a canary needs the nginx proxy in front`);
  const { file } = await d.proxy.read();
  const method = /^[ \t]*(least_conn|ip_hash|hash|random|least_time)\b(?!.*runbook-actions)/m.exec(
    before.text ?? '',
  )?.[1];
  if (method) {
    d.log.warn(
      `${d.target.name}/${d.name}: the upstream balances with ${method}, so the canary's share follows it rather than exactly each step's weight (round-robin, nginx's default, gives exact shares)`,
    );
  }
  // The stable version: what serves now — replicas of ours that run, and servers taken over. A server on one of our
  // ports where no replica of ours runs (left by a failed run, or added by hand) serves nothing: it is dropped, and
  // no canary replica takes its port while it is listed.
  const running = await runningReplicas(d);
  const ours = new Set(running.flatMap((r) => (r.port === undefined ? [] : [`127.0.0.1:${r.port}`])));
  const foreign = new Set(before.foreign.map((s) => s.address));
  const stable = file.servers.filter((s) => ours.has(s.address) || foreign.has(s.address));
  const dropped = [...before.serving].filter((a) => !stable.some((s) => s.address === a));
  if (dropped.length > 0) {
    d.log.warn(
      `${d.target.name}/${d.name}: the upstream lists ${dropped.join(', ')}, where no replica of ours runs: left out of the stable servers`,
    );
  }
  const used = new Set(running.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  for (const a of before.serving) {
    const m = /^127\.0\.0\.1:(\d+)$/.exec(a);
    if (m) used.add(Number(m[1]));
  }
  const canary: Replica[] = [];
  try {
    for (let i = 0; i < d.service.replicas; i++) canary.push(await startReplica(d, i, await allocatePort(d, used)));
    await gate(d, canary);
    await smokeSlot(d, canary);
  } catch (err) {
    await undo(d, before, [], canary);
    throw err;
  }
  const c = d.config.strategy.canary;
  return { d, canary, stable, before: before.text, foreign: before.foreign, route: c?.route, sticky: c?.sticky };
}

/** The site of a canary recorded in the journal (a later run: promote or abort). */
export function resumeSite(d: ServiceDeploy, state: CanaryState, replicas: readonly ReleaseReplica[]): CanarySite {
  const before = state.upstreamBefore[d.target.name] ?? undefined;
  const nginx = d.config.strategy.proxy?.nginx;
  const addresses = new Set(state.stable[d.target.name] ?? []);
  const servers = nginx ? readUpstreamFile(before, nginx.upstream, nginx['upstream-file']).servers : [];
  return {
    d,
    canary: replicas
      .filter((r) => r.target === d.target.name)
      .map((r, i) => ({ id: r.id, name: r.name, slot: i, port: r.port, release: d.release })),
    stable: servers.filter((s) => addresses.has(s.address)),
    before,
    foreign: [],
    route: state.route,
    sticky: state.plan ? state.plan.sticky : d.config.strategy.canary?.sticky,
  };
}

/** Point the route file (when configured) at `servers`, tested and reloaded; a rejected file is put back. */
async function writeRoute(s: CanarySite, servers: readonly UpstreamServer[], why: string): Promise<void> {
  const route = s.route;
  const nginx = s.d.config.strategy.proxy?.nginx;
  if (!route || !nginx || !s.d.proxy) return;
  const t = s.d.target.transport;
  const old = await readText(t, route.file);
  const text = routeFileText(nginx.upstream, route.header, servers);
  if (old === text) return;
  await writeConfigFile(t, route.file, text);
  await s.d.proxy.reloadAfter(route.file, old, why);
}

/** Give the canary `weight` % of the upstream's requests (and the route its servers, at the first step). */
export async function setWeight(s: CanarySite, weight: number): Promise<void> {
  const proxy = s.d.proxy;
  if (!proxy) return;
  await writeRoute(s, upstreamOf(s.canary), `route ${s.route?.header ?? ''} to the canary`);
  const sticky = weight > 0 && weight < 100 ? stickyDirective(s.sticky) : undefined;
  await proxy.set(weightedServers(s.stable, upstreamOf(s.canary), weight), `canary at ${weight}%`, { sticky });
}

/**
 * Promote: the canary alone in the upstream (no weights, no stickiness), the route to it, then the old replicas of
 * ours drained and stopped (kept for rollback); servers taken over are left running.
 */
export async function promoteSite(s: CanarySite): Promise<void> {
  const { d } = s;
  const servers = upstreamOf(s.canary);
  await d.proxy?.set(servers, `promote ${d.release}`);
  await writeRoute(s, servers, 'route to the promoted release');
  const old = await runningReplicas(d);
  if (old.length > 0) await d.clock.sleep(d.config.strategy.drain, d.signal);
  for (const r of old) await stopReplica(d, r);
}

/**
 * Abort on one target: the upstream file back byte for byte (the canary at weight 0), the route to the stable
 * servers, then the canary's replicas stopped (kept, so their logs can be read; retention removes them). Returns why
 * the upstream could not be put back (then nothing else is touched there: the canary still serves), else undefined.
 */
export async function abortSite(s: CanarySite, why: string): Promise<string | undefined> {
  const { d } = s;
  // While the upstream still sends the canary its share, its replicas keep serving: they stop only once it is back.
  const failed = await d.proxy?.restore(s.before, why).then(
    () => undefined,
    (err: Error) =>
      `${d.target.name}: could not put the upstream back (${err.message}); the canary keeps serving its share there`,
  );
  if (failed) {
    d.log.warn(failed);
    return failed;
  }
  await writeRoute(s, s.stable, 'route back to the stable release').catch((err: Error) =>
    d.log.warn(`could not rewrite the route file: ${err.message}`),
  );
  for (const r of s.canary) {
    await stopReplica(d, r).catch((err: Error) => d.log.warn(`could not stop ${r.name}: ${err.message}`));
  }
  return undefined;
}
