/**
 * migrate, whole flow: the backup gate (no backup-id, a missing or unverified backup → refused before the tool runs),
 * then the tool's exact argv on the primary target (in migrate.directory, PG* variables, the password only in
 * secret variables). The tool is played by a revision counter (installSchema): no SQL is run or checked here.
 */
import { describe, expect, it } from 'vitest';
import { migrateAction } from '../../../src/actions/catalog.js';
import {
  BACKUP_DUMP,
  BACKUP_ID,
  BACKUPS,
  backupFiles,
  backupMeta,
  DB_ENV,
  DUMP_TEXT,
  databaseConfig,
  JOURNAL,
  LEASE,
  LOCK,
  STATE,
  TOOL_ENV,
  TOOLS,
} from './configs.js';
import { type FlowResult, journalOf, runFlow } from './run-flow.js';
import { installSchema, World } from './world.js';

const META = `${BACKUPS}/${BACKUP_ID}.json`;
const LOCKED = [`mkdir -p -- ${STATE}`, `mkdir -- ${LOCK}`, `write ${LEASE}`];
const UNLOCKED = [`cat -- ${LEASE}`, `rm -rf -- ${LOCK}`];
const [ALEMBIC] = TOOLS;
if (!ALEMBIC) throw new Error('TOOLS is empty');

/** The commands the migration tool received: argv, where, and with which environment. */
function toolCalls(r: FlowResult, program: string) {
  return r.execs
    .filter((e) => e.argv[0] === program)
    .map((e) => ({ argv: e.argv, cwd: e.cwd, env: e.env, secretEnv: e.secretEnv }));
}

function expectNoPassword(r: FlowResult): void {
  const seen = JSON.stringify([r.execs.map((e) => [e.argv, e.env, e.stdin]), r.lines, r.outputs, r.failed]);
  expect(seen).not.toContain(DB_ENV.DB_PASSWORD);
}

interface GateCase {
  name: string;
  inputs: Record<string, string>;
  meta?: string;
  failed: string;
  steps: string[];
}

describe('migrate flow: the backup gate', () => {
  it.each<GateCase>([
    {
      name: 'no backup-id: refused on its inputs, before any connection or lock',
      inputs: {},
      meta: undefined,
      failed: 'migrate needs the input "backup-id" of a verified backup (or allow-without-backup: true)',
      steps: [],
    },
    {
      name: 'a backup-id with no metadata on the target: refused',
      inputs: { 'backup-id': BACKUP_ID },
      meta: undefined,
      failed: `backup ${BACKUP_ID} is not found in ${BACKUPS}; refusing to migrate`,
      steps: [...LOCKED, `cat -- ${META}`, ...UNLOCKED],
    },
    {
      name: 'an unverified backup: refused',
      inputs: { 'backup-id': BACKUP_ID },
      meta: backupMeta(false),
      failed: `backup ${BACKUP_ID} is not verified; refusing to migrate`,
      steps: [...LOCKED, `cat -- ${META}`, ...UNLOCKED],
    },
    {
      name: 'a verified backup whose dump changed since (one byte): refused before the tool runs',
      inputs: { 'backup-id': BACKUP_ID },
      meta: backupMeta(true, 'PGDMP (a custom-format dumq)\n'),
      failed: expect.stringMatching(
        new RegExp(
          `^backup ${BACKUP_ID}: its dump changed since it was verified \\(sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\\); refusing to migrate: take a new backup$`,
        ),
      ),
      steps: [...LOCKED, `cat -- ${META}`, `sha256sum -- ${BACKUP_DUMP}`, ...UNLOCKED],
    },
  ])('$name', async (c) => {
    const world = new World();
    installSchema(world.host().transport, ALEMBIC.argv, { revision: 'r1', next: 'r2' });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      files: c.meta ? { web1: { [META]: c.meta, [BACKUP_DUMP]: DUMP_TEXT } } : {},
      inputs: { environment: 'production', ...c.inputs },
    });
    expect(r.failed).toEqual([c.failed]);
    expect(r.steps).toEqual(c.steps);
    expect(toolCalls(r, 'alembic')).toEqual([]);
    expect(world.host().transport.fs.files.has(JOURNAL)).toBe(false);
    expect(r.engineLog).toEqual([]);
  });

  it('a verified backup: current revision, journal (in progress), upgrade, revision, journal (applied)', async () => {
    const world = new World();
    installSchema(world.host().transport, ALEMBIC.argv, { revision: 'r1', next: 'r2' });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      files: { web1: backupFiles(true) },
      inputs: { environment: 'production', 'backup-id': BACKUP_ID },
    });
    expect(r.failed).toEqual([]);
    expect(r.steps).toEqual([
      ...LOCKED,
      `cat -- ${META}`,
      // The dump is the one verified: its sha256 against the metadata's.
      `sha256sum -- ${BACKUP_DUMP}`,
      'alembic current',
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`,
      'alembic upgrade head',
      'alembic current',
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`,
      ...UNLOCKED,
    ]);
    expect(r.outputs).toEqual({
      'revision-before': 'r1',
      'revision-after': 'r2',
      'migration-id': expect.stringMatching(/^20261123T\d{6}Z-[0-9a-f]{6}$/),
    });
    expect(journalOf(world).migrations).toEqual([['r1', 'r2', 'applied']]);
    expect(journalOf(world).raw.migrations?.[0]?.backupId).toBe(BACKUP_ID);
    expectNoPassword(r);
  });

  it('allow-without-backup: warns, reads no backup, migrates', async () => {
    const world = new World();
    installSchema(world.host().transport, ALEMBIC.argv, { revision: 'r1', next: 'r2' });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      inputs: { environment: 'production', 'allow-without-backup': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('::warning::allow-without-backup is set: migrating without a verified backup');
    expect(r.steps.filter((s) => !s.includes(STATE))).toEqual([
      'alembic current',
      'alembic upgrade head',
      'alembic current',
    ]);
  });

  it('a failing upgrade: recorded failed with the revision it left, outputs set, step failed', async () => {
    const world = new World();
    installSchema(world.host().transport, ALEMBIC.argv, { revision: 'r1', next: 'r2', upgradeExit: 1 });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      files: { web1: backupFiles(true) },
      inputs: { environment: 'production', 'backup-id': BACKUP_ID },
    });
    expect(r.failed).toEqual(['alembic failed (exit 1): ERROR: canceling statement due to lock timeout']);
    expect(r.outputs).toEqual({ 'revision-before': 'r1', 'revision-after': 'r1' });
    expect(journalOf(world).migrations).toEqual([['r1', 'r1', 'failed']]);
    expect(world.host().transport.fs.exists(LOCK)).toBe(false);
  });
});

describe('migrate flow: each tool gets its own argv, in migrate.directory, with the PG environment', () => {
  it.each(TOOLS)('$tool', async (t) => {
    const world = new World();
    installSchema(world.host().transport, t.argv, { revision: t.before, next: t.after });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(t.section),
      env: DB_ENV,
      files: { web1: backupFiles(true) },
      inputs: { environment: 'production', 'backup-id': BACKUP_ID },
    });
    expect(r.failed).toEqual([]);
    const where = { cwd: '/srv/shop', env: TOOL_ENV, secretEnv: ['DATABASE_URL', 'PGPASSWORD'] };
    expect(toolCalls(r, t.argv.current[0] ?? '')).toEqual([
      { argv: t.argv.current, ...where },
      { argv: t.argv.upgrade, ...where },
      { argv: t.argv.current, ...where },
    ]);
    expect(r.outputs['revision-after']).toBe(t.after);
    expectNoPassword(r);
  });
});

describe('migrate flow: dry run', () => {
  it('prints the upgrade command, runs only the SQL preview, flags destructive statements, takes no lock', async () => {
    const world = new World();
    const t = world.host().transport;
    installSchema(t, ALEMBIC.argv, { revision: 'r1', next: 'r2' });
    t.script(['alembic', 'upgrade', 'head', '--sql'], {
      stdout: 'ALTER TABLE orders ADD COLUMN note text;\nDROP TABLE legacy_carts;\n',
    });
    const r = await runFlow(migrateAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      inputs: { environment: 'production', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(r.commands).toEqual(['alembic upgrade head --sql']);
    // The run's session name (PGAPPNAME) is new per run: matched, not spelled out.
    expect(r.lines).toContainEqual(
      expect.stringMatching(
        /^upgrade: \$ cd -- \/srv\/shop && exec env PGHOST=db\.internal PGPORT=5432 PGUSER=shop_app PGDATABASE=shop 'PGOPTIONS=-c lock_timeout=3000 -c statement_timeout=300000' PGAPPNAME=runbook-migrate-[0-9a-f]{12} alembic upgrade head$/,
      ),
    );
    expect(r.outputs).toEqual({ 'destructive-statements': '1' });
    expect(r.connector).toEqual(['shell web1', 'close']);
    expectNoPassword(r);
  });
});
