/**
 * workflows-examples/runbook-001-rolling-update.yml run end to end (helpers/workflow-run.ts: every step's committed
 * bundle or bash, as the runner runs them) against a team's site over SSH: the sandbox sshd as the target, an nginx of
 * the team's own whose upstream file holds only the server lines (included inside the upstream block), the sandbox
 * PostgreSQL with a seeded copy, the migrator of test/fixtures/migrations, and the GitHub API fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { psql } from './helpers/pg-sandbox.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-001-rolling-update.yml';
const TOKEN = 'ghs_runbook001';

describe('runbook 001: rolling update, migrations and rollbacks, as dispatched workflows', () => {
  let site: TeamSite;
  let api: GitHubApi;
  const revision = () => psql(site.pg!, site.database!, 'SELECT max(version) FROM schema_migrations');
  const run = (procedure: string, more: Record<string, string | boolean> = {}) =>
    site.dispatch(WORKFLOW, { environment: ENVIRONMENT, procedure, ...more });

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    site = await teamSite({
      name: 'rb001',
      over: 'ssh',
      layout: 'servers',
      database: true,
      github: { url: api.url, token: TOKEN },
    });
  });
  afterAll(async () => {
    await site?.close();
    await api?.close();
  });

  it('rolling-update v1: check, the SQL reviewed, backup, migrate, rolling deploy, health verified; one GitHub deployment', async () => {
    site.ship('0001_add_status');
    const r = await run('rolling-update', { version: 'v1' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.concurrency?.group).toBe(`deploy-${ENVIRONMENT}`);
    expect(r.job('rolling-update').environment).toEqual({ name: ENVIRONMENT, deployment: false });
    expect(r.step('rolling-update', 'review').stdout).toMatch(/ALTER TABLE orders ADD COLUMN status/);
    expect(r.step('rolling-update', 'review').outputs['destructive-statements']).toBe('0');
    expect(r.step('rolling-update', 'Roll back image and schema').outcome).toBe('skipped');
    expect(r.step('rolling-update', 'migrate').outputs).toMatchObject({
      'revision-before': '0000',
      'revision-after': '0001',
    });
    expect(revision()).toBe('0001');
    expect(site.live().version).toBe('v1');
    expect(await site.served()).toBe('v1');
    expect(site.journal().releases.at(-1)?.backupId).toBe(r.step('rolling-update', 'backup').outputs['backup-id']);
    const deployments = api.state.deployments;
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({ environment: ENVIRONMENT });
    expect(deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(String(r.step('rolling-update', 'deploy').outputs['deployment-id'])).toBe(String(deployments[0]?.id));
    expect(api.violations).toEqual([]);
  });

  it('a destructive migration stops the update after the dry run: nothing backed up, migrated or deployed', async () => {
    site.ship('0004_destructive');
    const r = await run('rolling-update', { version: 'v2' });
    site.unship('0004_destructive');
    expect(r.conclusion).toBe('failure');
    expect(r.step('rolling-update', 'review').outputs['destructive-statements']).toBe('5');
    expect(
      r.step('rolling-update', 'Stop on destructive statements (schedule a maintenance window, or allow them)').stdout,
    ).toMatch(/::error::the migration has 5 destructive statement/);
    for (const s of ['backup', 'migrate', 'deploy']) expect(r.step('rolling-update', s).outcome).toBe('skipped');
    expect(revision()).toBe('0001');
    expect(site.live().version).toBe('v1');
  });

  it('migration-dry-run shows the SQL and changes nothing; migration-apply backs up and upgrades under live v1', async () => {
    site.ship('0003_needs_lock');
    const dry = await run('migration-dry-run');
    expect(dry.conclusion, dry.log).toBe('success');
    expect(dry.step('migration', 'review').stdout).toMatch(/ALTER TABLE customers ADD COLUMN loyalty_tier/);
    expect(dry.step('migration', 'backup').outcome).toBe('skipped');
    expect(revision()).toBe('0001');

    const apply = await run('migration-apply');
    expect(apply.conclusion, apply.log).toBe('success');
    expect(apply.job('migration').outputs).toEqual({ 'revision-before': '0001', 'revision-after': '0003' });
    expect(apply.step('migration', 'backup').outputs.verified).toBe('true');
    expect(revision()).toBe('0003');
    expect(site.live().version).toBe('v1');
  });

  it('migration-downgrade: runbook status names the live release; its later migrations are undone, v1 stays', async () => {
    const live = site.live();
    const r = await run('migration-downgrade', { reason: 'loyalty tier broke reports' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('migration-downgrade', 'live').outputs['release-id']).toBe(live.id);
    expect(r.step('migration-downgrade', 'rollback').outputs).toMatchObject({
      'restored-release-id': live.id,
      'migration-revision': '0001',
      'rolled-back-release-id': '',
    });
    expect(revision()).toBe('0001');
    expect(site.live()).toEqual(live);
    expect(await site.served()).toBe('v1');
  });

  it('rolling-update v2, rollback-image (v1 back, schema untouched), then rollback-full (the database as before v2)', async () => {
    const up = await run('rolling-update', { version: 'v2' });
    expect(up.conclusion, up.log).toBe('success');
    expect(revision()).toBe('0003');
    expect(site.live().version).toBe('v2');
    const customers = psql(site.pg!, site.database!, 'SELECT count(*) FROM customers');
    psql(site.pg!, site.database!, "INSERT INTO customers (email, name, created_at) VALUES ('late@x.org', 'L', now())");

    const image = await run('rollback-image', { reason: 'v2 is slow' });
    expect(image.conclusion, image.log).toBe('success');
    expect(image.step('rollback', 'rollback').outputs['restored-version']).toBe('v1');
    expect(site.release('v2').status).toBe('rolled-back');
    expect(site.runningVersions()).toEqual(['v1', 'v1']);
    expect(await site.served()).toBe('v1');
    expect(revision()).toBe('0003');

    const refused = await run('rollback-full', { reason: 'bad data' });
    expect(refused.conclusion).toBe('failure');
    expect(refused.step('rollback', 'rollback').stdout).toMatch(/set restore-database: true to confirm/);
    expect(revision()).toBe('0003');

    // The image rollback was not enough: the full one restores the backup taken before v2's migration.
    const full = await run('rollback-full', { reason: 'bad data', 'confirm-data-loss': true });
    expect(full.conclusion, full.log).toBe('success');
    expect(full.step('rollback', 'rollback').outputs['safety-backup-id']).toMatch(/^rb001/);
    expect(site.live().version).toBe('v1');
    expect(await site.served()).toBe('v1');
    expect(revision()).toBe('0001');
    expect(psql(site.pg!, site.database!, 'SELECT count(*) FROM customers')).toBe(customers);
    expect(psql(site.pg!, site.database!, "SELECT count(*) FROM customers WHERE email = 'late@x.org'")).toBe('0');
    expect(api.violations).toEqual([]);
  });
});
