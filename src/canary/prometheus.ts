/**
 * Prometheus gates: each query of `strategy.canary.prometheus` is sent to the HTTP API as an instant query
 * (`GET <url>/api/v1/query?query=…`, prometheus.io/docs/prometheus/latest/querying/api/) with `{{version}}` and
 * `{{window}}` filled in, and its single value is held against the query's min and max. A query that cannot give one
 * value (Prometheus unreachable, an error status, no series, several series, NaN) has no value: ok false, and the
 * step is inconclusive, never passed.
 */
import type { CanaryConfig } from '../config/schema-progressive.js';
import { type HttpClient, httpClient } from '../http/client.js';
import { throwIfCancelled } from '../smoke/run.js';
import type { MetricResult } from './types.js';

export type PrometheusConfig = NonNullable<CanaryConfig['prometheus']>;
export type PrometheusQuery = PrometheusConfig['queries'][number];

/** A query without a complete answer after this long has no value. */
export const PROMETHEUS_TIMEOUT_MS = 10_000;
/** Answers beyond this are cut (and so refused): a single value is a few hundred bytes. */
const MAX_ANSWER_BYTES = 256 * 1024;

export type QueryResult = { ok: true; value: number } | { ok: false; error: string };

export interface QueryOptions {
  /** Prometheus's base URL, e.g. http://127.0.0.1:9090 or https://host/prometheus. */
  url: string;
  /** PromQL, already filled in. */
  query: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Default: a client of the runner's own, closed afterwards. */
  client?: HttpClient;
}

/** `<url>/api/v1/query?query=…`, keeping a path prefix of `url`. */
export function queryUrl(url: string, query: string): string {
  const base = url.endsWith('/') ? url : `${url}/`;
  const u = new URL('api/v1/query', base);
  u.searchParams.set('query', query);
  return u.toString();
}

/** Prometheus's sample value (a string: `0.05`, `NaN`, `+Inf`, `-Inf`) as a number. */
function sampleValue(v: unknown): number {
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  return typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
}

/** `{version="v2", job="app"}`: a series' labels, for a message. */
const labelsOf = (metric: unknown): string =>
  `{${Object.entries((metric ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;

interface ApiAnswer {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/** The single value of a successful answer's data, or why there is none. */
function singleValue(data: ApiAnswer['data']): QueryResult {
  const type = data?.resultType;
  const result = data?.result;
  let raw: unknown;
  if (type === 'scalar' && Array.isArray(result)) raw = result[1];
  else if (type === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return { ok: false, error: 'the query returned no series (nothing matched)' };
    if (result.length > 1) {
      const shown = result.slice(0, 3).map((s: { metric?: unknown }) => labelsOf(s.metric));
      return {
        ok: false,
        error: `the query returned ${result.length} series (${shown.join(', ')}${result.length > 3 ? ', …' : ''}), expected one: aggregate it (sum, max, …)`,
      };
    }
    raw = (result[0] as { value?: unknown[] }).value?.[1];
  } else {
    return {
      ok: false,
      error: `the query returned a ${String(type)}, expected one value (an instant vector or scalar)`,
    };
  }
  const value = sampleValue(raw);
  if (Number.isNaN(value)) return { ok: false, error: 'the query returned NaN (no data in the window, e.g. 0/0)' };
  return { ok: true, value };
}

/** One instant query. Never rejects: a failure is a result saying why. */
export async function queryPrometheus(o: QueryOptions): Promise<QueryResult> {
  const client = o.client ?? httpClient();
  try {
    const r = await client.request(queryUrl(o.url, o.query), {
      headers: { accept: 'application/json' },
      timeoutMs: o.timeoutMs,
      maxBodyBytes: MAX_ANSWER_BYTES,
      signal: o.signal,
    });
    if (!r.ok) return { ok: false, error: `Prometheus at ${o.url} did not answer: ${r.error}` };
    if (r.truncated) return { ok: false, error: `the answer is larger than ${MAX_ANSWER_BYTES} bytes (many series?)` };
    let doc: ApiAnswer;
    try {
      doc = JSON.parse(r.body) as ApiAnswer;
    } catch {
      const body = r.body.replace(/\s+/g, ' ').trim().slice(0, 120);
      return { ok: false, error: `HTTP ${r.status} from ${o.url} is not a Prometheus API answer: ${body}` };
    }
    if (doc?.status !== 'success' || r.status < 200 || r.status > 299) {
      const why = [doc?.errorType, doc?.error].filter((x) => typeof x === 'string').join(': ') || 'no reason given';
      return { ok: false, error: `Prometheus refused the query (HTTP ${r.status}, ${why})` };
    }
    return singleValue(doc.data);
  } finally {
    if (!o.client) await client.close();
  }
}

/** The query with `{{version}}` (the canary's version, as given) and `{{window}}` (`60s`) filled in. */
export function fillQuery(query: string, o: { version: string; windowSeconds: number }): string {
  const window = `${Math.max(1, Math.round(o.windowSeconds))}s`;
  return query.replaceAll('{{version}}', o.version).replaceAll('{{window}}', window);
}

const shown = (v: number): string => String(+v.toPrecision(6));

/** The value against the query's bounds: ok, and a detail like `0.05 (max 0.1)` or `0.2 > max 0.1`. */
export function withinBounds(q: Pick<PrometheusQuery, 'min' | 'max'>, value: number): { ok: boolean; detail: string } {
  if (q.max !== undefined && value > q.max) return { ok: false, detail: `${shown(value)} > max ${q.max}` };
  if (q.min !== undefined && value < q.min) return { ok: false, detail: `${shown(value)} < min ${q.min}` };
  const bounds = [q.min !== undefined ? `min ${q.min}` : '', q.max !== undefined ? `max ${q.max}` : '']
    .filter(Boolean)
    .join(', ');
  return { ok: true, detail: `${shown(value)} (${bounds})` };
}

export interface MetricsOptions {
  /** The canary's version, for `{{version}}`. */
  version: string;
  /** The step's window, for `{{window}}`. */
  windowSeconds: number;
  /** Per query; default PROMETHEUS_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default: one client of the runner's own for all queries, closed afterwards. */
  client?: HttpClient;
}

/** Every query at once, one result each in order. A cancel throws CancelledError instead of results. */
export async function evaluateMetrics(p: PrometheusConfig, o: MetricsOptions): Promise<MetricResult[]> {
  const client = o.client ?? httpClient();
  try {
    const results = await Promise.all(
      p.queries.map(async (q): Promise<MetricResult> => {
        const r = await queryPrometheus({
          url: p.url,
          query: fillQuery(q.query, o),
          timeoutMs: o.timeoutMs ?? PROMETHEUS_TIMEOUT_MS,
          signal: o.signal,
          client,
        });
        if (!r.ok) return { name: q.name, ok: false, detail: r.error };
        return { name: q.name, value: r.value, ...withinBounds(q, r.value) };
      }),
    );
    throwIfCancelled(o.signal, 'the Prometheus queries');
    return results;
  } finally {
    if (!o.client) await client.close();
  }
}
