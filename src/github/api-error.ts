/**
 * One line for a failed GitHub API call. Kept apart from the client so that reporting an error never loads octokit.
 */

/** What a step reports about a failed GitHub API call. */
export interface ApiErrorSummary {
  /** The HTTP status GitHub answered; absent when no answer came (network error, abort). */
  status?: number;
  /** GitHub's documented `message` (with its validation `errors`), or the local error's message; one line, no token. */
  message: string;
}

interface ErrorLike {
  message?: unknown;
  status?: unknown;
  response?: { status?: unknown; data?: unknown };
  /** Set by the client when it gave up on a rate limit: the message already says it all. */
  rateLimit?: unknown;
}

/**
 * `err` (an octokit `RequestError`, or anything thrown around a call) as `{ status, message }`:
 * - `status`: the HTTP status of GitHub's answer, only when an answer came (octokit reports a network failure as
 *   status 500 without a response; that is not GitHub's word, so it is left out);
 * - `message`: GitHub's documented error body (`message`, then each of `errors` as "field code" or its own message),
 *   without the documentation URL octokit appends; when the client gave up on a rate limit, its own message naming the
 *   wait. Newlines are folded into one line; authorization values and GitHub token shapes (ghp_…, ghs_…,
 *   github_pat_…) are masked, so the line can be logged as it is.
 */
export function apiError(err: unknown): ApiErrorSummary {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const hasResponse = typeof e.response === 'object' && e.response !== null;
  const status = hasResponse && typeof e.status === 'number' && e.status > 0 ? e.status : undefined;
  const data = hasResponse ? e.response?.data : undefined;
  let message: string;
  if (e.rateLimit === undefined && typeof data === 'object' && data !== null && 'message' in data) {
    message = documented(data as { message?: unknown; errors?: unknown });
  } else if (e.rateLimit === undefined && typeof data === 'string' && data.trim() !== '') {
    message = data;
  } else {
    message = typeof e.message === 'string' ? e.message : String(err);
  }
  return { ...(status === undefined ? {} : { status }), message: oneLine(mask(message)) || 'unknown error' };
}

function documented(data: { message?: unknown; errors?: unknown }): string {
  const head = String(data.message ?? '');
  if (!Array.isArray(data.errors) || data.errors.length === 0) return head;
  const parts = data.errors.map((x: unknown) => {
    if (typeof x === 'string') return x;
    const o = (x ?? {}) as { message?: unknown; field?: unknown; code?: unknown; resource?: unknown };
    if (typeof o.message === 'string' && o.message) return o.message;
    return [o.resource, o.field, o.code].filter((v) => typeof v === 'string' && v).join(' ');
  });
  return `${head}: ${parts.filter(Boolean).join('; ')}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').trim();
}

/** Authorization header values and GitHub token shapes masked. */
function mask(text: string): string {
  return text
    .replace(/\b(authorization["']?\s*[:=]\s*["']?(?:token|bearer|basic)\s+)[^\s"',;]+/gi, '$1***')
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})/g, '***');
}

/** One line for a warning or a check: `HTTP 502: Bad Gateway`, or the local error (no answer came). */
export function apiErrorText(err: unknown): string {
  const { status, message } = apiError(err);
  return status === undefined ? message : `HTTP ${status}: ${message}`;
}
