/**
 * Pure argv builders for PostgreSQL's client programs (pg_dump, pg_restore, psql, createdb, dropdb), run on the
 * primary target with host binaries or inside the database container (`docker exec` / `compose exec`). The password
 * never appears here: it reaches the program as PGPASSWORD through the transport's secretEnv (`-e PGPASSWORD`
 * without a value makes the docker CLI copy it from its own environment into the container).
 */
import type { ComposeConfig, DatabaseVia } from '../config/schema.js';
import { composeBase } from './compose.js';
import { dockerExecArgv } from './docker-cli.js';

/** Where and as whom the client programs connect. */
export interface PgEndpoint {
  via: DatabaseVia;
  /** The configured database (also the maintenance database for createdb/dropdb). */
  database: string;
  user: string;
  /** Needed for `via: { compose-service }`. */
  compose?: ComposeConfig;
}

/** An argv to run on the target, with the working directory it needs (compose reads its files from there). */
export interface PgCommand {
  argv: string[];
  cwd?: string;
}

export type DumpFormat = 'custom' | 'plain';

/** Connection options: host and port for host binaries; inside a container the local socket is used. */
export function connectionArgs(e: PgEndpoint): string[] {
  const host = e.via.kind === 'host' ? ['-h', e.via.host, '-p', String(e.via.port)] : [];
  // -w: never prompt for a password (a prompt would wait forever on a pipe).
  return [...host, '-U', e.user, '-w'];
}

/** Run `argv` where the database's client programs live: the target itself or the database container. */
export function viaArgv(e: PgEndpoint, argv: string[]): PgCommand {
  switch (e.via.kind) {
    case 'host':
      return { argv };
    case 'container':
      return { argv: dockerExecArgv(e.via.container, argv, { stdin: true, envNames: ['PGPASSWORD'] }) };
    case 'compose-service': {
      if (!e.compose) throw new Error('database.via.compose-service needs the compose: section');
      const exec = [...composeBase(e.compose), 'exec', '-T', '-e', 'PGPASSWORD', e.via['compose-service']];
      return { argv: [...exec, ...argv], cwd: e.compose.directory };
    }
  }
}

/**
 * Constant scripts that move data between a file on the target and a program, without a shell ever seeing a value:
 * the file and the argv arrive as positional parameters. `umask 077`: a dump is readable by its owner only.
 */
export const TO_FILE_SCRIPT = 'umask 077; out=$1; shift; exec "$@" > "$out"';
export const FROM_FILE_SCRIPT = 'in=$1; shift; exec "$@" < "$in"';
/** gzip -t first: a corrupt or truncated archive fails before psql sees a byte (a pipe hides gzip's status). */
export const FROM_GZIP_SCRIPT = 'in=$1; shift; gzip -t -- "$in" && gzip -dc -- "$in" | "$@"';

export const toFileArgv = (file: string, argv: string[]): string[] => ['sh', '-c', TO_FILE_SCRIPT, 'sh', file, ...argv];
const fromFileArgv = (file: string, argv: string[]): string[] => ['sh', '-c', FROM_FILE_SCRIPT, 'sh', file, ...argv];
const fromGzipArgv = (file: string, argv: string[]): string[] => ['sh', '-c', FROM_GZIP_SCRIPT, 'sh', file, ...argv];

export interface DumpOptions {
  format: DumpFormat;
  gzip: boolean;
  /** A snapshot exported by a session that stays open while pg_dump runs (pg_export_snapshot). */
  snapshot?: string;
}

/** `pg_dump` of the configured database into `file` on the target (the output is redirected there). */
export function pgDumpCommand(e: PgEndpoint, file: string, o: DumpOptions): PgCommand {
  const args = ['pg_dump', ...connectionArgs(e), '-d', e.database];
  if (o.format === 'custom') args.push('-Fc');
  // Plain dumps carry DROP … IF EXISTS so they restore over an existing database, like pg_restore --clean.
  else args.push('-Fp', '--clean', '--if-exists', ...(o.gzip ? ['-Z', '6'] : []));
  if (o.snapshot !== undefined) args.push(`--snapshot=${o.snapshot}`);
  const inner = viaArgv(e, args);
  return { argv: toFileArgv(file, inner.argv), cwd: inner.cwd };
}

export interface RestoreOptions {
  format: DumpFormat;
  gzip: boolean;
  /** Drop the objects of the dump before recreating them (restoring over the live database). */
  clean: boolean;
}

/**
 * Restore `file` into `database` in one transaction that stops at the first error, so a failed restore changes
 * nothing. Objects are owned by the restoring user (`--no-owner`); privileges are kept.
 */
export function restoreCommand(e: PgEndpoint, database: string, file: string, o: RestoreOptions): PgCommand {
  const target = { ...e, database };
  if (o.format === 'custom') {
    const args = ['pg_restore', ...connectionArgs(e), '-d', database, '--single-transaction', '--exit-on-error'];
    args.push('--no-owner', ...(o.clean ? ['--clean', '--if-exists'] : []));
    // Host binaries read the archive itself (seekable); in a container it arrives on standard input.
    if (e.via.kind === 'host') return viaArgv(target, [...args, file]);
    const inner = viaArgv(target, args);
    return { argv: fromFileArgv(file, inner.argv), cwd: inner.cwd };
  }
  // Plain dumps already hold DROP … IF EXISTS (see pgDumpCommand), so `clean` needs no flag here.
  const psql = ['psql', ...connectionArgs(e), '-d', database, '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  const args = [...psql, '--single-transaction', '-o', '/dev/null', '-f', '-'];
  const inner = viaArgv(target, args);
  return { argv: (o.gzip ? fromGzipArgv : fromFileArgv)(file, inner.argv), cwd: inner.cwd };
}

/** Read only the archive's table of contents (weak: a truncated or corrupted data section still passes). */
export function listArchiveCommand(e: PgEndpoint, file: string): PgCommand {
  if (e.via.kind === 'host') return viaArgv(e, ['pg_restore', '-l', file]);
  const inner = viaArgv(e, ['pg_restore', '-l']);
  return { argv: fromFileArgv(file, inner.argv), cwd: inner.cwd };
}

/** psql that runs `sql` and prints bare values (one row per line, no headers), stopping at the first error. */
export function psqlCommand(e: PgEndpoint, database: string, sql?: string): PgCommand {
  const args = ['psql', ...connectionArgs(e), '-d', database, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
  return viaArgv(e, sql === undefined ? args : [...args, '-c', sql]);
}

/** A scratch database for a verify restore: an empty copy of template0, created through the configured database. */
export const createDbCommand = (e: PgEndpoint, name: string): PgCommand =>
  viaArgv(e, ['createdb', ...connectionArgs(e), `--maintenance-db=${e.database}`, '-T', 'template0', name]);

export const dropDbCommand = (e: PgEndpoint, name: string): PgCommand =>
  viaArgv(e, ['dropdb', ...connectionArgs(e), `--maintenance-db=${e.database}`, '--if-exists', name]);

/**
 * Rows per base table (`schema.table` → count) and the server version, as one JSON line. Extension member tables
 * are left out (pg_dump does not dump their data).
 */
export const COUNTS_SQL = `SELECT json_build_object(
  'server_version', current_setting('server_version'),
  'counts', coalesce(json_object_agg(t.name, t.n ORDER BY t.name), '{}'::json))
FROM (
  SELECT format('%I.%I', n.nspname, c.relname) AS name,
         (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM ONLY %I.%I', n.nspname, c.relname),
           false, true, '')))[1]::text::bigint AS n
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname !~ '^pg_(toast|temp_)'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
) AS t`;

/**
 * The script of the snapshot session: a read-only REPEATABLE READ transaction exports its snapshot to `snapshotFile`
 * (where pg_dump --snapshot picks it up), then counts rows in that same snapshot. COMMIT follows when pg_dump ends.
 */
export const snapshotSessionSql = (snapshotFile: string): string =>
  [
    'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;',
    // psql's \g takes the file name up to the end of the line; a newline in it is refused by the caller.
    `SELECT pg_export_snapshot() \\g ${snapshotFile}`,
    `${COUNTS_SQL};`,
    '',
  ].join('\n');

/** The names we give our own sessions (application_name): letters, digits and dashes, at most 63 bytes. */
const SESSION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * A psql script (fed on standard input, see psqlCommand) that ends every other session whose application_name is
 * `name`: it prints how many there were, terminates them (again each round, in case one reconnects) until none is
 * left or `waitMs` milliseconds pass, then prints how many are left. So the output is two lines: found, remaining.
 * Terminating rolls back the session's open transaction and frees its locks. A session of the same role may be
 * ended without superuser rights. Throws on a name that is not one of ours (it is put in the SQL as a literal).
 */
export function endSessionsSql(name: string, waitMs: number): string {
  if (!SESSION_NAME.test(name)) throw new Error(`not a session name of ours: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(waitMs) || waitMs < 0) throw new Error(`waitMs must be a whole number, got ${waitMs}`);
  const ours = `application_name = '${name}' AND pid <> pg_backend_pid()`;
  return [
    `SELECT count(*) FROM pg_stat_activity WHERE ${ours};`,
    ...terminateLoopSql(ours, waitMs),
    `SELECT count(*) FROM pg_stat_activity WHERE ${ours};`,
    '',
  ].join('\n');
}

/**
 * A DO block that terminates the sessions `where` selects in pg_stat_activity (again each round, in case one
 * reconnects) until none is left or `waitMs` milliseconds pass.
 */
function terminateLoopSql(where: string, waitMs: number): string[] {
  return [
    'DO $end$',
    `DECLARE deadline timestamptz := clock_timestamp() + interval '${Math.max(0, Math.trunc(waitMs))} milliseconds';`,
    'BEGIN',
    '  LOOP',
    // pg_stat_activity is read once per transaction unless the snapshot is cleared.
    '    PERFORM pg_stat_clear_snapshot();',
    `    EXIT WHEN NOT EXISTS (SELECT FROM pg_stat_activity WHERE ${where}) OR clock_timestamp() > deadline;`,
    `    PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${where};`,
    '    PERFORM pg_sleep(0.05);',
    '  END LOOP;',
    'END $end$;',
  ];
}

/**
 * A psql script (on standard input) that ends every other session connected to `database` (a scratch database of
 * ours: nobody else uses it), so that it can be dropped; waits up to `waitMs` milliseconds for them to go. Prints
 * nothing. Backslashes and NUL cannot occur in the names we give scratch databases.
 */
export function endDatabaseSessionsSql(database: string, waitMs: number): string {
  // A literal with its quotes doubled (standard_conforming_strings, on since PostgreSQL 9.1).
  const on = `datname = '${database.replace(/'/g, "''")}' AND pid <> pg_backend_pid()`;
  return [...terminateLoopSql(on, waitMs), ''].join('\n');
}
