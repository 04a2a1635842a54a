import {
  allocatePort,
  portBusy,
  type Replica,
  removeReplicas,
  type ServiceDeploy,
  startReplica,
  stopReplica,
} from '../deploy/engine/replicas.js';
import type { ServiceRelease } from '../deploy/journal.js';

/** A container of the release being restored, as the engine lists it. */
export interface Found extends Replica {
  running: boolean;
  imageId: string;
}

/** Why the kept containers cannot simply be started again (undefined when they can). `freed`: ports about to be. */
export async function reuseObstacle(
  d: ServiceDeploy,
  mine: readonly Found[],
  rec: ServiceRelease,
  held: ReadonlySet<number>,
  freed: ReadonlySet<number> = new Set(),
): Promise<string | undefined> {
  if (mine.length === 0) return 'no kept container of this release';
  if (mine.length < d.service.replicas) return `only ${mine.length} of ${d.service.replicas} kept containers`;
  for (const r of mine) {
    if (rec.imageId && r.imageId !== rec.imageId) return `${r.name} does not run the recorded image`;
    if (r.running || r.port === undefined) continue;
    if (held.has(r.port)) return `port ${r.port} of ${r.name} is held by a serving replica`;
    if (!freed.has(r.port) && (await portBusy(d, r.port)))
      return `port ${r.port} of ${r.name} is taken by something else`;
  }
  return undefined;
}

/** What a restore started, so a failure can take it back. */
export interface Attempt {
  started: Replica[];
  /** New containers were created (removed on failure); otherwise kept ones were started (stopped again). */
  created: boolean;
}

/**
 * The release's containers up again: its kept ones when nothing stands in the way (`obstacle` undefined), else —
 * after removing those — new ones of `d.image`, slot by slot on `ports`, then on free ports of the range.
 */
export async function bringBack(
  d: ServiceDeploy,
  mine: readonly Found[],
  obstacle: string | undefined,
  ports: readonly number[],
  used: Set<number>,
  attempt: Attempt,
): Promise<Replica[]> {
  const label = `${d.target.name}/${d.name}`;
  if (!obstacle) {
    for (const r of mine.filter((m) => !m.running)) {
      await d.docker.startContainer(r.id);
      attempt.started.push(r);
      d.log.info(`${label}: started the kept ${r.name}${r.port === undefined ? '' : ` on port ${r.port}`}`);
    }
    if (attempt.started.length === 0) d.log.info(`${label}: ${d.release} is already running`);
    return [...mine];
  }
  d.log.info(`${label}: ${obstacle}; starting new containers of ${d.image.slice(0, 19)}`);
  await removeReplicas(d, mine);
  attempt.created = true;
  for (let slot = 0; slot < d.service.replicas; slot++) {
    attempt.started.push(await startReplica(d, slot, ports[slot] ?? (await allocatePort(d, used))));
  }
  return [...attempt.started];
}

/** Undo `bringBack`: remove what it created, or stop the kept containers it started. */
export async function takeBack(d: ServiceDeploy, attempt: Attempt): Promise<void> {
  if (attempt.created) await removeReplicas(d, attempt.started);
  else for (const r of attempt.started) await stopReplica(d, r).catch((e: Error) => d.log.warn(e.message));
}
