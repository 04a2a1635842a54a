import {
  allocatePort,
  gate,
  type Replica,
  removeReplicas,
  type ServiceDeploy,
  startReplica,
  stopReplica,
} from '../deploy/engine/replicas.js';
import type { ServiceRelease } from '../deploy/journal.js';
import { type Found, reuseObstacle } from './kept.js';

/**
 * Restore without a proxy in front (clients know the ports): stop what serves, then start the release again as it
 * was — its kept containers, or new ones of the recorded image on the ports the serving replicas free — and gate it.
 * A brief gap, as in recreate. A failure stops what was started and starts the serving replicas again.
 */
export async function restoreInPlace(
  d: ServiceDeploy,
  mine: readonly Found[],
  serving: readonly Replica[],
  rec: ServiceRelease,
): Promise<Replica[]> {
  const label = `${d.target}/${d.owner.service}`;
  const freed = new Set(serving.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const obstacle = await reuseObstacle(d, mine, rec, new Set(), freed);
  d.log.info(
    `${label}: no proxy in front: stopping ${serving.map((r) => r.name).join(', ')} and starting ${d.release} again (a brief gap, as in recreate)`,
  );
  for (const r of serving) await stopReplica(d, r);
  const started: Replica[] = [];
  let created = false;
  try {
    if (!obstacle) {
      for (const r of mine.filter((m) => !m.running)) {
        await d.docker.startContainer(r.id);
        started.push(r);
        d.log.info(`${label}: started the kept ${r.name}${r.port === undefined ? '' : ` on port ${r.port}`}`);
      }
      await gate(d, mine);
      return [...mine];
    }
    d.log.info(`${label}: ${obstacle}; starting new containers of ${d.image.slice(0, 19)}`);
    await removeReplicas(d, mine);
    created = true;
    const ports = serving.flatMap((r) => (r.port === undefined ? [] : [r.port]));
    const used = new Set(ports);
    for (let slot = 0; slot < d.service.replicas; slot++) {
      started.push(await startReplica(d, slot, ports[slot] ?? (await allocatePort(d, used))));
    }
    await gate(d, started);
    return started;
  } catch (err) {
    d.log.warn(`${label}: rollback failed; starting what was serving again`);
    if (created) await removeReplicas(d, started);
    else for (const r of started) await stopReplica(d, r).catch((e: Error) => d.log.warn(e.message));
    for (const r of serving) {
      await d.docker.startContainer(r.id).catch((e: Error) => d.log.warn(`could not restart ${r.name}: ${e.message}`));
    }
    throw err;
  }
}
