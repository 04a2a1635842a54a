/**
 * A steady HTTP load against 127.0.0.1 for zero-downtime checks: a few keep-alive workers, each request counted as
 * ok (2xx) or failed (anything else, or no answer). Bounded: it stops when told, or at `maxSeconds`.
 */
import { Agent, request } from 'undici';

export interface LoadResult {
  requests: number;
  failed: number;
  /**
   * GETs re-sent once because the server closed an idle keep-alive connection just as the request went out (nginx
   * does this to idle connections when a reload retires old workers). Browsers and HTTP clients retry such an
   * idempotent request on a new connection (RFC 9112 §9.3.1); a second failure counts as failed.
   */
  retried: number;
  /** Answer bodies seen (trimmed), with counts: which versions served. */
  bodies: Record<string, number>;
  /** Answers the `expected` option named (a maintenance page's 503), by its name: counted here, not as failed. */
  expected: Record<string, number>;
  failures: string[];
  seconds: number;
}

export interface Load {
  /** Requests sent so far. */
  sent(): number;
  stop(): Promise<LoadResult>;
}

export function startLoad(
  url: string,
  o: {
    workers?: number;
    ratePerSecond?: number;
    maxSeconds?: number;
    /** Names an intended non-2xx answer (status, headers, trimmed body), or undefined: 2xx is ok, the rest failed. */
    expected?: (
      status: number,
      headers: Record<string, string | string[] | undefined>,
      body: string,
    ) => string | undefined;
  } = {},
): Load {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: o.workers ?? 4 });
  const started = performance.now();
  const deadline = started + (o.maxSeconds ?? 300) * 1000;
  const result: LoadResult = {
    requests: 0,
    failed: 0,
    retried: 0,
    bodies: {},
    expected: {},
    failures: [],
    seconds: 0,
  };
  const gapMs = o.ratePerSecond ? ((o.workers ?? 4) * 1000) / o.ratePerSecond : 0;
  let running = true;
  const worker = async (): Promise<void> => {
    while (running && performance.now() < deadline) {
      const t0 = performance.now();
      result.requests++;
      try {
        const get = () => request(url, { dispatcher: agent, headersTimeout: 5000, bodyTimeout: 5000 });
        const res = await get().catch((err: { code?: string }) => {
          if (err.code !== 'UND_ERR_SOCKET' && err.code !== 'ECONNRESET') throw err;
          result.retried++;
          return get();
        });
        const body = (await res.body.text()).trim();
        const intended = o.expected?.(res.statusCode, res.headers, body);
        if (intended !== undefined) result.expected[intended] = (result.expected[intended] ?? 0) + 1;
        else if (res.statusCode >= 200 && res.statusCode < 300) result.bodies[body] = (result.bodies[body] ?? 0) + 1;
        else {
          result.failed++;
          if (result.failures.length < 20) result.failures.push(`${res.statusCode} ${body.slice(0, 80)}`);
        }
      } catch (err) {
        result.failed++;
        if (result.failures.length < 20) result.failures.push((err as Error).message);
      }
      const wait = gapMs - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  const workers = Array.from({ length: o.workers ?? 4 }, () => worker());
  return {
    sent: () => result.requests,
    async stop() {
      running = false;
      await Promise.all(workers);
      await agent.close();
      result.seconds = (performance.now() - started) / 1000;
      return result;
    },
  };
}
