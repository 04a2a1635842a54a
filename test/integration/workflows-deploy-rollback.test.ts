/**
 * workflows-examples/deploy.yml and rollback.yml run end to end (helpers/workflow-run.ts) against a team's site over
 * SSH (the sandbox sshd, its user writing the state and backups, the team's own nginx with the upstream's server lines
 * in a file of their own), the sandbox PostgreSQL and the GitHub API fixture: the deploy as one GitHub deployment, a
 * degraded release rolled back by the rollback job (its deployment failed, an incident issue opened), the incident
 * blocking the next deploy until it is closed, then manual rollbacks to "previous" and to a named release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { psql } from './helpers/pg-sandbox.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const TOKEN = 'ghs_deployRollback';

describe('deploy.yml and rollback.yml, dispatched', () => {
  let site: TeamSite;
  let api: GitHubApi;
  const deploy = (version: string) => site.dispatch('deploy.yml', { environment: ENVIRONMENT, version });
  const revision = () => psql(site.pg!, site.database!, 'SELECT max(version) FROM schema_migrations');
  const openIncidents = () => api.state.issues.filter((i) => i.labels.includes('incident') && i.state === 'open');

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    site = await teamSite({
      name: 'rbflow',
      over: 'ssh',
      layout: 'servers',
      database: true,
      checks: '  incident-label: incident\n',
      github: { url: api.url, token: TOKEN },
    });
  });
  afterAll(async () => {
    await site?.close();
    await api?.close();
  });

  it('v1: check, backup, migrate, deploy, smoke in order; the run is ONE GitHub deployment, made by the action', async () => {
    site.ship('0001_add_status');
    const r = await deploy('v1');
    expect(r.conclusion, r.log).toBe('success');
    expect(r.order).toEqual(['pre-deploy-check', 'backup', 'migrate', 'deploy', 'smoke-test', 'rollback']);
    expect(r.job('rollback').result).toBe('skipped');
    for (const id of r.order.slice(0, 5))
      expect(r.job(id).environment, id).toEqual({ name: ENVIRONMENT, deployment: false });
    expect(r.job('deploy').outputs['deployment-id']).toBe(String(api.state.deployments[0]?.id));
    expect(api.state.deployments).toHaveLength(1);
    expect(api.state.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(revision()).toBe('0001');
    expect(await site.served()).toBe('v1');
  });

  it('a degraded release: smoke fails, the rollback job restores v1 and its schema, marks the deployment, opens an incident', async () => {
    site.ship('0003_needs_lock');
    const r = await deploy('degraded');
    expect(r.conclusion).toBe('failure');
    expect(r.job('smoke-test').result).toBe('failure');
    expect(r.job('rollback')).toMatchObject({ result: 'success', name: 'rollback to v1' });
    expect(r.step('rollback', 'rollback').outputs).toMatchObject({
      'restored-version': 'v1',
      'migration-revision': '0001',
    });
    expect(r.step('rollback', 'Say what was restored').stdout).toBe('::notice::rolled back from degraded to v1\n');
    expect(revision()).toBe('0001');
    expect(site.live().version).toBe('v1');
    expect(site.release('degraded').status).toBe('rolled-back');
    expect(await site.served()).toBe('v1');
    const failed = api.state.deployments.find((d) => String(d.id) === r.job('deploy').outputs['deployment-id']);
    expect(failed?.statuses.at(-1)?.state).toBe('failure');
    expect(api.state.deployments.at(-1)?.statuses.at(-1)?.state).toBe('success');
    expect(openIncidents()).toHaveLength(1);
  });

  it('the open incident blocks the next deploy at its check; closed, v2 goes out', async () => {
    const blocked = await deploy('v2');
    expect(blocked.conclusion).toBe('failure');
    expect(blocked.job('pre-deploy-check').result).toBe('failure');
    expect(blocked.step('pre-deploy-check', 'acme/runbook-actions/actions/pre-deploy-check@v1').stdout).toMatch(
      /open incidents: 1 open issue labelled "incident"/,
    );
    for (const id of ['backup', 'migrate', 'deploy', 'smoke-test', 'rollback'])
      expect(blocked.job(id).result, id).toBe('skipped');
    expect(site.live().version).toBe('v1');

    for (const issue of openIncidents()) issue.state = 'closed';
    const r = await deploy('v2');
    expect(r.conclusion, r.log).toBe('success');
    expect(revision()).toBe('0003');
    expect(site.live().version).toBe('v2');
  });

  it('rollback.yml: "previous" brings v1 back with its schema; a named release brings v2 back', async () => {
    const v2 = site.live();
    const back = await site.dispatch('rollback.yml', {
      environment: ENVIRONMENT,
      scope: 'image,migration',
      reason: 'checkout errors',
    });
    expect(back.conclusion, back.log).toBe('success');
    expect(back.concurrency).toEqual({ group: `deploy-${ENVIRONMENT}`, cancelInProgress: false });
    expect(back.step('rollback', 'rollback').inputs).toMatchObject({ 'release-id': '', 'restore-database': 'false' });
    expect(back.job('rollback').outputs['restored-version']).toBe('v1');
    expect(site.live().version).toBe('v1');
    expect(revision()).toBe('0001');
    expect(site.release('v2').rollback).toMatchObject({ scope: ['image', 'migration'] });
    expect(site.release('v2').rollback?.reason).toMatch(/^checkout errors \(octocat, run \d+\)$/);

    const forward = await site.dispatch('rollback.yml', {
      environment: ENVIRONMENT,
      'release-id': v2.id,
      reason: 'false alarm',
    });
    expect(forward.conclusion, forward.log).toBe('success');
    expect(forward.step('rollback', 'Say what is live now').stdout).toMatch(/::notice::\S+ rolled back; v2 serves/);
    expect(site.live()).toEqual(v2);
    expect(site.runningVersions()).toEqual(['v2', 'v2']);
    expect(await site.served()).toBe('v2');
    expect(api.violations).toEqual([]);
  });
});
