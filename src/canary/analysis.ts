/**
 * The pure side of canary analysis: what each version served in a step's window (from access-log entries, or from
 * probe outcomes), and the gates' judgement of a step. A failed or timed-out request always counts, at its own
 * latency; a measurement that is missing or failed never passes (inconclusive); a failed gate outweighs an
 * inconclusive one. Latencies are milliseconds, rates fractions (0.01 = 1%).
 */
import type { CanaryConfig } from '../config/schema-progressive.js';
import { percentile } from '../smoke/evaluate.js';
import type { AccessEntry } from './access-log.js';
import type { MetricResult, StepJudgement, VersionSample } from './types.js';

/** [fromMs, toMs): epoch milliseconds, compared with each entry's log time. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** One request as the statistics need it (a probe's outcome; a timed-out one at its timeout). */
export interface RequestOutcome {
  failed: boolean;
  latencyMs: number;
}

/** The thresholds judged (all optional but min-samples: the config defaults error-rate to 1 %). */
export type CanaryGates = Partial<Pick<CanaryConfig['gates'], 'error-rate' | 'p95' | 'p99' | 'max-increase'>> &
  Pick<CanaryConfig['gates'], 'min-samples'>;

/** What a step measured; each part is judged when given. */
export interface StepMeasurements {
  /** The canary's real traffic (access log). */
  canary?: VersionSample;
  /** The stable version's over the same window: compared only under `max-increase`. */
  stable?: VersionSample;
  probes?: VersionSample;
  metrics?: readonly MetricResult[];
}

/** Float noise (0.07 - 0.01 = 0.06000000000000001) must not fail a gate met exactly. */
const EPSILON = 1e-9;
const above = (value: number, limit: number): boolean => value > limit + EPSILON;

/** Counts and nearest-rank percentiles over every outcome, failed ones included. */
export function sampleOfRequests(outcomes: readonly RequestOutcome[]): VersionSample {
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const errors = outcomes.filter((o) => o.failed).length;
  const requests = outcomes.length;
  if (requests === 0) return { requests: 0, errors: 0, errorRate: 0 };
  return {
    requests,
    errors,
    errorRate: errors / requests,
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

/**
 * What the upstream addresses in `addresses` (one version's servers) served: every attempt to one of them is a
 * request, so a retried request (`a, b`) counts a failure against a and an answer for b. `window` keeps the entries
 * logged in it. Latency: the attempt's time (a failed or timed-out attempt keeps its own).
 */
export function sampleOf(
  entries: readonly AccessEntry[],
  addresses: ReadonlySet<string>,
  window?: TimeWindow,
): VersionSample {
  const outcomes: RequestOutcome[] = [];
  for (const e of entries) {
    if (window && (e.atMs < window.fromMs || e.atMs >= window.toMs)) continue;
    for (const a of e.attempts) {
      if (addresses.has(a.address)) outcomes.push({ failed: a.error, latencyMs: Math.round(a.seconds * 1000) });
    }
  }
  return sampleOfRequests(outcomes);
}

const pct = (fraction: number): string => `${+(fraction * 100).toFixed(2)}%`;
const ms = (v: number | undefined): string => `${Math.round(v ?? 0)} ms`;

/** Error rate, p95 and p99 of one sample against the gates; one sentence per breach. */
function breaches(who: string, s: VersionSample, g: CanaryGates, unit: string): string[] {
  const out: string[] = [];
  const limit = g['error-rate'];
  if (limit !== undefined && above(s.errorRate, limit)) {
    out.push(
      `${who} error rate ${pct(s.errorRate)} (${s.errors} of ${s.requests} ${unit} failed) > error-rate ${pct(limit)}`,
    );
  }
  const over = `over all ${s.requests} ${unit}, failed ones included`;
  if (g.p95 !== undefined && above(s.p95Ms ?? 0, g.p95)) out.push(`${who} p95 ${ms(s.p95Ms)} > ${g.p95} ms (${over})`);
  if (g.p99 !== undefined && above(s.p99Ms ?? 0, g.p99)) out.push(`${who} p99 ${ms(s.p99Ms)} > ${g.p99} ms (${over})`);
  return out;
}

/**
 * The gates' verdict on one step. The canary (and, under `max-increase`, the stable version) must each have served
 * `min-samples` requests in the window, else that part is inconclusive and not judged further; probes have no
 * minimum, but none at all is inconclusive. A metric whose query failed (no value) is inconclusive, one out of its
 * bounds fails. Any failure makes the verdict `fail`, else any inconclusive part `inconclusive`; nothing measured at
 * all is inconclusive. Reasons: failures first, one sentence each with the figure and the limit.
 */
export function judge(m: StepMeasurements, gates: CanaryGates): StepJudgement {
  const failed: string[] = [];
  const unsure: string[] = [];
  const min = gates['min-samples'];
  const enough = (who: string, s: VersionSample): boolean => {
    if (s.requests >= min) return true;
    unsure.push(`${who}: ${s.requests} of ${min} samples (min-samples) in the window, too few to judge`);
    return false;
  };
  const { canary, stable, probes, metrics = [] } = m;
  if (canary && enough('canary', canary)) {
    failed.push(...breaches('canary', canary, gates, 'requests'));
    const maxIncrease = gates['max-increase'];
    if (stable && maxIncrease !== undefined && enough('stable', stable)) {
      const increase = canary.errorRate - stable.errorRate;
      if (above(increase, maxIncrease)) {
        failed.push(
          `canary error rate ${pct(canary.errorRate)} is ${pct(increase)} above the stable version's ${pct(stable.errorRate)} (max-increase ${pct(maxIncrease)})`,
        );
      }
    }
  }
  if (probes) {
    if (probes.requests === 0) unsure.push('probes: none was sent in the window');
    else failed.push(...breaches('probes', probes, gates, 'probes'));
  }
  for (const metric of metrics) {
    if (metric.ok) continue;
    if (metric.value === undefined) unsure.push(`metric ${metric.name}: ${metric.detail}`);
    else failed.push(`metric ${metric.name}: ${metric.detail}`);
  }
  if (!canary && !probes && metrics.length === 0) unsure.push('nothing was measured in the window');
  if (failed.length > 0) return { verdict: 'fail', reasons: [...failed, ...unsure] };
  if (unsure.length > 0) return { verdict: 'inconclusive', reasons: unsure };
  return { verdict: 'pass', reasons: [] };
}
