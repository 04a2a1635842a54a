/**
 * pg_dump in an exported snapshot: a psql session opens a REPEATABLE READ transaction, exports its snapshot to a
 * small file and counts rows per table in it; pg_dump --snapshot dumps exactly that state while the session stays
 * open (its standard input is held open until pg_dump ends). The counts are therefore the dump's own.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { catArgv, removeFilesArgv } from '../commands/files.js';
import { type DumpOptions, pgDumpCommand, psqlCommand, snapshotSessionSql, viaArgv } from '../commands/postgres.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { ExecResult } from '../transports/types.js';
import { firstError, type PgClient, parseCounts, type TableCounts } from './pg.js';

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/;
const SNAPSHOT_WAIT_MS = 60_000;
const POLL_MS = 50;

/** Dump the configured database into `file` on the target. Resolves with the counts of the dumped snapshot. */
export async function dumpWithCounts(
  pg: PgClient,
  clock: Clock,
  file: string,
  o: Omit<DumpOptions, 'snapshot'>,
): Promise<TableCounts> {
  const e = pg.endpoint;
  // Written by psql where psql runs (the target, or inside the database container); never shown to a shell.
  const snapshotFile = `/tmp/runbook-snapshot-${randomBytes(8).toString('hex')}`;
  const stdin = new PassThrough();
  stdin.write(snapshotSessionSql(snapshotFile));
  let sessionResult: ExecResult | undefined;
  const session = pg.exec(psqlCommand(e, e.database), { stdin }).then((r) => {
    sessionResult = r;
    return r;
  });
  let dump: ExecResult | undefined;
  let failure: unknown;
  try {
    const snapshot = await waitForSnapshot(pg, clock, snapshotFile, () => sessionResult);
    pg.log.debug(`dumping in snapshot ${snapshot}`);
    dump = await pg.exec(pgDumpCommand(e, file, { ...o, snapshot }));
  } catch (err) {
    failure = err;
  }
  // The session ends either way: COMMIT after a good dump, ROLLBACK (read-only, nothing to undo) otherwise.
  stdin.end(dump?.code === 0 ? 'COMMIT;\n' : 'ROLLBACK;\n');
  const s = await session.catch((err: unknown) => err as Error);
  await pg.exec(viaArgv(e, removeFilesArgv([snapshotFile])), { signal: undefined }).catch(() => undefined);
  if (failure !== undefined) throw failure;
  if (s instanceof Error) throw s;
  if (dump === undefined || dump.code !== 0) {
    throw new UserError(`pg_dump failed on ${pg.t.name} (${dump ? firstError(dump) : 'not started'})`);
  }
  if (s.code !== 0) throw new UserError(`the snapshot session (psql) failed on ${pg.t.name} (${firstError(s)})`);
  return parseCounts(s.stdout);
}

async function waitForSnapshot(
  pg: PgClient,
  clock: Clock,
  file: string,
  ended: () => ExecResult | undefined,
): Promise<string> {
  const deadline = clock.now().getTime() + SNAPSHOT_WAIT_MS;
  const cat = viaArgv(pg.endpoint, catArgv(file));
  for (;;) {
    const r = await pg.exec(cat);
    const id = r.stdout.trim();
    if (r.code === 0 && SNAPSHOT_ID.test(id)) return id;
    const session = ended();
    if (session !== undefined) {
      throw new UserError(`could not open a snapshot of the database on ${pg.t.name} (psql ${firstError(session)})`);
    }
    if (clock.now().getTime() > deadline) {
      throw new UserError(`the database did not export a snapshot within ${SNAPSHOT_WAIT_MS / 1000}s on ${pg.t.name}`);
    }
    await clock.sleep(POLL_MS, pg.signal);
  }
}
