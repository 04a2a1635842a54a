/**
 * workflows-examples/runbook-004-production-deploy.yml run end to end (helpers/workflow-run.ts) against a team's site
 * on the runner-local target (its own nginx, a seeded copy of the sandbox PostgreSQL database, the migrator of
 * test/fixtures/migrations, the GitHub API fixture): the three phases with the runbook's four smoke tests (two of them
 * POSTs, seen in nginx's request log), the feature-flag killswitch as a config-only release of the live version, the
 * deployment rollback that takes the flag back, and the full rollback with the schema.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { shown } from './helpers/cli.js';
import { psql } from './helpers/pg-sandbox.js';
import { sandboxPart } from './helpers/sandbox.js';
import { appContainers, dockerAt } from './helpers/sandbox-docker.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-004-production-deploy.yml';
const TOKEN = 'ghs_runbook004';
const SMOKE_TOKEN = 'smoke-4e1d9c2a7b';

/** The runbook's four smoke tests, against what runbook-test-app serves (/cgi-bin/echo answers its query string). */
const SMOKE = `smoke:
  wait: 5s
  checks:
    - { name: experiences, url: /version, expect: { status: 200 } }
    - name: register
      method: POST
      url: /cgi-bin/echo?register
      headers: { Content-Type: application/json, X-Smoke-Token: "\${env.SMOKE_TOKEN}" }
      body: '{"email":"deploy-test@example.com","password":"Test123"}'
      expect: { status: 200, regex: register }
    - { name: user-synced, url: "/cgi-bin/echo?synced=deploy-test@example.com", expect: { status: 200, regex: synced } }
    - name: analyze
      method: POST
      url: /
      body: '{"text":"interview notes"}'
      expect: { status: 200, json: { app: runbook-test-app }, max-latency: 10s }
`;

describe('runbook 004: deploy in three phases, the killswitch and the rollback options, as dispatched workflows', () => {
  let site: TeamSite;
  let api: GitHubApi;
  const run = (procedure: string, more: Record<string, string | boolean> = {}) =>
    site.dispatch(WORKFLOW, { environment: ENVIRONMENT, procedure, ...more }, { secrets: { SMOKE_TOKEN } });
  const revision = () => psql(site.pg!, site.database!, 'SELECT max(version) FROM schema_migrations');
  /** FEATURE_UGC_ANALYSIS of each running container of the app. */
  const flag = (): string[] => {
    const docker = dockerAt(sandboxPart('docker').host);
    return appContainers(sandboxPart('docker').host, site.app)
      .map((id) => docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', id))
      .map((env) => /^FEATURE_UGC_ANALYSIS=(.*)$/m.exec(env)?.[1] ?? '(unset)')
      .sort();
  };

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    site = await teamSite({
      name: 'rb004',
      database: true,
      env: { FEATURE_UGC_ANALYSIS: 'true', LOG_LEVEL: 'info' },
      smoke: SMOKE,
      github: { url: api.url, token: TOKEN },
    });
  });
  afterAll(async () => {
    await site?.close();
    await api?.close();
  });

  it('deploy v1: backup, migrations, services, the four smoke tests (the POSTs reach the app); one deployment', async () => {
    site.ship('0001_add_status');
    const r = await run('deploy', { version: 'v1' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.order.slice(0, 4)).toEqual(['migrations', 'services', 'smoke-tests', 'rollback-on-failure']);
    expect(r.job('rollback-on-failure').result).toBe('skipped');
    expect(r.job('migrations').outputs['backup-id']).toMatch(/^rb004/);
    expect(r.step('migrations', 'migrate').outputs['revision-after']).toBe('0001');
    expect(revision()).toBe('0001');
    expect(site.release('v1').backupId).toBe(r.job('migrations').outputs['backup-id']);
    const report = JSON.parse(r.step('smoke-tests', 'smoke').outputs.report ?? '{}') as {
      checks: { name: string; passed: boolean }[];
    };
    expect(report.checks.map((c) => `${c.name}:${c.passed}`)).toEqual([
      'experiences:true',
      'register:true',
      'user-synced:true',
      'analyze:true',
    ]);
    const requests = readFileSync(site.requestLog, 'utf8');
    expect(requests).toMatch(/^POST \/cgi-bin\/echo 200$/m);
    expect(requests).toMatch(/^POST \/ 200$/m);
    // The token header was sent masked: the runner hides it, and no line but its mask shows it.
    expect(r.step('smoke-tests', 'smoke').stdout).toContain(`::add-mask::${SMOKE_TOKEN}`);
    expect(shown(r.log)).not.toContain(SMOKE_TOKEN);
    expect(flag()).toEqual(['true', 'true']);
    expect(api.state.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual(['success']);
  });

  it('killswitch: v1 again with FEATURE_UGC_ANALYSIS=false, a release of its own; the schema untouched', async () => {
    const before = site.live();
    const r = await run('killswitch', { flags: 'FEATURE_UGC_ANALYSIS=false' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.job('killswitch').outputs.version).toBe('v1');
    expect(r.step('killswitch', 'deploy').inputs).toMatchObject({ version: 'v1', env: 'FEATURE_UGC_ANALYSIS=false' });
    const now = site.live();
    expect(now.version).toBe('v1');
    expect(now.id).not.toBe(before.id);
    expect(site.journal().releases.find((x) => x.id === now.id)).toMatchObject({
      previous: before.id,
      env: { api: { FEATURE_UGC_ANALYSIS: 'false' } },
    });
    expect(flag()).toEqual(['false', 'false']);
    expect(revision()).toBe('0001');
    expect(await site.served()).toBe('v1');
  });

  it('rollback-deployment: the release before the killswitch, its flag with it', async () => {
    const r = await run('rollback-deployment', { reason: 'the analysis is fixed' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('rollback', 'rollback').inputs?.scope).toBe('image');
    expect(site.live().version).toBe('v1');
    expect(flag()).toEqual(['true', 'true']);
    expect(await site.served()).toBe('v1');
  });

  it('deploy v2 with a migration, then rollback-full: v1, its schema and its flag', async () => {
    site.ship('0003_needs_lock');
    const up = await run('deploy', { version: 'v2' });
    expect(up.conclusion, up.log).toBe('success');
    expect(revision()).toBe('0003');
    expect(site.live().version).toBe('v2');
    const r = await run('rollback-full', { reason: 'user sync failing' });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.step('rollback', 'rollback').inputs?.scope).toBe('image,migration');
    expect(r.step('rollback', 'Say what is live now').stdout).toBe('::notice::v1 serves, schema 0001\n');
    expect(revision()).toBe('0001');
    expect(site.live().version).toBe('v1');
    expect(site.runningVersions()).toEqual(['v1', 'v1']);
    expect(flag()).toEqual(['true', 'true']);
    expect(api.violations).toEqual([]);
  });
});
