import type { SmokeCheck, SmokeConfig, SmokeSample } from '../config/schema.js';
import type { Clock, ElapsedMs } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import type { HttpClient, HttpRequest } from '../http/client.js';
import { percentile, problemsOf } from './evaluate.js';

export interface CheckOutcome {
  name: string;
  url: string;
  passed: boolean;
  status?: number;
  latencyMs: number;
  problems: string[];
}

export interface SampleOutcome {
  requests: number;
  failed: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  passed: boolean;
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

async function once(ctx: SmokeContext, check: SmokeCheck): Promise<CheckOutcome> {
  const url = urlOf(check, ctx.base);
  const r = await ctx.clientFor(check).request(url, {
    ...ctx.request,
    method: check.method,
    headers: ctx.headersFor(check),
    body: check.body,
    followRedirects: check['follow-redirects'],
  });
  if (!r.ok) return { name: check.name, url, passed: false, latencyMs: r.latencyMs, problems: [r.error] };
  const problems = problemsOf(check, r);
  return { name: check.name, url, passed: problems.length === 0, status: r.status, latencyMs: r.latencyMs, problems };
}

/** Every check, retried until all pass or `waitMs` runs out, with a progress line per round. */
export async function runChecks(ctx: SmokeContext, smoke: SmokeConfig, waitMs: number): Promise<CheckOutcome[]> {
  const start = ctx.clock.now().getTime();
  for (let round = 1; ; round++) {
    const outcomes = await Promise.all(smoke.checks.map((c) => once(ctx, c)));
    const failing = outcomes.filter((o) => !o.passed);
    const elapsed = ctx.clock.now().getTime() - start;
    if (failing.length === 0 || elapsed >= waitMs) return outcomes;
    ctx.log.info(
      `smoke: ${failing.length} of ${outcomes.length} checks failing after ${(elapsed / 1000).toFixed(1)}s (round ${round}): ` +
        failing.map((f) => `${f.name}: ${f.problems.join('; ')}`).join(' | '),
    );
    await ctx.clock.sleep(Math.min(2000, Math.max(0, waitMs - elapsed)), ctx.request.signal);
  }
}

/** `requests` requests of the first check at `rate`/s: latency percentiles and error rate against the thresholds. */
export async function runSample(ctx: SmokeContext, check: SmokeCheck, s: SmokeSample): Promise<SampleOutcome> {
  const gap = 1000 / s.rate;
  const started = ctx.elapsedMs();
  const pending: Promise<CheckOutcome>[] = [];
  for (let i = 0; i < s.requests; i++) {
    const due = started + i * gap;
    const wait = due - ctx.elapsedMs();
    if (wait > 0) await ctx.clock.sleep(wait);
    pending.push(once(ctx, check));
  }
  const outcomes = await Promise.all(pending);
  const ok = outcomes.filter((o) => o.passed);
  const latencies = ok.map((o) => o.latencyMs).sort((a, b) => a - b);
  const failed = outcomes.length - ok.length;
  const result = {
    requests: outcomes.length,
    failed,
    errorRate: failed / outcomes.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
  const problems: string[] = [];
  if (s['error-rate'] !== undefined && result.errorRate > s['error-rate']) {
    problems.push(`error rate ${(result.errorRate * 100).toFixed(2)}% > ${(s['error-rate'] * 100).toFixed(2)}%`);
  }
  if (s.p95 !== undefined && !(result.p95 <= s.p95)) problems.push(`p95 ${Math.round(result.p95)} ms > ${s.p95} ms`);
  if (s['min-samples'] !== undefined && ok.length < s['min-samples']) {
    problems.push(`${ok.length} good samples < min-samples ${s['min-samples']}`);
  }
  return { ...result, passed: problems.length === 0, problems };
}
