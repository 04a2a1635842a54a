/**
 * The sandbox PostgreSQL for the backup integration tests (and the bench): facts from .sandbox/sandbox.json, a
 * private database per test file (a copy of the seed template, so concurrent resets of `shop` do not matter), psql
 * as the app role, and the processes running on this machine. Throws, never skips, when the sandbox is missing.
 * (Kept beside the backup unit tests because the backup work may only add files there; it is not a unit test.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_JSON } from './sandbox.js';

export interface SandboxPostgres {
  host: string;
  port: number;
  database: string;
  user: string;
  passwordFile: string;
  templateDatabase: string;
  binDir: string;
}

const HINT = 'start it with: npm run sandbox:up (bash test/sandbox/up.sh)';

export function sandboxPostgres(): SandboxPostgres & { password: string } {
  if (!existsSync(SANDBOX_JSON))
    throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing); ${HINT}`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as { postgres?: SandboxPostgres };
  if (!doc.postgres) throw new Error(`the sandbox has no "postgres" section in ${SANDBOX_JSON}; ${HINT}`);
  return { ...doc.postgres, password: readFileSync(doc.postgres.passwordFile, 'utf8').trim() };
}

/** Environment for a client as the app role: only our PG* settings. */
export function clientEnv(pg: SandboxPostgres & { password: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PG')) delete env[k];
  return { ...env, PGPASSWORD: pg.password, PGHOST: pg.host, PGPORT: String(pg.port), PGUSER: pg.user };
}

/** Run psql as the app role; returns the bare output (throws with psql's error on failure). */
export function psql(pg: SandboxPostgres & { password: string }, database: string, sql: string): string {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql], {
    env: clientEnv(pg),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql -d ${database} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** A fresh copy of the seed (customers, orders, order_items, events, …) owned by the app role. */
export function createSeededDatabase(pg: SandboxPostgres & { password: string }, prefix: string): string {
  const name = `${prefix}_${randomBytes(3).toString('hex')}`;
  psql(pg, 'postgres', `CREATE DATABASE ${name} TEMPLATE ${pg.templateDatabase}`);
  return name;
}

export function dropDatabase(pg: SandboxPostgres & { password: string }, name: string): void {
  psql(pg, 'postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Rows per seed table and a checksum of every row of each, ordered by key: equal means the same data. */
export function fingerprint(pg: SandboxPostgres & { password: string }, database: string): Record<string, string> {
  const tables: Record<string, string> = {
    customers: 'id',
    orders: 'id',
    order_items: 'order_id, line',
    events: 'id',
    audit_log: 'id',
    legacy_notes: 'id',
  };
  const out: Record<string, string> = {};
  for (const [t, key] of Object.entries(tables)) {
    out[t] = psql(
      pg,
      database,
      `SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY ${key}), '')) FROM ${t} t`,
    );
  }
  out.invoice_seq = psql(pg, database, 'SELECT last_value FROM invoice_number_seq');
  return out;
}

/** argv of every process on this machine (pid → NUL-split argv). */
export function processArgvs(): Map<number, string[]> {
  const all = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      all.set(
        Number(entry),
        readFileSync(join('/proc', entry, 'cmdline'), 'utf8')
          .split('\0')
          .filter((a) => a !== ''),
      );
    } catch {
      // the process ended meanwhile
    }
  }
  return all;
}

/** The pid of a running pg_dump of `database` (the real binary, past Debian's perl wrapper), if any. */
export function findPgDump(database: string): number | undefined {
  for (const [pid, argv] of processArgvs()) {
    if (argv[0]?.endsWith('/bin/pg_dump') && !argv[0].includes('perl') && argv.includes(database)) return pid;
  }
  return undefined;
}

/** The environment of a process (NAME=value strings). */
export const processEnviron = (pid: number): string[] =>
  readFileSync(join('/proc', String(pid), 'environ'), 'utf8').split('\0');

export { runCli } from './cli.js';

/** Hold an ACCESS EXCLUSIVE lock on `table` (a pg_dump started meanwhile waits for it) until `release()`. */
export async function holdLock(
  pg: SandboxPostgres & { password: string },
  database: string,
  table: string,
): Promise<{ release: () => Promise<void> }> {
  const child = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database], {
    env: clientEnv(pg),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('locked')) resolve();
    });
    child.on('close', (code) => reject(new Error(`the locking psql exited (${code})`)));
    child.stdin.write(`BEGIN;\nLOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n`);
  });
  return {
    release: async () => {
      child.stdin.end('COMMIT;\n');
      await closed;
    },
  };
}

/** Poll `probe` every 20 ms until it returns a value (or fail after `ms`). */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
