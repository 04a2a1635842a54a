import type { SwitchEvent } from '../canary/types.js';
import { dockerImageIdArgv } from '../commands/docker-cli.js';
import { errorMessage, UserError } from '../core/errors.js';
import { mapLimit } from '../core/map-limit.js';
import { abortDeadCanary, deadCanary } from './canary/resume.js';
import { ABORT_INCOMPLETE, newCanaryState, runCanarySteps } from './canary/run.js';
import type { CanarySite } from './canary/site.js';
import { composeHash } from './compose/hash.js';
import { removeReplicas } from './engine/replicas.js';
import { applyRetention } from './engine/retention.js';
import { stopExpiredStandby } from './engine/standby.js';
import { envChangesOf, envInForce, envPlanLines } from './env-overrides.js';
import { deployFleet, servicesOn } from './fleet/deploy.js';
import {
  adoptedRelease,
  liveRelease,
  markLive,
  newReleaseId,
  openCanary,
  type Release,
  sweepInterrupted,
} from './journal.js';
import { pullDecision } from './pull-policy.js';
import { deployService } from './service-step.js';
import { isProgressive } from './strategy.js';
import type { DeployDeps, DeployRequest, DeployTarget } from './types.js';

/** Hosts asked at once: their images before a fleet release, their kept releases pruned after it went live. */
const HOSTS_AT_ONCE = 50;

/**
 * Deploy one release to every target (one target at a time, services in order), journaled: in-progress first, then
 * live (the previous live release becomes superseded) or failed with the reason.
 */
export async function deployRelease(
  deps: DeployDeps,
  req: DeployRequest,
): Promise<{ release: Release; previous?: Release; paused?: boolean; timeline?: SwitchEvent[] }> {
  const { clock, log, journal } = deps;
  const { config, environmentName, who } = req.session;
  // We hold the lock: a release still marked in-progress belongs to a run that died mid-deploy; a canary such a run
  // left weighted in the upstream is put back first.
  let dead: Release | undefined;
  const before = await journal.update((j) => {
    dead = structuredClone(deadCanary(j.releases));
    for (const r of sweepInterrupted(j)) {
      log.warn(`release ${r.id} (${r.version}) was left in progress by a run that died; marked failed`);
    }
  });
  if (dead) await abortDeadCanary(req.session, dead, journal, deps);
  if (deps.maintenance && isProgressive(req.strategy)) {
    throw new UserError(
      `maintenance mode is on, so traffic stays on the maintenance page: a ${req.strategy} deploy, which exists to move traffic, cannot run now; \`runbook maintenance off\` first, or deploy with strategy rolling`,
    );
  }
  const open = openCanary(before);
  if (open) {
    throw new UserError(
      `canary ${open.id} (${open.version}) serves ${open.canary?.weight}% beside the live release: \`runbook promote\` or \`runbook abort\` it before another deploy`,
    );
  }
  const previous = liveRelease(before);
  // The env values in force: the live release's (unless env-reset) with this run's env lines; refused before a change.
  const overrides = req.env?.overrides ?? [];
  const env = envInForce(config, req.services, overrides, previous, req.env?.reset ?? false);
  const envChanges = envChangesOf(config, req.services, previous?.env, env);
  await stopExpiredStandby(config, environmentName, previous, deps);
  const release: Release = {
    id: newReleaseId(clock.now(), req.version),
    version: req.version,
    status: 'in-progress',
    strategy: req.strategy,
    driver: req.driver,
    services: {},
    previous: previous?.id,
    actor: who.actor,
    runUrl: who.runUrl,
    gitSha: req.gitSha,
    backupId: req.backupId,
    startedAt: clock.now().toISOString(),
    ...(req.strategy === 'blue-green' ? { slot: previous?.slot === 'green' ? 'blue' : 'green' } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(envChanges.length > 0 ? { envChanges } : {}),
  };
  await journal.upsert(release);
  deps.onStart?.(release, previous);
  log.info(
    `release ${release.id}: ${req.version} (${req.strategy}) to ${deps.targets.map((t) => t.name).join(', ')}; previous: ${previous ? `${previous.id} (${previous.version})` : 'none'}`,
  );
  for (const line of envPlanLines(config, req.services, overrides, previous, env, envChanges)) log.info(line);
  const taken: Record<string, Array<{ target: string; address: string; params: string[] }>> = {};
  const sites: CanarySite[] = [];
  const timeline: SwitchEvent[] = [];
  const standby: string[] = [];
  let stepsBegan = false;
  try {
    // An image a target lacks under pull: never stops the deploy before the first target changes.
    if (deps.targets.length > 1) await assertNeverPulledImages(deps, req);
    const deployHost = async (target: DeployTarget, hostDeps: DeployDeps): Promise<void> => {
      for (const name of servicesOn(req, target.name)) {
        const done = await deployService(hostDeps, req, target, name, release, previous);
        if (done.canary) sites.push(done.canary);
        timeline.push(...(done.events ?? []).map((e) => ({ ...e, what: `${target.name}/${name}: ${e.what}` })));
        standby.push(...(done.standby ?? []).map((r) => r.name));
        for (const s of done.adopted ?? []) {
          const list = taken[name] ?? [];
          list.push({ target: target.name, address: s.address, params: [...(s.params ?? [])] });
          taken[name] = list;
        }
        const entry = release.services[name] ?? {
          image: done.image,
          imageId: done.imageId,
          repoDigests: done.repoDigests,
          replicas: [],
          ...(done.swarm ? { swarm: done.swarm } : {}),
        };
        entry.replicas.push(...done.replicas);
        release.services[name] = entry;
      }
    };
    if (deps.targets.length === 1) {
      const [only] = deps.targets;
      if (only) await deployHost(only, deps);
    } else {
      await deployFleet(deps, req, release, previous, deployHost);
    }
    const fronted = sites[0]?.d.name;
    if (fronted) {
      release.canary = newCanaryState(fronted, sites, config.strategy.canary ?? { steps: [] });
      // Journaled before the first weight moves: a run killed from here on leaves what the next run puts back.
      await journal.upsert(release);
      stepsBegan = true;
      const outcome = await runCanarySteps(
        { sites, release, journal, clock, log, signal: deps.signal, actor: who.actor },
        0,
      );
      if (outcome === 'paused') return { release, previous, paused: true };
    }
  } catch (err) {
    // Canaries started on some targets before another target failed: out of traffic still, removed.
    if (!stepsBegan) for (const s of sites) await removeReplicas(s.d, s.canary);
    if (release.status === 'failed') throw err;
    if (release.canary?.reason?.startsWith(ABORT_INCOMPLETE)) {
      // Its weights still serve: it stays open, so `runbook abort` can finish taking it out.
      release.status = 'canary';
      await journal.upsert(release);
      throw err;
    }
    release.status = 'failed';
    // Kept in the journal (and shown by status): masked, as the log would print it.
    release.error = log.mask(errorMessage(err));
    release.finishedAt = clock.now().toISOString();
    await journal.upsert(release);
    throw err;
  }
  const first = deps.targets[0];
  if (req.driver === 'compose' && config.compose && first) {
    release.composeHash = await composeHash(first.transport, config.compose);
  }
  release.status = 'live';
  release.finishedAt = clock.now().toISOString();
  if (req.strategy === 'blue-green' && previous && standby.length > 0) {
    const until = new Date(clock.now().getTime() + config.strategy['blue-green'].standby).toISOString();
    release.standby = { release: previous.id, until };
    log.info(
      `standby: ${previous.id} (${previous.version}) keeps running out of traffic until ${until} for an instant switch back`,
    );
  }
  const adopted = Object.keys(taken).length > 0 && !previous ? adoptedRelease(release, taken) : undefined;
  if (adopted) {
    release.previous = adopted.id;
    log.info(
      `took the site over: what served before is recorded as release ${adopted.id}; "rollback" puts it back (it was left running)`,
    );
  } else if (Object.keys(taken).length > 0 && previous?.origin === 'adopted') {
    log.info(`what served before the take-over (release ${previous.id}) was drained again and left running`);
  } else if (Object.keys(taken).length > 0) {
    log.warn(
      `the upstream also served ${Object.values(taken)
        .flat()
        .map((s) => `${s.target}:${s.address}`)
        .join(', ')}, which no release of the journal started (added by hand?); drained and left running`,
    );
  }
  await journal.update((j) => {
    const at = j.releases.findIndex((r) => r.id === release.id);
    if (adopted) j.releases.splice(at < 0 ? j.releases.length : at, 0, adopted);
    markLive(j, release);
  });
  // Each host's retention at once (a fleet's hosts are independent), each host's services in order.
  await mapLimit(deps.targets, HOSTS_AT_ONCE, async (target) => {
    if (!target.docker) return;
    for (const name of req.services) {
      const owner = { app: config.app, env: environmentName, service: name };
      await applyRetention(
        target.docker,
        owner,
        config.strategy['keep-releases'],
        config.strategy['prune-images'],
        log,
        // What a rollback of this release returns to stays, however old its id (it may have been rolled back to).
        [release.id, ...((adopted ?? previous) ? [(adopted ?? previous)?.id ?? ''] : [])],
      ).catch((err: Error) => log.warn(`retention on ${target.name} failed: ${err.message}`));
    }
  });
  return { release, previous: adopted ?? previous, timeline };
}

/**
 * With more than one target, every service whose pull policy is `never` must have its image on every target that
 * runs it (its roles) before any target changes (a deploy that stopped at the second target would leave the first on
 * the new release). Throws UserError naming each target and image that is missing. The image is
 * `services.<name>.image:<version>`, looked up through the target's Engine API (a docker: target has no shell), else
 * with `docker image inspect` on its shell.
 */
export async function assertNeverPulledImages(deps: DeployDeps, req: DeployRequest): Promise<void> {
  const { config } = req.session;
  const missing: string[] = [];
  for (const name of req.services) {
    const service = config.services?.[name];
    if (!service) continue;
    const pull = pullDecision(name, service, req.driver === 'compose' ? config.compose?.pull : undefined);
    if (pull.policy !== 'never') continue;
    const image = `${service.image}:${req.version}`;
    // The hosts are asked at once (at most HOSTS_AT_ONCE), the answers kept in the targets' order.
    const running = deps.targets.filter((t) => servicesOn(req, t.name).includes(name));
    const present = await mapLimit(running, HOSTS_AT_ONCE, async (target) =>
      target.docker
        ? (await target.docker.inspectImage(image)) !== undefined
        : (await target.transport.exec(dockerImageIdArgv(image), { quiet: true, env: target.env })).code === 0,
    );
    running.forEach((t, i) => {
      if (!present[i]) missing.push(`${t.name}: ${image}`);
    });
  }
  if (missing.length > 0) {
    throw new UserError(
      `pull is never, and ${missing.length === 1 ? 'this image is' : 'these images are'} not on the target: ${missing.join('; ')}; nothing was changed on any target: load or build ${missing.length === 1 ? 'it' : 'them'} there first, or set pull: missing`,
    );
  }
}
