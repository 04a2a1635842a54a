/**
 * rollback scopes migration and database, whole flow: v1 deployed, a migration run (after a verified backup), v2
 * deployed, then `rollback` → the tool's exact down argv, or the refusals of the database scope. The database
 * restore itself (safety backup, pg_restore, verification) needs PostgreSQL semantics and is not driven here.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, migrateAction, rollbackAction } from '../../../src/actions/catalog.js';
import type { ActionModule } from '../../../src/actions/module.js';
import {
  BACKUP_ID,
  backupFiles,
  DB_ENV,
  databaseConfig,
  JOURNAL,
  LEASE,
  LOCK,
  STATE,
  TOOL_ENV,
  TOOLS,
} from './configs.js';
import { journalOf, runFlow, upstreamWrites } from './run-flow.js';
import { installNginx, installSchema, World } from './world.js';

const ENV = { environment: 'production' };
type Tool = (typeof TOOLS)[number];

/** v1, then a migration (before → after, after a verified backup), then v2. Returns the release ids. */
async function migratedBetween(world: World, t: Tool, o: { migrate?: boolean } = {}) {
  const config = databaseConfig(t.section);
  installNginx(world.host().transport);
  const schema = installSchema(world.host().transport, t.argv, { revision: t.before, next: t.after });
  for (const [path, text] of Object.entries(backupFiles(true))) world.host().transport.fs.write(path, text);
  const ids: string[] = [];
  const step = async (mod: ActionModule, inputs: Record<string, string>) => {
    const r = await runFlow(mod, { world, config, env: DB_ENV, inputs: { ...ENV, ...inputs } });
    expect(r.failed).toEqual([]);
    return r;
  };
  ids.push((await step(deployAction, { version: 'v1' })).outputs['release-id'] ?? '');
  if (o.migrate !== false) await step(migrateAction, { 'backup-id': BACKUP_ID });
  ids.push((await step(deployAction, { version: 'v2' })).outputs['release-id'] ?? '');
  return { config, ids, schema };
}

describe('rollback flow: scope migration runs the tool’s down command', () => {
  it.each(TOOLS)('$tool: current, down to the revision before the migration, current again', async (t) => {
    const world = new World();
    const { config, ids, schema } = await migratedBetween(world, t);
    const r = await runFlow(rollbackAction, { world, config, env: DB_ENV, inputs: { ...ENV, scope: 'migration' } });

    expect(r.failed).toEqual([]);
    const where = { cwd: '/srv/shop', env: TOOL_ENV, secretEnv: ['DATABASE_URL', 'PGPASSWORD'] };
    const tool = r.execs.filter((e) => e.argv[0] === t.argv.current[0]);
    expect(tool.map((e) => ({ argv: e.argv, cwd: e.cwd, env: e.env, secretEnv: e.secretEnv }))).toEqual([
      { argv: t.argv.current, ...where },
      { argv: t.down, ...where },
      { argv: t.argv.current, ...where },
    ]);
    expect(schema.revision()).toBe(t.before);
    // Only the schema moves: no container, no upstream.
    expect(r.engineCalls).toEqual([]);
    expect(upstreamWrites(r)).toEqual([]);
    expect(r.outputs).toEqual({
      'restored-release-id': ids[0],
      'restored-version': 'v1',
      'rolled-back-release-id': ids[1],
      'migration-revision': t.before,
    });
    expect(journalOf(world).migrations).toEqual([[t.before, t.after, 'rolled-back']]);
    expect(journalOf(world).raw.releases[1]?.rollback).toMatchObject({ to: ids[0], revision: t.before });
    expect(JSON.stringify([r.execs, r.lines])).not.toContain(DB_ENV.DB_PASSWORD);
  });

  it('no migration since the release: nothing to downgrade, the tool is not run', async () => {
    const world = new World();
    const [t] = TOOLS as [Tool];
    const { config } = await migratedBetween(world, t, { migrate: false });
    const r = await runFlow(rollbackAction, { world, config, env: DB_ENV, inputs: { ...ENV, scope: 'migration' } });
    expect(r.failed).toEqual([]);
    expect(r.execs.filter((e) => e.argv[0] === 'alembic')).toEqual([]);
    expect(r.lines).toContain(`no migration since ${journalOf(world).raw.releases[0]?.id} went live`);
  });
});

describe('rollback flow: scope database', () => {
  it('without restore-database: refused before the config is read or any connection opened', async () => {
    const world = new World();
    const r = await runFlow(rollbackAction, {
      world,
      config: databaseConfig(),
      env: DB_ENV,
      inputs: { ...ENV, scope: 'image,database' },
    });
    expect(r.failed).toEqual([
      'input "scope" includes database: restoring the pre-deploy backup loses every write since it was taken; set restore-database: true to confirm',
    ]);
    expect(r.connector).toEqual([]);
    expect(r.commands).toEqual([]);
    expect(r.engineLog).toEqual([]);
  });

  it('with restore-database but no backup recorded since the release: refused before any change', async () => {
    const world = new World();
    const [t] = TOOLS as [Tool];
    const { config, ids } = await migratedBetween(world, t, { migrate: false });
    const r = await runFlow(rollbackAction, {
      world,
      config,
      env: DB_ENV,
      inputs: { ...ENV, scope: 'database', 'restore-database': 'true' },
    });
    expect(r.failed).toEqual([
      `no pre-deploy backup is recorded since ${ids[0]} went live (the migrate step's backup-id)`,
    ]);
    expect(r.steps).toEqual([
      `mkdir -p -- ${STATE}`,
      `mkdir -- ${LOCK}`,
      `write ${LEASE}`,
      `cat -- ${JOURNAL}`,
      `cat -- ${LEASE}`,
      `rm -rf -- ${LOCK}`,
    ]);
    expect(r.engineCalls).toEqual([]);
  });

  it('dry run of migration and database: the exact down command and the backup, no lock, nothing run', async () => {
    const world = new World();
    const [t] = TOOLS as [Tool];
    const { config, ids } = await migratedBetween(world, t);
    const r = await runFlow(rollbackAction, {
      world,
      config,
      env: DB_ENV,
      inputs: { ...ENV, scope: 'migration,database', 'restore-database': 'true', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    // Only reads: the journal, and the tool's current revision (to plan the exact down command).
    expect(r.commands).toEqual([`cat -- ${JOURNAL}`, 'alembic current']);
    const image = journalOf(world).raw.releases[0]?.services.web?.imageId?.slice(0, 19);
    expect(r.lines.slice(-7)).toEqual([
      `rollback of shop/production: ${ids[1]} (v2) → ${ids[0]} (v1); scope migration, database`,
      `would restore ${ids[0]} (v1) on web1`,
      `  web: shop/web:v1 ${image} × 1`,
      `the schema is at ${t.after}`,
      `would downgrade the schema to ${t.before} (web1 in /srv/shop):`,
      expect.stringMatching(
        new RegExp(
          `^\\$ cd -- /srv/shop && exec env PGHOST=db\\.internal PGPORT=5432 PGUSER=shop_app PGDATABASE=shop 'PGOPTIONS=-c lock_timeout=3000 -c statement_timeout=300000' PGAPPNAME=runbook-migrate-[0-9a-f]{12} alembic downgrade ${t.before}$`,
        ),
      ),
      `would restore backup ${BACKUP_ID} after a safety backup`,
    ]);
  });
});
