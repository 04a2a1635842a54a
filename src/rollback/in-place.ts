import { gate, type Replica, type ServiceDeploy, stopReplica } from '../deploy/engine/replicas.js';
import type { ServiceRelease } from '../deploy/journal.js';
import { type Attempt, bringBack, type Found, reuseObstacle, takeBack } from './kept.js';

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
  const label = `${d.target.name}/${d.name}`;
  const freed = new Set(serving.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const obstacle = await reuseObstacle(d, mine, rec, new Set(), freed);
  d.log.info(
    `${label}: no proxy in front: stopping ${serving.map((r) => r.name).join(', ')} and starting ${d.release} again (a brief gap, as in recreate)`,
  );
  for (const r of serving) await stopReplica(d, r);
  const attempt: Attempt = { started: [], created: false };
  const ports = [...freed];
  try {
    const restored = await bringBack(d, mine, obstacle, ports, new Set(ports), attempt);
    await gate(d, restored);
    return restored;
  } catch (err) {
    d.log.warn(`${label}: rollback failed; starting what was serving again`);
    await takeBack(d, attempt);
    for (const r of serving) {
      await d.docker.startContainer(r.id).catch((e: Error) => d.log.warn(`could not restart ${r.name}: ${e.message}`));
    }
    throw err;
  }
}
