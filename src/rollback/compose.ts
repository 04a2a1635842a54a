import { checkComposeEnv } from '../deploy/compose/env.js';
import { type ComposeDeploy, composeRecreate, containerIds, runningImages } from '../deploy/compose/recreate.js';
import type { Release, ReleaseReplica, ServiceRelease } from '../deploy/journal.js';

/**
 * The compose driver's rollback, the runbooks' `docker tag …:previous …; docker compose up -d --force-recreate`:
 * point the release's tag back at the image id it ran (a tag may have moved since), then recreate with that
 * version and the env values it was deployed with (`d.envOverrides`), never pulling (bringBack, as the undo of a
 * failed deploy). Skipped when every container of the service already runs that image and `from`, the release
 * rolled back from, ran the same env values (a config-only release differs in those alone).
 */
export async function restoreComposeService(
  d: ComposeDeploy,
  rec: ServiceRelease,
  from?: Pick<Release, 'env'>,
): Promise<{ replicas: ReleaseReplica[]; imageId?: string }> {
  const env = d.envOverrides ?? {};
  await checkComposeEnv(d, d.compose, d.version);
  const ids = await containerIds(d, d.version);
  // Without `from` the release is the live one already (a re-check): what runs has its values.
  if (rec.imageId && ids.length > 0 && sameEnv(env, from ? (from.env?.[d.name] ?? {}) : env)) {
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
    env,
  });
}

/** The same variables with the same values. */
function sameEnv(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
