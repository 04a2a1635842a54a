import { waitHealthy } from '../health.js';
import { ownerLabels, ownerOf } from './labels.js';
import {
  allocatePort,
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

/**
 * Rolling: start new replicas beside the old (max-surge at a time), wait until they are healthy, add them to the
 * upstream, then take old ones out one by one (drain, stop; kept for rollback). Any failure restores the old
 * replicas and the upstream exactly as they were and removes the new ones.
 */
export async function rolling(d: ServiceDeploy): Promise<Replica[]> {
  const original = await runningReplicas(d);
  const used = new Set(original.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const fresh: Replica[] = [];
  const retired: Replica[] = [];
  let oldServing = [...original];

  const retire = async (r: Replica): Promise<void> => {
    oldServing = oldServing.filter((o) => o.id !== r.id);
    if (d.proxy) {
      await d.proxy.set(upstreamOf([...oldServing, ...fresh]), `drain ${r.name}`);
      await d.clock.sleep(d.config.strategy.drain, d.signal);
    }
    retired.push(r);
    await stopReplica(d, r);
  };
  // A retired replica keeps its port reserved, so a rollback can start it again as it is; only when the range has
  // no other free port is a retired one's port given to a new replica.
  const nextPort = async (): Promise<number | undefined> => {
    try {
      return await allocatePort(d, used);
    } catch (err) {
      const spare = retired.flatMap((r) => (r.port !== undefined && used.has(r.port) ? [r.port] : []));
      if (spare.length === 0) throw err;
      for (const p of spare) used.delete(p);
      d.log.info(
        `${d.target.name}/${d.name}: host-ports has no port beyond the retired replicas'; reusing ${spare.join(', ')} (a rollback will start new containers)`,
      );
      return allocatePort(d, used);
    }
  };

  try {
    while (fresh.length < d.service.replicas) {
      const surge = d.config.strategy['max-surge'];
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
      if (d.proxy)
        await d.proxy.set(upstreamOf([...oldServing, ...fresh]), `add ${batch.map((b) => b.name).join(', ')}`);
      for (let i = 0; i < n && oldServing[0]; i++) await retire(oldServing[0]);
    }
    while (oldServing[0]) await retire(oldServing[0]);
    return fresh;
  } catch (err) {
    await undo(d, original, retired, fresh);
    throw err;
  }
}

/** Put the service back as it was: restart what this deploy stopped, restore the upstream, remove the new. */
export async function undo(
  d: ServiceDeploy,
  original: readonly Replica[],
  stopped: readonly Replica[],
  fresh: readonly Replica[],
): Promise<void> {
  d.log.warn(`${d.target.name}/${d.name}: deploy failed; restoring the previous replicas`);
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
          { transport: d.target.transport, clock: d.clock, log: d.log },
          { ...health, stable: 0 },
          subject(d, r),
        );
    } catch (err) {
      d.log.warn(`could not restart ${r.name}: ${(err as Error).message}`);
    }
  }
  if (d.proxy) {
    await d.proxy.set(upstreamOf(original), 'restore the previous replicas').catch((err: Error) => {
      d.log.warn(`could not restore the upstream: ${err.message}`);
    });
  }
  await removeReplicas(
    d,
    fresh.filter((r) => !clashing.includes(r)),
  );
}
