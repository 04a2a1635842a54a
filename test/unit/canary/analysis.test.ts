/**
 * Canary analysis, pure: what each version served (every attempt counts, failed ones at their own latency,
 * nearest-rank percentiles) and the gates' verdict (too few samples and failed measurements are inconclusive, never
 * a pass; a failure outweighs them; every reason gives the figure and the limit).
 */
import { describe, expect, it } from 'vitest';
import { type AccessEntry, parseAccessLog } from '../../../src/canary/access-log.js';
import { type CanaryGates, judge, sampleOf, sampleOfRequests } from '../../../src/canary/analysis.js';
import type { MetricResult, VersionSample } from '../../../src/canary/types.js';

const CANARY = new Set(['10.0.0.6:8080']);
const STABLE = new Set(['10.0.0.5:8080']);

const entry = (atMs: number, ...attempts: Array<[string, number | undefined, number]>): AccessEntry => ({
  atMs,
  status: 200,
  seconds: 0,
  attempts: attempts.map(([address, status, seconds]) => ({
    address,
    status,
    seconds,
    error: status === undefined || status >= 500,
  })),
});
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('sampleOf: one version over the access log', () => {
  it('no requests: zeros and no percentiles', () => {
    expect(sampleOf([], CANARY)).toEqual({ requests: 0, errors: 0, errorRate: 0 });
    expect(sampleOf([entry(1, ['10.0.0.5:8080', 200, 0.1])], CANARY)).toEqual({ requests: 0, errors: 0, errorRate: 0 });
  });

  it('one request: p95 and p99 are its latency', () => {
    expect(sampleOf([entry(1, ['10.0.0.6:8080', 200, 0.042])], CANARY)).toEqual({
      requests: 1,
      errors: 0,
      errorRate: 0,
      p95Ms: 42,
      p99Ms: 42,
    });
  });

  it('all failed: error rate 1, the failures’ own latencies (a 30 s timeout stays 30 s)', () => {
    const entries = [entry(1, ['10.0.0.6:8080', undefined, 30]), entry(2, ['10.0.0.6:8080', 502, 0.003])];
    expect(sampleOf(entries, CANARY)).toEqual({ requests: 2, errors: 2, errorRate: 1, p95Ms: 30_000, p99Ms: 30_000 });
  });

  it('nearest rank over 100 requests: p95 is the 95th, p99 the 99th', () => {
    const entries = times(100, (i) => entry(i, ['10.0.0.6:8080', 200, (i + 1) / 1000]));
    expect(sampleOf(entries, CANARY)).toMatchObject({ requests: 100, p95Ms: 95, p99Ms: 99 });
  });

  it('a retry `a, b` counts a failure against a and an answer for b', () => {
    const parsed = parseAccessLog(
      'runbook1 1767268800.000 200 3.050 "10.0.0.6:8080, 10.0.0.5:8080" "504, 200" "3.000, 0.050"\n',
    );
    expect(sampleOf(parsed.entries, CANARY)).toEqual({
      requests: 1,
      errors: 1,
      errorRate: 1,
      p95Ms: 3000,
      p99Ms: 3000,
    });
    expect(sampleOf(parsed.entries, STABLE)).toMatchObject({ requests: 1, errors: 0, p95Ms: 50 });
  });

  it('a window keeps [fromMs, toMs)', () => {
    const entries = [1000, 2000, 2999, 3000].map((at) => entry(at, ['10.0.0.6:8080', 200, 0.01]));
    expect(sampleOf(entries, CANARY, { fromMs: 2000, toMs: 3000 }).requests).toBe(2);
  });

  it('a log rotated in the window: what was read before and after together', () => {
    const before = parseAccessLog('runbook1 1767268800.000 200 0.1 "10.0.0.6:8080" "500" "0.100"\n');
    const after = parseAccessLog('runbook1 1767268801.000 200 0.1 "10.0.0.6:8080" "200" "0.200"\n');
    expect(sampleOf([...before.entries, ...after.entries], CANARY)).toMatchObject({ requests: 2, errors: 1 });
  });
});

describe('sampleOfRequests: probe outcomes', () => {
  it('counts failures and takes every latency', () => {
    expect(
      sampleOfRequests([
        { failed: false, latencyMs: 10 },
        { failed: true, latencyMs: 5000 },
      ]),
    ).toEqual({ requests: 2, errors: 1, errorRate: 0.5, p95Ms: 5000, p99Ms: 5000 });
    expect(sampleOfRequests([])).toEqual({ requests: 0, errors: 0, errorRate: 0 });
  });
});

const gates = (g: Partial<CanaryGates> = {}): CanaryGates => ({ 'min-samples': 50, ...g });
const s = (requests: number, errors: number, p95Ms = 20, p99Ms = 40): VersionSample => ({
  requests,
  errors,
  errorRate: requests === 0 ? 0 : errors / requests,
  ...(requests === 0 ? {} : { p95Ms, p99Ms }),
});
const metric = (m: Partial<MetricResult>): MetricResult => ({ name: 'errors', ok: true, detail: '0 (max 1)', ...m });

describe('judge: the gates on one step', () => {
  it('everything within the gates: pass, no reasons', () => {
    const g = gates({ 'error-rate': 0.01, p95: 500, p99: 1000, 'max-increase': 0.005 });
    expect(judge({ canary: s(200, 1), stable: s(800, 2), probes: s(10, 0), metrics: [metric({})] }, g)).toEqual({
      verdict: 'pass',
      reasons: [],
    });
  });

  it('too few canary requests: inconclusive, saying N of M', () => {
    expect(judge({ canary: s(12, 0) }, gates({ 'error-rate': 0.01 }))).toEqual({
      verdict: 'inconclusive',
      reasons: ['canary: 12 of 50 samples (min-samples) in the window, too few to judge'],
    });
  });

  it('zero canary requests: inconclusive, not a pass', () => {
    expect(judge({ canary: s(0, 0) }, gates()).verdict).toBe('inconclusive');
  });

  it('too few canary requests are not judged on their rate (1 of 3 failing is noise)', () => {
    expect(judge({ canary: s(3, 1) }, gates({ 'error-rate': 0.01 })).verdict).toBe('inconclusive');
  });

  it('error rate over the gate: fail with the figure and the limit', () => {
    expect(judge({ canary: s(250, 13) }, gates({ 'error-rate': 0.01 }))).toEqual({
      verdict: 'fail',
      reasons: ['canary error rate 5.2% (13 of 250 requests failed) > error-rate 1%'],
    });
  });

  it('all failed: fail', () => {
    expect(judge({ canary: s(60, 60) }, gates({ 'error-rate': 0.5 })).verdict).toBe('fail');
  });

  it('an error rate exactly at the gate passes (no float noise)', () => {
    expect(judge({ canary: s(100, 7) }, gates({ 'error-rate': 0.07 })).verdict).toBe('pass');
    expect(judge({ canary: s(100, 7), stable: s(100, 1) }, gates({ 'max-increase': 0.06 })).verdict).toBe('pass');
  });

  it('p95 and p99 over their gates: one reason each', () => {
    expect(judge({ canary: s(100, 0, 812, 2400) }, gates({ p95: 500, p99: 2000 })).reasons).toEqual([
      'canary p95 812 ms > 500 ms (over all 100 requests, failed ones included)',
      'canary p99 2400 ms > 2000 ms (over all 100 requests, failed ones included)',
    ]);
  });

  it('max-increase: canary compared with the stable version', () => {
    expect(judge({ canary: s(100, 3), stable: s(100, 1) }, gates({ 'max-increase': 0.01 }))).toEqual({
      verdict: 'fail',
      reasons: ["canary error rate 3% is 2% above the stable version's 1% (max-increase 1%)"],
    });
  });

  it('stable given without max-increase: not compared', () => {
    expect(judge({ canary: s(100, 3), stable: s(1, 1) }, gates()).verdict).toBe('pass');
  });

  it('stable with too few samples under max-increase: inconclusive', () => {
    expect(judge({ canary: s(100, 0), stable: s(10, 0) }, gates({ 'max-increase': 0.01 }))).toEqual({
      verdict: 'inconclusive',
      reasons: ['stable: 10 of 50 samples (min-samples) in the window, too few to judge'],
    });
  });

  it('probes: no minimum, but none at all is inconclusive', () => {
    expect(judge({ probes: s(3, 0) }, gates({ 'error-rate': 0.01 })).verdict).toBe('pass');
    expect(judge({ probes: s(0, 0) }, gates())).toEqual({
      verdict: 'inconclusive',
      reasons: ['probes: none was sent in the window'],
    });
  });

  it('probes judged on their own error rate and latency', () => {
    expect(judge({ probes: s(10, 1, 900, 900) }, gates({ 'error-rate': 0.05, p95: 500 })).reasons).toEqual([
      'probes error rate 10% (1 of 10 probes failed) > error-rate 5%',
      'probes p95 900 ms > 500 ms (over all 10 probes, failed ones included)',
    ]);
  });

  it('a metric whose query failed: inconclusive; out of bounds: fail', () => {
    const failedQuery = metric({ ok: false, detail: 'Prometheus at http://p:9090 did not answer: refused' });
    expect(judge({ metrics: [failedQuery] }, gates())).toEqual({
      verdict: 'inconclusive',
      reasons: ['metric errors: Prometheus at http://p:9090 did not answer: refused'],
    });
    expect(judge({ metrics: [metric({ ok: false, value: 2, detail: '2 > max 1' })] }, gates())).toEqual({
      verdict: 'fail',
      reasons: ['metric errors: 2 > max 1'],
    });
  });

  it('a failure outweighs an inconclusive part; failures come first', () => {
    const j = judge(
      { canary: s(10, 0), metrics: [metric({ name: 'lag', ok: false, value: 9, detail: '9 > max 1' })] },
      gates(),
    );
    expect(j).toEqual({
      verdict: 'fail',
      reasons: ['metric lag: 9 > max 1', 'canary: 10 of 50 samples (min-samples) in the window, too few to judge'],
    });
  });

  it('nothing measured: inconclusive', () => {
    expect(judge({}, gates())).toEqual({ verdict: 'inconclusive', reasons: ['nothing was measured in the window'] });
  });
});
