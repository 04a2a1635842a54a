/**
 * Probes through the proxy during a step's window: one request every `every` ms (sent on schedule, not after the
 * previous answer, so a slow version does not get fewer probes), each judged by the health expectation's rules
 * (http/expect.ts: status, default 200, and JSON fields). A probe without an answer fails; one that timed out counts
 * at its timeout. The run's signal stops the probes at once: the ones in flight are aborted and CancelledError is
 * thrown, never a sample.
 */
import type { Clock } from '../core/clock.js';
import { type HttpClient, httpClient } from '../http/client.js';
import { type Expectation, unmet } from '../http/expect.js';
import { cancelled, throwIfCancelled } from '../smoke/run.js';
import { type RequestOutcome, sampleOfRequests } from './analysis.js';
import type { VersionSample } from './types.js';

/** A probe without a complete answer after this long fails (and counts at this latency). */
export const PROBE_TIMEOUT_MS = 5000;
/** Body bytes a probe reads at most (enough for a health document). */
const PROBE_MAX_BODY_BYTES = 64 * 1024;
/** Distinct failures listed at most. */
const MAX_FAILURES = 5;

export interface ProbeOptions {
  /** Absolute URL through the proxy (the environment's url + probes.path). */
  url: string;
  /** Milliseconds between two probes' sends. */
  every: number;
  expect?: Expectation;
  headers?: Record<string, string>;
  /** Per probe (ms); default PROBE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Default: a client of the runner's own, closed afterwards. */
  client?: HttpClient;
  /** Paces the sends and says when the window ends. */
  clock: Clock;
  signal?: AbortSignal;
  /** The window's end, epoch ms on `clock`: no probe is sent at or after it (the last ones in flight are awaited). */
  until: number;
}

export interface ProbeRun {
  sample: VersionSample;
  /** The distinct failures, most frequent first: `status 503, expected 200 (×4)`. */
  failures: string[];
}

interface ProbeOutcome extends RequestOutcome {
  problem?: string;
}

async function probeOnce(o: ProbeOptions, client: HttpClient, timeoutMs: number): Promise<ProbeOutcome> {
  const r = await client.request(o.url, {
    headers: o.headers,
    timeoutMs,
    maxBodyBytes: PROBE_MAX_BODY_BYTES,
    signal: o.signal,
  });
  if (!r.ok) {
    const timedOut = r.error.startsWith('no complete answer within') || r.latencyMs >= timeoutMs;
    return { failed: true, latencyMs: timedOut ? timeoutMs : r.latencyMs, problem: r.error };
  }
  const problems = unmet(o.expect, r.status, r.body);
  if (problems.length === 0) return { failed: false, latencyMs: r.latencyMs };
  return { failed: true, latencyMs: r.latencyMs, problem: problems.join('; ') };
}

function failuresOf(outcomes: readonly ProbeOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const o of outcomes) if (o.problem !== undefined) counts.set(o.problem, (counts.get(o.problem) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_FAILURES)
    .map(([why, n]) => `${why} (×${n})`);
}

/** Probe `url` every `every` ms until `until`; the sample is over every probe sent. */
export async function runProbes(o: ProbeOptions): Promise<ProbeRun> {
  const client = o.client ?? httpClient();
  const timeoutMs = o.timeoutMs ?? PROBE_TIMEOUT_MS;
  const pending: Promise<ProbeOutcome>[] = [];
  const what = 'the canary probes';
  try {
    const start = o.clock.now().getTime();
    try {
      for (let i = 0; ; i++) {
        throwIfCancelled(o.signal, what);
        const at = start + i * o.every;
        if (at >= o.until) break;
        const wait = at - o.clock.now().getTime();
        if (wait > 0) await o.clock.sleep(wait, o.signal);
        throwIfCancelled(o.signal, what);
        pending.push(probeOnce(o, client, timeoutMs));
      }
    } catch (err) {
      // The probes in flight share the signal: they end at once; wait for them so nothing keeps running.
      await Promise.allSettled(pending);
      if (o.signal?.aborted) throw cancelled(o.signal, `${what} (after ${pending.length} probes)`);
      throw err;
    }
    const outcomes = await Promise.all(pending);
    throwIfCancelled(o.signal, what);
    return { sample: sampleOfRequests(outcomes), failures: failuresOf(outcomes) };
  } finally {
    if (!o.client) await client.close();
  }
}
