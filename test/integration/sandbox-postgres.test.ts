/**
 * The sandbox PostgreSQL (test/sandbox/postgres.sh via bash test/sandbox/up.sh): the app role `shop` logs in over
 * TCP only with its password, sees the seed, can dump and restore; the SSH sandbox user can run the clients; the
 * migration fixtures behave as test/fixtures/migrations/README.md says; resetArgv restores the seed.
 * Fails (never skips) when the sandbox or its postgres section is missing. Leaves database `shop` at the seed.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SANDBOX_JSON } from './helpers/sandbox.js';

interface SandboxPostgres {
  host: string;
  port: number;
  socketDir: string;
  database: string;
  user: string;
  passwordFile: string;
  adminUser: string;
  binDir: string;
  dataDir: string;
  log: string;
  resetArgv: string[];
}
interface SandboxSshPart {
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  knownHostsPath: string;
}

const HINT = 'start it with: npm run sandbox:up (bash test/sandbox/up.sh)';

function load(): { pg: SandboxPostgres; ssh: SandboxSshPart } {
  if (!existsSync(SANDBOX_JSON))
    throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing); ${HINT}`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as { postgres?: SandboxPostgres; ssh?: SandboxSshPart };
  if (!doc.postgres) throw new Error(`the sandbox has no "postgres" section in ${SANDBOX_JSON}; ${HINT}`);
  if (!doc.ssh) throw new Error(`the sandbox has no "ssh" section in ${SANDBOX_JSON}; ${HINT}`);
  return { pg: doc.postgres, ssh: doc.ssh };
}

const { pg, ssh } = load();
const PASSWORD = readFileSync(pg.passwordFile, 'utf8').trim();
const MIGRATIONS = join(REPO_ROOT, 'test', 'fixtures', 'migrations');
const SEED = { customers: 200, orders: 1000, order_items: 2000, events: 50, audit_log: 10, legacy_notes: 10 };
const COUNTS = `SELECT ${Object.keys(SEED)
  .map((t) => `(SELECT count(*) FROM ${t})`)
  .join(', ')}`;

type Run = SpawnSyncReturns<string>;

/** Environment for a client: no inherited PG* settings, no ~/.pgpass; the password only when given. */
function clientEnv(password: string | null, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['PGPASSWORD', 'PGUSER', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGOPTIONS', 'PGSERVICE'])
    delete env[key];
  Object.assign(env, { PGPASSFILE: '/dev/null', PGCONNECT_TIMEOUT: '5' }, extra);
  if (password !== null) env.PGPASSWORD = password;
  return env;
}

function tool(name: string, args: string[], password: string | null = PASSWORD, extra = {}): Run {
  return spawnSync(join(pg.binDir, name), args, { encoding: 'utf8', env: clientEnv(password, extra), timeout: 60_000 });
}

const conn = (db = pg.database) => ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db, '-w'];

/** psql -c SQL as `shop` over TCP; `-f FILE` when sql starts with "@". Tuples only, unaligned, stop on error. */
function psql(sql: string, opts: { db?: string; password?: string | null; extra?: string[]; env?: object } = {}): Run {
  const input = sql.startsWith('@') ? ['-f', sql.slice(1)] : ['-c', sql];
  const args = [...conn(opts.db), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...(opts.extra ?? []), ...input];
  return tool('psql', args, opts.password === undefined ? PASSWORD : opts.password, opts.env);
}

/** The single value of a query that must succeed. */
function value(sql: string, db?: string): string {
  const r = psql(sql, { db });
  expect(r.stderr, sql).toBe('');
  expect(r.status, sql).toBe(0);
  return r.stdout.trim();
}

const seedCounts = () => Object.values(SEED).join('|');
const revision = () => value('SELECT max(version) FROM schema_migrations');
/** The data type of orders.COLUMN, or '' when it does not exist. */
const ordersColumn = (column: string) =>
  value(`SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = '${column}'`);
const migrate = (file: string, extra: string[] = ['--single-transaction'], env = {}) =>
  psql(`@${join(MIGRATIONS, file)}`, { extra, env });

function reset(): void {
  const [cmd, ...args] = pg.resetArgv;
  const r = spawnSync(cmd ?? '', args, { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
}

describe('sandbox PostgreSQL', () => {
  afterAll(reset);

  it('lets shop log in over TCP with its password and see the seed', () => {
    expect(value('SELECT current_user')).toBe('shop');
    expect(value(COUNTS)).toBe(seedCounts());
    expect(revision()).toBe('0000');
    expect(value("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_id_idx'")).toBe('1');
    expect(value('SELECT last_value FROM invoice_number_seq')).toBe('100999');
  });

  it('refuses the TCP login without the password or with a wrong one', () => {
    const none = psql('SELECT 1', { password: null });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no password supplied/);
    const wrong = psql('SELECT 1', { password: `${PASSWORD}x` });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/password authentication failed for user "shop"/);
  });

  it('lets the SSH sandbox user run psql, pg_dump and pg_restore over TCP', () => {
    // The password travels on stdin, never in an argv (neither here nor on the remote side).
    const remote = `read -r PGPASSWORD && export PGPASSWORD && psql -X -At -h ${pg.host} -p ${pg.port} -U ${pg.user} \
-d ${pg.database} -c 'SELECT current_user, count(*) FROM customers' && pg_dump -Fc -h ${pg.host} -p ${pg.port} \
-U ${pg.user} ${pg.database} | pg_restore -l | grep -c 'TABLE DATA'`;
    const r = spawnSync(
      'ssh',
      [
        ...['-i', ssh.privateKeyPath, '-p', String(ssh.port), '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'],
        ...['-o', `UserKnownHostsFile=${ssh.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes'],
        `${ssh.user}@${ssh.host}`,
        remote,
      ],
      { encoding: 'utf8', input: `${PASSWORD}\n`, timeout: 30_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['shop|200', '7']);
  });

  it('dumps with pg_dump -Fc and restores into a scratch database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-dump-'));
    const scratch = `scratch_${process.pid}`;
    try {
      const dump = join(dir, 'shop.dump');
      const d = tool('pg_dump', [...conn(), '-Fc', '-f', dump]);
      expect(d.stderr).toBe('');
      expect(d.status).toBe(0);
      value(`CREATE DATABASE ${scratch}`);
      const r = tool('pg_restore', [...conn(scratch), '--exit-on-error', dump]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(value(COUNTS, scratch)).toBe(seedCounts());
      expect(value('SELECT max(version) FROM schema_migrations', scratch)).toBe('0000');
    } finally {
      psql(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`, { db: 'postgres' });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies 0001 and its down migration', () => {
    expect(migrate('0001_add_status.sql').status).toBe(0);
    expect(revision()).toBe('0001');
    expect(value("SELECT count(*) FROM orders WHERE status = 'new'")).toBe('1000');
    expect(migrate('0001_add_status.down.sql').status).toBe(0);
    expect(revision()).toBe('0000');
    expect(ordersColumn('status')).toBe('');
  });

  it('leaves nothing of 0002 in one transaction, and half of it without one', () => {
    const atomic = migrate('0002_half_fail.sql');
    expect(atomic.status).toBe(3);
    expect(atomic.stderr).toMatch(/duplicate key value violates unique constraint "coupons_pkey"/);
    expect(value("SELECT to_regclass('coupons') IS NULL")).toBe('t');
    expect(revision()).toBe('0000');
    const half = migrate('0002_half_fail.sql', []);
    expect(half.status).toBe(3);
    expect(value('SELECT count(*) FROM coupons')).toBe('1');
    expect(revision()).toBe('0000');
    value('DROP TABLE coupons');
  });

  it('blocks 0003 behind a transaction holding a lock on customers', async () => {
    // One session: BEGIN, take the lock, then sit in the open transaction.
    const steps = ['BEGIN', 'LOCK TABLE customers IN ACCESS SHARE MODE', 'SELECT pg_sleep(30)'].flatMap((c) => [
      '-c',
      c,
    ]);
    const holder = spawn(join(pg.binDir, 'psql'), [...conn(), '-X', '-q', ...steps], {
      env: clientEnv(PASSWORD, { PGAPPNAME: 'lock-holder' }),
      stdio: 'ignore',
    });
    try {
      const held = `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name =
        'lock-holder' AND l.relation = 'customers'::regclass AND l.granted`;
      for (let i = 0; i < 100 && value(held) !== '1'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(value(held)).toBe('1');
      const blocked = migrate('0003_needs_lock.sql', ['--single-transaction'], { PGOPTIONS: '-c lock_timeout=500ms' });
      expect(blocked.status).toBe(3);
      expect(blocked.stderr).toMatch(/canceling statement due to lock timeout/);
      expect(revision()).toBe('0000');
    } finally {
      // Killing psql alone leaves its backend sleeping (and holding the lock) until pg_sleep ends.
      psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock-holder'");
      holder.kill('SIGTERM');
    }
    if (holder.exitCode === null && holder.signalCode === null) await new Promise((r) => holder.once('exit', r));
    // Once the lock is gone it applies (and reverts).
    const applied = migrate('0003_needs_lock.sql', ['--single-transaction'], { PGOPTIONS: '-c lock_timeout=5s' });
    expect(applied.status).toBe(0);
    expect(revision()).toBe('0003');
    expect(migrate('0003_needs_lock.down.sql').status).toBe(0);
  });

  it('runs the destructive 0004, and resetArgv brings the seed back', () => {
    value("INSERT INTO events (kind) VALUES ('during-test')");
    const r = migrate('0004_destructive.sql');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(revision()).toBe('0004');
    expect(value("SELECT to_regclass('legacy_notes') IS NULL")).toBe('t');
    expect(value('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM audit_log)')).toBe('0');
    reset();
    expect(value(COUNTS)).toBe(seedCounts());
    expect(revision()).toBe('0000');
    expect(value('SELECT max(id) FROM events')).toBe('50');
    expect(ordersColumn('total_cents')).toBe('integer');
  });
});
