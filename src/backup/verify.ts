/**
 * Proving a dump restorable. `restore` (the default) restores it into a scratch database in one transaction that
 * stops at the first error, compares rows per table with the counts taken in the dump's snapshot, and always drops
 * the scratch database. `list` only reads what is cheap to read (the archive's table of contents, gzip's checksums,
 * a plain dump's closing line): it is WEAK and does not catch every truncated or corrupted archive.
 */
import { gzipTestArgv, sha256Argv, tailArgv } from '../commands/files.js';
import { listArchiveCommand, restoreCommand } from '../commands/postgres.js';
import { CancelledError, errorMessage } from '../core/errors.js';
import type { Transport } from '../transports/types.js';
import type { BackupMeta, VerifyMethod } from './meta.js';
import { firstError, type PgClient } from './pg.js';

/** What a dump must satisfy: how it was made and the rows it held. */
export type DumpFacts = Pick<BackupMeta, 'format' | 'gzip' | 'rowCounts'>;

/** Differences between the rows a dump held and what a restore produced; empty when they agree. */
export function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [table, n] of Object.entries(expected)) {
    const got = actual[table];
    if (got === undefined) problems.push(`${table} is missing`);
    else if (got !== n) problems.push(`${table} has ${got} rows, the dump held ${n}`);
  }
  for (const table of Object.keys(actual)) {
    if (!(table in expected)) problems.push(`${table} was not in the dump`);
  }
  return problems;
}

/**
 * Verify the dump at `file`; resolves with why it failed, or undefined when it passed. A cancel (the run's signal
 * aborted before or while it ran) is not a failed verify: it rejects with the signal's reason (a CancelledError),
 * whatever the killed restore printed, so no caller marks a good dump bad because the run was stopped.
 */
export async function verifyDump(
  pg: PgClient,
  file: string,
  facts: DumpFacts,
  method: VerifyMethod,
): Promise<string | undefined> {
  let outcome: string | undefined;
  try {
    outcome = method === 'restore' ? await verifyByRestore(pg, file, facts) : await verifyByList(pg, file, facts);
  } catch (err) {
    outcome = errorMessage(err);
  }
  throwIfCancelled(pg.signal); // a cancel is never a failed verify
  return outcome;
}

/** Throw the reason of an aborted signal (a CancelledError from the action runner); nothing when not aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new CancelledError('cancelled');
}

async function verifyByRestore(pg: PgClient, file: string, facts: DumpFacts): Promise<string | undefined> {
  const scratch = await pg.createScratch('verify');
  try {
    const restore = restoreCommand(pg.endpoint, scratch, file, {
      format: facts.format,
      gzip: facts.gzip,
      clean: false,
    });
    const r = await pg.exec(restore);
    if (r.code !== 0) return `restoring into a scratch database failed (${firstError(r)})`;
    const problems = compareCounts(facts.rowCounts, (await pg.counts(scratch)).counts);
    if (problems.length > 0) return `the restored rows differ from the dump's: ${problems.slice(0, 5).join('; ')}`;
    pg.log.info(
      `verified by restore: ${Object.keys(facts.rowCounts).length} tables, ${sum(facts.rowCounts)} rows match`,
    );
    return undefined;
  } finally {
    await pg.dropScratch(scratch);
  }
}

async function verifyByList(pg: PgClient, file: string, facts: DumpFacts): Promise<string | undefined> {
  if (facts.format === 'custom') {
    const r = await pg.exec(listArchiveCommand(pg.endpoint, file));
    if (r.code !== 0) return `pg_restore -l could not read the archive (${firstError(r)})`;
    if (!/^;\s*Archive created at/m.test(r.stdout)) return 'pg_restore -l printed no table of contents';
  } else if (facts.gzip) {
    const r = await pg.t.exec(gzipTestArgv(file), { quiet: true, signal: pg.signal });
    if (r.code !== 0) return `gzip -t found the archive damaged (${firstError(r)})`;
  } else {
    const r = await pg.t.exec(tailArgv(file, 512), { quiet: true, signal: pg.signal });
    if (r.code !== 0 || !r.stdout.includes('PostgreSQL database dump complete')) {
      return 'the plain dump does not end with "PostgreSQL database dump complete" (truncated?)';
    }
  }
  pg.log.warn('verified by listing only (verify: list): this does not prove the backup restorable');
  return undefined;
}

/** The sha256 of a file on the target (hex). Throws when it cannot be read. */
export async function fileSha256(t: Pick<Transport, 'exec'>, file: string, signal?: AbortSignal): Promise<string> {
  const r = await t.exec(sha256Argv(file), { quiet: true, signal });
  const hex = /^[0-9a-f]{64}/.exec(r.stdout)?.[0];
  if (r.code !== 0 || hex === undefined) throw new Error(`sha256sum ${file} failed (${firstError(r)})`);
  return hex;
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
