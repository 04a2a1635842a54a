import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { REPO_ROOT, sandbox } from './helpers/sandbox.js';
import { databaseYaml, localEnvYaml, yamlList } from './helpers/yaml.js';

interface Pg {
  host: string;
  port: number;
  socketDir: string;
  user: string;
  passwordFile: string;
  adminUser: string;
  templateDatabase: string;
  binDir: string;
}

const maybePg = (sandbox() as unknown as { postgres?: Pg }).postgres;
if (!maybePg) throw new Error('the sandbox has no postgres section; run npm run sandbox:up');
const pg: Pg = maybePg;
const password = readFileSync(pg.passwordFile, 'utf8').trim();
const db = `rbmig_${process.pid}`;
const admin = (sql: string) =>
  execFileSync(
    join(pg.binDir, 'psql'),
    [
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      '-U',
      pg.adminUser,
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      sql,
    ],
    {
      encoding: 'utf8',
    },
  );
const psqlApp = (...args: string[]) =>
  execFileSync(
    join(pg.binDir, 'psql'),
    ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db, '-v', 'ON_ERROR_STOP=1', ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: password },
    },
  );
/** The schema as pg_dump -s prints it, less the random \restrict keys newer pg_dump versions add. */
const schema = () =>
  execFileSync(join(pg.binDir, 'pg_dump'), ['-s', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, db], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: password },
  })
    .split('\n')
    .filter((l) => !/^\\(un)?restrict /.test(l))
    .join('\n');

const dir = mkdtempSync(join(tmpdir(), 'migrate-'));
const backups = join(dir, 'backups');
mkdirSync(backups);
const migrations = join(REPO_ROOT, 'test/fixtures/migrations');
const psql = join(pg.binDir, 'psql');

function config(name: string, upgrade: string[], extra = ''): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: `${dir}/state` })}${databaseYaml({ port: pg.port, name: db, user: pg.user, backup: `{ directory: ${backups} }` })}  migrate:
    tool: custom
    directory: ${migrations}
    lock-timeout: 1s
    statement-timeout: 30s
    custom:
      upgrade: ${yamlList(upgrade)}
      current: ${yamlList([psql, '-At', '-c', 'select max(version) from schema_migrations'])}
      dry-run: ${yamlList(['cat', upgrade.at(-1) ?? ''])}
${extra}`,
  );
  return path;
}
const apply = (file: string) => [psql, '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', file];
const run = (cfg: string, inputs: Record<string, string> = {}) =>
  runStep('migrate', {
    inputs: { config: cfg, environment: 'sandbox', 'allow-without-backup': 'true', ...inputs },
    env: { DB_PASSWORD: password },
  });

describe('migrate against the real PostgreSQL (custom tool: psql and the fixture migrations)', () => {
  beforeAll(() => {
    admin(`DROP DATABASE IF EXISTS ${db}`);
    admin(`CREATE DATABASE ${db} TEMPLATE ${pg.templateDatabase} OWNER ${pg.user}`);
  });
  afterAll(() => {
    admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });

  it('dry run prints the SQL and warns about every destructive statement; nothing changes', async () => {
    const before = schema();
    const r = await run(config('destructive', apply('0004_destructive.sql')), { 'dry-run': 'true' });
    expect(r.code, r.stdout).toBe(0);
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning::destructive statement'));
    expect(warnings.map((w) => /\(([^)]+)\)/.exec(w)?.[1])).toEqual([
      'DROP COLUMN',
      'DROP TABLE',
      'TRUNCATE',
      'DELETE WITHOUT WHERE',
      'ALTER TYPE',
    ]);
    expect(r.outputs['destructive-statements']).toBe('5');
    expect(r.summary).toMatch(/^<h2>📝 Migrate: planned/);
    expect(r.summary).toContain('5 destructive statements in the SQL the upgrade would run');
    expect(r.summary.match(/<li>⚠️ <b>[A-Z ]+<\/b> \(line \d+\): <code>/g)).toHaveLength(5);
    expect(r.summary).toMatch(/<details><summary>SQL the upgrade would run \([^)]+\)<\/summary>\n\n<pre>/);
    expect(schema()).toBe(before);
  });

  it('refuses without a verified backup unless allowed', async () => {
    const cfg = config('good', apply('0001_add_status.sql'));
    const none = await runStep('migrate', {
      inputs: { config: cfg, environment: 'sandbox' },
      env: { DB_PASSWORD: password },
    });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/::error::migrate needs the input "backup-id" of a verified backup/);
    writeFileSync(join(backups, 'shop-sandbox-bad.json'), JSON.stringify({ id: 'shop-sandbox-bad', verified: false }));
    const bad = await runStep('migrate', {
      inputs: { config: cfg, environment: 'sandbox', 'backup-id': 'shop-sandbox-bad' },
      env: { DB_PASSWORD: password },
    });
    expect(bad.stdout).toMatch(/::error::backup shop-sandbox-bad is not verified; refusing to migrate/);
    expect(psqlApp('-Atc', 'select max(version) from schema_migrations').trim()).toBe('0000');
  });

  it('a good migration moves the revision, records it in the journal, and keeps the password out of output', async () => {
    const r = await run(config('good', apply('0001_add_status.sql')));
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['revision-before']).toBe('0000');
    expect(r.outputs['revision-after']).toBe('0001');
    const journal = JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'));
    expect(journal.migrations.at(-1)).toMatchObject({
      tool: 'custom',
      status: 'applied',
      revisionBefore: '0000',
      revisionAfter: '0001',
    });
    expect(shown(r.stdout)).not.toContain(password);
  });

  it('a migration failing halfway leaves the schema exactly as before', async () => {
    const before = schema();
    const r = await run(config('half', apply('0002_half_fail.sql')));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::custom failed \(exit 3\): .*duplicate key/);
    expect(schema()).toBe(before);
    expect(r.outputs['revision-after']).toBe('0001');
  });

  it('a migration blocked by a long transaction fails at lock_timeout and changes nothing', async () => {
    const before = schema();
    const blocker: ChildProcess = spawn(psql, ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db], {
      env: { ...process.env, PGPASSWORD: password },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    blocker.stdin?.write('BEGIN; SELECT count(*) FROM customers; SELECT pg_sleep(60);\n');
    await new Promise((r) => setTimeout(r, 1000));
    try {
      const r = await run(config('locked', apply('0003_needs_lock.sql')));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/canceling statement due to lock timeout/);
      expect(schema()).toBe(before);
    } finally {
      // Killing psql leaves its server session (and lock) behind until pg_sleep ends: end it on the server.
      admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}' AND query LIKE '%pg_sleep(60)%'`,
      );
      blocker.kill('SIGKILL');
    }
  });

  it('after a real verified backup (the backup action), the gate lets the migration run and the journal links it', async () => {
    const cfg = config('gated', apply('0003_needs_lock.sql'));
    const backup = await runStep('backup', {
      inputs: { config: cfg, environment: 'sandbox' },
      env: { DB_PASSWORD: password },
    });
    expect(backup.code, backup.stdout).toBe(0);
    expect(backup.outputs.verified).toBe('true');
    const id = backup.outputs['backup-id'] ?? '';
    const r = await runStep('migrate', {
      inputs: { config: cfg, environment: 'sandbox', 'backup-id': id },
      env: { DB_PASSWORD: password },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`backup ${id} is verified`);
    expect(r.outputs['revision-after']).toBe('0003');
    const journal = JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'));
    expect(journal.migrations.at(-1)).toMatchObject({
      status: 'applied',
      backupId: id,
      revisionBefore: '0001',
      revisionAfter: '0003',
    });
  });

  it('the password is never in a process argument while the tool runs', async () => {
    const cfg = config('slow', [psql, '-v', 'ON_ERROR_STOP=1', '-c', 'select pg_sleep(2)']);
    const running = run(cfg);
    await new Promise((r) => setTimeout(r, 1200));
    const cmdlines = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      });
    expect(cmdlines.some((c) => c.includes('pg_sleep(2)'))).toBe(true);
    expect(cmdlines.filter((c) => c.includes(password))).toEqual([]);
    expect((await running).code).toBe(0);
  });
});
