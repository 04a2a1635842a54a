import type { RegistryAuth } from '../docker/types.js';
import type { UpstreamServer } from '../proxy/upstream-file.js';
import { composeRecreate } from './compose/recreate.js';
import { recreate } from './engine/recreate.js';
import { type ServiceDeploy, toJournal } from './engine/replicas.js';
import { rolling } from './engine/rolling.js';
import type { Release, ReleaseReplica } from './journal.js';
import { composeDeployOf, engineDeployOf, serviceSite } from './service-site.js';
import type { DeployDeps, DeployRequest, DeployTarget, RegistryCreds } from './types.js';

/** `127.0.0.1:5000/app` → `127.0.0.1:5000`; `ghcr.io/acme/x` → `ghcr.io`; `app` → Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'https://index.docker.io/v1/';
}

/** `creds` for the registry of `image` (`repo:tag`), as a pull sends them; undefined without credentials. */
export function pullAuth(creds: RegistryCreds | undefined, image: string): RegistryAuth | undefined {
  return creds && { ...creds, serveraddress: registryOf(image.slice(0, image.lastIndexOf(':'))) };
}

/** `d.image` on the target, pulled (with `creds`) when it is not there yet. Throws when the pull fails. */
async function ensureImage(d: ServiceDeploy, creds: RegistryCreds | undefined) {
  const have = await d.docker.inspectImage(d.image);
  if (have) return have;
  const auth = pullAuth(creds, d.image);
  d.log.info(`pulling ${d.image}${auth ? ` as ${auth.username}` : ''}`);
  await d.docker.pullImage(d.image, { auth, signal: d.signal });
  const pulled = await d.docker.inspectImage(d.image);
  if (!pulled) throw new Error(`${d.image} is missing right after its pull`);
  return pulled;
}

export interface ServiceResult {
  /** Servers that served before and were not ours (a site taken over): drained from the upstream, left running. */
  adopted?: UpstreamServer[];
  image: string;
  imageId?: string;
  repoDigests?: string[];
  replicas: ReleaseReplica[];
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
  const site = serviceSite(req.session, req.services, target, name, deps);
  const image = `${site.service.image}:${req.version}`;
  if (req.driver === 'compose' || !target.docker) {
    const compose = req.session.config.compose;
    if (!compose) throw new Error('the compose driver needs a compose section');
    const done = await log.group(`${target.name}: ${name} → ${image} (compose recreate)`, () =>
      composeRecreate(composeDeployOf(site, compose, req.version, previous)),
    );
    return { image, imageId: done.imageId, replicas: done.replicas };
  }
  const d = engineDeployOf(site, target.docker, release.id, image);
  const info = await ensureImage(d, req.registryAuth);
  const done = await log.group(`${target.name}: ${name} → ${image} (${req.strategy})`, () =>
    req.strategy === 'recreate' ? recreate(d) : rolling(d),
  );
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: done.replicas.map((r) => toJournal(target.name, r)),
    adopted: done.adopted,
  };
}
