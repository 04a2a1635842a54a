/**
 * Prometheus gates without a Prometheus: the query URL and its placeholders, the bounds, and how every kind of
 * answer of the HTTP API (served by a local HTTP server on 127.0.0.1, exactly as the API documents them) becomes one
 * value or a reason there is none. The real Prometheus is in test/integration/prometheus-gate.test.ts.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateMetrics, fillQuery, queryPrometheus, queryUrl, withinBounds } from '../../../src/canary/prometheus.js';
import { CancelledError } from '../../../src/core/errors.js';

describe('queries and bounds', () => {
  it('the query URL keeps a path prefix and encodes the query', () => {
    expect(queryUrl('http://127.0.0.1:9090', 'up{job="a"}')).toBe(
      'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22a%22%7D',
    );
    expect(queryUrl('https://mon.example/prometheus/', 'up')).toBe(
      'https://mon.example/prometheus/api/v1/query?query=up',
    );
  });

  it('{{version}} and {{window}} are filled in, every time they appear', () => {
    expect(
      fillQuery('sum(rate(e{v="{{version}}"}[{{window}}])) / sum(rate(r{v="{{version}}"}[{{window}}]))', {
        version: 'v2',
        windowSeconds: 300,
      }),
    ).toBe('sum(rate(e{v="v2"}[300s])) / sum(rate(r{v="v2"}[300s]))');
    expect(fillQuery('x[{{window}}]', { version: 'v', windowSeconds: 0.2 })).toBe('x[1s]');
  });

  it.each([
    [{ max: 0.1 }, 0.05, true, '0.05 (max 0.1)'],
    [{ max: 0.1 }, 0.1, true, '0.1 (max 0.1)'],
    [{ max: 0.1 }, 0.25, false, '0.25 > max 0.1'],
    [{ min: 0.9 }, 0.5, false, '0.5 < min 0.9'],
    [{ min: 1, max: 5 }, 3, true, '3 (min 1, max 5)'],
    [{ max: 1 }, Number.POSITIVE_INFINITY, false, 'Infinity > max 1'],
    [{ max: 1 }, 1 / 3, true, '0.333333 (max 1)'],
  ])('%j with %d: ok %s', (bounds, value, ok, detail) => {
    expect(withinBounds(bounds, value)).toEqual({ ok, detail });
  });
});

describe('answers of the HTTP API (a local server)', () => {
  const answers: Record<string, [number, string]> = {
    one: [200, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.5,"0.05"]}]}}'],
    scalar: [200, '{"status":"success","data":{"resultType":"scalar","result":[1.5,"7"]}}'],
    none: [200, '{"status":"success","data":{"resultType":"vector","result":[]}}'],
    many: [
      200,
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [1, 2, 3, 4].map((i) => ({ metric: { version: `v${i}` }, value: [1, String(i)] })),
        },
      }),
    ],
    nan: [200, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}'],
    inf: [200, '{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}'],
    matrix: [200, '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}'],
    bad: [400, '{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}'],
    html: [502, '<html><body>Bad Gateway</body></html>'],
  };
  let queries: string[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams.get('query') ?? '';
    queries.push(`${u.pathname} ${q}`);
    if (q === 'slow') return; // never answers
    const [status, body] = answers[q] ?? [404, 'no'];
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const ask = (query: string) => queryPrometheus({ url, query, timeoutMs: 2000 });

  it('one series: its value; a scalar: its value; +Inf: infinity', async () => {
    expect(await ask('one')).toEqual({ ok: true, value: 0.05 });
    expect(await ask('scalar')).toEqual({ ok: true, value: 7 });
    expect(await ask('inf')).toEqual({ ok: true, value: Number.POSITIVE_INFINITY });
    expect(queries).toContain('/api/v1/query one');
  });

  it.each([
    ['none', 'the query returned no series (nothing matched)'],
    [
      'many',
      'the query returned 4 series ({version="v1"}, {version="v2"}, {version="v3"}, …), expected one: aggregate it (sum, max, …)',
    ],
    ['nan', 'the query returned NaN (no data in the window, e.g. 0/0)'],
    ['matrix', 'the query returned a matrix, expected one value (an instant vector or scalar)'],
    ['bad', 'Prometheus refused the query (HTTP 400, bad_data: 1:5: parse error: unexpected end of input)'],
  ])('%s: no value, saying why', async (query, error) => {
    expect(await ask(query)).toEqual({ ok: false, error });
  });

  it('not the API (a proxy’s error page): no value, quoting it', async () => {
    const r = await ask('html');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('HTTP 502 from');
    expect(!r.ok && r.error).toContain('is not a Prometheus API answer: <html><body>Bad Gateway</body></html>');
  });

  it('no answer in time: no value', async () => {
    const r = await queryPrometheus({ url, query: 'slow', timeoutMs: 200 });
    expect(r).toEqual({ ok: false, error: `Prometheus at ${url} did not answer: no complete answer within 200 ms` });
  });

  it('evaluateMetrics: every query filled in, in order; out of bounds and no value both ok false', async () => {
    queries = [];
    const results = await evaluateMetrics(
      {
        url,
        queries: [
          { name: 'ratio', query: 'one', max: 0.1 },
          { name: 'count', query: 'scalar', max: 5 },
          { name: 'gone', query: 'none', min: 1 },
          { name: 'filled', query: '{{version}}-{{window}}', max: 1 },
        ],
      },
      { version: 'v2', windowSeconds: 60 },
    );
    expect(results).toEqual([
      { name: 'ratio', value: 0.05, ok: true, detail: '0.05 (max 0.1)' },
      { name: 'count', value: 7, ok: false, detail: '7 > max 5' },
      { name: 'gone', ok: false, detail: 'the query returned no series (nothing matched)' },
      { name: 'filled', ok: false, detail: `HTTP 404 from ${url} is not a Prometheus API answer: no` },
    ]);
    expect(queries).toContain('/api/v1/query v2-60s');
  });

  it('a cancel throws CancelledError, not results', async () => {
    const controller = new AbortController();
    const run = evaluateMetrics(
      { url, queries: [{ name: 'slow', query: 'slow', max: 1 }] },
      { version: 'v2', windowSeconds: 60, signal: controller.signal },
    );
    controller.abort(new CancelledError('SIGTERM'));
    await expect(run).rejects.toThrow('the Prometheus queries was cancelled (SIGTERM)');
  });
});
