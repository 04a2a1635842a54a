/**
 * The rollback action through its bundle against the sandbox (dockerd, nginx, PostgreSQL): the recorded image id
 * comes back even when the tag moved and the kept containers are gone; a second run re-checks; the scopes that must
 * refuse do so before anything changes; the database scope restores the pre-deploy backup after a safety backup;
 * dry-run changes nothing. (The v1 → v2 → degraded v3 story itself is test/integration/pipeline.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/deploy/journal.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { deployEnv } from './helpers/deploy-env.js';
import { startLoad } from './helpers/load.js';
import { createSeededDatabase, dropDatabase, fingerprint, psql, sandboxPostgres } from './helpers/pg-sandbox.js';
import { REPO_ROOT, sandboxPart } from './helpers/sandbox.js';
import { databaseYaml, yamlList } from './helpers/yaml.js';

const dockerHost = ['-H', `unix://${sandboxPart('docker').socket}`];
const docker = (...args: string[]): string =>
  execFileSync('docker', [...dockerHost, ...args], { encoding: 'utf8' }).trim();
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
/** Container ids with a label, all of them or only the running ones. */
const containers = (label: string, all = true): string[] =>
  lines(docker('ps', ...(all ? ['-a'] : []), '-q', '--no-trunc', '--filter', `label=${label}`)).sort();
const running = (app: string): string[] => containers(`io.runbook.app=${app}`, false);
const imageOf = (container: string): string => docker('inspect', '--format', '{{.Image}}', container);
const imageId = (ref: string): string => docker('image', 'inspect', '--format', '{{.Id}}', ref);
function removeApp(app: string): void {
  const ids = containers(`io.runbook.app=${app}`);
  if (ids.length > 0) docker('rm', '-f', ...ids);
}
const errorOf = (r: StepResult): string => /::error::(.*)/.exec(r.stdout)?.[1] ?? `(no error; exit ${r.code})`;

/** Run an action's main step, then its post step (when it has one) with the saved state, as the runner does. */
async function run(
  action: string,
  config: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<StepResult> {
  const all = { config, environment: 'sandbox', ...inputs };
  const r = await runStep(action, { inputs: all, env, timeoutMs: 120_000 });
  if (readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8').includes('\n  post:')) {
    const post = await runStep(action, { inputs: all, env, state: r.state });
    expect(post.code, `${action} post\n${post.stdout}${post.stderr}`).toBe(0);
  }
  return r;
}

/** A deploy environment plus readers of its journal (parsed, and as bytes to prove nothing changed). */
function environment(app: string, ports: [number, number]) {
  const e = deployEnv({ app, ports });
  const journalText = () => readFileSync(join(e.stateDir, 'sandbox', 'journal.json'), 'utf8');
  const journal = () => JSON.parse(journalText()) as Journal;
  const release = (version: string) => {
    const r = journal().releases.find((x) => x.version === version);
    if (!r) throw new Error(`no release ${version} in the journal of ${app}`);
    return r;
  };
  /** What must stay as it is when a rollback refuses: the journal's bytes, the running containers, the answer. */
  const snapshot = async () => ({ journal: journalText(), running: running(app), served: await e.served() });
  return { ...e, journalText, journal, release, snapshot };
}

describe('rollback on the engine: the recorded image, re-checks, refusals (real dockerd + nginx)', () => {
  const app = 'rbrb1';
  const e = environment(app, [18700, 18719]);
  let v2Image = '';
  const restoreTag = () => docker('tag', v2Image, 'runbook-test-app:v2');

  beforeAll(async () => {
    removeApp(app);
    v2Image = imageId('runbook-test-app:v2');
    expect(v2Image, 'runbook-test-app:v2 must not be v3 already (an earlier run left it moved?)').not.toBe(
      imageId('runbook-test-app:v3'),
    );
    for (const v of ['v1', 'v2', 'v3']) {
      const r = await e.deploy(v);
      expect(r.code, r.stdout).toBe(0);
    }
  }, 180_000);
  afterAll(() => {
    if (v2Image) restoreTag();
    removeApp(app);
  });

  it('restores the image id the journal recorded, not what the tag says now, under load with no failed request', async () => {
    const v2 = e.release('v2');
    const v3 = e.release('v3');
    expect(v2.services.api?.imageId).toBe(v2Image);
    const kept = containers(`io.runbook.release=${v2.id}`);
    expect(kept).toHaveLength(2);
    docker('rm', '-f', ...kept);
    docker('tag', 'runbook-test-app:v3', 'runbook-test-app:v2');
    const load = startLoad(`${e.url}/version`, { workers: 2, ratePerSecond: 40 });
    const r = await run('rollback', e.config, { reason: 'v3 is bad' }).finally(restoreTag);
    const traffic = await load.stop();

    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({
      'restored-release-id': v2.id,
      'restored-version': 'v2',
      'rolled-back-release-id': v3.id,
    });
    expect(r.stdout).toMatch(/no kept container of this release; starting new containers of sha256:[0-9a-f]{12}/);
    expect(await e.served()).toBe('v2');
    const now = running(app);
    expect(now).toHaveLength(2);
    expect(now.map(imageOf)).toEqual([v2Image, v2Image]);
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(traffic.requests).toBeGreaterThan(10);
    expect(traffic.bodies.v2).toBeGreaterThan(0);
    expect(Object.keys(traffic.bodies).filter((b) => b !== 'v2' && b !== 'v3')).toEqual([]);
    expect(e.release('v2').status).toBe('live');
    expect(e.release('v3')).toMatchObject({ status: 'rolled-back', rollback: { to: v2.id, scope: ['image'] } });
    expect(e.release('v3').rollback?.finishedAt).toBeDefined();
    // The journal names the containers that run now, not the removed ones.
    const ids = (e.release('v2').services.api?.replicas ?? []).map((x) => x.id).sort();
    expect(ids).toEqual(containers(`io.runbook.release=${v2.id}`).sort());
  });

  it('a second run with no release-id re-checks the same release (v2), it does not go back to v1', async () => {
    const before = await e.snapshot();
    const r = await run('rollback', e.config);
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({
      'restored-release-id': e.release('v2').id,
      'restored-version': 'v2',
      'rolled-back-release-id': '',
    });
    expect(r.stdout).toMatch(/resuming or re-checking a recorded rollback/);
    expect(r.stdout).toMatch(/is already running/);
    expect(running(app)).toEqual(before.running);
    expect(await e.served()).toBe('v2');
    expect(e.release('v1').status).toBe('superseded');
  });

  it('scope database without restore-database, and an unknown scope, fail before anything changes', async () => {
    const before = await e.snapshot();
    const db = await run('rollback', e.config, { scope: 'image,database' });
    expect(db.code).not.toBe(0);
    expect(errorOf(db)).toMatch(/includes database: .*set restore-database: true to confirm/);
    const bad = await run('rollback', e.config, { scope: 'image,everything' });
    expect(bad.code).not.toBe(0);
    expect(errorOf(bad)).toMatch(/scope/);
    expect(errorOf(bad)).toMatch(/image, traffic, migration, database/);
    expect(await e.snapshot()).toEqual(before);
  });

  it('scope traffic alone cannot go back to stopped containers: it says to add image, and nothing changes', async () => {
    const v3 = e.release('v3');
    const stopped = containers(`io.runbook.release=${v3.id}`);
    expect(stopped).toHaveLength(2);
    const before = await e.snapshot();
    const r = await run('rollback', e.config, { 'release-id': v3.id, scope: 'traffic' });
    expect(r.code).not.toBe(0);
    expect(errorOf(r)).toMatch(
      /no container of \S+ is running, so traffic alone cannot go back to it; add image to the scope/,
    );
    expect(await e.served()).toBe('v2');
    expect(running(app)).toEqual(before.running);
    expect(containers(`io.runbook.release=${v3.id}`, false)).toEqual([]);
    expect([e.release('v2').status, e.release('v3').status]).toEqual(['live', 'rolled-back']);
  });

  // Fails until src is fixed (see the report): after that failed traffic attempt, an explicit rollback to v1 keeps
  // the stale record {to: v3, scope: [traffic]} on v2, and a default run picks the older record on v3 (→ v2).
  it('an explicit rollback to v1 records where it went, and a default run afterwards re-checks v1', async () => {
    const v1 = e.release('v1');
    const r = await run('rollback', e.config, { 'release-id': v1.id, reason: 'back to v1' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['rolled-back-release-id']).toBe(e.release('v2').id);
    expect(await e.served()).toBe('v1');
    expect.soft(e.release('v2').rollback).toMatchObject({ to: v1.id, scope: ['image'] });
    const dry = await run('rollback', e.config, { 'dry-run': 'true' });
    expect(dry.code, dry.stdout).toBe(0);
    expect.soft(dry.stdout).toContain(`would restore ${v1.id} (v1)`);
  });
});

describe('rollback of the schema and the database (real PostgreSQL, migrator.sh)', () => {
  const app = 'rbrb2';
  const pg = sandboxPostgres();
  const secrets = { DB_PASSWORD: pg.password };
  const e = environment(app, [18720, 18739]);
  const dir = mkdtempSync(join(tmpdir(), `${app}-`));
  const backups = join(dir, 'backups');
  const migrations = join(dir, 'migrations');
  const fixtures = join(REPO_ROOT, 'test/fixtures/migrations');
  const tool = ['bash', join(fixtures, 'migrator.sh')];
  const down = [...tool, 'down', '{revision}', migrations];
  let db = '';
  let full = '';
  let noDown = '';
  let backupId = '';
  let atBackup: Record<string, string> = {};
  let eventsAtV2 = 0;
  const revision = () => psql(pg, db, 'SELECT max(version) FROM schema_migrations');
  const orderColumns = () =>
    lines(psql(pg, db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'"));

  /** The deploy config plus database, backup and the migrator (with or without its down command). */
  function withDatabase(downgrade: boolean): string {
    const path = e.variant();
    const custom: Record<string, string[]> = {
      upgrade: [...tool, 'up', migrations],
      current: [...tool, 'current'],
      'dry-run': [...tool, 'sql', migrations],
      ...(downgrade ? { downgrade: down } : {}),
    };
    const db_ = databaseYaml({ port: pg.port, name: db, user: pg.user, backup: `{ directory: ${backups} }` });
    const customYaml = Object.entries(custom).map(([k, v]) => `      ${k}: ${yamlList(v)}\n`);
    writeFileSync(
      path,
      `${readFileSync(path, 'utf8')}${db_}  migrate:\n    tool: custom\n    directory: ${dir}\n    lock-timeout: 5s\n    statement-timeout: 1m\n    custom:\n${customYaml.join('')}`,
    );
    return path;
  }

  beforeAll(async () => {
    removeApp(app);
    mkdirSync(backups);
    mkdirSync(migrations);
    for (const f of ['0001_add_status.sql', '0001_add_status.down.sql']) {
      copyFileSync(join(fixtures, f), join(migrations, f));
    }
    db = createSeededDatabase(pg, app);
    full = withDatabase(true);
    noDown = withDatabase(false);
    const v1 = await e.deploy('v1', { config: full }, secrets);
    expect(v1.code, v1.stdout).toBe(0);
    atBackup = fingerprint(pg, db);
    const b = await run('backup', full, {}, secrets);
    expect(b.code, b.stdout).toBe(0);
    backupId = b.outputs['backup-id'] ?? '';
    const m = await run('migrate', full, { 'backup-id': backupId }, secrets);
    expect(m.code, m.stdout).toBe(0);
    expect(m.outputs).toMatchObject({ 'revision-before': '0000', 'revision-after': '0001' });
    const v2 = await e.deploy('v2', { config: full }, secrets);
    expect(v2.code, v2.stdout).toBe(0);
    // Writes after the backup: the documented cost of the database scope (they end up in the safety backup only).
    eventsAtV2 = Number(psql(pg, db, 'SELECT count(*) FROM events'));
    psql(pg, db, "INSERT INTO events (kind) SELECT 'after-backup' FROM generate_series(1, 25)");
  }, 180_000);
  afterAll(() => {
    removeApp(app);
    if (db) dropDatabase(pg, db);
  });

  it('migration scope with a tool that has no downgrade fails before changing anything', async () => {
    const before = await e.snapshot();
    const r = await run('rollback', noDown, { scope: 'image,migration' }, secrets);
    expect(r.code).not.toBe(0);
    expect(errorOf(r)).toBe(
      'custom has no down migrations configured (database.migrate); roll the schema back with scope database and restore-database: true',
    );
    expect(r.stdout).not.toMatch(/starting new containers|started the kept|rollback to /);
    expect(await e.snapshot()).toEqual(before);
    expect(revision()).toBe('0001');
    expect(orderColumns()).toContain('status');
  });

  it('dry-run prints the release it would restore and the downgrade argv, and changes nothing', async () => {
    const before = await e.snapshot();
    const backupFiles = readdirSync(backups).sort();
    const v1 = e.release('v1');
    const r = await run(
      'rollback',
      full,
      { 'dry-run': 'true', scope: 'image,migration,database', 'restore-database': 'true' },
      secrets,
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`would restore ${v1.id} (v1) on local`);
    expect(r.stdout).toContain(`api: runbook-test-app:v1 ${v1.services.api?.imageId?.slice(0, 19)} × 2`);
    expect(r.stdout).toContain('would downgrade the schema to 0000');
    // The exact command the target runs, quoted by the one quoting boundary (the password is not in it).
    expect(r.stdout).toMatch(/\$ cd -- \S+ && exec env .*PGDATABASE=\S+ .*bash \S+migrator\.sh down 0000 \S+/);
    expect(shown(r.stdout)).not.toContain(secrets.DB_PASSWORD);
    expect(r.stdout).toContain(`would restore backup ${backupId} after a safety backup`);
    expect(r.outputs['restored-release-id']).toBeUndefined();
    expect(await e.snapshot()).toEqual(before);
    expect(readdirSync(backups).sort()).toEqual(backupFiles);
    expect(revision()).toBe('0001');
  });

  it('image,migration,database with restore-database: v1 serves on the pre-deploy backup; later writes are in the safety backup', async () => {
    const v1 = e.release('v1');
    const v2 = e.release('v2');
    const r = await run(
      'rollback',
      full,
      { scope: 'image,migration,database', 'restore-database': 'true', reason: 'bad data migration' },
      secrets,
    );
    expect(r.code, r.stdout).toBe(0);
    const safety = r.outputs['safety-backup-id'] ?? '';
    expect(r.outputs).toMatchObject({
      'restored-release-id': v1.id,
      'rolled-back-release-id': v2.id,
      'migration-revision': '0000',
    });
    expect(safety).toMatch(/^rbrb2-sandbox-\d{8}T\d{6}Z-pre-rollback$/);
    expect(safety).not.toBe(backupId);

    // The safety backup exists, is verified, and holds the 25 rows written after the pre-deploy backup.
    const meta = JSON.parse(readFileSync(join(backups, `${safety}.json`), 'utf8'));
    expect(meta.verified).toBe(true);
    expect(existsSync(join(backups, meta.file))).toBe(true);
    expect(meta.rowCounts['public.events']).toBe(eventsAtV2 + 25);

    // The database is the pre-deploy backup again: same rows and checksums, no 0001 column, the later rows gone.
    expect(fingerprint(pg, db)).toEqual(atBackup);
    expect(revision()).toBe('0000');
    expect(orderColumns()).not.toContain('status');
    expect(psql(pg, db, "SELECT count(*) FROM events WHERE kind = 'after-backup'")).toBe('0');

    expect(await e.served()).toBe('v1');
    expect(running(app).map(imageOf)).toEqual([v1.services.api?.imageId, v1.services.api?.imageId]);
    const j = e.journal();
    expect(e.release('v2')).toMatchObject({
      status: 'rolled-back',
      rollback: { to: v1.id, revision: '0000', restoredBackupId: backupId, safetyBackupId: safety },
    });
    expect(j.migrations?.map((m) => `${m.revisionBefore}→${m.revisionAfter}:${m.status}`)).toEqual([
      '0000→0001:rolled-back',
    ]);
  });
});
