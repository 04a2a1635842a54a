/**
 * The shapes a canary analysis passes around: what one version served over a step's window, a step's verdict and
 * why, and the record of each step the journal and the job summary keep. Latencies are milliseconds.
 */

/** What one version (or the probes) served over a window. Failed and timed-out requests count in the latencies. */
export interface VersionSample {
  /** Requests (upstream attempts, for the access log) in the window. */
  requests: number;
  /** Of those, the failed ones: 5xx, no answer, timed out. */
  errors: number;
  /** errors / requests; 0 when there were no requests. */
  errorRate: number;
  /** 95th/99th percentile latency (nearest rank), undefined without requests. */
  p95Ms?: number;
  p99Ms?: number;
}

/** A step's verdict: `inconclusive` (too few samples, a measurement that failed) never promotes. */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** One Prometheus query's result in a window. */
export interface MetricResult {
  name: string;
  /** Undefined when the query failed or returned no single value (then ok is false and the step is inconclusive). */
  value?: number;
  ok: boolean;
  detail: string;
}

/** What the gates judged at the end of a step's window. */
export interface StepJudgement {
  verdict: Verdict;
  /** One sentence per gate that failed or could not judge (empty on pass). */
  reasons: string[];
}

/** One canary step as the journal and the summary keep it. */
export interface CanaryStepRecord {
  /** Index in strategy.canary.steps. */
  step: number;
  /** Percentage of traffic the canary had. */
  weight: number;
  startedAt: string;
  endedAt?: string;
  canary?: VersionSample;
  stable?: VersionSample;
  probes?: VersionSample;
  metrics?: MetricResult[];
  /** `paused`: the step holds until `runbook promote` / `runbook abort`. */
  verdict?: Verdict | 'paused';
  reasons: string[];
}

/** One moment of a blue-green switch, for the summary's timeline. */
export interface SwitchEvent {
  at: string;
  what: string;
}
