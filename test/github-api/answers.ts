/**
 * What an operation handler of the fixture gets and gives, and GitHub's usual answers: 404, 422 "Validation
 * Failed", 409, and a page of a list with its `link` header.
 */
import type { FillContext } from './shapes.js';
import type { Operation } from './spec.js';
import type { GitHubState } from './state.js';

export interface HandlerRequest {
  op: Operation;
  /** `owner/repo` from the path. */
  repo: string;
  /** Path parameters, coerced to their documented types (deployment_id is a number). */
  params: Record<string, unknown>;
  /** Query parameters, coerced to their documented types. */
  query: Record<string, unknown>;
  /** The parsed JSON body (already checked against the operation's schema). */
  // biome-ignore lint/suspicious/noExplicitAny: each handler reads its own operation's documented body
  body: any;
  /** The request's path, without the query. */
  path: string;
  state: GitHubState;
  ctx: FillContext;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: HandlerRequest) => Answer;

/** GitHub's 404 for a resource that does not exist (or that the token may not see). */
export function notFound(req: HandlerRequest): Answer {
  return { status: 404, body: { message: 'Not Found', documentation_url: req.op.docs, status: '404' } };
}

/** GitHub's 422 for a body that is well-formed but refused: `errors` as GitHub lists them. */
export function validationFailed(
  req: HandlerRequest,
  errors: { resource: string; field: string; code: string; message?: string }[],
): Answer {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors, documentation_url: req.op.docs, status: '422' },
  };
}

/** A 409 with GitHub's message (e.g. a deployment whose commit status checks failed). */
export function conflict(req: HandlerRequest, message: string): Answer {
  return { status: 409, body: { message, documentation_url: req.op.docs, status: '409' } };
}

/**
 * The page `query.page` (1-based, default 1) of `items`, `query.per_page` long (default 30, at most 100), with the
 * `link` header GitHub sends (next/last/first/prev, absolute urls keeping the other query parameters).
 */
export function page<T>(req: HandlerRequest, items: T[]): { items: T[]; headers: Record<string, string> } {
  const per = Math.min(100, Math.max(1, Number(req.query.per_page ?? 30) || 30));
  const n = Math.max(1, Number(req.query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / per));
  const slice = items.slice((n - 1) * per, n * per);
  const url = (p: number) => {
    const q = new URLSearchParams(Object.entries(req.query).map(([k, v]) => [k, String(v)] as [string, string]));
    q.set('per_page', String(per));
    q.set('page', String(p));
    return `<${req.ctx.apiUrl}${req.path}?${q}>`;
  };
  const links: string[] = [];
  if (n > 1) links.push(`${url(n - 1)}; rel="prev"`);
  if (n < last) links.push(`${url(n + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (n > 1) links.push(`${url(1)}; rel="first"`);
  return { items: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

/** Newest first by creation (ties: the later record first), as GitHub lists deployments and issues. */
export function newestFirst<T extends { created_at: string }>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => b.item.created_at.localeCompare(a.item.created_at) || b.i - a.i)
    .map((x) => x.item);
}
