/**
 * Issues and their comments, and pull requests (get): issues/list-for-repo filters by state (open by default),
 * labels (every one given, case-insensitive) and creator, newest first, pull requests included as GitHub does;
 * comments oldest first. What the workflow token creates is written by github-actions[bot].
 */
import { type Handler, type HandlerRequest, newestFirst, notFound, page } from './answers.js';
import { renderComment, renderIssue, renderPull } from './render.js';
import { type IssueRecord, inRepo } from './state.js';

const BOT = 'github-actions[bot]';

function findIssue(req: HandlerRequest): IssueRecord | undefined {
  const n = Number(req.params.issue_number);
  return req.state.issues.find((i) => i.number === n && inRepo(i, req.repo));
}

const labelNames = (labels: unknown[] | undefined): string[] =>
  (labels ?? []).map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? '')));

const listForRepo: Handler = (req) => {
  const q = req.query as { state?: string; labels?: string; creator?: string; sort?: string; direction?: string };
  const state = q.state ?? 'open';
  const wanted = (q.labels ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const matching = req.state.issues.filter(
    (i) =>
      inRepo(i, req.repo) &&
      (state === 'all' || i.state === state) &&
      wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
      (q.creator === undefined || i.user.toLowerCase() === q.creator.toLowerCase()),
  );
  const sorted = newestFirst(matching);
  if (q.direction === 'asc') sorted.reverse();
  const { items, headers } = page(req, sorted);
  return { status: 200, body: items.map((i) => renderIssue(i, req.repo, req.state, req.ctx)), headers };
};

const getIssue: Handler = (req) => {
  const i = findIssue(req);
  return i ? { status: 200, body: renderIssue(i, req.repo, req.state, req.ctx) } : notFound(req);
};

const createIssue: Handler = (req) => {
  const b = req.body as { title: string | number; body?: string | null; labels?: unknown[] };
  const issue = req.state.addIssue({
    repo: req.repo,
    title: String(b.title),
    body: b.body ?? null,
    labels: labelNames(b.labels),
    user: BOT,
  });
  return {
    status: 201,
    body: renderIssue(issue, req.repo, req.state, req.ctx),
    headers: { location: `${req.ctx.apiUrl}/repos/${req.repo}/issues/${issue.number}` },
  };
};

const updateIssue: Handler = (req) => {
  const i = findIssue(req);
  if (!i) return notFound(req);
  const b = req.body as {
    title?: string | number | null;
    body?: string | null;
    state?: 'open' | 'closed';
    state_reason?: IssueRecord['state_reason'];
    labels?: unknown[];
  };
  const at = req.state.clock.iso();
  if (b.title !== undefined && b.title !== null) i.title = String(b.title);
  if (b.body !== undefined) i.body = b.body;
  if (b.labels !== undefined) i.labels = labelNames(b.labels);
  if (b.state !== undefined && b.state !== i.state) {
    i.state = b.state;
    i.closed_at = b.state === 'closed' ? at : null;
    i.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
  } else if (b.state_reason !== undefined) i.state_reason = b.state_reason;
  i.updated_at = at;
  return { status: 200, body: renderIssue(i, req.repo, req.state, req.ctx) };
};

const createComment: Handler = (req) => {
  const i = findIssue(req);
  if (!i) return notFound(req);
  const c = req.state.addComment({ repo: req.repo, issue_number: i.number, body: String(req.body.body), user: BOT });
  return {
    status: 201,
    body: renderComment(c, req.repo, req.ctx),
    headers: { location: `${req.ctx.apiUrl}/repos/${req.repo}/issues/comments/${c.id}` },
  };
};

const listComments: Handler = (req) => {
  const i = findIssue(req);
  if (!i) return notFound(req);
  const since = typeof req.query.since === 'string' ? req.query.since : undefined;
  const matching = req.state.comments.filter(
    (c) => c.issue_number === i.number && inRepo(c, req.repo) && (since === undefined || c.updated_at >= since),
  );
  const { items, headers } = page(req, matching);
  return { status: 200, body: items.map((c) => renderComment(c, req.repo, req.ctx)), headers };
};

const updateComment: Handler = (req) => {
  const id = Number(req.params.comment_id);
  const c = req.state.comments.find((x) => x.id === id && inRepo(x, req.repo));
  if (!c) return notFound(req);
  c.body = String(req.body.body);
  c.updated_at = req.state.clock.iso();
  return { status: 200, body: renderComment(c, req.repo, req.ctx) };
};

const getPull: Handler = (req) => {
  const n = Number(req.params.pull_number);
  const p = req.state.pulls.find((x) => x.number === n && inRepo(x, req.repo));
  return p ? { status: 200, body: renderPull(p, req.repo, req.state, req.ctx) } : notFound(req);
};

export const issueHandlers: Record<string, Handler> = {
  'issues/list-for-repo': listForRepo,
  'issues/get': getIssue,
  'issues/create': createIssue,
  'issues/update': updateIssue,
  'issues/create-comment': createComment,
  'issues/list-comments': listComments,
  'issues/update-comment': updateComment,
  'pulls/get': getPull,
};
