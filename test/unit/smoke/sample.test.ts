/**
 * The smoke sample tells the truth (issue 12, item 5) and stops on a cancel (item 3): percentiles over ALL requests
 * (a timed-out one counts at least at its timeout), any failure fails unless error-rate allows it, and the run's
 * AbortSignal ends the sample, the checks' wait and the step at once, as cancelled. Against a local HTTP server on
 * 127.0.0.1 (a free port), never the sandbox.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmokeCheck, SmokeConfig, SmokeSample } from '../../../src/config/schema.js';
import { sampleSchema, smokeCheckSchema, smokeSchema } from '../../../src/config/schema-smoke.js';
import { systemClock, systemElapsedMs } from '../../../src/core/clock.js';
import { CancelledError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { runAction } from '../../../src/core/run-action.js';
import { httpClient } from '../../../src/http/client.js';
import { runChecks, type SmokeContext } from '../../../src/smoke/run.js';
import { judgeSample, runSample, type SampleRequest, sampleLine, sampleStats } from '../../../src/smoke/sample.js';
import { runSmokeSuite } from '../../../src/smoke/suite.js';
import { memoryRunner } from '../helpers/runner.js';

const sample = (s: Record<string, unknown>): SmokeSample => sampleSchema.parse(s);
const check: SmokeCheck = smokeCheckSchema.parse({ name: 'c', url: '/x' });

const ok = (ms: number): SampleRequest => ({ passed: true, latencyMs: ms, problems: [] });
const bad = (ms: number, why = 'status 503, expected 2xx'): SampleRequest => ({
  passed: false,
  latencyMs: ms,
  problems: [why],
});
const hung = (ms: number): SampleRequest => ({
  passed: false,
  latencyMs: ms,
  timedOut: true,
  problems: ['no complete answer within 10000 ms'],
});
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('sample statistics over all requests', () => {
  it('a fifth timing out after 10 s: p95 is the timeout, not 145 ms, and the sample fails', () => {
    const outcomes = [...times(80, () => ok(145)), ...times(20, () => hung(9_990))];
    const v = judgeSample(outcomes, sample({ requests: 100, rate: '20/s', p95: '500ms' }), 10_000);
    expect(v).toMatchObject({ requests: 100, failed: 20, timedOut: 20, p50: 145, p95: 10_000, p99: 10_000 });
    expect(v.passed).toBe(false);
    expect(v.problems).toEqual([
      '20 of 100 requests failed (20%, 20 timed out after 10000 ms; none allowed: set error-rate to allow some); most often: no complete answer within 10000 ms (×20)',
      'p95 10000 ms > 500 ms (over all 100 requests, failed ones included)',
    ]);
    expect(sampleLine(v)).toBe(
      'sample: 100 requests, 20 failed (20 timed out); over all 100: p50 145 ms, p95 10000 ms, p99 10000 ms',
    );
  });

  it.each([
    ['25% 503s, no error-rate: fails (default 0)', {}, false],
    ['25% 503s, error-rate 0.1: fails', { 'error-rate': 0.1 }, false],
    ['25% 503s, error-rate 0.25: passes', { 'error-rate': 0.25 }, true],
  ])('%s', (_what, extra, passed) => {
    const outcomes = times(100, (i) => (i % 4 === 0 ? bad(3) : ok(20)));
    const v = judgeSample(outcomes, sample({ requests: 100, rate: '20/s', ...extra }), 10_000);
    expect(v).toMatchObject({ failed: 25, errorRate: 0.25, passed });
    // The fast 503s count in the percentiles too.
    expect(v.p50).toBe(20);
  });

  it('a failed request counts at its own latency; a timed-out one at least at the timeout', () => {
    expect(sampleStats([ok(10), bad(700), hung(50)], 2000)).toMatchObject({ p50: 700, p99: 2000, timedOut: 1 });
  });

  it('min-samples counts good answers only', () => {
    const v = judgeSample(
      [ok(1), bad(1)],
      sample({ requests: 2, rate: '1/s', 'error-rate': 1, 'min-samples': 2 }),
      1000,
    );
    expect(v.problems).toEqual(['1 good samples < min-samples 2']);
  });
});

/** A local server: `/x` answers 503 on every 4th request, hangs past the client's timeout on every 5th. */
let server: Server | undefined;
async function serve(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let n = 0;
  const open = new Set<IncomingMessage>();
  server = createServer((req, res) => {
    open.add(req);
    res.on('close', () => open.delete(req));
    handler(n++, req, res);
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, received: () => n, open: () => open.size };
}
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

function smokeCtx(base: string, signal: AbortSignal, timeoutMs: number): SmokeContext {
  const client = httpClient();
  return {
    base,
    headersFor: () => ({}),
    request: { timeoutMs, maxBodyBytes: 4096, signal },
    clientFor: () => client,
    clock: systemClock,
    elapsedMs: systemElapsedMs,
    log: silentLogger,
  };
}

describe('the sample against a real HTTP server', () => {
  it('slow and 503 answers count: p95 over all, and the sample fails without error-rate', async () => {
    const { base } = await serve((n, _req, res) => {
      if (n % 5 === 4) return void setTimeout(() => res.end('late'), 2000);
      res.writeHead(n % 4 === 3 ? 503 : 200).end('ok');
    });
    const v = await runSample(
      smokeCtx(base, new AbortController().signal, 300),
      check,
      sample({ requests: 20, rate: '200/s' }),
    );
    expect(v.requests).toBe(20);
    expect(v.timedOut).toBe(4);
    expect(v.failed).toBeGreaterThanOrEqual(4 + 3);
    expect(v.p95).toBeGreaterThanOrEqual(300);
    expect(v.p50).toBeLessThan(300);
    expect(v.passed).toBe(false);
    expect(v.problems[0]).toMatch(/^\d+ of 20 requests failed \(\d+%, 4 timed out after 300 ms; none allowed/);
  });

  it('a cancel stops the sample at once: no more requests, those in flight aborted, CancelledError', async () => {
    const srv = await serve(() => {}); // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError('cancelled by SIGINT')), 150);
    const run = runSample(
      smokeCtx(srv.base, controller.signal, 10_000),
      check,
      sample({ requests: 600, rate: '20/s' }),
    );
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    const m = /^the smoke sample \(after (\d) of 600 requests\) was cancelled \(cancelled by SIGINT\)$/.exec(
      (err as Error).message,
    );
    expect(m).not.toBeNull();
    // The requests the sample had started when it stopped: the server never sees more (one sent just before the
    // cancel may still be on its way, so the count is read after a pause, and bounded, not compared at an instant).
    const begun = Number(m?.[1]);
    expect(begun).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(srv.received()).toBeLessThanOrEqual(begun);
    expect(srv.open()).toBe(0);
  });

  it("a cancel ends the checks' wait (retries) at once", async () => {
    const { base } = await serve((_n, _req, res) => void res.writeHead(503).end());
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError('cancelled by SIGTERM')), 100);
    const smoke: SmokeConfig = smokeSchema.parse({ checks: [{ name: 'c', url: '/x' }] });
    await expect(runChecks(smokeCtx(base, controller.signal, 1000), smoke, 60_000)).rejects.toThrow(
      'the run of the smoke checks was cancelled (cancelled by SIGTERM)',
    );
  });

  it('SIGINT during the sample fails the step as cancelled, never passed', async () => {
    const { base } = await serve((_n, _req, res) => void res.end('ok'));
    const signals = new EventEmitter();
    const { runner, record } = memoryRunner();
    const smoke: SmokeConfig = smokeSchema.parse({
      checks: [{ name: 'c', url: '/x' }],
      sample: { requests: 600, rate: '20/s' },
    });
    let verdict: unknown;
    const sawRequests = new Promise<void>((resolve) => server?.on('request', () => resolve()));
    const result = runAction(
      async (ctx) => {
        verdict = await runSmokeSuite(ctx, smoke, { base, waitMs: 0 });
      },
      undefined,
      { runner, signals },
    );
    await sawRequests;
    await new Promise((r) => setTimeout(r, 100));
    signals.emit('SIGINT');
    expect(await result).toBe(false);
    expect(verdict).toBeUndefined();
    expect(record.failed).toEqual([
      expect.stringMatching(/^the smoke sample \(after \d+ of 600 requests\) was cancelled \(cancelled by SIGINT\)$/),
    ]);
  });
});
