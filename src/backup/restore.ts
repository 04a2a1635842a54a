/**
 * Working with a backup that already exists: verifying it again (sha256 against its metadata, then the verify
 * method) and restoring it over the live database (after a safety backup of the current state, in one transaction).
 */
import { restoreCommand } from '../commands/postgres.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { type BackupDeps, type BackupPlan, type BackupResult, createBackup } from './create.js';
import type { BackupMeta, VerifyMethod } from './meta.js';
import { firstError } from './pg.js';
import { compareCounts, fileSha256, verifyDump } from './verify.js';

/** Why a backup's file no longer matches its metadata, or undefined when it does. */
async function integrityProblem(d: Pick<BackupDeps, 'pg' | 'store'>, meta: BackupMeta): Promise<string | undefined> {
  const path = d.store.path(meta.file);
  if (!(await d.store.exists(meta.file))) return `${path} is missing`;
  const sha256 = await fileSha256(d.pg.t, path, d.pg.signal);
  if (sha256 !== meta.sha256)
    return `${meta.file} has changed since it was made: sha256 ${sha256}, recorded ${meta.sha256}`;
  return undefined;
}

/** Verify an existing backup again; a failure marks it bad (`.bad`, verified: false) and throws. */
export async function reverifyBackup(
  d: Pick<BackupDeps, 'pg' | 'store'> & { clock: Clock },
  meta: BackupMeta,
  method: VerifyMethod,
): Promise<BackupMeta> {
  const failure = (await integrityProblem(d, meta)) ?? (await verifyDump(d.pg, d.store.path(meta.file), meta, method));
  const at = d.clock.now();
  if (failure !== undefined) {
    if (await d.store.exists(meta.file)) await d.store.markBad(meta, failure, at);
    throw new UserError(`backup ${meta.id} failed its verify (${method}): ${failure}`);
  }
  // A backup marked bad earlier (say, the scratch database could not be created) that now passes gets its name back.
  const file = meta.file.endsWith('.bad') ? meta.file.slice(0, -'.bad'.length) : meta.file;
  const good = { ...meta, file, verified: true, verifyMethod: method, verifiedAt: at.toISOString(), error: undefined };
  await d.store.save(good);
  if (file !== meta.file) await d.store.moveInto(d.store.path(meta.file), file);
  return good;
}

export interface RestoreResult {
  restored: BackupMeta;
  safety: BackupResult;
  /** Differences between the restored rows and the backup's counts (writes since the restore, if any). */
  differences: string[];
}

/**
 * Restore `meta` over the configured database: refuse an unverified or changed backup, take a verified safety
 * backup first, then restore with --clean --if-exists in a single transaction (all or nothing).
 */
export async function restoreBackup(d: BackupDeps, meta: BackupMeta, safetyPlan: BackupPlan): Promise<RestoreResult> {
  const { pg, store } = d;
  if (!meta.verified) {
    throw new UserError(
      `backup ${meta.id} is not verified${meta.error ? ` (${meta.error})` : ''}; refusing to restore it`,
    );
  }
  const problem = await integrityProblem(d, meta);
  if (problem !== undefined) throw new UserError(`refusing to restore ${meta.id}: ${problem}`);
  const safety = await pg.log.group('Safety backup of the current database', () => createBackup(d, safetyPlan));
  pg.log.info(`safety backup ${safety.meta.id} is verified; restoring ${meta.id} over ${pg.endpoint.database}`);
  const cmd = restoreCommand(pg.endpoint, pg.endpoint.database, store.path(meta.file), {
    format: meta.format,
    gzip: meta.gzip,
    clean: true,
  });
  const r = await pg.exec(cmd);
  if (r.code !== 0) {
    throw new UserError(
      `restoring ${meta.id} failed (${firstError(r)}); it ran in one transaction, so ${pg.endpoint.database} is unchanged (safety backup: ${safety.meta.id})`,
    );
  }
  const differences = compareCounts(meta.rowCounts, (await pg.counts(pg.endpoint.database)).counts);
  return { restored: meta, safety, differences };
}
