/**
 * The one GitHub REST client of the product: octokit with GitHub's recommended retry and throttling behaviour. Loaded
 * by dynamic import only when a step calls GitHub (`await import('../github/client.js')`); importing it does no work
 * beyond defining the class.
 */
import { retry } from '@octokit/plugin-retry';
import { type ThrottlingOptions, throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

export { type ApiErrorSummary, apiError } from './api-error.js';

/** The part of our Logger (src/core/log-types.ts) the client writes to. */
export interface GitHubLog {
  warn(message: string): void;
  debug(message: string): void;
}

export interface GitHubClientOptions {
  /** The token (GITHUB_TOKEN or a PAT); sent as `authorization: token …`, never logged. Required. */
  token: string;
  /** The REST API root (GITHUB_API_URL); default https://api.github.com; trailing slashes trimmed. */
  apiUrl?: string;
  /** Aborts the request under way (passed as request.signal) and stops further rate-limit retries. */
  signal?: AbortSignal;
  /** Rate-limit retries are warned here; octokit's request lines and its own errors go to debug. */
  log?: GitHubLog;
  /** Retries per request: of a 5xx or a network error (backoff 1 s, 4 s, 9 s…), and of a rate limit. Default 3. */
  retries?: number;
  /** The longest rate-limit wait (Retry-After, or until x-ratelimit-reset) worth taking, in seconds. Default 60. */
  maxRateLimitWaitS?: number;
  /**
   * Milliseconds per second of every wait: the rate limits' Retry-After/x-ratelimit-reset and the 5xx backoff
   * (the plugins' `retryAfterBaseValue`). Default 1000; tests set 1 so that a "wait 2 s" takes 2 ms. Logs and
   * errors always name the wait GitHub asked for, in seconds.
   */
  waitUnitMs?: number;
  /**
   * GitHub asks for one second between writes (POST, PATCH, PUT, DELETE) of one client; the throttling plugin spaces
   * them so, across the clients of a process. Default true; tests that write a lot set false.
   */
  spaceWrites?: boolean;
  /**
   * How long one attempt may wait for GitHub's answer, in ms (then it fails as a network error, which is retried):
   * a GitHub that accepts connections and never answers cannot hang a deploy. Default 15,000.
   */
  timeoutMs?: number;
}

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** An `@octokit/rest` Octokit with the retry and throttling plugins. */
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** Thrown (on the octokit RequestError itself) when the client gave up on a rate limit. */
export interface RateLimitGiveUp {
  kind: 'rate limit' | 'secondary rate limit';
  /** The wait GitHub asked for, in seconds. */
  waitS: number;
  /** Rate-limit retries already made for this request. */
  retried: number;
}

// Statuses the retry plugin leaves alone: its defaults; 409 (a conflict, e.g. a deployment whose commit checks
// failed, stays one); and 429, which the throttling plugin owns (a rate limit is retried only after the wait GitHub
// asks for, never on the retry plugin's 1-4-9 s backoff).
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/** The write groups' stand-in when writes are not spaced: runs each job at once. */
const unspaced = {
  key: () => ({ schedule: (_job: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }),
} as unknown as NonNullable<ThrottlingOptions['write']>;

/**
 * An Octokit for `opts.apiUrl` authenticated with `opts.token`, user agent `runbook-actions`:
 * - a 5xx answer or a network error is retried up to `retries` times (plugin-retry: 1 s, 4 s, 9 s…); other 4xx are
 *   not retried (409 neither);
 * - a rate limit (403/429 with `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset` + 1 s; or a secondary
 *   rate limit: wait `retry-after`, else 60 s) is retried up to `retries` times while the wait is at most
 *   `maxRateLimitWaitS`, each time warning "GitHub API rate limit: retrying GET /repos/o/r/issues in 3 s (1/3)".
 *   Past that, the call fails with the RequestError whose message names the wait (and `rateLimit`, a
 *   {@link RateLimitGiveUp}, set on it).
 * Errors are octokit RequestErrors (`status`, `response.data`); {@link apiError} makes one line of them.
 */
export function githubClient(opts: GitHubClientOptions): GitHubClient {
  const baseUrl = (opts.apiUrl?.trim() || 'https://api.github.com').replace(/\/+$/, '');
  const retries = opts.retries ?? 3;
  const maxWaitS = opts.maxRateLimitWaitS ?? 60;
  const unit = opts.waitUnitMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const log = opts.log;
  const gaveUp = new WeakMap<object, RateLimitGiveUp>();

  const route = (options: { method?: string; url?: string }): string => {
    try {
      const parsed = octokit.request.endpoint.parse(options as Parameters<typeof octokit.request.endpoint.parse>[0]);
      const url = parsed.url.startsWith(baseUrl) ? parsed.url.slice(baseUrl.length) : parsed.url;
      return `${parsed.method} ${url.split('?')[0]}`;
    } catch {
      return `${options.method ?? ''} ${options.url ?? ''}`.trim();
    }
  };
  const onLimit =
    (kind: RateLimitGiveUp['kind']) =>
    (waitS: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      if (opts.signal?.aborted) return false;
      if (waitS > maxWaitS || retryCount >= retries) {
        gaveUp.set(options, { kind, waitS, retried: retryCount });
        return false;
      }
      log?.warn(`GitHub API ${kind}: retrying ${route(options)} in ${waitS} s (${retryCount + 1}/${retries})`);
      return true;
    };

  const octokit: GitHubClient = new GitHubOctokit({
    auth: opts.token,
    baseUrl,
    userAgent: 'runbook-actions',
    request: {
      signal: opts.signal,
      // Each attempt bounded: the run's signal, or no answer within timeoutMs.
      fetch: (url: string, init: RequestInit = {}) => {
        const limit = AbortSignal.timeout(timeoutMs);
        const signal = init.signal ? AbortSignal.any([init.signal, limit]) : limit;
        return globalThis.fetch(url, { ...init, signal }).catch((err: unknown) => {
          if (limit.aborted && !init.signal?.aborted)
            throw new Error(`no answer from GitHub within ${timeoutMs / 1000} s`, { cause: err });
          throw err;
        });
      },
    },
    log: {
      debug: (m: string) => log?.debug(String(m)),
      info: (m: string) => log?.debug(String(m)),
      warn: (m: string) => log?.warn(String(m)),
      error: (m: string) => log?.debug(String(m)),
    },
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: unit },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      retryAfterBaseValue: unit,
      ...(opts.spaceWrites === false ? { write: unspaced, notifications: unspaced } : {}),
    },
  });

  // Outermost: runs once the plugins are done with a failed request.
  octokit.hook.error('request', (error, options) => {
    const giveUp = gaveUp.get(options);
    if (giveUp) {
      gaveUp.delete(options);
      const { status, response } = error as { status?: number; response?: { data?: unknown } };
      const said = (response?.data as { message?: unknown } | undefined)?.message;
      const why =
        giveUp.waitS > maxWaitS
          ? `asks to wait ${giveUp.waitS} s, longer than the ${maxWaitS} s this step waits`
          : `still limited after ${giveUp.retried} ${giveUp.retried === 1 ? 'retry' : 'retries'} (next wait ${giveUp.waitS} s)`;
      error.message = `GitHub API ${giveUp.kind}: ${route(options)} ${why}; giving up${
        typeof said === 'string' && said ? ` (HTTP ${status}: ${said})` : ` (HTTP ${status})`
      }`;
      Object.assign(error, { rateLimit: giveUp });
    }
    throw error;
  });
  return octokit;
}
