import { portBusy, type Replica, type ServiceDeploy } from '../deploy/engine/replicas.js';
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
