/**
 * A release over several hosts: the batches, the hosts of a batch at once (each with its own connection, progress
 * lines prefixed with its name), the host states journaled on the release, and at the first failed host the rollout
 * stopped and — `strategy.on-failure: rollback` (default) — the hosts already switched put back on the release
 * that was live (`deps.undoHosts`), or — `pause` — every host left as it is, the report saying which runs what.
 */
import { batchSizeOf } from '../../config/schema-fleet.js';
import { CancelledError, errorMessage, UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log-types.js';
import { wrapLogger } from '../../core/logger-wrap.js';
import type { Release } from '../journal-types.js';
import { isProgressive } from '../strategy.js';
import type { DeployDeps, DeployRequest, DeployTarget } from '../types.js';
import { runsHere } from './balancer.js';
import { batchesOf, type HostOutcome, namesOf, rollOut } from './rollout.js';

/** The services of `req` that run on `target` (its roles), in deploy order. */
export function servicesOn(req: DeployRequest, target: string): string[] {
  const { config, environmentName } = req.session;
  const environment = config.environments[environmentName];
  const host = environment?.targets.find((t) => t.name === target);
  return req.services.filter((name) => !host || !environment || runsHere(environment, host, config.services?.[name]));
}

/** A logger whose groups are plain lines named after the host: parallel hosts cannot share the runner's groups. */
export function hostLogger(log: Logger, host: string): Logger {
  const named = (m: string) => (m.startsWith(host) ? m : `[${host}] ${m}`);
  return wrapLogger(log, {
    info: (m) => log.info(named(m)),
    warn: (m) => log.warn(named(m)),
    error: (m) => log.error(named(m)),
    group: async (name, fn) => {
      log.info(`[${host}] ▶ ${name}`);
      const r = await fn();
      log.info(`[${host}] ◀ ${name}`);
      return r;
    },
  });
}

/**
 * Where each host stands now, for the failure message: the hosts grouped by state (a long list shortened), each group
 * with the release it runs: `host1 rolled back (runs v1); host2 failed (runs v1); host3 not started (runs v1)`.
 */
export function standing(hosts: Record<string, HostOutcome>, release: Release, previous: Release | undefined): string {
  const was = previous ? previous.version : 'nothing';
  const groups = new Map<string, string[]>();
  for (const [host, o] of Object.entries(hosts)) {
    const runs = o.abandoned
      ? `${was} or ${release.version}: it stopped answering`
      : o.lost
        ? `${was} or ${release.version}: its connection was lost`
        : o.state === 'live' || o.state === 'left switched'
          ? release.version
          : was;
    const key = `${o.state} (runs ${runs})`;
    const group = groups.get(key);
    if (group) group.push(host);
    else groups.set(key, [host]);
  }
  return [...groups].map(([key, names]) => `${namesOf(names)} ${key}`).join('; ');
}

/**
 * Roll `release` over `deps.targets` in batches. Resolves when every host is live; throws UserError naming the failed
 * host, its error and where every host stands, after undoing the switched hosts (on-failure: rollback), as many at
 * once as the batches were. A cancelled run journals where the hosts stand and rethrows, saying it.
 */
export async function deployFleet(
  deps: DeployDeps,
  req: DeployRequest,
  release: Release,
  previous: Release | undefined,
  deployHost: (target: DeployTarget, hostDeps: DeployDeps) => Promise<void>,
): Promise<void> {
  const { config } = req.session;
  const { log, journal } = deps;
  const strategy = config.strategy;
  const progressive = isProgressive(req.strategy);
  const configured = strategy['batch-size'] ?? strategy['max-unavailable'];
  // Blue-green and canary go one host after another (blue-green switching each host in turn; a canary's steps then
  // move traffic on every host together).
  // A host that runs none of the release's services (a load balancer, a worker host for a web-only release) has no
  // part in the rollout.
  const hosts = deps.targets.filter((t) => servicesOn(req, t.name).length > 0);
  const size = progressive ? 1 : batchSizeOf(configured, hosts.length);
  if (progressive && configured)
    log.info(`${req.strategy}: hosts are prepared one after another (batch-size applies to rolling and recreate)`);
  const batches = batchesOf(hosts, size);
  const parallel = size > 1;
  const outcomes: Record<string, HostOutcome> = {};
  release.hosts = outcomes;
  const result = await rollOut(
    { batches, hostTimeoutMs: strategy['host-timeout'] },
    (target, signal) => deployHost(target, { ...deps, signal, log: parallel ? hostLogger(log, target.name) : log }),
    {
      log,
      clock: deps.clock,
      signal: deps.signal ?? new AbortController().signal,
      outcomes,
      // Its work may still end later (a hung connection that comes back): it must not touch the load balancer then.
      onAbandon: (target) => {
        if (target.balancer) target.balancer.closed = true;
      },
    },
  ).catch(async (err: unknown) => {
    // The run was cancelled: nothing more changes; the hosts already switched stay so, and the journal says which.
    for (const [host, o] of Object.entries(outcomes))
      if (o.state === 'live') outcomes[host] = { ...o, state: 'left switched' };
    await journal.upsert(release);
    throw err instanceof CancelledError
      ? new CancelledError(`${errorMessage(err)}; the rollout stopped: ${standing(outcomes, release, previous)}`)
      : err;
  });
  await journal.upsert(release);
  if (!result.failed) return;
  const { host, error } = result.failed;
  const switched = hosts.filter((t) => outcomes[t.name]?.state === 'live');
  const undo = deps.undoHosts;
  let undone = '';
  if (switched.length > 0 && strategy['on-failure'] === 'rollback' && previous && undo) {
    log.warn(`putting ${previous.version} (${previous.id}) back on ${namesOf(switched)}`);
    // Each host on its own (one that cannot be put back does not leave the others switched), as many at once as
    // the rollout changed.
    const failures = new Map<string, string>();
    for (const group of batchesOf(switched, size)) {
      await Promise.all(
        group.map(async (t) => {
          const o = outcomes[t.name];
          try {
            await undo([t], release, previous, switched.length > 1 ? hostLogger(log, t.name) : log);
            outcomes[t.name] = { ...o, state: 'rolled back' };
          } catch (err) {
            const why = log.mask(errorMessage(err));
            failures.set(t.name, why);
            outcomes[t.name] = {
              ...o,
              state: 'left switched',
              error: `putting ${previous.version} back failed: ${why}`,
            };
          }
        }),
      );
    }
    const [first] = switched.filter((t) => failures.has(t.name));
    if (first) {
      const others = failures.size > 1 ? ` (and on ${failures.size - 1} more host${failures.size > 2 ? 's' : ''})` : '';
      undone = `; putting ${previous.version} back on ${first.name} failed: ${failures.get(first.name)}${others}`;
    }
  } else {
    for (const t of switched) outcomes[t.name] = { ...outcomes[t.name], state: 'left switched' };
  }
  await journal.upsert(release);
  const why = strategy['on-failure'] === 'pause' ? ' (on-failure: pause)' : '';
  const noPrevious = switched.length > 0 && !previous ? ' (no release was live before: nothing to put back)' : '';
  throw new UserError(
    `${host} failed: ${errorMessage(error)}; the rollout stopped${why}${noPrevious}: ${standing(outcomes, release, previous)}${undone}. The next deploy or rollback brings every host to one release`,
  );
}
