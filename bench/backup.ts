/**
 * backup: our backup + verify (pg_dump in an exported snapshot with row counts, fsync, sha256, restore into a scratch
 * database, counts compared, scratch dropped) versus raw `pg_dump -Fc` + `pg_restore` with the same flags, on a
 * generated database in the sandbox PostgreSQL (`bench_backup`, ~1 GB by default; reused when its size fits).
 *   npm run bench -- backup [size-MB] [rounds: 2; raw and ours alternate, the faster run of each counts]
 * Prints one JSON line: {"bench":"backup","bytes":N,"ours_s":S,"raw_s":S,"ratio":R,"runner_peak_rss_mb":M}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../src/backup/create.js';
import { PgClient } from '../src/backup/pg.js';
import { BackupStore } from '../src/backup/store.js';
import { systemClock } from '../src/core/clock.js';
import { StreamLogger } from '../src/core/logger.js';
import { Masker } from '../src/core/masker.js';
import { LocalTransport } from '../src/transports/local.js';

const DB = 'bench_backup';
/** Bytes on disk per generated row (heap + primary key), measured on PostgreSQL 15. */
const BYTES_PER_ROW = 248;

interface Pg {
  host: string;
  port: number;
  user: string;
  password: string;
}

function sandboxPg(): Pg {
  const file = join(process.cwd(), '.sandbox', 'sandbox.json');
  if (!existsSync(file)) throw new Error('the sandbox is not running: bash test/sandbox/up.sh');
  const pg = JSON.parse(readFileSync(file, 'utf8')).postgres;
  if (!pg) throw new Error('the sandbox has no postgres: bash test/sandbox/up.sh');
  return { host: pg.host, port: pg.port, user: pg.user, password: readFileSync(pg.passwordFile, 'utf8').trim() };
}

function env(pg: Pg): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(e)) if (k.startsWith('PG')) delete e[k];
  return { ...e, PGPASSWORD: pg.password, PGHOST: pg.host, PGPORT: String(pg.port), PGUSER: pg.user };
}

function run(pg: Pg, argv: string[]): string {
  const [program = '', ...args] = argv;
  const r = spawnSync(program, args, { env: env(pg), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${argv.slice(0, 3).join(' ')}… failed: ${r.stderr}`);
  return r.stdout.trim();
}

const sql = (pg: Pg, db: string, text: string): string =>
  run(pg, ['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', text]);

/** `bench_backup` at about `bytes`: reused when within 15 %, else generated (wide rows from generate_series). */
function ensureDatabase(pg: Pg, bytes: number): number {
  const exists = sql(pg, 'postgres', `SELECT count(*) FROM pg_database WHERE datname = '${DB}'`) === '1';
  if (exists) {
    const size = Number(sql(pg, 'postgres', `SELECT pg_database_size('${DB}')`));
    if (Math.abs(size - bytes) / bytes < 0.15) return size;
    sql(pg, 'postgres', `DROP DATABASE ${DB} WITH (FORCE)`);
  }
  const rows = Math.round(bytes / BYTES_PER_ROW);
  console.error(`generating ${DB}: ${rows} rows (~${Math.round(bytes / 1e6)} MB)…`);
  sql(pg, 'postgres', `CREATE DATABASE ${DB}`);
  const first = Math.round(rows * 0.7);
  const tables: Array<[string, number]> = [
    ['wide_a', first],
    ['wide_b', rows - first],
  ];
  for (const [table, n] of tables) {
    sql(
      pg,
      DB,
      `CREATE TABLE ${table} (id bigint PRIMARY KEY, a text, b text, c text, d text, n int, at timestamptz);
       INSERT INTO ${table} SELECT g, md5(g::text), md5((g * 3)::text), repeat(md5((g * 7)::text), 2),
         md5((g * 11)::text), g % 1000, timestamptz '2026-01-01' - g * interval '1 second' FROM generate_series(1, ${n}) g;`,
    );
    sql(pg, DB, `VACUUM ANALYZE ${table}`);
  }
  return Number(sql(pg, 'postgres', `SELECT pg_database_size('${DB}')`));
}

/** Raw: pg_dump -Fc, then a restore into a fresh database with the flags our verify uses, then drop it. */
function rawBackupAndRestore(pg: Pg, dir: string): void {
  const file = join(dir, 'raw.dump');
  run(pg, ['pg_dump', '-w', '-d', DB, '-Fc', '-f', file]);
  run(pg, ['createdb', '-w', `--maintenance-db=${DB}`, '-T', 'template0', `${DB}_raw`]);
  try {
    run(pg, ['pg_restore', '-w', '-d', `${DB}_raw`, '--single-transaction', '--exit-on-error', '--no-owner', file]);
  } finally {
    run(pg, ['dropdb', '-w', `--maintenance-db=${DB}`, '--if-exists', `${DB}_raw`]);
    rmSync(file, { force: true });
  }
}

async function ourBackupAndVerify(pg: Pg, dir: string): Promise<number> {
  const log = new StreamLogger({ sink: (l) => console.error(l), masker: new Masker(), mode: 'cli', debug: false });
  log.addSecret(pg.password);
  const t = new LocalTransport('bench', log);
  const client = new PgClient(
    t,
    { via: { kind: 'host', host: pg.host, port: pg.port }, database: DB, user: pg.user },
    pg.password,
    log,
  );
  const store = new BackupStore(t, join(dir, 'ours'), 'bench', 'sandbox');
  const { meta } = await createBackup(
    { pg: client, store, clock: systemClock },
    { format: 'custom', gzip: false, verify: 'restore', tag: 'bench' },
  );
  rmSync(join(dir, 'ours'), { recursive: true, force: true });
  return meta.size;
}

export async function main(args: string[]): Promise<void> {
  const mb = Number(args[0] ?? 1000);
  const rounds = Number(args[1] ?? 2);
  if (!(mb > 0) || !(rounds >= 1)) throw new Error('usage: npm run bench -- backup [size-MB] [rounds]');
  const pg = sandboxPg();
  const bytes = ensureDatabase(pg, mb * 1e6);
  const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
  sql(pg, DB, 'SELECT count(*) FROM wide_a UNION ALL SELECT count(*) FROM wide_b'); // warm the cache for both
  try {
    // Alternate raw and ours; the faster of each pair of runs counts (page-cache and autovacuum noise).
    let raw = Number.POSITIVE_INFINITY;
    let ours = Number.POSITIVE_INFINITY;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      rawBackupAndRestore(pg, dir);
      raw = Math.min(raw, (performance.now() - t0) / 1000);
      const t1 = performance.now();
      await ourBackupAndVerify(pg, dir);
      ours = Math.min(ours, (performance.now() - t1) / 1000);
    }
    const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;
    console.log(
      JSON.stringify({
        bench: 'backup',
        bytes,
        ours_s: round(ours),
        raw_s: round(raw),
        ratio: round(ours / raw, 3),
        runner_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
