/**
 * The local GitHub API fixture (test/github-api) itself, through real octokit calls (githubClient): the operations
 * the product uses keep state as GitHub does and answer in the documented shapes (each answer is validated against the
 * description: `violations` stays empty), seeding works, and what GitHub would refuse is refused and recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, githubClient } from '../../../src/github/client.js';
import { type GitHubApi, startGitHubApi } from '../../github-api/index.js';

const owner = 'acme';
const repo = 'shop';
const NOW = '2025-03-01T12:00:00Z';

let api: GitHubApi;
beforeEach(async () => {
  api = await startGitHubApi({ now: NOW });
});
afterEach(async () => {
  await api.close();
});

const gh = () => githubClient({ token: 'test-token', apiUrl: api.url, waitUnitMs: 1, spaceWrites: false });
const ops = () => api.calls.map((c) => `${c.operationId ?? '?'} ${c.status}`);

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('fixture: deployments', () => {
  it('create, statuses, get and list, in documented shapes, with the state kept', async () => {
    const o = gh();
    const created = await o.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      payload: { version: 'v2' },
      description: 'deploy v2',
    });
    expect(created.status).toBe(201);
    const d = created.data as { id: number; sha: string; url: string; creator: { login: string } | null };
    expect(d.sha).toBe(api.state.sha('main'));
    expect(d.url).toBe(`${api.url}/repos/acme/shop/deployments/${d.id}`);
    expect(d.creator?.login).toBe('github-actions[bot]');
    await o.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: d.id, state: 'in_progress' });
    const done = await o.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: d.id,
      state: 'success',
      log_url: 'https://github.com/acme/shop/actions/runs/1',
      environment_url: 'https://staging.example.com',
    });
    expect(done.data).toMatchObject({ state: 'success', target_url: 'https://github.com/acme/shop/actions/runs/1' });
    expect(done.data.created_at).toBe(NOW);
    const listed = await o.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id });
    expect(listed.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    const got = await o.rest.repos.getDeployment({ owner, repo, deployment_id: d.id });
    expect(got.data.payload).toEqual({ version: 'v2' });
    const staging = await o.rest.repos.listDeployments({ owner, repo, environment: 'staging' });
    expect(staging.data.map((x) => x.id)).toEqual([d.id]);
    expect((await o.rest.repos.listDeployments({ owner, repo, environment: 'production' })).data).toEqual([]);
    expect(api.state.deployments[0]).toMatchObject({ environment: 'staging', production_environment: false });
    expect(api.state.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(api.calls[0]).toMatchObject({
      method: 'POST',
      path: '/repos/acme/shop/deployments',
      operationId: 'repos/create-deployment',
      body: { ref: 'main', environment: 'staging', required_contexts: [], payload: { version: 'v2' } },
      status: 201,
    });
    expect(api.violations).toEqual([]);
  });

  it("a newer success marks the environment's earlier successful deployment inactive (auto_inactive)", async () => {
    const o = gh();
    const ids: number[] = [];
    for (const ref of ['v1', 'v2']) {
      const { data } = await o.rest.repos.createDeployment({
        owner,
        repo,
        ref,
        environment: 'qa',
        required_contexts: [],
      });
      const id = (data as { id: number }).id;
      ids.push(id);
      await o.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'success' });
    }
    const first = await o.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: ids[0] as number });
    expect(first.data.map((s) => s.state)).toEqual(['inactive', 'success']);
    expect(api.violations).toEqual([]);
  });

  it('commit status checks must pass unless required_contexts says otherwise (409)', async () => {
    api.state.statuses('main').push({ context: 'ci/test', state: 'failure' });
    const o = gh();
    const err = await failure(o.rest.repos.createDeployment({ owner, repo, ref: 'main' }));
    expect(apiError(err)).toEqual({ status: 409, message: 'Conflict: Commit status checks failed for main.' });
    await o.rest.repos.createDeployment({ owner, repo, ref: 'main', required_contexts: [] });
    expect(ops()).toEqual(['repos/create-deployment 409', 'repos/create-deployment 201']);
    expect(api.violations).toEqual([]);
  });
});

describe('fixture: issues, comments, pull requests', () => {
  it('lists by label and state, newest first, pull requests included; seeds and writes alike', async () => {
    api.state.addIssue({ title: 'old incident', labels: ['incident'], state: 'closed' });
    api.state.addIssue({ title: 'Checkout is down', labels: ['Incident', 'p1'] });
    api.state.addIssue({ title: 'unrelated', labels: ['bug'] });
    api.state.addPull({ title: 'fix checkout', labels: ['incident'], head: { ref: 'fix', repo: 'acme/shop' } });
    const o = gh();
    const open = await o.rest.issues.listForRepo({ owner, repo, labels: 'incident', state: 'open' });
    expect(open.data.map((i) => [i.title, Boolean(i.pull_request)])).toEqual([
      ['fix checkout', true],
      ['Checkout is down', false],
    ]);
    const all = await o.rest.issues.listForRepo({ owner, repo, labels: 'incident', state: 'all' });
    expect(all.data).toHaveLength(3);
    const created = await o.rest.issues.create({ owner, repo, title: 'Deploy of v3 failed', labels: ['incident'] });
    expect(created.data).toMatchObject({ number: 5, state: 'open', user: { login: 'github-actions[bot]' } });
    expect(created.data.html_url).toBe('https://github.com/acme/shop/issues/5');
    const comment = await o.rest.issues.createComment({ owner, repo, issue_number: 5, body: 'rolled back to v2' });
    await o.rest.issues.updateComment({ owner, repo, comment_id: comment.data.id, body: 'rolled back to v2 (done)' });
    const comments = await o.rest.issues.listComments({ owner, repo, issue_number: 5 });
    expect(comments.data.map((c) => c.body)).toEqual(['rolled back to v2 (done)']);
    const closed = await o.rest.issues.update({ owner, repo, issue_number: 5, state: 'closed' });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'completed', closed_at: NOW, comments: 1 });
    expect((await o.rest.issues.get({ owner, repo, issue_number: 5 })).data.state).toBe('closed');
    expect(api.state.issues.at(-1)).toMatchObject({
      title: 'Deploy of v3 failed',
      state: 'closed',
      user: 'github-actions[bot]',
    });
    expect(api.violations).toEqual([]);
  });

  it('a fork pull request: head repository another full_name, fork true', async () => {
    api.state.addPull({
      title: 'from a fork',
      head: { ref: 'feature', repo: 'mallory/shop', fork: true },
      base: { ref: 'main', repo: 'acme/shop' },
    });
    const { data } = await gh().rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(data.head.repo).toMatchObject({ full_name: 'mallory/shop', fork: true });
    expect(data.base.repo).toMatchObject({ full_name: 'acme/shop', fork: false });
    expect(data.head.sha).toBe(api.state.sha('feature'));
    expect(api.violations).toEqual([]);
  });

  it('pages with the link header octokit follows', async () => {
    for (let i = 0; i < 35; i++) api.state.addIssue({ title: `issue ${i}` });
    const all = await gh().paginate(gh().rest.issues.listForRepo, { owner, repo, per_page: 30 });
    expect(all).toHaveLength(35);
    expect(api.calls.map((c) => c.query.page ?? '1')).toEqual(['1', '2']);
    expect(api.violations).toEqual([]);
  });
});

describe("fixture: a commit's CI", () => {
  it('check runs (latest per name), the combined status, the commit', async () => {
    const sha = 'a'.repeat(40);
    api.state.refs.set('main', sha);
    api.state
      .checkRuns('main')
      .push(
        { name: 'test', status: 'completed', conclusion: 'failure' },
        { name: 'test', status: 'completed', conclusion: 'success', html_url: 'https://github.com/acme/shop/runs/9' },
        { name: 'lint', status: 'in_progress' },
      );
    api.state.statuses(sha).push({ context: 'ci/e2e', state: 'pending' }, { context: 'ci/e2e', state: 'success' });
    const o = gh();
    const runs = await o.rest.checks.listForRef({ owner, repo, ref: 'main' });
    expect(runs.data.total_count).toBe(2);
    expect(runs.data.check_runs.map((r) => [r.name, r.status, r.conclusion, r.head_sha])).toEqual([
      ['test', 'completed', 'success', sha],
      ['lint', 'in_progress', null, sha],
    ]);
    const combined = await o.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 1, sha });
    const commit = await o.rest.repos.getCommit({ owner, repo, ref: 'heads/main' });
    expect(commit.data.sha).toBe(sha);
    expect(api.violations).toEqual([]);
  });
});

describe('fixture: checked against the description', () => {
  it('an operation GitHub does not have, an undocumented query parameter: violations', async () => {
    const o = gh();
    const err = await failure(o.request('GET /repos/{owner}/{repo}/deploys', { owner, repo }));
    expect(apiError(err)).toEqual({ status: 404, message: 'Not Found' });
    await o.request('GET /repos/{owner}/{repo}/issues', { owner, repo, colour: 'red' });
    expect(api.violations.map((v) => v.reason)).toEqual([
      "no operation GET /repos/acme/shop/deploys in GitHub's description",
      'query parameter "colour" is not documented for issues/list-for-repo',
    ]);
  });

  it('a documented operation the fixture does not model is a violation, not a silent answer', async () => {
    await failure(gh().rest.repos.get({ owner, repo }));
    expect(api.violations).toEqual([
      expect.objectContaining({ reason: "repos/get is in GitHub's description but not implemented by the fixture" }),
    ]);
  });

  it("the fixture's own answers are validated: a seed outside the documented enum is caught", async () => {
    api.state.checkRuns('main').push({ name: 'x', conclusion: 'exploded' as 'failure' });
    await gh().rest.checks.listForRef({ owner, repo, ref: 'main' });
    expect(api.violations).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(/^the fixture's answer: response 200\/check_runs\/0\/conclusion/),
      }),
    ]);
  });

  it('GitHub headers on every answer; no token, or a wrong one: 401 as GitHub words it', async () => {
    const res = await fetch(`${api.url}/repos/acme/shop/issues`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Requires authentication' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const h of ['x-github-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(res.headers.get(h), h).toBeTruthy();
    }
    const bearer = await fetch(`${api.url}/repos/acme/shop/issues`, {
      headers: { authorization: 'Bearer test-token' },
    });
    expect(bearer.status).toBe(200);
    const wrong = await fetch(`${api.url}/repos/acme/shop/issues`, { headers: { authorization: 'token nope' } });
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
    expect(api.calls.map((c) => c.status)).toEqual([401, 200, 401]);
    expect(api.violations).toEqual([]);
  });
});
