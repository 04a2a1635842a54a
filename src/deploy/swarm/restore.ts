/**
 * Rollback of a Swarm service to a release of the journal. When the service's PreviousSpec is that release's spec
 * (the release right before the live one, nothing deployed since), Swarm's own rollback (`rollback=previous`) goes
 * back to it exactly; otherwise the service is updated to the release's recorded spec: its image by digest, the env
 * values the journal recorded for it over the config's env, today's env-file and the rollback run's secret-env
 * values. Either way the tasks are health-gated and nginx follows them as in a deploy (watch.ts), and a rollback that
 * fails leaves Swarm to put the service back where it was. The service as the rollback left it (its version, tasks)
 * is what the journal then records for the release.
 */
import { swarmSettings } from '../../config/schema-swarm.js';
import { UserError } from '../../core/errors.js';
import { LABEL, ownerOf } from '../engine/labels.js';
import { withEnvFile } from '../engine/replicas.js';
import type { Release, ReleaseReplica, ServiceRelease, SwarmServiceRecord } from '../journal.js';
import { engineDeployOf } from '../service-site.js';
import type { RegistryCreds, ServiceSite } from '../types.js';
import { swarmEngineOf } from './api.js';
import { swarmManager } from './check.js';
import { applySpec, assertOurs, serviceRecord, taskReplicas } from './deploy.js';
import { pruneSecrets } from './secrets.js';
import { swarmServiceName } from './spec.js';
import { type Converged, watchConvergence } from './watch.js';

export interface SwarmRestore {
  to: Release;
  /** The release rolled back from (the live one), when there is one. */
  from?: Release;
  mode: 'image' | 'traffic';
  registryAuth?: RegistryCreds;
  /** secret-env values by runner variable, for the recorded spec's secrets. */
  secrets?: Readonly<Record<string, string>>;
}

/** How the service goes back: Swarm's rollback to its PreviousSpec, or an update to the recorded spec. */
export function rollbackWay(
  service: {
    spec: { Labels?: Record<string, string> };
    previousSpec?: { Labels?: Record<string, string>; TaskTemplate: { ContainerSpec: { Image: string } } };
  },
  to: Pick<Release, 'id'>,
  rec: Pick<ServiceRelease, 'swarm'>,
  from: Pick<Release, 'id'> | undefined,
): 'previous-spec' | 'recorded-spec' | 'already' {
  const current = service.spec.Labels?.[LABEL.release];
  if (current === to.id) return 'already';
  const prev = service.previousSpec;
  const matches =
    prev?.Labels?.[LABEL.release] === to.id &&
    (rec.swarm === undefined || prev.TaskTemplate.ContainerSpec.Image === rec.swarm.image) &&
    (from === undefined || current === from.id);
  return matches ? 'previous-spec' : 'recorded-spec';
}

/** The image reference a recorded release runs again: by digest; an image without one only while its tag still is it. */
async function recordedRef(
  site: ServiceSite & { docker: { inspectImage(ref: string): Promise<{ id: string } | undefined> } },
  rec: ServiceRelease,
): Promise<string> {
  const ref = rec.swarm?.image ?? rec.image;
  if (ref.includes('@')) return ref;
  const now = await site.docker.inspectImage(rec.image);
  if (now && (!rec.imageId || now.id === rec.imageId)) return rec.image;
  throw new UserError(
    `${site.target.name}/${site.name}: release ${rec.image} ran an image without a registry digest (${rec.imageId?.slice(0, 19) ?? 'unknown id'}), and ${rec.image} ${now ? `is now ${now.id.slice(0, 19)}` : 'is gone'}: Swarm runs images by reference, so it cannot run that one again; push images to a registry to roll back by digest`,
  );
}

/** A service brought back: its tasks now serving (the journal's replicas) and its record (the journal's `swarm`). */
export interface SwarmRestored {
  replicas: ReleaseReplica[];
  record: SwarmServiceRecord;
}

/** Bring service `site.name` back to release `req.to`; the tasks now serving and the service's record. */
export async function restoreSwarmService(
  site: ServiceSite,
  rec: ServiceRelease,
  req: SwarmRestore,
): Promise<SwarmRestored> {
  const { to, from } = req;
  if (req.mode === 'traffic') {
    throw new UserError(
      `${site.target.name}/${site.name}: scope traffic needs the release's containers still running beside the live ones, and a Swarm service runs one release's tasks; roll back with scope image (Swarm's rollback, or the recorded spec)`,
    );
  }
  const api = swarmEngineOf(site.target.name, site.target.docker);
  const info = await swarmManager(api, site.target.name);
  const owner = ownerOf(site);
  const name = swarmServiceName(owner);
  const service = await api.inspectService(name);
  if (service) assertOurs(name, service.spec.Labels, owner);
  const timeoutMs = swarmSettings(site.config.strategy)['converge-timeout'];
  const watchSite = { ...site, api, serviceName: name, localNode: info.nodeId };
  const way = service ? rollbackWay(service, to, rec, from) : 'recorded-spec';
  /** The service as Swarm left it: what its spec runs now (the previous spec's image after Swarm's rollback). */
  const restored = (done: Converged): SwarmRestored => ({
    replicas: taskReplicas(site.target.name, name, done.tasks),
    record: serviceRecord(name, done.service.spec.TaskTemplate.ContainerSpec.Image, done),
  });
  try {
    if (service && way === 'already') {
      site.log.info(`swarm: ${name} already runs the spec of ${to.id}; waiting for it to converge`);
      const done = await watchConvergence(
        { ...watchSite, serviceId: service.id },
        // Nothing to wait for from Swarm (its last update is older): converged once the tasks run and pass the gate.
        { release: to.id, change: 'create', before: service.updateStatus?.startedAt, timeoutMs },
      );
      return restored(done);
    }
    if (service && way === 'previous-spec') {
      site.log.info(
        `swarm: ${name}'s previous spec is release ${to.id}: Swarm's rollback (version ${service.version} → the previous spec)`,
      );
      await api.updateService(service.id, service.version, service.spec, { rollback: true });
      const done = await watchConvergence(
        { ...watchSite, serviceId: service.id },
        {
          release: to.id,
          change: 'rollback',
          before: service.updateStatus?.startedAt,
          ...(service.spec.Labels?.[LABEL.release] ? { fallback: service.spec.Labels[LABEL.release] } : {}),
          timeoutMs,
        },
      );
      return restored(done);
    }
    site.log.info(
      `swarm: ${name}: ${service ? `its previous spec is not release ${to.id}'s` : 'the service is gone'}; ${service ? 'updating it' : 'creating it'} to the recorded spec (${rec.swarm?.image ?? rec.image}, the release's env values)`,
    );
    const d = await withEnvFile(engineDeployOf(site, api, to.id, rec.image, req.secrets));
    const image = await recordedRef(d, rec);
    const done = await applySpec({ d, api, image, release: to.id, creds: req.registryAuth, imageRef: rec.image }, info);
    return { replicas: done.replicas, record: done.record };
  } finally {
    await pruneSecrets(api, owner, site.log).catch((e: Error) =>
      site.log.warn(`swarm: secrets not pruned: ${e.message}`),
    );
  }
}
