/**
 * pre-deploy-check's gates beyond the hosts: `incident-label` (an open GitHub issue with the label blocks deploys;
 * real octokit calls against the OpenAPI-checked GitHub API fixture, test/github-api, whose violations stay empty)
 * and `backup-max-age` (the newest verified backup on the primary target, made by the real backup action against the
 * sandbox PostgreSQL).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { createSeededDatabase, dropDatabase, sandboxPostgres } from './helpers/pg-sandbox.js';
import { databaseYaml, localEnvYaml } from './helpers/yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'pre-deploy-gates-'));
const TOKEN = 'ghs_fixtureToken0123456789';

function config(name: string, checks: string, extra = ''): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: `${dir}/state`, target: 'self' })}checks:
  min-free-disk: 1%
  disk-paths: [/tmp]
  docker: false
  compose: false
${checks}
${extra}`,
  );
  return path;
}

interface Report {
  checks: { check: string; status: string; detail: string }[];
}
const check = (outputs: Record<string, string>, name: string) =>
  (JSON.parse(outputs.report ?? '{"checks":[]}') as Report).checks.find((c) => c.check === name);

describe('incident-label: open issues with the label block the deploy (OpenAPI-checked GitHub API fixture)', () => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
  });
  afterAll(async () => {
    await api.close();
  });
  const cfg = () => config('incident', '  incident-label: incident');
  const run = (inputs: Record<string, string> = { 'github-token': TOKEN }, env: Record<string, string> = {}) =>
    runStep('pre-deploy-check', {
      inputs: { config: cfg(), environment: 'sandbox', ...inputs },
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: api.url, ...env },
    });
  /** The fixture's answers to this run's calls to GitHub (none: []). */
  const callsOf = async (r: Promise<StepResult>) => {
    const before = api.calls.length;
    const result = await r;
    return { r: result, calls: api.calls.slice(before) };
  };

  it("an open issue labelled incident fails the check, naming it; pull requests, closed issues and another environment's incident do not count", async () => {
    const open = api.state.addIssue({ title: 'Checkout is down', labels: ['incident'] });
    api.state.addIssue({ title: 'Yesterday, over', labels: ['incident'], state: 'closed' });
    api.state.addIssue({ title: 'Unrelated', labels: ['bug'] });
    // The incident issue the toolkit opened for another environment blocks that one only.
    api.state.addIssue({
      title: 'Incident: staging rolled back from v9',
      labels: ['incident'],
      body: '<!-- runbook-actions:incident environment=staging -->\nstaging only',
    });
    api.state.addPull({
      title: 'a pull request with the label',
      labels: ['incident'],
      head: { ref: 'fix', repo: 'acme/shop' },
    });
    const { r, calls } = await callsOf(run());
    expect(r.code).toBe(1);
    expect(check(r.outputs, 'open incidents')).toMatchObject({
      status: 'fail',
      detail: `1 open issue labelled "incident": #${open.number} "Checkout is down" (https://github.com/acme/shop/issues/${open.number})`,
    });
    expect(r.stdout).toMatch(/::error::pre-deploy check failed: \* open incidents: 1 open issue labelled "incident"/);
    // One call, documented, with the labels and state asked for, answered 200: the fixture took the token.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/repos/acme/shop/issues',
      operationId: 'issues/list-for-repo',
      status: 200,
    });
    expect(calls[0]?.query).toMatchObject({ labels: 'incident', state: 'open' });
    expect(shown(r.stdout)).not.toContain(TOKEN);
    // The refusal's summary names the check, its detail escaped once.
    expect(r.summary).toMatch(/^<h2>⛔ Pre-deploy check: refused — sandbox<\/h2>/);
    expect(r.summary).toContain(
      `<td>*</td><td>open incidents</td><td>❌ fail</td><td>1 open issue labelled &quot;incident&quot;: #${open.number} &quot;Checkout is down&quot; (https://github.com/acme/shop/issues/${open.number})</td>`,
    );
    expect(api.violations).toEqual([]);
  });

  it('no open incident (the pull request with the label still open): the check passes', async () => {
    for (const i of api.state.issues) if (!i.pull_request) i.state = 'closed';
    const { r, calls } = await callsOf(run());
    expect(r.code, r.stdout).toBe(0);
    expect(check(r.outputs, 'open incidents')).toMatchObject({
      status: 'pass',
      detail: 'no open issue labelled "incident" in acme/shop',
    });
    expect(calls.map((c) => c.status)).toEqual([200]);
    expect(api.violations).toEqual([]);
  });

  it('fails closed: a rejected token (naming the status), no token or no repository (then GitHub is never called)', async () => {
    api.state.addIssue({ title: 'Checkout is down again', labels: ['incident'] });
    const bad = await callsOf(run({ 'github-token': 'ghs_notTheFixturesToken0000' }));
    expect(bad.r.code).toBe(1);
    expect(check(bad.r.outputs, 'open incidents')?.detail).toMatch(
      /cannot read the issues of acme\/shop \(HTTP 401\): Bad credentials/,
    );
    expect(bad.calls.map((c) => c.status)).toEqual([401]);
    const none = await callsOf(run({}));
    expect(none.r.code).toBe(1);
    expect(check(none.r.outputs, 'open incidents')?.detail).toMatch(/the input github-token is needed/);
    expect(none.calls).toEqual([]);
    const norepo = await callsOf(run({ 'github-token': TOKEN }, { GITHUB_REPOSITORY: '' }));
    expect(norepo.r.code).toBe(1);
    expect(check(norepo.r.outputs, 'open incidents')?.detail).toMatch(
      /incident-label is set, but GITHUB_REPOSITORY \(owner\/repo\) is not/,
    );
    expect(norepo.calls).toEqual([]);
    expect(api.violations).toEqual([]);
  });

  it('dry run says what it would ask and asks nothing', async () => {
    const { r, calls } = await callsOf(run({ 'github-token': TOKEN, 'dry-run': 'true' }));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('GitHub: open issues labelled "incident" in acme/shop');
    expect(calls).toEqual([]);
    expect(api.violations).toEqual([]);
  });
});

describe('backup-max-age: the newest verified backup must be young enough', () => {
  const pg = sandboxPostgres();
  const db = createSeededDatabase(pg, 'rbt_gates');
  const backups = join(dir, 'backups');
  mkdirSync(backups, { recursive: true });
  const database = databaseYaml({ port: pg.port, name: db, user: pg.user, backup: `{ directory: ${backups} }` });
  const cfg = () => config('backup-age', '  backup-max-age: 1h', database);
  const run = () =>
    runStep('pre-deploy-check', {
      inputs: { config: cfg(), environment: 'sandbox' },
      env: { DB_PASSWORD: pg.password },
    });
  afterAll(() => dropDatabase(pg, db));

  it('no backup yet: fails, naming the directory', async () => {
    const r = await run();
    expect(r.code).toBe(1);
    expect(check(r.outputs, 'backup age')?.detail).toBe(`no verified backup in ${backups} (backup-max-age 1h 0m)`);
  });

  it('a fresh verified backup (the real backup action) passes; the same backup two days older fails', async () => {
    const b = await runStep('backup', {
      inputs: { config: cfg(), environment: 'sandbox' },
      env: { DB_PASSWORD: pg.password },
    });
    expect(b.code, b.stdout).toBe(0);
    const ok = await run();
    expect(ok.code, ok.stdout).toBe(0);
    expect(check(ok.outputs, 'backup age')?.detail).toMatch(
      new RegExp(`newest verified backup ${b.outputs['backup-id']} is \\d+s old \\(max 1h 0m\\)`),
    );
    const metaFile = readdirSync(backups).find((f) => f.endsWith('.json')) ?? '';
    const meta = JSON.parse(readFileSync(join(backups, metaFile), 'utf8'));
    meta.created = new Date(Date.now() - 2 * 86_400_000).toISOString();
    writeFileSync(join(backups, metaFile), `${JSON.stringify(meta)}\n`);
    const stale = await run();
    expect(stale.code).toBe(1);
    expect(check(stale.outputs, 'backup age')).toMatchObject({ status: 'fail' });
    expect(check(stale.outputs, 'backup age')?.detail).toMatch(/is 2d 0h old \(max 1h 0m\)/);
  });
});
