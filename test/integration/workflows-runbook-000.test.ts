/**
 * workflows-examples/runbook-000-standard-hotfix-rollback.yml run end to end (helpers/workflow-run.ts) against a team's
 * app on the runner-local target, rolled replica by replica behind an nginx of the team's own (the whole upstream block
 * in conf.d/upstream.conf), with a seeded copy of the sandbox PostgreSQL database, the migrator of
 * test/fixtures/migrations and the GitHub API fixture: standard deployment (the root action), the three rollbacks,
 * hotfix, and a hotfix that fails its verification and is rolled back at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { fingerprint, psql } from './helpers/pg-sandbox.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-000-standard-hotfix-rollback.yml';
const TOKEN = 'ghs_runbook000';

describe('runbook 000: standard deployment, the three rollbacks and hotfix, as dispatched workflows', () => {
  let site: TeamSite;
  let api: GitHubApi;
  const revision = () => psql(site.pg!, site.database!, 'SELECT max(version) FROM schema_migrations');
  const run = (procedure: string, more: Record<string, string | boolean> = {}) =>
    site.dispatch(WORKFLOW, { environment: ENVIRONMENT, procedure, ...more });
  const deployments = () => api.state.deployments.map((d) => `${d.environment}:${d.statuses.at(-1)?.state}`);

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    site = await teamSite({ name: 'rb000', database: true, github: { url: api.url, token: TOKEN } });
  });
  afterAll(async () => {
    await site?.close();
    await api?.close();
  });

  it('standard-deploy v1 and v2: the whole runbook in one step, each run one GitHub deployment', async () => {
    site.ship('0001_add_status');
    const v1 = await run('standard-deploy', { version: 'v1' });
    expect(v1.conclusion, v1.log).toBe('success');
    expect(v1.step('standard-deploy', 'pipeline').outputs).toMatchObject({
      'revision-after': '0001',
      'smoke-passed': 'true',
    });
    expect(v1.job('standard-deploy').outputs['rolled-back']).not.toBe('true');
    site.ship('0003_needs_lock');
    const v2 = await run('standard-deploy', { version: 'v2' });
    expect(v2.conclusion, v2.log).toBe('success');
    expect(revision()).toBe('0003');
    expect(site.live().version).toBe('v2');
    expect(site.runningVersions()).toEqual(['v2', 'v2']);
    expect(await site.served()).toBe('v2');
    expect(deployments()).toEqual([`${ENVIRONMENT}:success`, `${ENVIRONMENT}:success`]);
    // Only the jobs of the chosen procedure ran.
    expect(v2.job('hotfix').result).toBe('skipped');
    expect(v2.job('rollback').result).toBe('skipped');
  });

  it('rollback-database: refused unless confirmed; then v1 serves and the database is as before v2 (later writes gone)', async () => {
    // The backup the pipeline took before v2's migration is what comes back.
    const beforeV2 = site.journal().migrations?.at(-1)?.backupId;
    expect(beforeV2).toMatch(/^rb000/);
    psql(site.pg!, site.database!, "INSERT INTO customers (email, name, created_at) VALUES ('late@x.org', 'L', now())");
    const refused = await run('rollback-database', { reason: 'corrupted orders' });
    expect(refused.conclusion).toBe('failure');
    expect(site.live().version).toBe('v2');

    const r = await run('rollback-database', { reason: 'corrupted orders', 'confirm-data-loss': true });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('rollback', 'rollback').inputs).toMatchObject({
      scope: 'image,database',
      'restore-database': 'true',
    });
    expect(site.live().version).toBe('v1');
    expect(await site.served()).toBe('v1');
    expect(revision()).toBe('0001');
    expect(psql(site.pg!, site.database!, "SELECT count(*) FROM customers WHERE email = 'late@x.org'")).toBe('0');
    expect(site.journal().releases.find((x) => x.version === 'v2')?.rollback?.restoredBackupId).toBe(beforeV2);
    expect(r.step('rollback', 'Say what is live now').stdout).toMatch(
      /::notice::v1 serves; the database before the restore is in backup rb000/,
    );
  });

  it('standard-deploy v2 again, then rollback-migration: v1 with its schema (0003 undone, rows kept)', async () => {
    const rows = fingerprint(site.pg!, site.database!);
    const up = await run('standard-deploy', { version: 'v2' });
    expect(up.conclusion, up.log).toBe('success');
    expect(revision()).toBe('0003');
    const r = await run('rollback-migration', { reason: 'loyalty tier breaks checkout' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('rollback', 'rollback').outputs).toMatchObject({
      'restored-version': 'v1',
      'migration-revision': '0001',
    });
    expect(revision()).toBe('0001');
    expect(site.live().version).toBe('v1');
    expect(site.runningVersions()).toEqual(['v1', 'v1']);
    expect(fingerprint(site.pg!, site.database!)).toEqual(rows);
  });

  it('hotfix v3 of service api (no backup, no migration), then rollback-immediate: v1 again', async () => {
    const backups = site.journal().migrations?.length;
    const hot = await run('hotfix', { version: 'v3' });
    expect(hot.conclusion, hot.log).toBe('success');
    expect(hot.step('hotfix', 'rollback').outcome).toBe('skipped');
    expect(hot.step('hotfix', 'verify').outputs.passed).toBe('true');
    expect(site.live().version).toBe('v3');
    expect(site.journal().migrations?.length).toBe(backups);

    const r = await run('rollback-immediate', { reason: 'v3 misbehaves' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('rollback', 'rollback').inputs).toMatchObject({ scope: 'image', 'release-id': '' });
    expect(site.live().version).toBe('v1');
    expect(site.release('v3').status).toBe('rolled-back');
    expect(await site.served()).toBe('v1');
  });

  it('a hotfix that fails its verification goes back at once: its deployment failed, an incident issue opened', async () => {
    const before = api.state.deployments.length;
    const r = await run('hotfix', { version: 'degraded' });
    expect(r.conclusion).toBe('failure');
    expect(r.step('hotfix', 'deploy').outcome).toBe('success');
    expect(r.step('hotfix', 'verify').outcome).toBe('failure');
    expect(r.step('hotfix', 'rollback')).toMatchObject({ outcome: 'success', outputs: { 'restored-version': 'v1' } });
    expect(site.live().version).toBe('v1');
    expect(site.release('degraded').status).toBe('rolled-back');
    expect(await site.served()).toBe('v1');
    const hotfix = api.state.deployments.find(
      (d) => String(d.id) === r.step('hotfix', 'deploy').outputs['deployment-id'],
    );
    expect(hotfix?.statuses.at(-1)?.state).toBe('failure');
    expect(api.state.deployments.length).toBe(before + 2);
    expect(api.state.deployments.at(-1)?.statuses.at(-1)?.state).toBe('success');
    expect(api.state.issues.filter((i) => i.labels.includes('incident') && i.state === 'open')).toHaveLength(1);
    expect(api.violations).toEqual([]);
  });
});
