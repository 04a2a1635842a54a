import type { Logger } from '../core/log-types.js';
import { composeRecreate } from './compose/recreate.js';
import type { EngineApi } from './engine/api.js';
import { recreate } from './engine/recreate.js';
import { toJournal } from './engine/replicas.js';
import { rolling } from './engine/rolling.js';
import type { Release, ReleaseReplica } from './journal.js';
import { composeDeployOf, engineDeployOf, serviceSite } from './service-site.js';
import type { DeployDeps, DeployRequest, DeployTarget } from './types.js';

/** `127.0.0.1:5000/app` → `127.0.0.1:5000`; `ghcr.io/acme/x` → `ghcr.io`; `app` → Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'https://index.docker.io/v1/';
}

async function ensureImage(docker: EngineApi, ref: string, req: DeployRequest, log: Logger, signal?: AbortSignal) {
  const have = await docker.inspectImage(ref);
  if (have) return have;
  const image = ref.slice(0, ref.lastIndexOf(':'));
  const auth = req.registryAuth ? { ...req.registryAuth, serveraddress: registryOf(image) } : undefined;
  log.info(`pulling ${ref}${auth ? ` as ${auth.username}` : ''}`);
  await docker.pullImage(ref, { auth, signal });
  const pulled = await docker.inspectImage(ref);
  if (!pulled) throw new Error(`${ref} is missing right after its pull`);
  return pulled;
}

export interface ServiceResult {
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
  const site = serviceSite(req.config, req.environment, req.services, target, name, deps);
  const image = `${site.service.image}:${req.version}`;
  if (req.driver === 'compose' || !target.docker) {
    const compose = req.config.compose;
    if (!compose) throw new Error('the compose driver needs a compose section');
    const done = await log.group(`${target.name}: ${name} → ${image} (compose recreate)`, () =>
      composeRecreate(composeDeployOf(site, compose, req.version, previous)),
    );
    return { image, imageId: done.imageId, replicas: done.replicas };
  }
  const info = await ensureImage(target.docker, image, req, log, deps.signal);
  const d = engineDeployOf(site, target.docker, release.id, image);
  const replicas = await log.group(`${target.name}: ${name} → ${image} (${req.strategy})`, () =>
    req.strategy === 'recreate' ? recreate(d) : rolling(d),
  );
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: replicas.map((r) => toJournal(target.name, r)),
  };
}
