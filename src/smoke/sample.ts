/**
 * The smoke sample: `requests` requests of the first check at `rate`/s, judged over ALL of them. A failed request
 * counts at its own latency, a timed-out one at least at its timeout: a sample where a fifth of the requests hang
 * shows it in p95/p99, and any failure fails the sample unless `error-rate` allows it (default 0). A cancel stops the
 * sample at once: no new request is sent, the ones in flight are aborted, and the sample throws CancelledError.
 */
import type { SmokeCheck, SmokeSample } from '../config/schema.js';
import { percentile } from './evaluate.js';
import { type CheckOutcome, cancelled, once, type SmokeContext, throwIfCancelled } from './run.js';

export interface SampleOutcome {
  /** Requests sent (all of them answered or failed). */
  requests: number;
  /** Requests that failed: no answer, a wrong status or body, too slow. */
  failed: number;
  /** Of the failed, those without a complete answer within the request timeout. */
  timedOut: number;
  errorRate: number;
  /** Nearest-rank percentiles over all requests, failed ones included (a timed-out one at least at the timeout). */
  p50: number;
  p95: number;
  p99: number;
  passed: boolean;
  problems: string[];
}

/** What the statistics need of one request. */
export type SampleRequest = Pick<CheckOutcome, 'passed' | 'latencyMs' | 'timedOut' | 'problems'>;

/** Counts and percentiles over every request; `timeoutMs` is the latency a timed-out request counts at, at least. */
export function sampleStats(
  outcomes: readonly SampleRequest[],
  timeoutMs: number,
): Omit<SampleOutcome, 'passed' | 'problems'> {
  const latencies = outcomes
    .map((o) => (o.timedOut ? Math.max(o.latencyMs, timeoutMs) : o.latencyMs))
    .sort((a, b) => a - b);
  const failed = outcomes.filter((o) => !o.passed).length;
  return {
    requests: outcomes.length,
    failed,
    timedOut: outcomes.filter((o) => o.timedOut).length,
    errorRate: outcomes.length === 0 ? 0 : failed / outcomes.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

const pct = (fraction: number): string => `${+(fraction * 100).toFixed(2)}%`;

/** The failure seen most often, with its count: `status 503, expected 2xx (×25)`. */
function mostCommon(outcomes: readonly SampleRequest[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    if (o.passed) continue;
    const why = o.problems.join('; ') || 'failed';
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1]);
  return top && `${top[0]} (×${top[1]})`;
}

/** The sample's verdict against its thresholds; a failed request fails it unless `error-rate` allows it. */
export function judgeSample(outcomes: readonly SampleRequest[], s: SmokeSample, timeoutMs: number): SampleOutcome {
  const stats = sampleStats(outcomes, timeoutMs);
  const problems: string[] = [];
  const allowed = s['error-rate'] ?? 0;
  if (stats.errorRate > allowed) {
    const timed = stats.timedOut > 0 ? `, ${stats.timedOut} timed out after ${timeoutMs} ms` : '';
    const rule =
      s['error-rate'] === undefined ? 'none allowed: set error-rate to allow some' : `allowed ${pct(allowed)}`;
    problems.push(
      `${stats.failed} of ${stats.requests} requests failed (${pct(stats.errorRate)}${timed}; ${rule}); most often: ${mostCommon(outcomes)}`,
    );
  }
  if (s.p95 !== undefined && !(stats.p95 <= s.p95)) {
    problems.push(
      `p95 ${Math.round(stats.p95)} ms > ${s.p95} ms (over all ${stats.requests} requests, failed ones included)`,
    );
  }
  const good = stats.requests - stats.failed;
  if (s['min-samples'] !== undefined && good < s['min-samples']) {
    problems.push(`${good} good samples < min-samples ${s['min-samples']}`);
  }
  return { ...stats, passed: problems.length === 0, problems };
}

/** The log line of a sample: `sample: 100 requests, 25 failed (5 timed out); over all 100: p50 …, p95 …, p99 …`. */
export function sampleLine(o: SampleOutcome): string {
  const timed = o.timedOut > 0 ? ` (${o.timedOut} timed out)` : '';
  const ms = (v: number) => `${Math.round(v)} ms`;
  return `sample: ${o.requests} requests, ${o.failed} failed${timed}; over all ${o.requests}: p50 ${ms(o.p50)}, p95 ${ms(o.p95)}, p99 ${ms(o.p99)}`;
}

/**
 * Sends the sample's requests at `rate`/s (paced by `ctx.elapsedMs`, waiting on `ctx.clock`) and judges them. The
 * run's signal (`ctx.request.signal`) stops the pacing and aborts the requests in flight; then it throws
 * CancelledError, never a verdict.
 */
export async function runSample(ctx: SmokeContext, check: SmokeCheck, s: SmokeSample): Promise<SampleOutcome> {
  const { signal, timeoutMs } = ctx.request;
  const gap = 1000 / s.rate;
  const started = ctx.elapsedMs();
  const pending: Promise<CheckOutcome>[] = [];
  try {
    for (let i = 0; i < s.requests; i++) {
      throwIfCancelled(signal, 'the smoke sample');
      const wait = started + i * gap - ctx.elapsedMs();
      if (wait > 0) await ctx.clock.sleep(wait, signal);
      throwIfCancelled(signal, 'the smoke sample');
      pending.push(once(ctx, check));
    }
  } catch (err) {
    // The requests in flight share the signal: they end at once; wait for them so nothing keeps running.
    await Promise.allSettled(pending);
    if (signal?.aborted)
      throw cancelled(signal, `the smoke sample (after ${pending.length} of ${s.requests} requests)`);
    throw err;
  }
  const outcomes = await Promise.all(pending);
  throwIfCancelled(signal, 'the smoke sample');
  return judgeSample(outcomes, s, timeoutMs);
}
