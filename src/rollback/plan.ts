import { UserError } from '../core/errors.js';
import { type Journal, liveRelease, type MigrationRecord, type Release } from '../deploy/journal.js';

import { ROLLBACK_SCOPES, type RollbackScope } from './scopes.js';

export interface RollbackChoice {
  /** The release to restore. */
  to: Release;
  /** The release being moved away from (undefined when `to` is already live: only the other scopes act). */
  from?: Release;
  /** A rollback to `to` was recorded before: this run resumes or re-checks it. */
  resumed: boolean;
}

const servedOnce = (r: Release) => r.status === 'live' || r.status === 'superseded' || r.status === 'rolled-back';

function describe(r: Release): string {
  return `${r.id} (${r.version}, ${r.status})`;
}

/**
 * Which release to restore. Explicit: `releaseId` (it must have served once). Default: where a recorded rollback
 * went (so a second run re-checks instead of going back one more release), else the live release's previous one.
 */
export function chooseRollback(j: Journal, releaseId?: string): RollbackChoice {
  const where = `${j.app}/${j.environment}`;
  const live = liveRelease(j);
  const byId = (id: string) => j.releases.find((r) => r.id === id);
  if (releaseId) {
    const to = byId(releaseId);
    if (!to) {
      const known = j.releases.slice(-5).map(describe).join(', ') || 'none';
      throw new UserError(`release ${releaseId} is not in the journal of ${where}; the newest are: ${known}`);
    }
    if (!servedOnce(to)) {
      throw new UserError(`release ${describe(to)} never went live, so there is nothing of it to restore`);
    }
    const from = live && live.id !== to.id ? live : undefined;
    return { to, from, resumed: from === undefined };
  }
  // A fleet release that failed part-way may have left hosts on it (on-failure: pause, a host that hung): the rollback
  // first brings every host back to the live release.
  const newest = j.releases.at(-1);
  const unsettled = Object.values(newest?.hosts ?? {}).some(
    (h) => h.state !== 'not started' && h.state !== 'rolled back',
  );
  if (live && newest && newest.status === 'failed' && newest.startedAt > live.startedAt && unsettled) {
    return { to: live, from: newest, resumed: false };
  }
  const head = j.releases.findLast(servedOnce);
  if (!head) throw new UserError(`no previous release to roll back to: ${where} has no release that went live`);
  // The newest recorded rollback, when nothing was deployed after it started: re-check (or resume) it.
  const last = j.releases
    .filter((r) => r.rollback)
    .sort((a, b) => (a.rollback?.startedAt ?? '').localeCompare(b.rollback?.startedAt ?? ''))
    .at(-1)?.rollback;
  if (last && last.startedAt >= head.startedAt) {
    const to = byId(last.to);
    if (!to)
      throw new UserError(`the newest rollback recorded in ${where} names ${last.to}, which is not in the journal`);
    return { to, from: live && live.id !== to.id ? live : undefined, resumed: true };
  }
  if (head.status !== 'live') throw new UserError(`no live release in ${where} (the newest, ${describe(head)})`);
  if (!head.previous) {
    throw new UserError(`no previous release to roll back to: ${describe(head)} is the first release of ${where}`);
  }
  const to = byId(head.previous);
  if (!to) {
    throw new UserError(
      `no previous release to roll back to: ${head.id} names ${head.previous}, which the journal no longer holds`,
    );
  }
  return { to, from: head, resumed: false };
}

/** Migrations run since `to` went live that changed the schema and are not rolled back yet, oldest first. */
export function migrationsSince(j: Journal, to: Release): MigrationRecord[] {
  const since = to.finishedAt ?? to.startedAt;
  return (j.migrations ?? [])
    .filter((m) => m.startedAt >= since)
    .filter(
      (m) =>
        m.status === 'applied' ||
        m.status === 'in-progress' ||
        (m.status === 'failed' && m.revisionAfter !== undefined && m.revisionAfter !== m.revisionBefore),
    )
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The revision the migration scope goes back to: the one before the oldest migration since `to` went live. */
export function revisionToRestore(records: readonly MigrationRecord[]): string | undefined {
  return records[0]?.revisionBefore;
}

/** `image,migration` → a checked list; `database` needs the explicit restore-database flag. */
export function checkScope(scope: readonly string[], restoreDatabase: boolean): RollbackScope[] {
  const bad = scope.filter((s) => !(ROLLBACK_SCOPES as readonly string[]).includes(s));
  if (bad.length > 0) {
    throw new UserError(`input "scope": unknown ${bad.join(', ')}; allowed: ${ROLLBACK_SCOPES.join(', ')}`);
  }
  if (scope.includes('database') && !restoreDatabase) {
    throw new UserError(
      'input "scope" includes database: restoring the pre-deploy backup loses every write since it was taken; set restore-database: true to confirm',
    );
  }
  return ROLLBACK_SCOPES.filter((s) => scope.includes(s));
}
