/**
 * githubClient: real octokit calls against the local GitHub API fixture (test/github-api), which checks each request
 * against GitHub's OpenAPI description. Retries of 5xx, GitHub's rate limits (primary and secondary, waited and
 * retried, or given up with the wait named), no retry of other 4xx, and errors as one line without the token. Waits
 * are shortened with `waitUnitMs: 1` (a "wait 2 s" takes 2 ms); no test asserts a timing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, type GitHubClientOptions, githubClient } from '../../../src/github/client.js';
import { faults, type GitHubApi, startGitHubApi } from '../../github-api/index.js';

const owner = 'acme';
const repo = 'shop';
const ISSUES = '/repos/{owner}/{repo}/issues';

let api: GitHubApi;
let warnings: string[];
let debug: string[];

beforeEach(async () => {
  api = await startGitHubApi();
  warnings = [];
  debug = [];
});
afterEach(async () => {
  await api.close();
});

function client(extra: Partial<GitHubClientOptions> = {}) {
  return githubClient({
    token: 'test-token',
    apiUrl: `${api.url}//`,
    log: { warn: (m) => warnings.push(m), debug: (m) => debug.push(m) },
    waitUnitMs: 1,
    spaceWrites: false,
    ...extra,
  });
}

const listIncidents = (gh = client()) => gh.rest.issues.listForRepo({ owner, repo, labels: 'incident', state: 'open' });
const statuses = () => api.calls.map((c) => c.status);

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('githubClient: the calls it makes', () => {
  it('sends exactly the documented request, authenticated, at the trimmed API url', async () => {
    api.state.addIssue({ title: 'Checkout is down', labels: ['incident'] });
    const { data, headers } = await listIncidents();
    expect(data.map((i) => i.title)).toEqual(['Checkout is down']);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(api.calls).toEqual([
      {
        method: 'GET',
        path: '/repos/acme/shop/issues',
        operationId: 'issues/list-for-repo',
        query: { labels: 'incident', state: 'open' },
        status: 200,
      },
    ]);
    expect(api.violations).toEqual([]);
    expect(warnings).toEqual([]);
    expect(debug.some((m) => m.startsWith('GET /repos/acme/shop/issues?labels=incident&state=open - 200'))).toBe(true);
  });
});

describe('githubClient: retries', () => {
  it('a 502 then a success: retried once, two calls', async () => {
    api.failNext({ path: ISSUES, ...faults.serverError(502) });
    await listIncidents();
    expect(statuses()).toEqual([502, 200]);
    expect(api.violations).toEqual([]);
  });

  it('5xx retries stop after `retries`; the last answer is the error', async () => {
    api.failNext({ path: ISSUES, ...faults.serverError(503), times: 10 });
    const err = await failure(listIncidents(client({ retries: 2 })));
    expect(statuses()).toEqual([503, 503, 503]);
    expect(apiError(err)).toEqual({ status: 503, message: 'Service Unavailable' });
  });

  it('a 404 and a 422 are not retried, and read as GitHub wrote them', async () => {
    const gh = client();
    const missing = await failure(gh.rest.issues.get({ owner, repo, issue_number: 999 }));
    expect(apiError(missing)).toEqual({ status: 404, message: 'Not Found' });
    const { data: d } = await gh.rest.repos.createDeployment({ owner, repo, ref: 'main', required_contexts: [] });
    const tooLong = await failure(
      gh.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: (d as { id: number }).id,
        state: 'success',
        description: 'x'.repeat(141),
      }),
    );
    expect(apiError(tooLong)).toEqual({
      status: 422,
      message: 'Validation Failed: description is too long (maximum is 140 characters)',
    });
    expect(statuses()).toEqual([404, 201, 422]);
    expect(api.violations).toEqual([]);
  });

  it('a rejected token is a 401, not retried, and the token appears nowhere', async () => {
    const token = 'ghs_fixtureToken0123456789';
    const err = await failure(listIncidents(client({ token })));
    expect(statuses()).toEqual([401]);
    const summary = apiError(err);
    expect(summary).toEqual({ status: 401, message: 'Bad credentials' });
    expect(JSON.stringify([summary, warnings, debug, String(err)])).not.toContain(token);
  });

  it('no answer at all: no status, the network error in one line', async () => {
    await api.close();
    const err = await failure(listIncidents(client({ retries: 0 })));
    const summary = apiError(err);
    expect(summary.status).toBeUndefined();
    expect(summary.message).toMatch(/ECONNREFUSED|fetch failed|connect/);
    api = await startGitHubApi();
  });
});

describe("githubClient: GitHub's rate limits", () => {
  it('primary (403, x-ratelimit-remaining 0, reset in 1 s): waited for, retried, warned', async () => {
    api.failNext({ path: ISSUES, ...faults.rateLimit(1) });
    await listIncidents();
    expect(statuses()).toEqual([403, 200]);
    expect(warnings).toEqual([
      expect.stringMatching(/^GitHub API rate limit: retrying GET \/repos\/acme\/shop\/issues in \d s \(1\/3\)$/),
    ]);
  });

  it('secondary (403, retry-after: 1): retried once with a warning', async () => {
    api.failNext({ path: ISSUES, ...faults.secondaryRateLimit(1) });
    await listIncidents();
    expect(statuses()).toEqual([403, 200]);
    expect(warnings).toEqual(['GitHub API secondary rate limit: retrying GET /repos/acme/shop/issues in 1 s (1/3)']);
  });

  it('secondary as a 429: retried by the throttling only (not also on the 5xx backoff)', async () => {
    api.failNext({ method: 'POST', path: ISSUES, ...faults.secondaryRateLimit(1, 429) });
    const { data } = await client().rest.issues.create({ owner, repo, title: 'Deploy failed' });
    expect(data.number).toBe(1);
    expect(statuses()).toEqual([429, 201]);
    expect(warnings).toHaveLength(1);
    expect(api.state.issues.map((i) => i.title)).toEqual(['Deploy failed']);
  });

  it('a wait longer than the bound: no retry, the error names the wait', async () => {
    api.failNext({ path: ISSUES, ...faults.rateLimit(3600) });
    const err = await failure(listIncidents());
    expect(statuses()).toEqual([403]);
    expect(warnings).toEqual([]);
    const summary = apiError(err);
    expect(summary.status).toBe(403);
    expect(summary.message).toMatch(
      /^GitHub API rate limit: GET \/repos\/acme\/shop\/issues asks to wait 36\d\d s, longer than the 60 s this step waits; giving up \(HTTP 403: API rate limit exceeded for user ID 1\./,
    );
    expect((err as { rateLimit?: unknown }).rateLimit).toMatchObject({ kind: 'rate limit', retried: 0 });
  });

  it('the bound is an option: a secondary limit asking 120 s is refused under the default, taken under 300', async () => {
    api.failNext({ path: ISSUES, ...faults.secondaryRateLimit(120) });
    const err = await failure(listIncidents());
    expect(apiError(err).message).toMatch(/asks to wait 120 s, longer than the 60 s this step waits/);
    api.failNext({ path: ISSUES, ...faults.secondaryRateLimit(120) });
    await listIncidents(client({ maxRateLimitWaitS: 300 }));
    expect(statuses()).toEqual([403, 403, 200]);
  });

  it('still limited after `retries` retries: gives up, saying so', async () => {
    api.failNext({ path: ISSUES, ...faults.secondaryRateLimit(1), times: 10 });
    const err = await failure(listIncidents(client({ retries: 2 })));
    expect(statuses()).toEqual([403, 403, 403]);
    expect(warnings).toHaveLength(2);
    expect(apiError(err).message).toMatch(
      /^GitHub API secondary rate limit: GET \/repos\/acme\/shop\/issues still limited after 2 retries \(next wait 1 s\); giving up \(HTTP 403: You have exceeded a secondary rate limit/,
    );
  });
});

describe('githubClient: what the description refuses', () => {
  it('a body against the schema (state "bogus", sent raw) is a 422 and a recorded violation', async () => {
    const gh = client();
    const { data: d } = await gh.rest.repos.createDeployment({ owner, repo, ref: 'main', required_contexts: [] });
    const err = await failure(
      gh.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        owner,
        repo,
        deployment_id: (d as { id: number }).id,
        state: 'bogus' as 'success', // outside the documented enum, on purpose
      }),
    );
    expect(apiError(err)).toMatchObject({
      status: 422,
      message: expect.stringMatching(/^Invalid request\. body\/state/),
    });
    expect(statuses()).toEqual([201, 422]);
    expect(api.violations).toEqual([
      {
        method: 'POST',
        path: expect.stringMatching(/^\/repos\/acme\/shop\/deployments\/\d+\/statuses$/),
        operationId: 'repos/create-deployment-status',
        reason: expect.stringContaining('body/state must be one of ["error","failure","inactive"'),
      },
    ]);
  });

  it('an abort stops the call; nothing is retried', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure(listIncidents(client({ signal: controller.signal })));
    expect((err as Error).name).toBe('AbortError');
    expect(api.calls).toEqual([]);
  });
});
