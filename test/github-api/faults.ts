/**
 * Fault injection for the fixture: the next matching request(s) get a canned answer instead of the real one — 5xx,
 * and the rate limits as GitHub documents them (docs.github.com, "Rate limits for the REST API", "Exceeding the rate
 * limit"): a primary limit is a 403 or 429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (UTC epoch
 * seconds); a secondary limit a 403 or 429 whose message says "secondary rate limit", usually with `retry-after`
 * (seconds).
 */

/** A canned answer for the next request(s) that match `method` and `path`. */
export interface FaultRule {
  /** GET, POST, …; any when absent. */
  method?: string;
  /**
   * A path template of the description (`/repos/{owner}/{repo}/issues`), a concrete path (`/repos/acme/shop/issues`)
   * or a RegExp tested on the concrete path; any when absent.
   */
  path?: string | RegExp;
  status: number;
  headers?: Record<string, string>;
  /** The JSON body; GitHub's usual one for the status when absent. */
  body?: unknown;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

/** Whether `rule` applies to a request of `method` on `path`, which matched the operation at `template`. */
export function ruleMatches(rule: FaultRule, method: string, path: string, template: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (rule.path instanceof RegExp) return rule.path.test(path);
  return rule.path.includes('{') ? rule.path === template : rule.path === path;
}

/** GitHub's body for an injected `status` when the rule gives none. */
export function defaultFaultBody(status: number): unknown {
  if (status === 502) return { message: 'Server Error' };
  if (status === 503) return { message: 'Service Unavailable' };
  if (status >= 500) return { message: 'Server Error' };
  return { message: `Injected ${status}`, documentation_url: 'https://docs.github.com/rest' };
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/** Ready-made rules (spread them into `failNext({ path, ...faults.x() })`). */
export const faults = {
  /** A 5xx (502 by default) with GitHub's short body. */
  serverError(status = 502): Pick<FaultRule, 'status' | 'body'> {
    return { status, body: defaultFaultBody(status) };
  },
  /** The primary rate limit exhausted: the window resets `resetInS` seconds from now (real time). */
  rateLimit(resetInS = 1, status: 403 | 429 = 403): Pick<FaultRule, 'status' | 'headers' | 'body'> {
    return {
      status,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInS),
        'x-ratelimit-resource': 'core',
      },
      body: {
        message:
          'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000 and timestamp 2025-01-01 00:00:00 UTC. For more on scraping GitHub and how it may affect your rights, please review our Terms of Service (https://docs.github.com/en/site-policy/github-terms/github-terms-of-service)',
        documentation_url: `${DOCS}#about-primary-rate-limits`,
        status: String(status),
      },
    };
  },
  /** A secondary rate limit asking to wait `retryAfterS` seconds (no `retry-after` header when undefined). */
  secondaryRateLimit(
    retryAfterS: number | undefined = 1,
    status: 403 | 429 = 403,
  ): Pick<FaultRule, 'status' | 'headers' | 'body'> {
    return {
      status,
      headers: retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
        documentation_url: `${DOCS}#about-secondary-rate-limits`,
        status: String(status),
      },
    };
  },
};
