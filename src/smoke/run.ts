import type { SmokeCheck, SmokeConfig } from '../config/schema.js';
import type { Clock, ElapsedMs } from '../core/clock.js';
import { CancelledError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { HttpClient, HttpRequest } from '../http/client.js';
import { problemsOf } from './evaluate.js';

export interface CheckOutcome {
  name: string;
  url: string;
  passed: boolean;
  status?: number;
  latencyMs: number;
  /** No complete answer within the request's timeout. */
  timedOut?: boolean;
  problems: string[];
}

export interface SmokeContext {
  base?: string;
  headersFor(check: SmokeCheck): Record<string, string>;
  /** Deadline (ms), body cap (bytes) and cancellation of every request. */
  request: Pick<HttpRequest, 'timeoutMs' | 'maxBodyBytes' | 'signal'>;
  /** The client a check's requests go through: the runner's, or one whose connections its `via` target opens. */
  clientFor(check: SmokeCheck): HttpClient;
  clock: Clock;
  /** Paces the sample's requests. */
  elapsedMs: ElapsedMs;
  log: Logger;
}

/** A check's absolute URL: its own, or a relative one (`/…`) on `base`; throws when a relative one has no base. */
export function urlOf(check: SmokeCheck, base: string | undefined): string {
  if (!check.url.startsWith('/')) return check.url;
  if (!base) throw new Error(`check ${check.name}: a relative url needs the environment's url (or the input url)`);
  return new URL(check.url, base).toString();
}

/** One request of a check: its verdict, never an exception. */
export async function once(ctx: SmokeContext, check: SmokeCheck): Promise<CheckOutcome> {
  const url = urlOf(check, ctx.base);
  const r = await ctx.clientFor(check).request(url, {
    ...ctx.request,
    method: check.method,
    headers: ctx.headersFor(check),
    body: check.body,
    followRedirects: check['follow-redirects'],
  });
  if (!r.ok) {
    const timedOut = r.error.startsWith('no complete answer within') || r.latencyMs >= ctx.request.timeoutMs;
    const base = { name: check.name, url, passed: false, latencyMs: r.latencyMs, problems: [r.error] };
    return timedOut ? { ...base, timedOut } : base;
  }
  const problems = problemsOf(check, r);
  return { name: check.name, url, passed: problems.length === 0, status: r.status, latencyMs: r.latencyMs, problems };
}

/** The CancelledError to throw for an aborted signal, naming `what` and the signal's own reason when it is one. */
export function cancelled(signal: AbortSignal | undefined, what: string): CancelledError {
  const reason: unknown = signal?.reason;
  if (reason instanceof CancelledError) return new CancelledError(`${what} was cancelled (${reason.message})`);
  return new CancelledError(`${what} was cancelled`);
}

/** Throw CancelledError when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(signal, what);
}

/**
 * Every check, retried until all pass or `waitMs` runs out, with a progress line per round. The run's signal stops
 * the rounds and the wait between them at once: CancelledError, never a verdict.
 */
export async function runChecks(ctx: SmokeContext, smoke: SmokeConfig, waitMs: number): Promise<CheckOutcome[]> {
  const { signal } = ctx.request;
  const start = ctx.clock.now().getTime();
  for (let round = 1; ; round++) {
    throwIfCancelled(signal, 'the run of the smoke checks');
    const outcomes = await Promise.all(smoke.checks.map((c) => once(ctx, c)));
    throwIfCancelled(signal, 'the run of the smoke checks');
    const failing = outcomes.filter((o) => !o.passed);
    const elapsed = ctx.clock.now().getTime() - start;
    if (failing.length === 0 || elapsed >= waitMs) return outcomes;
    ctx.log.info(
      `smoke: ${failing.length} of ${outcomes.length} checks failing after ${(elapsed / 1000).toFixed(1)}s (round ${round}): ` +
        failing.map((f) => `${f.name}: ${f.problems.join('; ')}`).join(' | '),
    );
    try {
      await ctx.clock.sleep(Math.min(2000, Math.max(0, waitMs - elapsed)), signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled(signal, 'the run of the smoke checks');
      throw err;
    }
  }
}
