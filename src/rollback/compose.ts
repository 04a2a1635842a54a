import { type ComposeDeploy, composeRecreate, containerIds, runningImages } from '../deploy/compose/recreate.js';
import type { ReleaseReplica, ServiceRelease } from '../deploy/journal.js';

/**
 * The compose driver's rollback, the runbooks' `docker tag …:previous …; docker compose up -d --force-recreate`:
 * point the release's tag back at the image id it ran (a tag may have moved since), then recreate with that
 * version, never pulling (bringBack, as the undo of a failed deploy). Skipped when every container of the service
 * already runs that image.
 */
export async function restoreComposeService(
  d: ComposeDeploy,
  rec: ServiceRelease,
): Promise<{ replicas: ReleaseReplica[]; imageId?: string }> {
  const ids = await containerIds(d, d.version);
  if (rec.imageId && ids.length > 0) {
    const images = await runningImages(d, ids);
    if (images.every((i) => i === rec.imageId)) {
      d.log.info(`${d.target.name}/${d.name}: already running ${rec.imageId.slice(0, 19)} (${d.version})`);
      return {
        replicas: ids.map((id) => ({ target: d.target.name, id, name: id.slice(0, 12), port: d.service.port })),
        imageId: rec.imageId,
      };
    }
  }
  return composeRecreate(d, {
    version: d.version,
    image: rec.image,
    imageId: rec.imageId,
    repoDigests: rec.repoDigests,
  });
}
