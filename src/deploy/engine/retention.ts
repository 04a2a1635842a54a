import type { Logger } from '../../core/log-types.js';
import type { EngineApi } from './api.js';
import { LABEL, type Owner, ownerLabels } from './labels.js';

/**
 * Keep the containers of the newest `keep` releases of a service (the one just deployed and the ones rollback may
 * need), remove older ones, then their images when no kept container uses them. Release ids sort by time.
 */
export async function applyRetention(
  docker: EngineApi,
  owner: Owner,
  keep: number,
  pruneImages: boolean,
  log: Logger,
): Promise<string[]> {
  const all = await docker.listContainers({ all: true, labels: ownerLabels(owner) });
  const releases = [...new Set(all.map((c) => c.labels[LABEL.release] ?? ''))].sort().reverse();
  const kept = new Set(releases.slice(0, keep));
  const doomed = all.filter((c) => !kept.has(c.labels[LABEL.release] ?? '') && c.state !== 'running');
  const keptImages = new Set(all.filter((c) => !doomed.includes(c)).map((c) => c.imageId));
  const removed: string[] = [];
  for (const c of doomed) {
    try {
      await docker.removeContainer(c.id, { force: false });
      removed.push(c.names[0] ?? c.id);
    } catch (err) {
      log.warn(`retention: could not remove ${c.names[0] ?? c.id}: ${(err as Error).message}`);
    }
  }
  for (const image of pruneImages ? new Set(doomed.map((c) => c.imageId)) : []) {
    if (keptImages.has(image)) continue;
    await docker.removeImage(image).catch((err: Error) => log.debug(`retention: image ${image} kept: ${err.message}`));
  }
  if (removed.length > 0)
    log.info(`retention (${owner.service}, keep ${keep} releases): removed ${removed.join(', ')}`);
  return removed;
}
