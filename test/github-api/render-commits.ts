/**
 * A commit's CI in GitHub's documented shapes: check runs (made by the GitHub Actions app), commit statuses and the
 * combined status, and the commit itself (minimal), for the repository `repo` (owner/name) the request named.
 */
import { api, web } from './render.js';
import { complete, type FillContext, nodeId, repository, stableId, user } from './shapes.js';
import type { CheckRunSeed, GitHubState, StatusSeed } from './state.js';

type Obj = Record<string, unknown>;

const ACTIONS_APP_ID = 15368;

/** A `check-run` on commit `sha`, made by the GitHub Actions app. */
export function renderCheckRun(r: CheckRunSeed, sha: string, repo: string, state: GitHubState, ctx: FillContext) {
  r.id ??= state.nextId();
  const status = r.status ?? 'completed';
  const url = `${api(ctx, repo)}/check-runs/${r.id}`;
  const body = {
    id: r.id,
    head_sha: sha,
    node_id: nodeId('CR', r.id),
    external_id: '',
    url,
    html_url: r.html_url ?? `${web(repo)}/runs/${r.id}`,
    details_url: r.details_url ?? r.html_url ?? `${web(repo)}/runs/${r.id}`,
    status,
    conclusion: status === 'completed' ? (r.conclusion ?? 'success') : null,
    started_at: r.started_at ?? ctx.now,
    completed_at: status === 'completed' ? (r.completed_at ?? ctx.now) : null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: r.name,
    check_suite: { id: stableId(`suite:${sha}`) },
    app: {
      id: ACTIONS_APP_ID,
      slug: 'github-actions',
      node_id: nodeId('A', ACTIONS_APP_ID),
      name: 'GitHub Actions',
      owner: user('github', ctx),
      html_url: 'https://github.com/apps/github-actions',
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2019-12-10T19:04:12Z',
      permissions: {},
      events: [],
    },
    pull_requests: [],
  };
  return complete('check-run', body, { ...ctx, urlBase: url }) as Obj;
}

/** A commit status (`simple-commit-status`, as the combined status lists them). */
export function renderStatus(s: StatusSeed, sha: string, repo: string, state: GitHubState, ctx: FillContext): Obj {
  s.id ??= state.nextId();
  const at = s.created_at ?? ctx.now;
  const body = {
    id: s.id,
    node_id: nodeId('SC', s.id),
    state: s.state,
    description: s.description ?? null,
    target_url: s.target_url ?? null,
    context: s.context,
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    created_at: at,
    updated_at: at,
    url: `${api(ctx, repo)}/statuses/${sha}`,
  };
  return complete('simple-commit-status', body, ctx) as Obj;
}

/** A `commit` (get-commit): only what identifies it; no files, no stats. */
export function renderCommit(sha: string, repo: string, ctx: FillContext): Obj {
  const url = `${api(ctx, repo)}/commits/${sha}`;
  const who = { name: 'Octo Cat', email: 'octocat@github.com', date: ctx.now };
  const body = {
    url,
    sha,
    node_id: nodeId('C', stableId(sha)),
    html_url: `${web(repo)}/commit/${sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api(ctx, repo)}/git/commits/${sha}`,
      author: who,
      committer: who,
      message: `Commit ${sha.slice(0, 7)}`,
      comment_count: 0,
      tree: { sha, url: `${api(ctx, repo)}/git/trees/${sha}` },
    },
    author: user('octocat', ctx),
    committer: user('octocat', ctx),
    parents: [],
    files: [],
  };
  return complete('commit', body, { ...ctx, urlBase: url }) as Obj;
}

/** The combined status of `sha`: the latest status per context, newest first; its overall state as GitHub derives it. */
export function renderCombined(sha: string, repo: string, state: GitHubState, ctx: FillContext) {
  const latest = latestStatuses(state.statuses(sha));
  const states = latest.map((s) => s.state);
  const overall = states.some((s) => s === 'error' || s === 'failure')
    ? 'failure'
    : states.length === 0 || states.includes('pending')
      ? 'pending'
      : 'success';
  return {
    overall,
    latest,
    head: {
      state: overall,
      sha,
      repository: repository(repo, ctx, { schema: 'minimal-repository' }),
      commit_url: `${api(ctx, repo)}/commits/${sha}`,
      url: `${api(ctx, repo)}/commits/${sha}/status`,
    },
  };
}

/** The newest status of each context, newest first. */
export function latestStatuses(all: StatusSeed[]): StatusSeed[] {
  const seen = new Set<string>();
  const out: StatusSeed[] = [];
  for (const s of [...all].reverse()) {
    if (seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(s);
  }
  return out;
}
