/**
 * The smoke-test step's sample, end to end through dist/smoke-test (issue 12, items 5 and 3): failures and timeouts
 * count (p95 over all requests, error-rate 0 by default), and SIGINT during the sample ends the step at once as
 * cancelled, never passed. A local HTTP server on 127.0.0.1 (a free port); no sandbox.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';

describe('smoke-test sample: the statistics tell the truth, a cancel is a cancel', () => {
  let count = 0;
  let received = 0;
  const server: Server = createServer((req, res) => {
    received++;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') return void res.end('ok');
    const n = count++;
    if (url.pathname === '/flaky') return void res.writeHead(n % 4 === 3 ? 503 : 200).end('ok');
    if (url.pathname === '/hangs') {
      if (n % 5 === 4) return; // never answers: the client's 10 s timeout ends it
      return void res.end('ok');
    }
    res.end('ok');
  });
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'smoke-sample-'));
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const config = (name: string, smoke: string) => {
    const path = join(dir, `${name}.yml`);
    writeFileSync(
      path,
      `app: shop\nenvironments:\n  sandbox:\n    url: ${base}\n    targets: [{ name: self, local: true }]\nsmoke:\n${smoke}`,
    );
    return { config: path, environment: 'sandbox' };
  };

  it('25% 503s fail the sample without error-rate, and pass with error-rate: 0.25', async () => {
    count = 0;
    const strict = await runStep('smoke-test', {
      inputs: config('flaky', '  checks: [{ name: c, url: /flaky }]\n  sample: { requests: 20, rate: 100/s }\n'),
    });
    expect(strict.code, strict.stdout).toBe(1);
    expect(strict.outputs.passed).toBe('false');
    expect(strict.stdout).toMatch(/sample: 20 requests, 5 failed; over all 20: p50 \d+ ms, p95 \d+ ms, p99 \d+ ms/);
    // `%` is written `%25` in a workflow command (the runner decodes it).
    expect(strict.stdout).toMatch(
      /::error::smoke test failed: 5 of 20 requests failed \(25%25; none allowed: set error-rate to allow some\); most often: status 503, expected 2xx \(×5\)/,
    );
    count = 0;
    const lax = await runStep('smoke-test', {
      inputs: config(
        'flaky-ok',
        '  checks: [{ name: c, url: /flaky }]\n  sample: { requests: 20, rate: 100/s, error-rate: 0.25 }\n',
      ),
    });
    expect(lax.code, lax.stdout).toBe(0);
    expect(lax.outputs.passed).toBe('true');
  });

  it('a fifth of the requests timing out: p95 is at least the 10 s timeout, and the step fails', async () => {
    count = 0;
    const r = await runStep('smoke-test', {
      inputs: config(
        'hangs',
        '  checks: [{ name: c, url: /hangs }]\n  sample: { requests: 10, rate: 100/s, p95: 1s }\n',
      ),
    });
    expect(r.code, r.stdout).toBe(1);
    const line = /sample: 10 requests, 2 failed \(2 timed out\); over all 10: p50 \d+ ms, p95 (\d+) ms/.exec(r.stdout);
    expect(line, r.stdout).not.toBeNull();
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(10_000);
    expect(r.stdout).toMatch(/p95 \d+ ms > 1000 ms \(over all 10 requests, failed ones included\)/);
  });

  it('SIGINT during the sample: the requests stop at once and the step fails as cancelled', async () => {
    received = 0;
    let sentAtSignal = 0;
    const r = await runStep('smoke-test', {
      inputs: config('cancel', '  checks: [{ name: c, url: /health }]\n  sample: { requests: 600, rate: 20/s }\n'),
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (received < 5) return;
          clearInterval(poll);
          sentAtSignal = received;
          child.kill('SIGINT');
        }, 20);
      },
    });
    expect(r.code, r.stdout).toBe(1);
    expect(r.outputs.passed).not.toBe('true');
    expect(r.stdout).toMatch(
      /::error::the smoke sample \(after \d+ of 600 requests\) was cancelled \(cancelled by SIGINT\)/,
    );
    expect(received - sentAtSignal).toBeLessThanOrEqual(2);
  });
});
