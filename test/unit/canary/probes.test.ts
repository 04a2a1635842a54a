/**
 * Canary probes against a real HTTP server on 127.0.0.1 (a free port), through the toolkit's HTTP client: one probe
 * every `every` ms until the window's end (a manual clock, so the count is exact), judged by the health
 * expectation's rules; a probe that times out is an error at its timeout; a cancel ends them as cancelled.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbes } from '../../../src/canary/probes.js';
import { CancelledError } from '../../../src/core/errors.js';
import { httpClient } from '../../../src/http/client.js';
import { manualClock } from '../helpers/clock.js';

describe('canary probes through a real server', () => {
  let count = 0;
  const seen: Array<string | undefined> = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push(req.headers['x-canary-probe'] as string | undefined);
    const n = count++;
    if (path === '/ok') return void res.end('{"status":"ok"}');
    if (path === '/flaky') return void res.writeHead(n % 4 === 3 ? 503 : 200).end('{"status":"ok"}');
    if (path === '/degraded') return void res.end('{"status":"degraded"}');
    if (path === '/hangs' && n % 2 === 1) return; // never answers
    res.end('{"status":"ok"}');
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const window = (ms: number) => {
    const clock = manualClock();
    return { clock, until: clock.now().getTime() + ms };
  };

  it('one probe per `every` until the window ends, all passing, with the given headers', async () => {
    count = 0;
    seen.length = 0;
    const r = await runProbes({
      url: `${base}/ok`,
      every: 100,
      expect: { status: 200, json: { status: 'ok' } },
      headers: { 'X-Canary-Probe': '1' },
      ...window(1000),
    });
    expect(r).toMatchObject({ sample: { requests: 10, errors: 0, errorRate: 0 }, failures: [] });
    expect(r.sample.p95Ms).toBeTypeOf('number');
    expect(count).toBe(10);
    expect(new Set(seen)).toEqual(new Set(['1']));
  });

  it('a 503 in four: errors counted, the failure named with its count (default expectation: 200)', async () => {
    count = 0;
    const r = await runProbes({ url: `${base}/flaky`, every: 100, ...window(800) });
    expect(r.sample).toMatchObject({ requests: 8, errors: 2, errorRate: 0.25 });
    expect(r.failures).toEqual(['status 503, expected 200 (×2)']);
  });

  it('a JSON expectation unmet: every probe fails, saying which field', async () => {
    const r = await runProbes({
      url: `${base}/degraded`,
      every: 100,
      expect: { json: { status: 'ok' } },
      ...window(300),
    });
    expect(r.sample).toMatchObject({ requests: 3, errors: 3 });
    expect(r.failures).toEqual(['status is "degraded", expected "ok" (×3)']);
  });

  it('a probe that times out is an error counted at its timeout', async () => {
    count = 0;
    const r = await runProbes({ url: `${base}/hangs`, every: 100, timeoutMs: 1000, ...window(400) });
    expect(r.sample).toMatchObject({ requests: 4, errors: 2, errorRate: 0.5, p95Ms: 1000, p99Ms: 1000 });
    expect(r.failures).toEqual(['no complete answer within 1000 ms (×2)']);
  });

  it('nothing listening: every probe fails with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await runProbes({ url: `http://127.0.0.1:${port}/`, every: 100, ...window(200) });
    expect(r.sample).toMatchObject({ requests: 2, errors: 2 });
    expect(r.failures[0]).toContain('connection refused');
  });

  it('a window already over: no probe, an empty sample', async () => {
    const r = await runProbes({ url: `${base}/ok`, every: 100, ...window(0) });
    expect(r).toEqual({ sample: { requests: 0, errors: 0, errorRate: 0 }, failures: [] });
  });

  it('a client given is used and left open', async () => {
    const client = httpClient();
    try {
      const r = await runProbes({ url: `${base}/ok`, every: 100, client, ...window(200) });
      expect(r.sample.requests).toBe(2);
      expect((await client.request(`${base}/ok`, { timeoutMs: 2000 })).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('a cancel ends the probes as cancelled, the ones in flight aborted', async () => {
    const controller = new AbortController();
    const clock = manualClock();
    const slept = { n: 0 };
    const pacing = {
      now: clock.now,
      sleep: async (ms: number) => {
        if (++slept.n === 3) controller.abort(new CancelledError('SIGINT'));
        await clock.sleep(ms);
      },
    };
    const run = runProbes({
      url: `${base}/hangs`,
      every: 100,
      timeoutMs: 60_000,
      clock: pacing,
      signal: controller.signal,
      until: clock.now().getTime() + 10_000,
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(run).rejects.toThrow('the canary probes (after 3 probes) was cancelled (SIGINT)');
  });
});
