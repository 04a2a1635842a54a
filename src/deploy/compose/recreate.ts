import { composePs, composePull, composeUp } from '../../commands/compose.js';
import {
  dockerImageDigestsArgv,
  dockerImageIdArgv,
  dockerInspectConfigImageArgv,
  dockerInspectImageIdArgv,
  dockerInspectStateArgv,
  dockerLogsArgv,
  dockerPullArgv,
  dockerTagArgv,
} from '../../commands/docker-cli.js';
import type { ComposeConfig, Service } from '../../config/schema.js';
import { UserError } from '../../core/errors.js';
import { check } from '../../transports/files.js';
import { probeOf } from '../fleet/balancer.js';
import { type GateSubject, waitHealthy } from '../health.js';
import type { Release, ReleaseReplica } from '../journal.js';
import { composePullDeprecation, pullDecision } from '../pull-policy.js';
import type { ServiceSite } from '../types.js';
import { composeExecOptions } from './exec.js';

/** What a release ran for one service: its version, the tag compose runs (`repo:version`), the image id recorded. */
export interface RecordedImage {
  version: string;
  image: string;
  imageId?: string;
  /** Registry digests of that image: pulled by one when the image is gone from the target. */
  repoDigests?: string[];
  /** The release's env values for the service (the deploy's env input): compose runs with them when it comes back. */
  env?: Readonly<Record<string, string>>;
}

/** The image `release` ran for service `name` (just its tag when the journal recorded none for the service). */
export function imageOfRelease(release: Release, name: string, service: Service): RecordedImage {
  const rec = release.services[name];
  return {
    version: release.version,
    image: rec?.image ?? `${service.image}:${release.version}`,
    imageId: rec?.imageId,
    repoDigests: rec?.repoDigests,
    ...(release.env?.[name] ? { env: release.env[name] } : {}),
  };
}

/** The compose driver's context: its site (config, target, service, proxy, clock, log) and what it brings up. */
export interface ComposeDeploy extends ServiceSite {
  /** The config's compose section (`config.compose`, known present). */
  compose: ComposeConfig;
  version: string;
  /** The release live before this one: brought back, by its recorded image, when the health gate fails. */
  previous?: RecordedImage;
}

/** `env`: the env values compose runs with (default: this deploy's). */
function execOptions(d: ComposeDeploy, version: string, env?: Readonly<Record<string, string>>) {
  return composeExecOptions(d, d.compose, version, env);
}

function runner(d: ComposeDeploy, version: string, env?: Readonly<Record<string, string>>) {
  return async (argv: string[], what: string, quiet = true) =>
    check(
      await d.target.transport.exec(argv, { ...execOptions(d, version, env), quiet }),
      `${what} on ${d.target.name}`,
    );
}

export async function containerIds(d: ComposeDeploy, version: string): Promise<string[]> {
  const r = await runner(d, version)(composePs(d.compose, d.name), 'compose ps');
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The registry digests of image `id` on the target (`[]` for one built or loaded there); undefined when unreadable. */
async function digestsOf(d: ComposeDeploy, id: string): Promise<string[] | undefined> {
  const r = await d.target.transport.exec(dockerImageDigestsArgv(id), execOptions(d, d.version));
  if (r.code !== 0) return undefined;
  try {
    const list = JSON.parse(r.stdout) as unknown;
    return Array.isArray(list) ? list.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/** The image id each container runs. */
export async function runningImages(d: ComposeDeploy, ids: string[]): Promise<string[]> {
  const run = runner(d, d.version);
  return Promise.all(ids.map(async (id) => (await run(dockerInspectImageIdArgv(id), 'docker inspect')).stdout.trim()));
}

function subject(d: ComposeDeploy, id: string, slot: number): GateSubject {
  const run = runner(d, d.version);
  const port = d.service.health?.http?.port ?? d.service.port;
  return {
    label: `${d.target.name}/${d.name}#${slot}${port === undefined ? '' : ` (port ${port})`}`,
    host: '127.0.0.1',
    port,
    state: async () => {
      const s = JSON.parse((await run(dockerInspectStateArgv(id), 'docker inspect')).stdout) as {
        Running: boolean;
        ExitCode: number;
        Health?: { Status: string };
        StartedAt?: string;
      };
      return { running: s.Running, exitCode: s.ExitCode, health: s.Health?.Status, startedAt: s.StartedAt };
    },
    // Both streams: a crash is often explained on stderr (`bind: Address already in use`).
    logsTail: async () => {
      const r = await d.target.transport.exec(dockerLogsArgv(id, 20), { quiet: true, env: d.target.env });
      return `${r.stdout}${r.stderr}`;
    },
  };
}

/**
 * Before `up` of a new version, as the service's pull policy says: `always` runs `compose pull` (a tag pushed again is
 * fetched again); `missing` leaves it to `up`, which pulls only a missing image; `never` fails, naming the image,
 * when it is not on the target, before anything is recreated.
 */
async function pullFor(d: ComposeDeploy, version: string): Promise<void> {
  const setPull = d.compose.pull;
  if (setPull !== undefined && d.service.pull === undefined) d.log.warn(composePullDeprecation(d.name, setPull));
  const pull = pullDecision(d.name, d.service, setPull);
  const image = `${d.service.image}:${version}`;
  const label = `${d.target.name}/${d.name}`;
  if (pull.policy === 'always') {
    d.log.info(`${label}: compose pull ${image} (pull: always, ${pull.why})`);
    await runner(d, version)(composePull(d.compose, [d.name]), 'compose pull', false);
    return;
  }
  if (pull.policy === 'missing') return;
  const have = await d.target.transport.exec(dockerImageIdArgv(image), execOptions(d, version));
  if (have.code !== 0)
    throw new UserError(
      `${label}: image ${image} is not on the target and pull is never (${pull.why}): load or build it there first, or set services.${d.name}.pull: missing`,
    );
}

/**
 * `compose up` of `version` (with the env values `env`, default this deploy's); `fresh` (a new deploy, not a recorded
 * image brought back) pulls as the policy says.
 */
async function up(
  d: ComposeDeploy,
  version: string,
  fresh: boolean,
  env?: Readonly<Record<string, string>>,
): Promise<string[]> {
  const run = runner(d, version, env);
  if (fresh) await pullFor(d, version);
  await run(
    composeUp(d.compose, [d.name], { forceRecreate: true, scale: { [d.name]: d.service.replicas } }),
    'compose up',
    false,
  );
  return containerIds(d, version);
}

/**
 * Bring a release's image back, the runbooks' `docker tag <id> repo:version; docker compose up -d --force-recreate`:
 * point its tag back at the image id it ran (a tag may have moved since), then recreate that version, never pulling
 * (a pull would move the tag again). Rollback and the undo of a failed deploy both come back this way.
 */
export async function bringBack(d: ComposeDeploy, rec: RecordedImage): Promise<string[]> {
  const label = `${d.target.name}/${d.name}`;
  const run = runner(d, rec.version);
  const present = async (ref: string) =>
    (await d.target.transport.exec(dockerImageIdArgv(ref), execOptions(d, rec.version))).code === 0;
  if (!rec.imageId) {
    d.log.warn(`${label}: no image id recorded for ${rec.version}; using the tag ${rec.image} as it is`);
  } else {
    // Gone from the target (pruned by hand): pulled again by its registry digest, when the journal has one.
    for (const ref of (await present(rec.imageId)) ? [] : (rec.repoDigests ?? [])) {
      d.log.info(`${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; pulling ${ref}`);
      await run(dockerPullArgv(ref), 'docker pull', false).catch((e: Error) => d.log.warn(e.message));
      if (await present(rec.imageId)) break;
    }
    if (await present(rec.imageId)) {
      await run(dockerTagArgv(rec.imageId, rec.image), 'docker tag');
      d.log.info(`${label}: ${rec.image} → ${rec.imageId.slice(0, 19)} (the image it ran)`);
    } else {
      d.log.warn(
        `${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; using the tag ${rec.image} as it is`,
      );
    }
  }
  // With the env values that release ran with (none recorded: the compose file's own).
  return up(d, rec.version, false, rec.env ?? {});
}

/**
 * Recreate through compose, the runbooks' `docker compose pull && docker compose up -d --no-deps <service>` (or,
 * given `rec`, bring that recorded image back: rollback), then gate on health. A failed gate brings the previous
 * release's recorded image back up, as rollback would, whatever its tag points at now.
 */
/**
 * What runs the service now when the journal knows no release of it (a site taken over): the image its running
 * container was created from and the id it runs, the version read from that reference's tag. Undefined when nothing
 * runs or the reference has no tag.
 */
async function runningNow(d: ComposeDeploy): Promise<RecordedImage | undefined> {
  const [id] = await containerIds(d, d.version).catch(() => [] as string[]);
  if (!id) return undefined;
  const run = runner(d, d.version);
  const image = (await run(dockerInspectConfigImageArgv(id), 'docker inspect')).stdout.trim();
  const [imageId] = await runningImages(d, [id]);
  const tag = image.lastIndexOf(':') > image.lastIndexOf('/') ? image.slice(image.lastIndexOf(':') + 1) : '';
  if (tag === '') return undefined;
  d.log.info(
    `${d.target.name}/${d.name}: taking over ${image} (${(imageId ?? '').slice(0, 19)}), which the journal does not know`,
  );
  return { version: tag, image, imageId };
}

export async function composeRecreate(
  d: ComposeDeploy,
  rec?: RecordedImage,
): Promise<{ replicas: ReleaseReplica[]; imageId?: string; repoDigests?: string[] }> {
  // Recreate replaces what runs: when the journal knows no previous release, what runs now is what a failure restores.
  const fallback = rec || d.previous ? undefined : await runningNow(d);
  const ids = rec ? await bringBack(d, rec) : await up(d, d.version, true);
  if (ids.length === 0) throw new UserError(`${d.target.name}/${d.name}: compose started no container`);
  const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal: d.signal };
  try {
    if (d.service.health) await Promise.all(ids.map((id, i) => waitHealthy(ctx, d.service.health!, subject(d, id, i))));
  } catch (err) {
    const previous = d.previous ?? fallback;
    if (previous) {
      d.log.warn(`${d.target.name}/${d.name}: bringing ${previous.version} back up`);
      await bringBack(d, previous).catch((e: Error) =>
        d.log.warn(`could not restore ${previous.version}: ${e.message}`),
      );
    }
    throw err;
  }
  const [imageId] = await runningImages(d, ids.slice(0, 1));
  const repoDigests = imageId ? await digestsOf(d, imageId) : undefined;
  const port = d.service.port;
  if (d.proxy && port !== undefined) await d.proxy.set([{ address: `127.0.0.1:${port}` }], `${d.name} recreated`);
  return {
    replicas: ids.map((id) => ({ target: d.target.name, id, name: id.slice(0, 12), port })),
    imageId,
    repoDigests,
  };
}
