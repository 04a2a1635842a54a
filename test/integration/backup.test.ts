/**
 * The backup action and `runbook backup list|restore` against the sandbox PostgreSQL, through the bundles the way the
 * runner and a terminal run them: backup → verified by a real restore → restore over changed data equals the source
 * (row counts and a checksum of every row); plain + gzip; the download; the password never in a command line.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import {
  createSeededDatabase,
  dropDatabase,
  findPgDump,
  fingerprint,
  holdLock,
  processArgvs,
  processEnviron,
  psql,
  runCli,
  sandboxPostgres,
  waitFor,
} from './helpers/pg-sandbox.js';
import { databaseYaml, localEnvYaml } from './helpers/yaml.js';

const pg = sandboxPostgres();
const db = createSeededDatabase(pg, 'rbt_backup');
const dir = mkdtempSync(join(tmpdir(), 'backup-it-'));
const backups = join(dir, 'backups');
const env = { DB_PASSWORD: pg.password };
const printed: string[] = [];

function config(backup = '', name = 'runbook.yml'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: join(dir, 'state') })}${databaseYaml({ host: pg.host, port: pg.port, name: db, user: pg.user, backup: `\n    directory: ${backups}\n${backup}` }).trimEnd()}`,
  );
  return path;
}
const main = config();

async function backup(inputs: Record<string, string> = {}, cfg = main): Promise<StepResult> {
  const r = await runStep('backup', { inputs: { config: cfg, environment: 'sandbox', ...inputs }, env });
  printed.push(r.stdout, r.stderr);
  return r;
}

async function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await runCli(args, env, dir);
  printed.push(r.out);
  return r;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const metaOf = (id: string) => JSON.parse(readFileSync(join(backups, `${id}.json`), 'utf8'));
const scratchLeft = (): string =>
  psql(pg, 'postgres', `SELECT count(*) FROM pg_database WHERE datname LIKE '${db}\\_verify\\_%'`);

afterAll(() => dropDatabase(pg, db));

describe('backup action and runbook backup CLI against the real PostgreSQL', () => {
  const source = fingerprint(pg, db);
  let first: StepResult;

  it('backs up, proves it by a real restore, records sha256, size and the source row counts', async () => {
    first = await backup();
    expect(first.code, first.stdout).toBe(0);
    const o = first.outputs;
    expect(o['backup-id']).toMatch(/^shop-sandbox-\d{8}T\d{6}Z-manual$/);
    expect(o.path).toBe(join(backups, `${o['backup-id']}.dump`));
    expect(o.verified).toBe('true');
    expect(o.sha256).toBe(sha256(o.path ?? ''));
    expect(Number(o['size-bytes'])).toBe(statSync(o.path ?? '').size);
    expect(statSync(o.path ?? '').mode & 0o777).toBe(0o600);
    expect(first.stdout).toMatch(/verified by restore: 7 tables, 3271 rows match/);
    const meta = metaOf(o['backup-id'] ?? '');
    expect(meta.rowCounts).toMatchObject({
      'public.orders': 1000,
      'public.order_items': 2000,
      'public.customers': 200,
    });
    expect(meta).toMatchObject({ verified: true, verifyMethod: 'restore', format: 'custom' });
    expect(meta.serverVersion).toMatch(/^15\./);
    expect(readdirSync(backups).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(scratchLeft()).toBe('0');
    // A release names this backup as its pre-deploy backup: retention must keep it from now on.
    mkdirSync(join(dir, 'state', 'sandbox'), { recursive: true });
    const release = { id: 'r1', version: 'v1', status: 'live', backupId: o['backup-id'], services: {} };
    writeFileSync(
      join(dir, 'state', 'sandbox', 'journal.json'),
      JSON.stringify({ format: 1, app: 'shop', environment: 'sandbox', releases: [release] }),
    );
  });

  it('restore over changed data brings back exactly the rows at backup time, after a safety backup', async () => {
    psql(pg, db, 'DELETE FROM order_items WHERE order_id <= 99');
    psql(pg, db, "UPDATE customers SET name = 'changed' WHERE id % 3 = 0");
    psql(pg, db, "INSERT INTO events (kind) SELECT 'after' FROM generate_series(1, 25)");
    psql(pg, db, "SELECT nextval('invoice_number_seq')");
    expect(fingerprint(pg, db)).not.toEqual(source);
    const id = first.outputs['backup-id'] ?? '';
    const r = await cli(['backup', 'restore', id, '--config', main, '--env', 'sandbox', '--confirm', db]);
    expect(r.code, r.out).toBe(0);
    expect(fingerprint(pg, db)).toEqual(source);
    const safety = /output safety-backup-id=(\S+)/.exec(r.out)?.[1] ?? '';
    expect(safety).toMatch(/-pre-restore$/);
    expect(metaOf(safety).rowCounts).toMatchObject({ 'public.order_items': 2000 - 198, 'public.events': 75 });
  });

  it('restore refuses unless --confirm names the database; nothing changes, no backup is taken', async () => {
    psql(pg, db, "INSERT INTO events (kind) VALUES ('kept')");
    const before = fingerprint(pg, db);
    const files = readdirSync(backups).sort();
    const r = await cli([
      'backup',
      'restore',
      first.outputs['backup-id'] ?? '',
      '--config',
      main,
      '--env',
      'sandbox',
      '--confirm',
      'shop',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`confirm with --confirm ${db}`);
    expect(fingerprint(pg, db)).toEqual(before);
    expect(readdirSync(backups).sort()).toEqual(files);
    psql(pg, db, "DELETE FROM events WHERE kind = 'kept'");
  });

  it('restore takes the deploy lock: held by another run, it fails naming the holder and changes nothing', async () => {
    psql(pg, db, "INSERT INTO events (kind) VALUES ('during-a-deploy')");
    const before = fingerprint(pg, db);
    const files = readdirSync(backups).sort();
    const lock = join(dir, 'state', 'sandbox', 'lock');
    mkdirSync(lock, { recursive: true });
    const holder = 'https://github.com/acme/shop/actions/runs/99';
    const lease = { token: 'other-run', holder, actor: 'bob', acquiredAt: new Date().toISOString() };
    writeFileSync(
      join(lock, 'lease.json'),
      JSON.stringify({ ...lease, expiresAt: new Date(Date.now() + 600_000).toISOString() }),
    );
    try {
      const id = first.outputs['backup-id'] ?? '';
      const r = await cli([
        'backup',
        'restore',
        id,
        '--config',
        main,
        '--env',
        'sandbox',
        '--confirm',
        db,
        '--input',
        'lock-wait=1s',
      ]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`another deploy holds the lock for shop/sandbox: ${holder} (actor bob`);
      expect(fingerprint(pg, db)).toEqual(before);
      expect(readdirSync(backups).sort()).toEqual(files);
    } finally {
      rmSync(lock, { recursive: true, force: true });
      psql(pg, db, "DELETE FROM events WHERE kind = 'during-a-deploy'");
    }
  });

  it('plain + gzip: made, verified by restore, and restorable', async () => {
    const cfg = config('    format: plain\n    gzip: true\n', 'plain.yml');
    const r = await backup({}, cfg);
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.path).toMatch(/\.sql\.gz$/);
    expect(readFileSync(r.outputs.path ?? '').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    psql(pg, db, 'TRUNCATE order_items');
    const restored = await cli([
      'backup',
      'restore',
      r.outputs['backup-id'] ?? '',
      '--config',
      cfg,
      '--env',
      'sandbox',
      '--confirm',
      db,
    ]);
    expect(restored.code, restored.out).toBe(0);
    expect(fingerprint(pg, db)).toEqual(source);
  });

  it('download: the backup streamed to the runner, its sha256 checked', async () => {
    const to = `${join(dir, 'artifact')}/`;
    const r = await backup({ download: to });
    expect(r.code, r.stdout).toBe(0);
    const local = join(to, `${r.outputs['backup-id']}.dump`);
    expect(sha256(local)).toBe(r.outputs.sha256);
    expect(r.summary).toContain(`<tr><td>downloaded</td><td><code>${local}</code></td></tr>`);
  });

  it('retention kept the newest and the journal-named backup; list shows them verified, with size and age', async () => {
    const r = await cli(['backup', 'list', '--config', main, '--env', 'sandbox']);
    expect(r.code, r.out).toBe(0);
    const rows = r.out.split('\n').filter((l) => l.startsWith('shop-sandbox-'));
    // keep-last (default 3) keeps today's three newest besides the one a release names; daily retention alone
    // would have kept only the day's newest, and the others of today are gone.
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(
      new RegExp(
        `^${first.outputs['backup-id']} +yes \\(restore\\) +\\d+\\.\\d KiB +\\d+[sm] +kept: named by release r1$`,
      ),
    );
    for (const row of rows.slice(1))
      expect(row).toMatch(/^shop-sandbox-\d{8}T\d{6}Z-\S+ +yes \(restore\) +\d+\.\d KiB +\d+[sm] +$/);
    expect(rows[3]).toMatch(/^shop-sandbox-\d{8}T\d{6}Z-manual /);
    expect(existsSync(first.outputs.path ?? '')).toBe(true);
  });

  it('the password is in no process command line while pg_dump runs, only in its environment', async () => {
    const lock = await holdLock(pg, db, 'orders');
    const step = backup();
    let pid: number;
    try {
      pid = await waitFor('pg_dump to start', () => findPgDump(db));
      const leaks = [...processArgvs()].filter(([, argv]) => argv.some((a) => a.includes(pg.password)));
      expect(leaks).toEqual([]);
      expect(processEnviron(pid)).toContain(`PGPASSWORD=${pg.password}`);
    } finally {
      await lock.release();
    }
    const r = await step;
    expect(r.code, r.stdout).toBe(0);
    expect(existsSync(r.outputs.path ?? '')).toBe(true);
  });

  it('no run printed the password', () => {
    expect(printed.length).toBeGreaterThan(10);
    // The runner consumes ::add-mask:: lines (that is how it learns what to mask); everything else is shown.
    const shown = printed.map((t) =>
      t
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    );
    for (const text of shown) expect(text).not.toContain(pg.password);
    expect(printed.join('')).toContain(`::add-mask::${pg.password}`);
  });
});
