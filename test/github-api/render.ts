/**
 * The fixture's records (./state.ts) in GitHub's documented shapes, for the repository `repo` (owner/name) the
 * request named: urls under the fixture's API url and https://github.com/<owner>/<repo>/…, users as simple-user
 * objects, then every other required field filled by ./shapes.ts `complete`.
 */
import { complete, type FillContext, nodeId, repository, stableId, user } from './shapes.js';
import type {
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  GitHubState,
  IssueRecord,
  PullRecord,
  PullSide,
} from './state.js';

type Obj = Record<string, unknown>;

export const api = (ctx: FillContext, repo: string) => `${ctx.apiUrl}/repos/${repo}`;
export const web = (repo: string) => `https://github.com/${repo}`;

/** A `deployment`. */
export function renderDeployment(d: DeploymentRecord, ctx: FillContext): Obj {
  const url = `${api(ctx, d.repo)}/deployments/${d.id}`;
  const body = {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: user(d.creator, ctx),
    created_at: d.created_at,
    updated_at: d.updated_at,
    statuses_url: `${url}/statuses`,
    repository_url: api(ctx, d.repo),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: null,
  };
  return complete('deployment', body, { ...ctx, urlBase: url }) as Obj;
}

/** A `deployment-status` of deployment `d`. */
export function renderDeploymentStatus(d: DeploymentRecord, s: DeploymentStatusRecord, ctx: FillContext): Obj {
  const deploymentUrl = `${api(ctx, d.repo)}/deployments/${d.id}`;
  const body = {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: user(s.creator, ctx),
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: api(ctx, d.repo),
    performed_via_github_app: null,
  };
  return complete('deployment-status', body, ctx) as Obj;
}

function label(name: string, repo: string, ctx: FillContext): Obj {
  const id = stableId(`${repo}:${name}`);
  return {
    id,
    node_id: nodeId('LA', id),
    url: `${api(ctx, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  };
}

/** An `issue` (with its `pull_request` links when it is one), `comments` counted from the state. */
export function renderIssue(i: IssueRecord, repo: string, state: GitHubState, ctx: FillContext): Obj {
  const url = `${api(ctx, repo)}/issues/${i.number}`;
  const html = `${web(repo)}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`;
  const pull = state.pulls.find((p) => p.number === i.number);
  const body: Obj = {
    id: i.id,
    node_id: nodeId('I', i.id),
    url,
    repository_url: api(ctx, repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    number: i.number,
    state: i.state,
    state_reason: i.state_reason ?? null,
    title: i.title,
    body: i.body,
    user: user(i.user, ctx),
    labels: i.labels.map((n) => label(n, repo, ctx)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: state.comments.filter((c) => c.issue_number === i.number).length,
    closed_at: i.closed_at,
    created_at: i.created_at,
    updated_at: i.updated_at,
    author_association: 'NONE',
  };
  if (i.pull_request) {
    body.pull_request = {
      url: `${api(ctx, repo)}/pulls/${i.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pull?.merged ? i.updated_at : null,
    };
  }
  return complete('issue', body, { ...ctx, urlBase: url }) as Obj;
}

/** An `issue-comment`. */
export function renderComment(c: CommentRecord, repo: string, ctx: FillContext): Obj {
  const body = {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url: `${api(ctx, repo)}/issues/comments/${c.id}`,
    html_url: `${web(repo)}/issues/${c.issue_number}#issuecomment-${c.id}`,
    body: c.body,
    user: user(c.user, ctx),
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${api(ctx, repo)}/issues/${c.issue_number}`,
    author_association: 'NONE',
  };
  return complete('issue-comment', body, ctx) as Obj;
}

function side(s: PullSide, ctx: FillContext, state: GitHubState): Obj {
  const owner = (s.repo ?? 'ghost/deleted').split('/')[0] ?? 'ghost';
  return {
    label: `${owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha ?? state.sha(s.ref),
    user: user(owner, ctx),
    repo: s.repo === null ? null : repository(s.repo, ctx, { fork: s.fork === true }),
  };
}

/** A `pull-request` (head/base repositories full, `fork` as seeded). */
export function renderPull(p: PullRecord, repo: string, state: GitHubState, ctx: FillContext): Obj {
  const url = `${api(ctx, repo)}/pulls/${p.number}`;
  const html = `${web(repo)}/pull/${p.number}`;
  const id = stableId(`${repo}#${p.number}`);
  const body = {
    url,
    id,
    node_id: nodeId('PR', id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api(ctx, repo)}/issues/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: user(p.user, ctx),
    body: p.body,
    labels: p.labels.map((n) => label(n, repo, ctx)),
    milestone: null,
    created_at: p.created_at,
    updated_at: p.created_at,
    closed_at: p.state === 'closed' ? p.created_at : null,
    merged_at: p.merged ? p.created_at : null,
    merge_commit_sha: null,
    assignee: null,
    draft: p.draft,
    head: side(p.head, ctx, state),
    base: side({ ...p.base, repo: p.base.repo ?? repo }, ctx, state),
    _links: {},
    author_association: 'NONE',
    auto_merge: null,
    merged: p.merged,
    mergeable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: state.comments.filter((c) => c.issue_number === p.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
  return complete('pull-request', body, { ...ctx, urlBase: url }) as Obj;
}
