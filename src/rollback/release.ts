import type { Config } from '../config/schema.js';
import { ConfigError, UserError } from '../core/errors.js';
import { composeReplicaDeploy, prepareComposeSite } from '../deploy/compose/replicas.js';
import { LABEL, ownerLabels, ownerOf } from '../deploy/engine/labels.js';
import {
  gateNow,
  replicaFromLabels,
  type ServiceDeploy,
  toJournal,
  upstreamOf,
  withEnvFile,
} from '../deploy/engine/replicas.js';
import type { Release, ReleaseReplica, SwarmServiceRecord } from '../deploy/journal.js';
import { composeDeployOf, engineDeployOf, serviceSite } from '../deploy/service-site.js';
import { usesEngine } from '../deploy/strategy.js';
import { restoreSwarmService } from '../deploy/swarm/restore.js';
import type { DeployScope, RegistryCreds, SiteDeps } from '../deploy/types.js';
import { restoreAdopted } from './adopted.js';
import { restoreComposeService } from './compose.js';
import { recordedImage, restoreEngineService } from './engine.js';

export interface RestoreRequest {
  /** The config and the environment's name (the run's session itself). */
  session: Pick<DeployScope, 'config' | 'environmentName'>;
  to: Release;
  from?: Release;
  /** image: containers and upstream; traffic only: the upstream, to containers of `to` already running. */
  mode: 'image' | 'traffic';
  registryAuth?: RegistryCreds;
  /** secret-env values by runner variable (masked), for new containers of `to` (see DeployRequest.secrets). */
  secrets?: Readonly<Record<string, string>>;
}

/** The targets (in order), clock, log and cancellation a restore runs with. */
export type RestoreDeps = SiteDeps;

/** The services of `to` in the configured order (services the config no longer has are an error). */
function servicesOf(config: Config, to: Release): string[] {
  const recorded = Object.keys(to.services);
  const order = config.strategy.order ?? [];
  const sorted = [...order.filter((s) => recorded.includes(s)), ...recorded.filter((s) => !order.includes(s))];
  const missing = sorted.filter((s) => !config.services?.[s]);
  if (missing.length > 0) {
    throw new ConfigError(`release ${to.id} ran ${missing.join(', ')}, which the config no longer defines (services:)`);
  }
  return sorted;
}

/** What a restore brought back, by service: the replicas now serving; a Swarm service as the rollback left it. */
export interface RestoredRelease {
  replicas: Record<string, ReleaseReplica[]>;
  swarm: Record<string, SwarmServiceRecord>;
}

/**
 * Restore release `to` on every target, service by service: the recorded containers and images (image), or only
 * the nginx upstream pointed back at its running containers (traffic). Returns the replicas now serving, by service
 * (and each Swarm service's record: its version and tasks now).
 */
export async function restoreRelease(deps: RestoreDeps, req: RestoreRequest): Promise<RestoredRelease> {
  const { log } = deps;
  const { to } = req;
  const { config } = req.session;
  const names = servicesOf(config, to);
  const out: Record<string, ReleaseReplica[]> = {};
  const swarm: Record<string, SwarmServiceRecord> = {};
  const add = (service: string, rs: ReleaseReplica[]) => {
    out[service] = [...(out[service] ?? []), ...rs];
  };
  for (const target of deps.targets) {
    for (const name of names) {
      const rec = to.services[name];
      const service = config.services?.[name];
      if (!rec || !service) continue;
      if (to.origin === 'adopted') {
        if (!target.docker)
          throw new ConfigError(`${target.name}: rolling back a site taken over needs the engine driver`);
        const d = engineDeployOf(serviceSite(req.session, names, target, name, deps), target.docker, to.id, rec.image);
        await log.group(`${target.name}: ${name} → the site as it was taken over (${req.mode})`, () =>
          restoreAdopted(d, rec, req.mode),
        );
        continue;
      }
      if (!rec.replicas.some((r) => r.target === target.name)) {
        log.info(`${target.name}/${name}: release ${to.id} had no replica here; left as it is`);
        continue;
      }
      // New containers of `to` get the env values it was deployed with (kept ones still have them).
      const site = serviceSite(req.session, names, target, name, deps, to.env?.[name]);
      const proxy = site.proxy;
      const title = `${target.name}: ${name} → ${to.version} (${req.mode === 'image' ? 'rollback' : 'traffic only'})`;
      if (to.driver === 'swarm') {
        const opts = { to, from: req.from, mode: req.mode, registryAuth: req.registryAuth, secrets: req.secrets };
        const done = await log.group(title, () => restoreSwarmService(site, rec, opts));
        add(name, done.replicas);
        swarm[name] = done.record;
        continue;
      }
      if (!usesEngine(to.driver, to.strategy) || !target.docker) {
        const compose = config.compose;
        if (!compose)
          throw new ConfigError(`release ${to.id} was deployed with compose; the config has no compose section`);
        if (req.mode === 'traffic') {
          if (proxy && service.port !== undefined) await proxy.set([{ address: `127.0.0.1:${service.port}` }], title);
          continue;
        }
        const done = await log.group(title, () =>
          restoreComposeService(composeDeployOf(site, compose, to.version, req.from), rec, req.from),
        );
        add(name, done.replicas);
        continue;
      }
      const docker = target.docker;
      const compose = to.driver === 'compose' ? config.compose : undefined;
      if (to.driver === 'compose' && !compose)
        throw new ConfigError(`release ${to.id} was deployed with compose; the config has no compose section`);
      const restored = await log.group(title, async () => {
        if (req.mode === 'traffic') return trafficOnly(engineDeployOf(site, docker, to.id, rec.image));
        if (compose) {
          // New containers (when the kept ones are gone) come from the compose file resolved at that version; when
          // it no longer resolves, the kept containers can still come back, and only creating new ones fails.
          const composed = await composeReplicaDeploy(site, docker, compose, to.version, to.id).catch((err: Error) => {
            log.warn(
              `${target.name}/${name}: the compose file does not resolve at ${to.version} (${err.message}); only the release's kept containers can come back`,
            );
            return { ...engineDeployOf(site, docker, to.id, rec.image), unresolved: err };
          });
          const image = await recordedImage(composed, rec, req.registryAuth);
          if ('composeService' in composed) await prepareComposeSite(composed, compose, to.version);
          return restoreEngineService({ ...composed, image }, rec);
        }
        const d = engineDeployOf(site, docker, to.id, rec.image, req.secrets);
        // New containers of the recorded image get today's env-file, read before anything changes.
        const withFile = await withEnvFile(d);
        const image = await recordedImage(withFile, rec, req.registryAuth);
        return restoreEngineService({ ...withFile, image }, rec);
      });
      add(
        name,
        restored.map((r) => toJournal(target.name, r)),
      );
    }
  }
  return { replicas: out, swarm };
}

/** Point the upstream back at the release's containers, which must be running and healthy. */
async function trafficOnly(d: ServiceDeploy) {
  const running = (await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) }))
    .filter((c) => c.state === 'running' && c.labels[LABEL.release] === d.release)
    .map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels));
  if (running.length === 0) {
    throw new UserError(
      `${d.target.name}/${d.name}: no container of ${d.release} is running, so traffic alone cannot go back to it; add image to the scope`,
    );
  }
  // A standby (blue-green's other slot) is checked as it runs now: healthy at once, no stable period to sit out.
  await gateNow(d, running).catch((err: Error) => {
    throw new UserError(
      `${d.target.name}/${d.name}: the containers of ${d.release} still run but are not healthy (${err.message}), so traffic is not switched back to them; nothing changed: roll back with scope image to start them anew`,
    );
  });
  if (d.proxy) await d.proxy.set(upstreamOf(running), `traffic back to ${d.release}`);
  return running;
}
