/**
 * GitHub-native: the root action against the sandbox with GitHub's REST API served by the local fixture, which
 * checks every request against GitHub's OpenAPI description (test/github-api). One deployment per run with its
 * statuses, environment_url and log_url; a rollback marks it failed and records the restored release as the active
 * deployment; the incident issue that blocks the next pre-deploy-check; the plan as a PR comment updated in place;
 * a fork's pull request skipped; CI gates; retries on GitHub's 5xx answers.
 */
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { dropDatabase } from './helpers/pg-sandbox.js';
import { freePortRange } from './helpers/ports.js';
import { REPO_ROOT } from './helpers/sandbox.js';
import { removeContainers, type StoryWorld, storyWorld } from './helpers/story-world.js';

const SHA = 'c0ffee0000000000000000000000000000000001';
const RUN_ID = '7001';

describe('GitHub-native: deployments, incident issue, PR comment, fork and CI gates (OpenAPI-checked fixture)', () => {
  let w: StoryWorld;
  let api: GitHubApi;
  const githubEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: api.url,
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    ...extra,
  });
  const step = async (action: string, inputs: Record<string, string>, extra: Record<string, string> = {}) => {
    const all = { config: w.config, environment: 'sandbox', 'github-token': 'test-token', ...w.inputs, ...inputs };
    const env = { DB_PASSWORD: w.pg.password, RUNBOOK_HOOK: hookUrl, ...githubEnv(extra) };
    const main = await runStep(action, { inputs: all, env, timeoutMs: 240_000 });
    // The post step, as the runner runs it (it frees a lock a killed main left).
    if (action === 'pipeline') await runStep(action, { inputs: all, env, state: main.state });
    return main;
  };
  const pipeline = (version: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
    step('pipeline', { version, ...extra }, env);

  /** A webhook receiver of the test's own: the notifications' bodies as they arrive. */
  const hooks: Array<{ event: string; version: string; environment: string; links: Record<string, string> }> = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      hooks.push(JSON.parse(body));
      res.end('ok');
    });
  });
  let hookUrl = '';
  const kinds = () => hooks.splice(0).map((h) => h.event);

  beforeAll(async () => {
    api = await startGitHubApi();
    w = storyWorld('rbgh', await freePortRange(10));
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T0/B0/SECRETPART`;
    appendFileSync(w.config, 'notifications:\n  - { url-env: RUNBOOK_HOOK, format: json, name: ops }\n');
  });
  afterAll(async () => {
    hook.close();
    removeContainers('rbgh');
    dropDatabase(w.pg, w.database);
    await api.close();
  });

  it('v1: one deployment for the run (ref, environment, payload), in_progress then success with its URLs', async () => {
    const r: StepResult = await pipeline('v1');
    expect(r.code, r.stdout).toBe(0);
    expect(api.violations).toEqual([]);
    expect(api.state.deployments).toHaveLength(1);
    const d = api.state.deployments[0];
    expect(d).toMatchObject({
      sha: SHA,
      environment: 'sandbox',
      payload: { version: 'v1', release: r.outputs['release-id'] },
    });
    const url = readFileSync(w.config, 'utf8').match(/url: (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    // in_progress at the start, again when deployed (the smoke test judges next), success once it passed.
    expect(d?.statuses.map((s) => s.state)).toEqual(['in_progress', 'in_progress', 'success']);
    expect(d?.statuses[2]?.description).toMatch(/^v1 live \(.*\); smoke test passed$/);
    expect(d?.statuses[2]).toMatchObject({
      environment_url: url,
      log_url: `https://github.com/acme/shop/actions/runs/${RUN_ID}`,
    });
    expect(r.outputs['deployment-id']).toBe(String(d?.id));
    expect(r.outputs['environment-url']).toBe(url);
    // The summary leads with the verdict and links the deployment, the run and the commit.
    expect(r.summary.startsWith('<h2>✅ Pipeline: deployed — v1 → sandbox</h2>')).toBe(true);
    expect(r.summary).toContain(`href="https://github.com/acme/shop/actions/runs/${RUN_ID}"`);
    expect(r.summary).toContain(`deployment ${d?.id}</a>`);
    expect(r.summary).toContain(`commit ${SHA.slice(0, 7)}</a>`);
    // The webhook heard the start and the success, with the links; its URL (a secret) is never printed.
    expect(hooks[1]).toMatchObject({ event: 'success', version: 'v1', environment: 'sandbox' });
    expect(hooks[1]?.links.run).toBe(`https://github.com/acme/shop/actions/runs/${RUN_ID}`);
    expect(kinds()).toEqual(['start', 'success']);
    // Only in the add-mask commands that tell the runner to mask it.
    expect(r.stdout.split('\n').filter((l) => l.includes('SECRETPART') && !l.startsWith('::add-mask::'))).toEqual([]);
  });

  it('a degraded release: marked failure, the restored v1 recorded as the active deployment, an incident issue opened', async () => {
    const before = api.state.deployments.length;
    const r = await pipeline('degraded');
    expect(r.code).toBe(1);
    expect(r.outputs['rolled-back']).toBe('true');
    expect(api.violations).toEqual([]);
    const [failed, restored] = api.state.deployments.slice(before);
    expect(failed?.payload).toMatchObject({ version: 'degraded' });
    // Never success: the smoke test failed before the release was called live.
    expect(failed?.statuses.map((s) => s.state)).toEqual(['in_progress', 'in_progress', 'failure']);
    expect(failed?.statuses.at(-1)?.description).toMatch(/^rolled back to v1 \(/);
    expect(restored?.payload).toMatchObject({ version: 'v1', rollback_of: r.outputs['release-id'] });
    expect(restored?.statuses.map((s) => s.state)).toEqual(['success']);
    expect(r.outputs['deployment-id']).toBe(String(restored?.id));
    const issues = api.state.issues.filter((i) => i.labels.includes('incident'));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.title).toBe('Incident: sandbox rolled back from degraded');
    expect(issues[0]?.body).toMatch(/^<!-- runbook-actions:incident environment=sandbox -->/);
    expect(issues[0]?.body).toContain(`https://github.com/acme/shop/actions/runs/${RUN_ID}`);
    expect(r.summary.startsWith('<h2>↩️ Pipeline: rolled back — degraded → sandbox</h2>')).toBe(true);
    expect(kinds()).toEqual(['start', 'rollback']);
  });

  it('the open incident blocks the next pre-deploy-check until a person closes it', async () => {
    const blocked = await step('pre-deploy-check', {});
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/open incidents: 1 open issue labelled "incident"/);
    expect(blocked.summary.startsWith('<h2>⛔ Pre-deploy check: refused')).toBe(true);
    expect(kinds()).toEqual(['refusal']);
    for (const i of api.state.issues) i.state = 'closed';
    const clear = await step('pre-deploy-check', {});
    expect(clear.code, clear.stdout).toBe(0);
    expect(clear.outputs.result).toBe('passed');
  });

  it('a pull request plan: one comment with the plan, updated in place on the next push', async () => {
    const pr = api.state.addPull({
      title: 'v2',
      head: { ref: 'v2', repo: 'acme/shop', sha: SHA },
      base: { ref: 'main', repo: 'acme/shop' },
    });
    const event = join(w.dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: pr.number,
          head: { sha: SHA, repo: { full_name: 'acme/shop' } },
          base: { repo: { full_name: 'acme/shop' } },
        },
      }),
    );
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
    const deployments = api.state.deployments.length;
    // Someone else's comment carrying the marker is never taken over.
    api.state.addComment({
      issue_number: pr.number,
      body: '<!-- runbook-actions:plan environment=sandbox -->\nmerge away!',
      user: 'mallory',
    });
    for (let i = 0; i < 2; i++) {
      const r = await pipeline(`pr-${pr.number}`, { 'dry-run': 'true' }, env);
      expect(r.code, r.stdout).toBe(0);
    }
    const comments = api.state.comments.filter((c) => c.issue_number === pr.number && c.user !== 'mallory');
    expect(comments).toHaveLength(1);
    expect(api.state.comments.find((c) => c.user === 'mallory')?.body).toMatch(/merge away!$/);
    expect(comments[0]?.body).toMatch(/^<!-- runbook-actions:plan environment=sandbox -->/);
    expect(comments[0]?.body).toContain(`Deploy plan for sandbox: planned (pr-${pr.number})`);
    expect(comments[0]?.body).toMatch(/deploy: what it would run/);
    expect(api.calls.filter((c) => c.operationId === 'issues/update-comment')).toHaveLength(1);
    expect(api.state.deployments).toHaveLength(deployments);
    expect(api.violations).toEqual([]);
  });

  it("a fork's pull request: skipped: untrusted context, never a pass, and no GitHub call", async () => {
    const event = join(w.dir, 'fork.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: 99,
          head: { sha: SHA, repo: { full_name: 'mallory/shop' } },
          base: { repo: { full_name: 'acme/shop' } },
        },
      }),
    );
    const calls = api.calls.length;
    const r = await step('pre-deploy-check', {}, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(r.outputs).toMatchObject({ passed: 'false', result: 'skipped' });
    expect(r.stdout).toMatch(
      /::warning::skipped: untrusted context \(pull request #99 comes from the fork mallory\/shop/,
    );
    expect(r.summary.startsWith('<h2>⏭️ Pre-deploy check: skipped')).toBe(true);
    expect(api.calls.length).toBe(calls);
    // The root action on the same event: a deploy is refused before any stage, a plan is skipped; nothing called.
    const fork = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
    const deployments = api.state.deployments.length;
    const refused = await pipeline('v2', {}, fork);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /::error::refused: untrusted context \(pull request #99 comes from the fork mallory\/shop\)/,
    );
    expect(refused.stdout).not.toMatch(/Step: pre-deploy-check/);
    const planned = await pipeline('v2', { 'dry-run': 'true' }, fork);
    expect(planned.code, planned.stdout).toBe(0);
    expect(planned.summary.startsWith('<h2>⏭️ Pipeline: skipped')).toBe(true);
    expect(api.state.deployments.length).toBe(deployments);
    expect(api.calls.length).toBe(calls);
  });

  it("checks.ci: a red check refuses, the run's own job is left out, a pending one fails after the wait, green passes", async () => {
    appendFileSync(w.config, '');
    const text = readFileSync(w.config, 'utf8');
    writeFileSync(w.config, text.replace('checks:\n', 'checks:\n  ci: { wait: 0s, poll: 5s, ignore: [nightly] }\n'));
    // CI not started yet (nothing reported) is waited for like pending, then fails: never a pass.
    const none = await step('pre-deploy-check', {});
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/CI on the commit: no check run or status reported on c0ffee0 within 0s/);
    const runs = api.state.checkRuns(SHA);
    runs.push({
      name: 'deploy',
      status: 'in_progress',
      html_url: `https://github.com/acme/shop/actions/runs/${RUN_ID}/job/1`,
    });
    runs.push({ name: 'nightly', status: 'completed', conclusion: 'failure' });
    runs.push({ name: 'test', status: 'completed', conclusion: 'failure' });
    const red = await step('pre-deploy-check', {});
    expect(red.code).toBe(1);
    expect(red.stdout).toMatch(/CI on the commit: 1 failed on c0ffee0: test \(failure\)/);
    runs[2] = { name: 'test', status: 'in_progress' };
    const pending = await step('pre-deploy-check', {});
    expect(pending.stdout).toMatch(/CI on the commit: 1 still pending on c0ffee0 after 0s: test/);
    runs[2] = { name: 'test', status: 'completed', conclusion: 'success' };
    api.state.statuses(SHA).push({ context: 'ci/lint', state: 'success' });
    const green = await step('pre-deploy-check', {});
    expect(green.code, green.stdout).toBe(0);
    expect(green.stdout).toMatch(/CI on the commit +2 green on c0ffee0: test, ci\/lint/);
    expect(api.violations).toEqual([]);
    writeFileSync(w.config, text);
  });

  it('GitHub answers 502 to the deployment: retried, the deploy goes on and is recorded', async () => {
    api.failNext({ method: 'POST', path: '/repos/{owner}/{repo}/deployments', status: 502 });
    const before = api.calls.filter((c) => c.operationId === 'repos/create-deployment').length;
    const r = await pipeline('v2');
    expect(r.code, r.stdout).toBe(0);
    const creates = api.calls.filter((c) => c.operationId === 'repos/create-deployment').slice(before);
    expect(creates.map((c) => c.status)).toEqual([502, 201]);
    expect(api.state.deployments.at(-1)?.statuses.map((s) => s.state)).toEqual([
      'in_progress',
      'in_progress',
      'success',
    ]);
  });
  it('pending-migration: the SQL the upgrade would run in the summary, each destructive statement a warning', async () => {
    copyFileSync(
      join(REPO_ROOT, 'test/fixtures/migrations/0004_destructive.sql'),
      join(w.dir, 'migrations/0004_destructive.sql'),
    );
    const r = await step('pre-deploy-check', { 'pending-migration': 'true' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/WARN +\* pending migration +\d+ destructive statement\(s\) in \d+ SQL lines: DROP/);
    expect(r.summary).toMatch(/<summary>the SQL the upgrade would run \(\d+ lines\)<\/summary>/);
    expect(r.summary).toMatch(/⚠️ DROP \w+ \(SQL line \d+\)/);
    rmSync(join(w.dir, 'migrations/0004_destructive.sql'));
  });
});
