import type { UpstreamServer } from '../../proxy/upstream-file.js';
import { probeOf } from '../fleet/balancer.js';
import { waitHealthy } from '../health.js';
import { type UpstreamBefore, upstreamBefore } from '../takeover.js';
import { ownerLabels, ownerOf } from './labels.js';
import {
  allocatePortOrReuse,
  gate,
  type Replica,
  removeReplicas,
  replicaFromLabels,
  type ServiceDeploy,
  startReplica,
  stopReplica,
  subject,
  upstreamOf,
} from './replicas.js';

/** The replicas of this service that are running now (any release but the one being deployed). */
export async function runningReplicas(d: ServiceDeploy): Promise<Replica[]> {
  const list = await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) });
  return list
    .filter((c) => c.state === 'running')
    .map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels))
    .filter((r) => r.release !== d.release)
    .sort((a, b) => a.slot - b.slot);
}

/** What a rolling deploy did: the new replicas, and the servers it took over from (out of the upstream now). */
export interface RollingResult {
  replicas: Replica[];
  /** Servers the toolkit did not start that served before (see takeover.ts); drained, left running. */
  adopted: UpstreamServer[];
}

/**
 * Rolling: start new replicas beside the old (max-surge at a time), wait until they are healthy, add them to the
 * upstream, then take old ones out one by one (drain, stop; kept for rollback). Servers the toolkit did not start
 * (a site taken over) are drained first, never before a new replica serves, and left running. Any failure restores
 * the old replicas and puts the upstream file back byte for byte.
 */
export async function rolling(d: ServiceDeploy): Promise<RollingResult> {
  const before = await upstreamBefore(d);
  const running = await runningReplicas(d);
  // Behind a proxy, a replica of ours that runs but is not in the upstream serves nothing (a run that died left it):
  // it is not put back into traffic, and is stopped (kept) once the new release serves.
  const original = before
    ? running.filter((r) => r.port === undefined || before.serving.has(`127.0.0.1:${r.port}`))
    : running;
  const idle = running.filter((r) => !original.includes(r));
  for (const r of idle) {
    d.log.info(
      `${d.target.name}/${d.name}: ${r.name} runs but is not in the upstream; stopped once the new release serves`,
    );
  }
  const used = new Set(original.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const fresh: Replica[] = [];
  const retired: Replica[] = [];
  let oldServing = [...original];
  let adopted = [...(before?.foreign ?? [])];
  const servers = () => [...adopted, ...upstreamOf([...oldServing, ...fresh])];

  const retire = async (r: Replica): Promise<void> => {
    oldServing = oldServing.filter((o) => o.id !== r.id);
    if (d.proxy) {
      await d.proxy.set(servers(), `drain ${r.name}`);
      await d.clock.sleep(d.config.strategy.drain, d.signal);
    }
    retired.push(r);
    await stopReplica(d, r);
  };
  const retireAdopted = async (s: UpstreamServer): Promise<void> => {
    adopted = adopted.filter((a) => a !== s);
    await d.proxy?.set(servers(), `drain ${s.address} (taken over; left running)`);
    await d.clock.sleep(d.config.strategy.drain, d.signal);
  };
  const retireNext = async (): Promise<void> => {
    if (adopted[0]) await retireAdopted(adopted[0]);
    else if (oldServing[0]) await retire(oldServing[0]);
  };
  // A retired replica keeps its port reserved, so a rollback can start it again as it is; only when the range has
  // no other free port is a retired one's port given to a new replica.
  const nextPort = () =>
    allocatePortOrReuse(d, used, retired, "the retired replicas' (a rollback will start new containers)");

  try {
    while (fresh.length < d.service.replicas) {
      const surge = d.config.strategy['max-surge'];
      // Without surge an old replica of ours makes room first; a server taken over never goes before a new one serves.
      if (surge === 0 && oldServing[0]) await retire(oldServing[0]);
      const n = Math.max(1, Math.min(surge || 1, d.service.replicas - fresh.length));
      const batch: Replica[] = [];
      for (let i = 0; i < n; i++) batch.push(await startReplica(d, fresh.length + i, await nextPort()));
      try {
        await gate(d, batch);
      } catch (err) {
        await removeReplicas(d, batch);
        throw err;
      }
      fresh.push(...batch);
      if (d.proxy) await d.proxy.set(servers(), `add ${batch.map((b) => b.name).join(', ')}`);
      for (let i = 0; i < n && (adopted[0] || oldServing[0]); i++) await retireNext();
    }
    while (adopted[0] || oldServing[0]) await retireNext();
    for (const r of idle)
      await stopReplica(d, r).catch((e: Error) => d.log.warn(`could not stop ${r.name}: ${e.message}`));
    return { replicas: fresh, adopted: before?.foreign ?? [] };
  } catch (err) {
    await undo(d, before, retired, fresh);
    throw err;
  }
}

/**
 * Put the service back as it was: restart what this deploy stopped, put the upstream file back byte for byte (as
 * `before` read it), remove the new replicas.
 */
export async function undo(
  d: ServiceDeploy,
  before: UpstreamBefore | undefined,
  stopped: readonly Replica[],
  fresh: readonly Replica[],
): Promise<void> {
  d.log.warn(`${d.target.name}/${d.name}: deploy failed; putting back what served before`);
  const health = d.service.health;
  // A new replica on a port an old one needs back must go first (recreate reuses ports; rolling may too).
  const stoppedPorts = new Set(stopped.map((r) => r.port));
  const clashing = fresh.filter((r) => r.port !== undefined && stoppedPorts.has(r.port));
  await removeReplicas(d, clashing);
  for (const r of stopped) {
    try {
      await d.docker.startContainer(r.id);
      if (health)
        await waitHealthy(
          { transport: probeOf(d.target), clock: d.clock, log: d.log },
          { ...health, stable: 0 },
          subject(d, r),
        );
    } catch (err) {
      d.log.warn(`could not restart ${r.name}: ${(err as Error).message}`);
    }
  }
  if (d.proxy && before) {
    await d.proxy.restore(before.text, 'the deploy failed').catch((err: Error) => {
      d.log.warn(`could not restore the upstream: ${err.message}`);
    });
  }
  await removeReplicas(
    d,
    fresh.filter((r) => !clashing.includes(r)),
  );
}
