import { UserError } from '../core/errors.js';
import { LABEL, ownerLabels, ownerOf } from '../deploy/engine/labels.js';
import {
  gate,
  type Replica,
  replicaFromLabels,
  type ServiceDeploy,
  stopReplica,
  upstreamOf,
} from '../deploy/engine/replicas.js';
import type { ServiceRelease } from '../deploy/journal.js';
import { pullAuth } from '../deploy/service-step.js';
import type { RegistryCreds } from '../deploy/types.js';
import { restoreInPlace } from './in-place.js';
import { type Attempt, bringBack, type Found, reuseObstacle, takeBack } from './kept.js';

/**
 * The recorded image on the target, by its id (what the release ran, whatever its tag says now); when retention
 * pruned it, pulled again by its registry digest, with `creds` for the registry of `rec.image` when given. Returns
 * the reference to create containers from. Throws UserError when it is gone and has no digest to pull it by.
 */
export async function recordedImage(d: ServiceDeploy, rec: ServiceRelease, creds?: RegistryCreds): Promise<string> {
  if (rec.imageId && (await d.docker.inspectImage(rec.imageId))) return rec.imageId;
  const auth = pullAuth(creds, rec.image);
  for (const ref of rec.repoDigests ?? []) {
    d.log.info(`${d.target.name}/${d.name}: ${rec.image} is gone from the target; pulling ${ref}`);
    await d.docker.pullImage(ref, { auth, signal: d.signal });
    const info = await d.docker.inspectImage(ref);
    if (info && (!rec.imageId || info.id === rec.imageId)) return info.id;
  }
  if (!rec.imageId && (await d.docker.inspectImage(rec.image))) return rec.image;
  throw new UserError(
    `${d.target.name}/${d.name}: the image release ${d.release} ran (${rec.image}${rec.imageId ? `, ${rec.imageId.slice(0, 19)}` : ''}) is no longer on the target and has no registry digest to pull it by`,
  );
}

/**
 * Bring back the release `d.release` of one service: its kept (stopped) containers when they are all there, on
 * ports nothing else holds and with the recorded image; otherwise new containers of the recorded image. They must
 * pass the health gate before nginx sends them traffic; then the replicas that were serving are drained and stopped
 * (kept, so the rollback can itself be undone). A failure puts the serving replicas back and the upstream file as it
 * was, byte for byte.
 */
export async function restoreEngineService(d: ServiceDeploy, rec: ServiceRelease): Promise<Replica[]> {
  const all = await d.docker.listContainers({ all: true, labels: ownerLabels(ownerOf(d)) });
  const mine: Found[] = all
    .filter((c) => c.labels[LABEL.release] === d.release)
    .map((c) => ({
      ...replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels),
      running: c.state === 'running',
      imageId: c.imageId,
    }))
    .sort((a, b) => a.slot - b.slot);
  const serving = all
    .filter((c) => c.state === 'running' && c.labels[LABEL.release] !== d.release)
    .map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels))
    .sort((a, b) => a.slot - b.slot);
  const held = new Set(serving.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const label = `${d.target.name}/${d.name}`;
  if (!d.proxy && serving.length > 0) return restoreInPlace(d, mine, serving, rec);

  const obstacle = await reuseObstacle(d, mine, rec, held);
  // What a failure puts back, byte for byte (as a failed deploy does).
  const upstreamText = d.proxy ? await d.proxy.current() : undefined;
  const attempt: Attempt = { started: [], created: false };
  let restored: Replica[];
  try {
    restored = await bringBack(d, mine, obstacle, [], new Set(held), attempt);
    await gate(d, restored);
    if (d.proxy && serving.length > 0) {
      await d.proxy.set(upstreamOf([...serving, ...restored]), `add the restored ${d.release}`);
    }
    if (d.proxy) await d.proxy.set(upstreamOf(restored), `rollback to ${d.release}`);
  } catch (err) {
    d.log.warn(`${label}: rollback failed; putting back what was serving`);
    await d.proxy?.restore(upstreamText, 'rollback failed').catch((e: Error) => d.log.warn(e.message));
    await takeBack(d, attempt);
    throw err;
  }
  if (serving.length > 0) {
    if (d.proxy) await d.clock.sleep(d.config.strategy.drain, d.signal);
    await Promise.all(
      serving.map((r) => stopReplica(d, r).catch((e: Error) => d.log.warn(`could not stop ${r.name}: ${e.message}`))),
    );
  }
  return restored;
}
