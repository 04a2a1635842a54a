/**
 * The swarm driver's deploy of one service: the target must be a swarm manager; the image is pulled as the service's
 * pull policy says and pinned by its registry digest; secret-env values become Swarm secrets; the service
 * `<app>-<env>-<service>` is created, or updated from the version read (Swarm replaces its tasks: strategy.swarm),
 * and the deploy waits for it to converge while nginx follows the tasks that pass the health gate (watch.ts). A
 * failed update is Swarm's to undo (failure-action rollback); the deploy fails naming why, the upstream on the
 * previous tasks. A failed create removes the service and puts the upstream file back byte for byte.
 */
import { swarmSettings } from '../../config/schema-swarm.js';
import { UserError } from '../../core/errors.js';
import type { SwarmInfo } from '../../docker/swarm-types.js';
import type { ImageInfo } from '../../docker/types.js';
import { LABEL, type Owner, ownerLabels, ownerOf } from '../engine/labels.js';
import { portBusy, type ServiceDeploy, withEnvFile } from '../engine/replicas.js';
import type { Release, ReleaseReplica, SwarmServiceRecord } from '../journal.js';
import { pullDecision } from '../pull-policy.js';
import { engineDeployOf, serviceSite } from '../service-site.js';
import { describeImage, ensureImage, pullAuth, type ServiceResult } from '../service-step.js';
import type { DeployDeps, DeployRequest, DeployTarget, RegistryCreds } from '../types.js';
import { type SwarmEngine, swarmEngineOf } from './api.js';
import { swarmManager } from './check.js';
import type { TaskView } from './converge.js';
import { choosePorts, PORTS_LABEL, parsePortsLabel } from './ports.js';
import { ensureSecrets, pruneSecrets } from './secrets.js';
import { buildServiceSpec, type SecretMount, swarmServiceName } from './spec.js';
import { type Converged, watchConvergence } from './watch.js';

/** `repo:tag@sha256:…` when the image has a digest of its repository (what every node pulls), else `repo:tag`. */
export function pinnedImage(image: string, info: Pick<ImageInfo, 'repoDigests'>): string {
  const repo = image.slice(0, image.lastIndexOf(':'));
  const digest = info.repoDigests.find((r) => r.startsWith(`${repo}@`));
  return digest ? `${image}@${digest.slice(digest.indexOf('@') + 1)}` : image;
}

/** The journal's replicas of a service: its tasks, named as `docker service ps` names them. */
export function taskReplicas(target: string, serviceName: string, tasks: readonly TaskView[]): ReleaseReplica[] {
  return tasks.map((t) => ({ target, id: t.id, name: `${serviceName}.${t.slot}`, port: t.port }));
}

/** The journal's record of a service once a change of it converged (`image`: what its spec runs). */
export function serviceRecord(name: string, image: string, converged: Converged): SwarmServiceRecord {
  return {
    id: converged.service.id,
    name,
    version: converged.service.version,
    image,
    tasks: converged.tasks.map((t) => ({
      id: t.id,
      slot: t.slot,
      node: t.node,
      address: converged.addresses[t.id] ?? '',
    })),
  };
}

/** A service of that name that is not this app's (no toolkit labels, or another owner's) is never touched. */
export function assertOurs(serviceName: string, labels: Record<string, string> | undefined, owner: Owner): void {
  const mine = ownerLabels(owner);
  const foreign = Object.entries(mine).filter(([k, v]) => labels?.[k] !== v);
  if (foreign.length > 0) {
    throw new UserError(
      `a Swarm service named ${serviceName} exists, but it is not ${owner.app}/${owner.env}/${owner.service}'s (its labels ${foreign.map(([k]) => k).join(', ')} differ): the swarm driver never takes over a service it did not create; remove or rename it`,
    );
  }
}

/** What one change of a service needs: its site with the Engine API, and what its new spec is built from. */
export interface SwarmChangeInput {
  d: ServiceDeploy;
  api: SwarmEngine;
  /** The image reference the spec names (pinned). */
  image: string;
  /** The release whose labels the spec carries. */
  release: string;
  creds?: RegistryCreds;
  /** The repository:tag the credentials are for. */
  imageRef: string;
}

/**
 * Create or update the service with a spec built for `input` (ports chosen beside the running tasks, secrets made),
 * then wait for convergence (watch.ts). Returns the converged service, its record and the tasks.
 */
export async function applySpec(
  input: SwarmChangeInput,
  info: Pick<SwarmInfo, 'clusterId' | 'nodeId'>,
): Promise<{ converged: Converged; record: SwarmServiceRecord; replicas: ReleaseReplica[] }> {
  const { d, api } = input;
  const owner = ownerOf(d);
  const name = swarmServiceName(owner);
  const label = `${d.target.name}/${d.name}`;
  const existing = await api.inspectService(name);
  if (existing) assertOurs(name, existing.spec.Labels, owner);
  const running = existing ? await api.listTasks(existing.id) : [];
  // Ports the running tasks hold (their specs' sets) and the current spec's: the new tasks never share one.
  const avoid = new Set<number>(
    parsePortsLabel(existing?.spec.TaskTemplate.ContainerSpec.Labels?.[PORTS_LABEL]).values(),
  );
  for (const t of running) {
    if (t.state === 'running' || t.desiredState === 'running') {
      for (const p of parsePortsLabel(t.labels[PORTS_LABEL]).values()) avoid.add(p);
    }
  }
  const range = d.service['host-ports'];
  const ports = range ? await choosePorts(label, range, d.service.replicas, avoid, (p) => portBusy(d, p)) : [];
  const secrets: SecretMount[] = await ensureSecrets(
    api,
    owner,
    d.service['secret-env'] ?? {},
    d.secrets,
    info.clusterId,
    d.log,
  );
  const spec = buildServiceSpec({
    owner,
    release: input.release,
    image: input.image,
    service: d.service,
    fileEnv: d.fileEnv,
    ports,
    secrets,
    swarm: swarmSettings(d.config.strategy),
  });
  const auth = pullAuth(input.creds, input.imageRef);
  const timeoutMs = swarmSettings(d.config.strategy)['converge-timeout'];
  const site = { ...d, api, serviceName: name, localNode: info.nodeId };
  const where = ports.length > 0 ? ` on ports ${ports.join(', ')}` : '';
  let converged: Converged;
  if (!existing) {
    const upstreamText = d.proxy ? await d.proxy.current() : undefined;
    const id = await api.createService(spec, { auth });
    d.log.info(`swarm: created service ${name} (${id.slice(0, 12)}): ${d.service.replicas} × ${input.image}${where}`);
    try {
      converged = await watchConvergence(
        { ...site, serviceId: id },
        { release: input.release, change: 'create', timeoutMs },
      );
    } catch (err) {
      d.log.warn(`swarm: ${name} did not converge; removing the new service, the upstream file back as it was`);
      await api.removeService(id).catch((e: Error) => d.log.warn(`could not remove service ${name}: ${e.message}`));
      if (d.proxy) await d.proxy.restore(upstreamText, 'the deploy failed').catch((e: Error) => d.log.warn(e.message));
      throw err;
    }
  } else {
    const fallback = existing.spec.Labels?.[LABEL.release];
    await api.updateService(existing.id, existing.version, spec, { auth });
    d.log.info(
      `swarm: updating service ${name} (version ${existing.version}): ${d.service.replicas} × ${input.image}${where}, ${swarmSettings(d.config.strategy).order}, ${swarmSettings(d.config.strategy).parallelism} at a time`,
    );
    converged = await watchConvergence(
      { ...site, serviceId: existing.id },
      {
        release: input.release,
        change: 'update',
        before: existing.updateStatus?.startedAt,
        ...(fallback ? { fallback } : {}),
        timeoutMs,
      },
    );
  }
  const record = serviceRecord(name, input.image, converged);
  return { converged, record, replicas: taskReplicas(d.target.name, name, converged.tasks) };
}

/** One service on one target with the swarm driver (see the file's comment). */
export async function deploySwarmService(
  deps: DeployDeps,
  req: DeployRequest,
  target: DeployTarget,
  name: string,
  release: Release,
): Promise<ServiceResult> {
  const { log } = deps;
  if (deps.targets.length > 1) {
    throw new UserError(
      `the swarm driver deploys through one swarm manager, and environments.${req.session.environmentName}.targets has ${deps.targets.length}: give the manager alone (Swarm places the tasks on its nodes)`,
    );
  }
  const site = serviceSite(req.session, req.services, target, name, deps, release.env?.[name]);
  const api = swarmEngineOf(target.name, target.docker);
  const info = await swarmManager(api, target.name);
  const imageRef = `${site.service.image}:${req.version}`;
  // env-file read, image pulled: before the service changes.
  const d = await withEnvFile(engineDeployOf(site, api, release.id, imageRef, req.secrets));
  const image = await ensureImage(d, req.registryAuth, pullDecision(name, site.service));
  log.info(`${target.name}: ${name} runs ${describeImage(imageRef, image)}`);
  const pinned = pinnedImage(imageRef, image);
  if (pinned === imageRef) {
    log.warn(
      `${target.name}/${name}: ${imageRef} has no registry digest (built or loaded on the host), so Swarm runs it by tag${info.nodes > 1 ? ', and every node must have it' : ''}`,
    );
  }
  const done = await log.group(
    `${target.name}: ${name} → ${imageRef} (swarm service, ${swarmSettings(site.config.strategy).order})`,
    async () => {
      try {
        return await applySpec({ d, api, image: pinned, release: release.id, creds: req.registryAuth, imageRef }, info);
      } finally {
        await pruneSecrets(api, ownerOf(d), log).catch((e: Error) =>
          log.warn(`swarm: secrets not pruned: ${e.message}`),
        );
      }
    },
  );
  return {
    image: imageRef,
    imageId: image.id,
    repoDigests: image.repoDigests,
    replicas: done.replicas,
    swarm: done.record,
  };
}
