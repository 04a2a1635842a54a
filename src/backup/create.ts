/**
 * Making one backup: pg_dump into a hidden temp file in the backup directory, fsync, sha256 and size, verify, then
 * metadata and the rename to the final name. Nothing ever appears at a final name unless the dump completed and
 * passed its verify; any failure (disk full, pg_dump killed, a failed restore) removes the temp file and leaves
 * every older backup as it was. A dump that fails its verify is kept as `<file>.bad` for inspection; a cancel (the
 * run's signal) is not a failed verify: it removes the temp file like any other failure, never naming anything `.bad`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirArgv, removeFilesArgv, sizeArgv, syncPathArgv } from '../commands/files.js';
import type { DumpFormat } from '../commands/postgres.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { check } from '../transports/files.js';
import { dumpWithCounts } from './dump.js';
import { type BackupMeta, backupId, dumpExtension, type VerifyMethod } from './meta.js';
import { firstError, type PgClient } from './pg.js';
import type { BackupStore } from './store.js';
import { fileSha256, verifyDump } from './verify.js';

export interface BackupPlan {
  format: DumpFormat;
  gzip: boolean;
  verify: VerifyMethod;
  /** The last part of the id: a short git sha, `manual`, `pre-restore`. */
  tag: string;
  gitSha?: string;
}

export interface BackupDeps {
  pg: PgClient;
  store: BackupStore;
  clock: Clock;
  /** Registers cleanup that runs even when the run is cancelled (the runner's onCleanup). */
  onCleanup?: (fn: () => Promise<void>) => void;
}

export interface BackupResult {
  meta: BackupMeta;
  /** The dump's path on the target. */
  path: string;
}

/** Make, verify and record a backup; throws a UserError when any step fails (after cleaning up). */
export async function createBackup(d: BackupDeps, plan: BackupPlan): Promise<BackupResult> {
  const { pg, store, clock } = d;
  const t = store.t;
  const mkdir = await t.exec(mkdirArgv(store.dir), { quiet: true, timeoutMs: 60_000, signal: pg.signal });
  check(mkdir, `creating ${store.dir} on ${t.name}`);
  const { created, id, file } = await freeName(d, plan);
  const tmp = store.path(`.${file}.tmp-${randomBytes(6).toString('hex')}`);
  let done = false;
  const removeTmp = async (): Promise<void> => {
    if (done) return;
    done = true;
    await t.exec(removeFilesArgv([tmp]), { quiet: true, timeoutMs: 60_000 }).catch(() => undefined);
  };
  d.onCleanup?.(removeTmp);
  try {
    pg.log.info(`dumping ${pg.endpoint.database} on ${t.name} (${plan.format}${plan.gzip ? ', gzip' : ''})`);
    const dumped = await dumpWithCounts(pg, clock, tmp, { format: plan.format, gzip: plan.gzip });
    const sync = await t.exec(syncPathArgv(tmp), { quiet: true, signal: pg.signal });
    if (sync.code !== 0) throw new UserError(`fsync of the dump failed on ${t.name} (${firstError(sync)})`);
    const sha256 = await fileSha256(pg.t, tmp, pg.signal);
    const sizeOut = await t.exec(sizeArgv(tmp), { quiet: true, signal: pg.signal });
    const size = Number(sizeOut.stdout.trim());
    if (sizeOut.code !== 0 || !Number.isSafeInteger(size)) throw new UserError(`cannot read the size of ${tmp}`);
    const meta: BackupMeta = {
      version: 1,
      id,
      app: store.app,
      environment: store.environment,
      database: pg.endpoint.database,
      file,
      size,
      sha256,
      format: plan.format,
      gzip: plan.gzip,
      serverVersion: dumped.serverVersion,
      created: created.toISOString(),
      ...(plan.gitSha ? { gitSha: plan.gitSha } : {}),
      rowCounts: dumped.counts,
      verified: false,
      verifyMethod: plan.verify,
    };
    pg.log.info(`dumped ${formatBytes(size)}, sha256 ${sha256}; verifying (${plan.verify})`);
    const failure = await verifyDump(pg, tmp, meta, plan.verify);
    const verifiedAt = clock.now().toISOString();
    if (failure !== undefined) {
      await store.moveInto(tmp, `${file}.bad`);
      done = true;
      await store.save({ ...meta, file: `${file}.bad`, verifiedAt, error: failure }).catch((err: unknown) => {
        pg.log.warn(`could not record the failed verify in ${id}.json: ${(err as Error).message}`);
      });
      throw new UserError(`backup ${id} failed its verify (${plan.verify}): ${failure}; kept as ${file}.bad`);
    }
    const good: BackupMeta = { ...meta, verified: true, verifiedAt };
    // Metadata first: a dump at its final name always has metadata saying it was verified.
    await store.save(good);
    try {
      await store.moveInto(tmp, file);
      done = true;
    } catch (err) {
      await t.exec(removeFilesArgv([store.metaPath(id)]), { quiet: true }).catch(() => undefined);
      throw err;
    }
    return { meta: good, path: store.path(file) };
  } finally {
    await removeTmp();
  }
}

/** The id for now; ids hold seconds, so a second backup within the same second waits for the next one. */
async function freeName(d: BackupDeps, plan: BackupPlan): Promise<{ created: Date; id: string; file: string }> {
  for (let attempt = 0; ; attempt++) {
    const created = d.clock.now();
    const id = backupId(d.store.app, d.store.environment, created, plan.tag);
    const file = `${id}${dumpExtension(plan.format, plan.gzip)}`;
    if (!(await d.store.exists(file)) && !(await d.store.exists(`${id}.json`))) return { created, id, file };
    if (attempt >= 2) throw new UserError(`a backup named ${id} already exists in ${d.store.dir}`);
    await d.clock.sleep(1000 - (created.getTime() % 1000), d.pg.signal);
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
