/**
 * The canary's Prometheus gates against a real Prometheus (Debian's 2.42, started by the test on a free port with
 * its own config and TSDB), scraping a metrics endpoint the test serves on 127.0.0.1: a query within its bounds
 * passes, one out of them fails, and a query without a single value or a Prometheus that does not answer is
 * inconclusive, never a pass.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../src/canary/analysis.js';
import { evaluateMetrics, queryPrometheus } from '../../src/canary/prometheus.js';
import { type OwnPrometheus, startPrometheus } from './helpers/prometheus.js';

const METRICS = [
  '# HELP app_error_ratio Failed requests / all requests, per version.',
  '# TYPE app_error_ratio gauge',
  'app_error_ratio{version="v1"} 0.01',
  'app_error_ratio{version="v2"} 0.05',
  '',
].join('\n');

const GATES = { 'min-samples': 50 };
const RATIO = 'max(max_over_time(app_error_ratio{version="{{version}}"}[{{window}}]))';

describe('Prometheus gates against a real Prometheus', () => {
  const app: Server = createServer((req, res) => {
    if (req.url === '/metrics')
      return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(METRICS);
    res.writeHead(404).end();
  });
  let prometheus: OwnPrometheus | undefined;
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const port = (app.address() as { port: number }).port;
    prometheus = await startPrometheus([`127.0.0.1:${port}`], 'app_error_ratio{version="v2"}');
    url = prometheus.url;
  });
  afterAll(async () => {
    await prometheus?.close();
    app.closeAllConnections();
    await new Promise<void>((r) => app.close(() => r()));
  });

  it('within its bound: the value, ok, and the step passes', async () => {
    const metrics = await evaluateMetrics(
      { url, queries: [{ name: 'error-ratio', query: RATIO, max: 0.1 }] },
      { version: 'v2', windowSeconds: 60 },
    );
    expect(metrics).toEqual([{ name: 'error-ratio', value: 0.05, ok: true, detail: '0.05 (max 0.1)' }]);
    expect(judge({ metrics }, GATES)).toEqual({ verdict: 'pass', reasons: [] });
  });

  it('over its bound: the step fails with the figure and the limit', async () => {
    const metrics = await evaluateMetrics(
      { url, queries: [{ name: 'error-ratio', query: RATIO, max: 0.02 }] },
      { version: 'v2', windowSeconds: 60 },
    );
    expect(metrics).toEqual([{ name: 'error-ratio', value: 0.05, ok: false, detail: '0.05 > max 0.02' }]);
    expect(judge({ metrics }, GATES)).toEqual({ verdict: 'fail', reasons: ['metric error-ratio: 0.05 > max 0.02'] });
  });

  it('no single value (no series, several series, a parse error): inconclusive, saying why', async () => {
    const metrics = await evaluateMetrics(
      {
        url,
        queries: [
          { name: 'unknown-version', query: RATIO, max: 0.1 },
          { name: 'every-version', query: 'app_error_ratio', max: 0.1 },
          { name: 'broken', query: 'sum(app_error_ratio', max: 0.1 },
        ],
      },
      { version: 'v9', windowSeconds: 60 },
    );
    expect(metrics.map((m) => [m.name, m.ok, m.value])).toEqual([
      ['unknown-version', false, undefined],
      ['every-version', false, undefined],
      ['broken', false, undefined],
    ]);
    expect(metrics[0]?.detail).toBe('the query returned no series (nothing matched)');
    expect(metrics[1]?.detail).toMatch(/^the query returned 2 series \(.*version="v1".*\), expected one/);
    expect(metrics[2]?.detail).toMatch(/^Prometheus refused the query \(HTTP 400, bad_data: .*parse error/);
    expect(judge({ metrics }, GATES).verdict).toBe('inconclusive');
  });

  it('Prometheus unreachable: no value, inconclusive (a failed measurement never passes)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const gone = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const metrics = await evaluateMetrics(
      { url: gone, queries: [{ name: 'error-ratio', query: RATIO, max: 0.1 }] },
      { version: 'v2', windowSeconds: 60 },
    );
    expect(metrics).toEqual([
      {
        name: 'error-ratio',
        ok: false,
        detail: expect.stringMatching(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ did not answer: connection refused/),
      },
    ]);
    expect(judge({ metrics }, GATES).verdict).toBe('inconclusive');
  });

  it('a scalar query: its value', async () => {
    expect(await queryPrometheus({ url, query: 'scalar(app_error_ratio{version="v1"}) * 2', timeoutMs: 5000 })).toEqual(
      {
        ok: true,
        value: 0.02,
      },
    );
  });
});
