import type { Logger } from '../../core/log-types.js';
import type { ImageInfo } from '../../docker/types.js';
import type { EngineApi } from './api.js';
import { LABEL, type Owner, ownerLabels } from './labels.js';

/**
 * Whether retention may remove an image: only when a registry can give it back, i.e. it has a repo digest (it was
 * pulled or pushed). One built or loaded on the host has none; removed, no rollback could pull it again.
 */
export function prunable(image: Pick<ImageInfo, 'repoDigests'>): boolean {
  return image.repoDigests.length > 0;
}

/**
 * Keep the containers of `keep` releases of a service, `protect` first (the release just deployed and the one a
 * rollback returns to: the previous live release, however old its id), then the newest others; remove the rest, then
 * their images when no kept container uses them and a registry can give them back (see prunable). Release ids sort
 * by time. Running containers are never removed.
 */
export async function applyRetention(
  docker: EngineApi,
  owner: Owner,
  keep: number,
  pruneImages: boolean,
  log: Logger,
  protect: readonly string[] = [],
): Promise<string[]> {
  const all = await docker.listContainers({ all: true, labels: ownerLabels(owner) });
  const releases = [...new Set(all.map((c) => c.labels[LABEL.release] ?? ''))].sort().reverse();
  const kept = new Set(protect);
  for (const r of releases) if (kept.size < keep) kept.add(r);
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
    const info = await docker.inspectImage(image).catch(() => undefined);
    if (!info) continue;
    if (!prunable(info)) {
      log.info(
        `retention: image ${image.slice(0, 19)}… (${info.repoTags.join(', ') || 'untagged'}) kept: it has no registry digest (built or loaded on the host), so no pull could give it back`,
      );
      continue;
    }
    await docker.removeImage(image).catch((err: Error) => log.debug(`retention: image ${image} kept: ${err.message}`));
  }
  if (removed.length > 0)
    log.info(`retention (${owner.service}, keep ${keep} releases): removed ${removed.join(', ')}`);
  return removed;
}
