import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';

/** A real HTTP server on 127.0.0.1 with the failure modes a health endpoint has in the wild. */
function appServer(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/health':
        return json(200, { status: 'ok', dependencies: { db: { status: 'healthy' }, cache: { status: 'healthy' } } });
      case '/degraded':
        return json(200, {
          status: 'degraded',
          dependencies: { db: { status: 'healthy' }, cache: { status: 'down' } },
        });
      case '/redirect':
        res.writeHead(302, { location: '/login' });
        return res.end();
      case '/login':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<form>login</form>');
      case '/endless': {
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'.repeat(4096)), 5);
        req.on('close', () => clearInterval(timer));
        return;
      }
      case '/slow':
        return setTimeout(() => json(200, { status: 'ok' }), Number(url.searchParams.get('ms') ?? 0));
      case '/auth':
        return req.headers.authorization === 'Bearer tok-5ecret-value' ? json(200, { status: 'ok' }) : json(401, {});
      default:
        return json(404, {});
    }
  });
}

describe('smoke-test against a real HTTP server', () => {
  const server = appServer();
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'smoke-'));
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const run = (name: string, smoke: string, env: Record<string, string> = {}) => {
    const config = join(dir, `${name}.yml`);
    writeFileSync(
      config,
      `app: shop\nenvironments:\n  sandbox:\n    url: ${base}\n    targets: [{ name: self, local: true }]\nsmoke:\n${smoke}`,
    );
    return runStep('smoke-test', { inputs: { config, environment: 'sandbox' }, env });
  };

  it('passes when every check holds: status, JSON paths with *, regex, latency', async () => {
    const r = await run(
      'ok',
      `  checks:
    - { name: ready, url: /health, expect: { status: 200, json: { status: ok, "dependencies.*.status": healthy }, max-latency: 2s } }
    - { name: login page, url: /login, expect: { status: "2xx", regex: "<form>" } }
  sample: { requests: 40, rate: 200/s, p95: 1s, error-rate: 0, min-samples: 40 }
`,
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.passed).toBe('true');
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.sample).toMatchObject({ requests: 40, failed: 0, passed: true });
    expect(r.summary).toContain('<tr><td>ready</td><td>200</td>');
  });

  it.each([
    ['a 200 with a degraded body', '/degraded', '{ json: { status: ok } }', /status is "degraded", expected "ok"/],
    [
      'a dependency down',
      '/degraded',
      '{ json: { "dependencies.*.status": healthy } }',
      /dependencies\.\*\.status is "down"/,
    ],
    [
      'a redirect to a login page (not followed)',
      '/redirect',
      '{ status: 200 }',
      /status 302 \(redirect to \/login, not followed\)/,
    ],
    ['an endless body (cut at the cap)', '/endless', '{ status: 200 }', /body larger than the cap/],
    ['a slow answer', '/slow?ms=400', '{ max-latency: 100ms }', /took \d+ ms, max 100 ms/],
  ])('fails on %s, naming why', async (_name, url, expect_, why) => {
    const r = await run('bad', `  checks:\n    - { name: probe, url: "${url}", expect: ${expect_} }\n`);
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([expect.stringMatching(why)]);
  });

  it('a sample over its p95 threshold fails the step', async () => {
    const r = await run(
      'p95',
      `  checks:\n    - { name: slow, url: "/slow?ms=60" }\n  sample: { requests: 10, rate: 50/s, p95: 20ms }\n`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::smoke test failed: p95 \d+ ms > 20 ms/);
  });

  it('header secrets come from the environment, are sent, and never shown', async () => {
    // The config's own reference syntax, written literally into the YAML.
    const ref = ['$', '{env.TEST_TOKEN}'].join('');
    const smoke = `  checks:\n    - { name: api, url: /auth, headers: { Authorization: "Bearer ${ref}" } }\n`;
    const r = await run('auth', smoke, { TEST_TOKEN: 'tok-5ecret-value' });
    expect(r.code, r.stdout).toBe(0);
    expect(shown(r.stdout)).not.toContain('tok-5ecret-value');
    const missing = await run('auth-missing', smoke);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /::error::check api: header Authorization needs the environment variable TEST_TOKEN/,
    );
  });

  it('waits for a check to pass until smoke.wait, with progress lines', async () => {
    let calls = 0;
    const flaky = createServer((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200);
      res.end();
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(flaky.address() as { port: number }).port}/`;
    try {
      const r = await run('wait', `  checks:\n    - { name: warmup, url: "${url}" }\n  wait: 20s\n`);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/smoke: 1 of 1 checks failing after [\d.]+s \(round 1\): warmup: status 503/);
      expect(calls).toBe(3);
    } finally {
      flaky.close();
    }
  });
  it('takes its checks from the input "checks" (YAML) when the config has no smoke section; a bad one names its path', async () => {
    const config = join(dir, 'no-smoke.yml');
    writeFileSync(
      config,
      `app: shop\nenvironments:\n  sandbox:\n    url: ${base}\n    targets: [{ name: self, local: true }]\n`,
    );
    const checks =
      '- { name: ready, url: /health, expect: { json: { status: ok } } }\n- { name: login, url: /login }\n';
    const r = await runStep('smoke-test', { inputs: { config, environment: 'sandbox', checks } });
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.outputs.report ?? '{}').checks.map((c: { name: string }) => c.name)).toEqual([
      'ready',
      'login',
    ]);
    const degraded = await runStep('smoke-test', {
      inputs: {
        config,
        environment: 'sandbox',
        checks: '[{ name: d, url: /degraded, expect: { json: { status: ok } } }]',
      },
    });
    expect(degraded.code).toBe(1);
    expect(degraded.outputs.passed).toBe('false');
    const bad = await runStep('smoke-test', {
      inputs: { config, environment: 'sandbox', checks: '- { name: x, url: /h, expect: { status: 700 } }' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/::error::input "checks": .* is not valid: checks\[0\]\.expect\.status: /);
    const none = await runStep('smoke-test', { inputs: { config, environment: 'sandbox' } });
    expect(none.stdout).toMatch(
      /::error::smoke-test needs checks: the input "checks" or a smoke section in the config/,
    );
  });
});
