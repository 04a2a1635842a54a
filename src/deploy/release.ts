import type { Config, Environment } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { RegistryAuth } from '../docker/types.js';
import { NginxUpstream } from '../proxy/nginx.js';
import type { Transport } from '../transports/types.js';
import { composeRecreate } from './compose/recreate.js';
import type { EngineApi } from './engine/api.js';
import { recreate } from './engine/recreate.js';
import { type ServiceDeploy, toJournal } from './engine/replicas.js';
import { applyRetention } from './engine/retention.js';
import { rolling } from './engine/rolling.js';
import { type JournalStore, liveRelease, newReleaseId, type Release } from './journal.js';

export interface DeployTarget {
  name: string;
  transport: Transport;
  /** The Docker Engine API (engine driver only). */
  docker?: EngineApi;
  /** The target's configured command environment. */
  env: Record<string, string>;
}

export interface DeployRequest {
  config: Config;
  environment: string;
  env: Environment;
  version: string;
  /** In deploy order. */
  services: string[];
  strategy: 'rolling' | 'recreate';
  driver: 'engine' | 'compose';
  actor: string;
  runUrl?: string;
  gitSha?: string;
  registryAuth?: Omit<RegistryAuth, 'serveraddress'>;
}

export interface DeployDeps {
  targets: DeployTarget[];
  journal: JournalStore;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

/** `127.0.0.1:5000/app` → `127.0.0.1:5000`; `ghcr.io/acme/x` → `ghcr.io`; `app` → Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'https://index.docker.io/v1/';
}

async function ensureImage(docker: EngineApi, ref: string, req: DeployRequest, log: Logger) {
  const have = await docker.inspectImage(ref);
  if (have) return have;
  const image = ref.slice(0, ref.lastIndexOf(':'));
  const auth = req.registryAuth ? { ...req.registryAuth, serveraddress: registryOf(image) } : undefined;
  log.info(`pulling ${ref}${auth ? ` as ${auth.username}` : ''}`);
  await docker.pullImage(ref, { auth });
  const pulled = await docker.inspectImage(ref);
  if (!pulled) throw new Error(`${ref} is missing right after its pull`);
  return pulled;
}

/**
 * Deploy one release to every target (one target at a time, services in order), journaled: in-progress first, then
 * live (the previous live release becomes superseded) or failed with the reason.
 */
export async function deployRelease(
  deps: DeployDeps,
  req: DeployRequest,
): Promise<{ release: Release; previous?: Release }> {
  const { clock, log, journal } = deps;
  // We hold the lock: a release still marked in-progress belongs to a run that died mid-deploy.
  const before = await journal.update((j) => {
    for (const r of j.releases) {
      if (r.status !== 'in-progress') continue;
      r.status = 'failed';
      r.error = 'interrupted: the run that deployed it ended without finishing (killed or lost)';
      log.warn(`release ${r.id} (${r.version}) was left in progress by a run that died; marked failed`);
    }
  });
  const previous = liveRelease(before);
  const release: Release = {
    id: newReleaseId(clock.now(), req.version),
    version: req.version,
    status: 'in-progress',
    strategy: req.strategy,
    driver: req.driver,
    services: {},
    previous: previous?.id,
    actor: req.actor,
    runUrl: req.runUrl,
    gitSha: req.gitSha,
    startedAt: clock.now().toISOString(),
  };
  await journal.upsert(release);
  log.info(
    `release ${release.id}: ${req.version} (${req.strategy}) to ${deps.targets.map((t) => t.name).join(', ')}; previous: ${previous ? `${previous.id} (${previous.version})` : 'none'}`,
  );
  const nginx = req.config.strategy.proxy?.nginx;
  const fronted = nginx?.service ?? req.services[0];
  try {
    for (const target of deps.targets) {
      for (const name of req.services) {
        const service = req.config.services?.[name];
        if (!service) throw new Error(`service ${name} is not in the config`);
        const ref = `${service.image}:${req.version}`;
        const proxy = nginx && fronted === name ? new NginxUpstream(target.transport, nginx, clock, log) : undefined;
        if (req.driver === 'compose' || !target.docker) {
          const compose = req.config.compose;
          if (!compose) throw new Error('the compose driver needs a compose section');
          const done = await log.group(`${target.name}: ${name} → ${ref} (compose recreate)`, () =>
            composeRecreate({
              target: target.name,
              name,
              service,
              compose,
              transport: target.transport,
              targetEnv: target.env,
              version: req.version,
              previousVersion: previous?.version,
              proxy,
              clock,
              log,
              signal: deps.signal,
            }),
          );
          const entry = (release.services[name] ??= { image: ref, imageId: done.imageId, replicas: [] });
          entry.replicas.push(...done.replicas);
          continue;
        }
        const docker = target.docker;
        const image = await ensureImage(docker, ref, req, log);
        const d: ServiceDeploy = {
          owner: { app: req.config.app, env: req.environment, service: name },
          target: target.name,
          release: release.id,
          image: ref,
          service,
          docker,
          transport: target.transport,
          proxy,
          maxSurge: req.config.strategy['max-surge'],
          drainMs: req.config.strategy.drain,
          clock,
          log,
          signal: deps.signal,
        };
        const replicas = await log.group(`${target.name}: ${name} → ${ref} (${req.strategy})`, () =>
          req.strategy === 'recreate' ? recreate(d) : rolling(d),
        );
        const entry = (release.services[name] ??= {
          image: ref,
          imageId: image.id,
          repoDigests: image.repoDigests,
          replicas: [],
        });
        entry.replicas.push(...replicas.map((r) => toJournal(target.name, r)));
      }
    }
  } catch (err) {
    release.status = 'failed';
    release.error = errorMessage(err);
    release.finishedAt = clock.now().toISOString();
    await journal.upsert(release);
    throw err;
  }
  release.status = 'live';
  release.finishedAt = clock.now().toISOString();
  await journal.update((j) => {
    for (const r of j.releases) if (r.status === 'live') r.status = 'superseded';
    const i = j.releases.findIndex((r) => r.id === release.id);
    j.releases[i] = release;
  });
  for (const target of deps.targets) {
    if (!target.docker) continue;
    for (const name of req.services) {
      const owner = { app: req.config.app, env: req.environment, service: name };
      await applyRetention(
        target.docker,
        owner,
        req.config.strategy['keep-releases'],
        req.config.strategy['prune-images'],
        log,
      ).catch((err: Error) => log.warn(`retention on ${target.name} failed: ${err.message}`));
    }
  }
  return { release, previous };
}
