/**
 * Grandfather-father-son retention over verified backups, by created time (UTC): the newest `keep-last` backups, and
 * the newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months that have one (so a
 * second backup on the same day does not delete the first while keep-last allows both). Always kept whatever the counts say: the
 * newest verified backup, any backup a journal release names as its pre-deploy backup, and unverified backups newer
 * than the newest verified one (a run still in progress). Applied only after a new verified backup exists.
 */
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { Journal } from '../deploy/journal.js';
import type { BackupMeta } from './meta.js';
import type { BackupStore } from './store.js';

export interface RetentionPolicy {
  /** The newest N verified backups, whatever their days (config default 3). */
  'keep-last': number;
  daily: number;
  weekly: number;
  monthly: number;
}

export interface RetentionDecision {
  /** Kept backups (newest first), each with every reason it is kept. */
  keep: Array<{ id: string; reasons: string[] }>;
  /** Backups to delete (newest first), with why. */
  remove: Array<{ id: string; why: string }>;
}

const dayKey = (d: Date): string => d.toISOString().slice(0, 10);
const monthKey = (d: Date): string => d.toISOString().slice(0, 7);

/** ISO 8601 week of a UTC date, e.g. `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function weekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  const week = Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Which backups to keep and which to delete. `pinned` maps a backup id to what names it (`release …`). */
export function selectRetention(
  backups: readonly Pick<BackupMeta, 'id' | 'created' | 'verified'>[],
  policy: RetentionPolicy,
  pinned: ReadonlyMap<string, string>,
): RetentionDecision {
  const newestFirst = [...backups].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  const verified = newestFirst.filter((b) => b.verified);
  const reasons = new Map<string, string[]>();
  const keep = (id: string, why: string): void => {
    reasons.set(id, [...(reasons.get(id) ?? []), why]);
  };
  const newest = verified[0];
  if (newest === undefined)
    return { keep: newestFirst.map((b) => ({ id: b.id, reasons: ['no verified backup yet'] })), remove: [] };
  keep(newest.id, 'newest verified');
  verified.slice(0, policy['keep-last']).forEach((b, i) => {
    keep(b.id, `keep-last ${i + 1}/${policy['keep-last']}`);
  });
  const tiers: Array<[string, number, (d: Date) => string]> = [
    ['daily', policy.daily, dayKey],
    ['weekly', policy.weekly, weekKey],
    ['monthly', policy.monthly, monthKey],
  ];
  for (const [tier, count, key] of tiers) {
    const seen = new Set<string>();
    for (const b of verified) {
      if (seen.size >= count) break;
      const k = key(new Date(b.created));
      if (seen.has(k)) continue;
      seen.add(k);
      keep(b.id, `${tier} ${k}`);
    }
  }
  for (const b of newestFirst) {
    const release = pinned.get(b.id);
    if (release !== undefined) keep(b.id, `named by ${release} in the journal`);
    if (!b.verified && Date.parse(b.created) > Date.parse(newest.created)) keep(b.id, 'newer than the newest verified');
  }
  const decision: RetentionDecision = { keep: [], remove: [] };
  for (const b of newestFirst) {
    const why = reasons.get(b.id);
    if (why !== undefined) decision.keep.push({ id: b.id, reasons: why });
    else decision.remove.push({ id: b.id, why: b.verified ? 'outside retention' : 'failed its verify' });
  }
  return decision;
}

/** Backup ids the journal names: a release's pre-deploy backup, or the backup a migration ran after. */
export function pinnedByJournal(j: Journal): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const r of j.releases) if (r.backupId) pinned.set(r.backupId, `release ${r.id}`);
  for (const m of j.migrations ?? [])
    if (m.backupId && !pinned.has(m.backupId)) pinned.set(m.backupId, `migration ${m.id}`);
  return pinned;
}

/** Apply retention in the store; never throws for a single failed deletion (it is logged and kept for next time). */
export async function applyRetention(
  store: BackupStore,
  policy: RetentionPolicy,
  pinned: ReadonlyMap<string, string>,
  log: Logger,
): Promise<RetentionDecision> {
  const { backups } = await store.list();
  const decision = selectRetention(backups, policy, pinned);
  const byId = new Map(backups.map((b) => [b.id, b]));
  for (const { id, why } of decision.remove) {
    const meta = byId.get(id);
    if (meta === undefined) continue;
    try {
      await store.remove(meta);
      log.info(`retention: removed ${id} (${why})`);
    } catch (err) {
      log.warn(`retention: could not remove ${id}: ${errorMessage(err)}`);
    }
  }
  log.info(`retention: kept ${decision.keep.length}, removed ${decision.remove.length}`);
  return decision;
}
