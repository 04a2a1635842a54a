import { composePs, dockerImageIdArgv, dockerInspectImageIdArgv, dockerTagArgv } from '../commands/compose.js';
import { type ComposeDeploy, composeRecreate } from '../deploy/compose/recreate.js';
import type { ReleaseReplica, ServiceRelease } from '../deploy/journal.js';

/**
 * The compose driver's rollback, the runbooks' `docker tag …:previous …; docker compose up -d --force-recreate`:
 * point the release's tag back at the image id it ran (a tag may have moved since), then recreate with that
 * version, never pulling. Skipped when every container of the service already runs that image.
 */
export async function restoreComposeService(
  d: ComposeDeploy,
  rec: ServiceRelease,
): Promise<{ replicas: ReleaseReplica[]; imageId?: string }> {
  const opts = {
    cwd: d.compose.directory,
    env: { ...d.targetEnv, [d.compose['version-env']]: d.version },
    quiet: true,
  };
  const label = `${d.target}/${d.name}`;
  const ids = (await d.transport.exec(composePs(d.compose, d.name), opts)).stdout.split('\n').filter((l) => l.trim());
  if (rec.imageId && ids.length > 0) {
    const images = await Promise.all(
      ids.map(async (id) => (await d.transport.exec(dockerInspectImageIdArgv(id), opts)).stdout.trim()),
    );
    if (images.every((i) => i === rec.imageId)) {
      d.log.info(`${label}: already running ${rec.imageId.slice(0, 19)} (${d.version})`);
      return {
        replicas: ids.map((id) => ({ target: d.target, id, name: id.slice(0, 12), port: d.service.port })),
        imageId: rec.imageId,
      };
    }
  }
  if (rec.imageId) {
    const have = await d.transport.exec(dockerImageIdArgv(rec.imageId), opts);
    if (have.code === 0) {
      const r = await d.transport.exec(dockerTagArgv(rec.imageId, rec.image), opts);
      if (r.code === 0) d.log.info(`${label}: ${rec.image} → ${rec.imageId.slice(0, 19)} (the image it ran)`);
    } else {
      d.log.warn(
        `${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; using the tag ${rec.image} as it is`,
      );
    }
  }
  return composeRecreate({ ...d, compose: { ...d.compose, pull: false } });
}
