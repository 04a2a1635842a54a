import type { SwitchEvent } from '../canary/types.js';
import { UserError } from '../core/errors.js';
import type { ImageInfo, RegistryAuth } from '../docker/types.js';
import type { UpstreamServer } from '../proxy/upstream-file.js';
import { type CanarySite, startCanary } from './canary/site.js';
import { checkComposeEnv } from './compose/env.js';
import { composeRecreate } from './compose/recreate.js';
import { composeReplicaDeploy, prepareComposeSite } from './compose/replicas.js';
import { blueGreen } from './engine/blue-green.js';
import { recreate } from './engine/recreate.js';
import { type ServiceDeploy, toJournal, withEnvFile } from './engine/replicas.js';
import { rolling } from './engine/rolling.js';
import type { Release, ReleaseReplica, SwarmServiceRecord } from './journal.js';
import { namesRegistryHost, type PullDecision, pullDecision } from './pull-policy.js';
import { composeDeployOf, engineDeployOf, serviceSite } from './service-site.js';
import type { DeployDeps, DeployRequest, DeployTarget, RegistryCreds } from './types.js';

/** `127.0.0.1:5000/app` → `127.0.0.1:5000`; `ghcr.io/acme/x` → `ghcr.io`; `app` → Docker Hub. */
export function registryOf(image: string): string {
  return namesRegistryHost(image) ? (image.split('/')[0] ?? '') : 'https://index.docker.io/v1/';
}

/** `creds` for the registry of `image` (`repo:tag`), as a pull sends them; undefined without credentials. */
export function pullAuth(creds: RegistryCreds | undefined, image: string): RegistryAuth | undefined {
  return creds && { ...creds, serveraddress: registryOf(image.slice(0, image.lastIndexOf(':'))) };
}

/**
 * `image → id (repo digest)`, what a deploy starts: the repo digest of `image`'s repository (else the first one), or
 * why there is none.
 */
export function describeImage(image: string, info: ImageInfo): string {
  const repo = image.slice(0, image.lastIndexOf(':'));
  const digest = info.repoDigests.find((r) => r.startsWith(`${repo}@`)) ?? info.repoDigests[0];
  return `${image} → ${info.id.slice(0, 19)}… (${digest ?? 'no registry digest: built or loaded on the host'})`;
}

/**
 * `d.image` on the target as `pull` wants it: `always` pulls (a tag pushed again is fetched again), `missing` pulls
 * only when it is not there, `never` throws a UserError naming it when it is not there (before any container
 * changes). Returns the image inspected after the pull: what the containers will run. Throws when the pull fails.
 */
export async function ensureImage(
  d: ServiceDeploy,
  creds: RegistryCreds | undefined,
  pull: PullDecision,
): Promise<ImageInfo> {
  const label = `${d.target.name}/${d.name}`;
  const have = await d.docker.inspectImage(d.image);
  if (pull.policy === 'never' && !have) {
    throw new UserError(
      `${label}: image ${d.image} is not on the target and pull is never (${pull.why}): load or build it there first, or set services.${d.name}.pull: missing`,
    );
  }
  if (have && pull.policy !== 'always') {
    d.log.info(`${label}: ${d.image} is on the target, not pulled (pull: ${pull.policy}, ${pull.why})`);
    return have;
  }
  const auth = pullAuth(creds, d.image);
  d.log.info(`pulling ${d.image}${auth ? ` as ${auth.username}` : ''} (pull: ${pull.policy}, ${pull.why})`);
  await d.docker.pullImage(d.image, { auth, signal: d.signal });
  const pulled = await d.docker.inspectImage(d.image);
  if (!pulled) throw new Error(`${d.image} is missing right after its pull`);
  if (have && have.id !== pulled.id) {
    d.log.info(`${label}: ${d.image} was pushed again: ${have.id.slice(0, 19)}… → ${pulled.id.slice(0, 19)}…`);
  }
  return pulled;
}

export interface ServiceResult {
  /** Servers that served before and were not ours (a site taken over): drained from the upstream, left running. */
  adopted?: UpstreamServer[];
  image: string;
  imageId?: string;
  repoDigests?: string[];
  replicas: ReleaseReplica[];
  /** blue-green: the replicas left running out of traffic, and the switch's timeline. */
  standby?: ReleaseReplica[];
  events?: SwitchEvent[];
  /** canary: the started canary, out of traffic yet; the release's steps move it (canary/run.ts). */
  canary?: CanarySite;
  /** The swarm driver: the Swarm service as the release left it. */
  swarm?: SwarmServiceRecord;
}

/** One service on one target, with the configured driver and strategy. */
export async function deployService(
  deps: DeployDeps,
  req: DeployRequest,
  target: DeployTarget,
  name: string,
  release: Release,
  previous: Release | undefined,
): Promise<ServiceResult> {
  const { log } = deps;
  if (req.driver === 'swarm') {
    // Loaded when used (and so no import cycle: the swarm driver uses ensureImage from here).
    const { deploySwarmService } = await import('./swarm/deploy.js');
    return deploySwarmService(deps, req, target, name, release);
  }
  const site = serviceSite(req.session, req.services, target, name, deps, release.env?.[name]);
  const compose = req.session.config.compose;
  if (req.driver === 'compose' && req.strategy === 'recreate') {
    if (!compose) throw new Error('the compose driver needs a compose section');
    const image = `${site.service.image}:${req.version}`;
    // The release's env values reach the container only where the compose file takes them: checked first.
    await checkComposeEnv(site, compose, req.version);
    const done = await log.group(`${target.name}: ${name} → ${image} (compose recreate)`, () =>
      composeRecreate(composeDeployOf(site, compose, req.version, previous)),
    );
    return { image, imageId: done.imageId, repoDigests: done.repoDigests, replicas: done.replicas };
  }
  if (!target.docker) throw new Error(`${target.name}: rolling replicas need the target's Engine API`);
  // What the containers get is read before the image or any container is touched: a missing env-file, a compose
  // file that does not resolve, changes nothing.
  const composed =
    req.driver === 'compose' && compose
      ? await composeReplicaDeploy(site, target.docker, compose, req.version, release.id)
      : undefined;
  const d: ServiceDeploy =
    composed ??
    (await withEnvFile(
      engineDeployOf(site, target.docker, release.id, `${site.service.image}:${req.version}`, req.secrets),
    ));
  const image = d.image;
  const info = await ensureImage(d, req.registryAuth, pullDecision(name, site.service, composed && compose?.pull));
  log.info(`${target.name}: ${name} starts ${describeImage(image, info)}`);
  if (composed && compose) await prepareComposeSite(composed, compose, req.version);
  const title = `${target.name}: ${name} → ${image} (${d.proxy || req.strategy === 'recreate' ? req.strategy : 'rolling: not behind the proxy'}${req.driver === 'compose' ? ', compose service' : ''})`;
  const described = { image, imageId: info.id, repoDigests: info.repoDigests };
  if (req.strategy === 'canary' && d.proxy) {
    const site = await log.group(title, () => startCanary(d));
    return { ...described, replicas: site.canary.map((r) => toJournal(target.name, r)), canary: site };
  }
  if (req.strategy === 'blue-green' && d.proxy) {
    const bg = await log.group(title, () => blueGreen(d, release.slot ?? 'green'));
    return {
      ...described,
      replicas: bg.replicas.map((r) => toJournal(target.name, r)),
      adopted: bg.adopted,
      standby: bg.standby.map((r) => toJournal(target.name, r)),
      events: bg.events,
    };
  }
  const done = await log.group(title, () => (req.strategy === 'recreate' ? recreate(d) : rolling(d)));
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: done.replicas.map((r) => toJournal(target.name, r)),
    adopted: done.adopted,
  };
}
