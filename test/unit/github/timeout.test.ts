import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, githubClient } from '../../../src/github/client.js';

describe('a GitHub that accepts connections and never answers', () => {
  let server: Server;
  let url = '';
  let requests = 0;
  beforeAll(async () => {
    server = createServer(() => {
      requests++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('each attempt is bounded by timeoutMs, retried as a network error, then fails saying so', async () => {
    const warnings: string[] = [];
    const gh = githubClient({
      token: 'test-token',
      apiUrl: url,
      timeoutMs: 200,
      retries: 2,
      waitUnitMs: 1,
      log: { warn: (m) => warnings.push(m), debug: () => undefined },
    });
    const err = await gh.rest.repos.get({ owner: 'acme', repo: 'shop' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(apiError(err).message).toMatch(/no answer from GitHub within 0\.2 s/);
    // The first attempt and its two retries, each cut off.
    expect(requests).toBe(3);
  });

  it("the run's own signal still cancels at once (not turned into a timeout)", async () => {
    const controller = new AbortController();
    const gh = githubClient({
      token: 'test-token',
      apiUrl: url,
      timeoutMs: 60_000,
      retries: 0,
      signal: controller.signal,
    });
    const pending = gh.rest.repos.get({ owner: 'acme', repo: 'shop' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    setTimeout(() => controller.abort(), 50);
    const err = (await pending) as Error;
    expect(err.name).toBe('AbortError');
  });
});
