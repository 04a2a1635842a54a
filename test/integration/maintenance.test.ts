/**
 * Maintenance mode against a real nginx of its own (helpers/maintenance-site.ts) and the sandbox Docker engine, under
 * ~100 req/s through that nginx: `on` → every request answers the page's 503 with Retry-After, `off` → the app again,
 * no other failed request around the switches; a page nginx rejects changes nothing; a deploy during maintenance
 * keeps the page up and `off` serves the new release; the same through the real CLI; the root pipeline wraps a
 * destructive migration in maintenance (on → migrate → deploy → off → smoke).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/deploy/journal.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { type LoadResult, startLoad } from './helpers/load.js';
import { type MaintenanceSite, maintenanceSite } from './helpers/maintenance-site.js';
import { createSeededDatabase, dropDatabase, psql, sandboxPostgres } from './helpers/pg-sandbox.js';
import { REPO_ROOT, sandboxSsh } from './helpers/sandbox.js';
import { databaseYaml, yamlList } from './helpers/yaml.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One GET on a fresh connection: status, Retry-After and the trimmed body. */
async function answer(url: string): Promise<{ status: number; retryAfter: unknown; body: string }> {
  const agent = new Agent({ pipelining: 0 });
  try {
    const res = await request(url, { dispatcher: agent });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: (await res.body.text()).trim() };
  } finally {
    await agent.close();
  }
}

const failures = (l: LoadResult) => l.failures.slice(0, 3).join(' | ');

describe('maintenance mode with a real nginx, under load', () => {
  let site: MaintenanceSite;
  const read = (path: string) => readFileSync(path, 'utf8');
  const journal = (): Journal => JSON.parse(read(join(site.stateDir, 'prod/journal.json')));
  /** The page's answer: 503, the configured Retry-After and body. Anything else not 2xx is a failed request. */
  const isPage = (status: number, headers: Record<string, unknown>, body: string) =>
    status === 503 && headers['retry-after'] === site.retryAfter && body === site.body ? 'page' : undefined;
  /** Load through the site's nginx around `step` (a second before and after). */
  const underLoad = async (step: () => Promise<void>): Promise<LoadResult> => {
    const load = startLoad(`${site.url}/version`, {
      workers: 4,
      ratePerSecond: 100,
      maxSeconds: 180,
      expected: isPage,
    });
    await sleep(1000);
    await step();
    await sleep(1000);
    return load.stop();
  };
  const maintenance = (mode: 'on' | 'off', config = site.config) =>
    runStep('maintenance', { inputs: { ...site.inputs, config, mode, reason: 'integration test' }, timeoutMs: 90_000 });

  beforeAll(async () => {
    site = await maintenanceSite('mm');
    const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v1' }, timeoutMs: 90_000 });
    expect(r.code, r.stdout).toBe(0);
    expect((await answer(`${site.url}/version`)).body).toBe('v1');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  }, 60_000);

  it('on: every request answers 503 with Retry-After; off: the app again; 0 failed around the switches', async () => {
    const upstreamBefore = read(site.upstreamFile);
    const on = await underLoad(async () => {
      const r = await maintenance('on');
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs).toMatchObject({ maintenance: 'on', address: `127.0.0.1:${site.pagePort}` });
    });
    expect(on.failed, failures(on)).toBe(0);
    expect(on.bodies.v1).toBeGreaterThan(0);
    expect(on.expected.page).toBeGreaterThan(0);
    expect(read(site.pageFile)).toContain(`listen 127.0.0.1:${site.pagePort};`);
    expect(journal().maintenance).toMatchObject({ reason: 'integration test', targets: { web1: { page: '' } } });

    // While it is on, every answer is the page.
    const steady = startLoad(`${site.url}/version`, { workers: 4, ratePerSecond: 100, expected: isPage });
    await sleep(1500);
    const during = await steady.stop();
    expect(during.failed, failures(during)).toBe(0);
    expect(during.bodies).toEqual({});
    expect(during.expected.page).toBe(during.requests);
    expect(await answer(`${site.url}/anything/else`)).toEqual({ status: 503, retryAfter: '90', body: site.body });

    const off = await underLoad(async () => {
      const r = await maintenance('off');
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.maintenance).toBe('off');
    });
    expect(off.failed, failures(off)).toBe(0);
    expect(off.expected.page).toBeGreaterThan(0);
    expect(off.bodies.v1).toBeGreaterThan(0);
    expect(read(site.upstreamFile)).toBe(upstreamBefore);
    expect(read(site.pageFile)).toBe('');
    expect(journal().maintenance).toBeUndefined();
    expect((await answer(`${site.url}/version`)).body).toBe('v1');
    console.log(
      `[maintenance] on: ${on.requests} requests (${on.bodies.v1} v1, ${on.expected.page} page, ${on.failed} failed, ${on.retried} re-sent); on: ${during.requests} all page; off: ${off.requests} (${off.expected.page} page, ${off.bodies.v1} v1, ${off.failed} failed)`,
    );
  }, 180_000);

  it('a page nginx rejects (included inside a server block): the step fails, nothing changed, the site serves on', async () => {
    const upstreamBefore = read(site.upstreamFile);
    let stdout = '';
    const load = await underLoad(async () => {
      const r = await maintenance('on', site.misplacedConfig);
      stdout = r.stdout;
      expect(r.code, r.stdout).not.toBe(0);
    });
    expect(stdout).toMatch(
      /nginx rejected \S+\/snippets\/maintenance\.conf \(maintenance page\); the file is (removed again \(there was none\)|back as it was): .*"server" directive is not allowed here/,
    );
    expect(load.failed, failures(load)).toBe(0);
    expect(load.expected.page ?? 0).toBe(0);
    expect(load.bodies.v1).toBe(load.requests);
    expect(read(site.upstreamFile)).toBe(upstreamBefore);
    expect(() => read(site.misplacedFile)).toThrow(/ENOENT/);
    expect(journal().maintenance).toBeUndefined();
    console.log(`[maintenance] rejected page: ${load.requests} requests, all v1, ${load.failed} failed`);
  }, 180_000);

  it('a deploy during maintenance keeps the page up; off then serves the new release', async () => {
    expect((await maintenance('on')).code).toBe(0);
    let deployOut = '';
    const during = await underLoad(async () => {
      const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v2' }, timeoutMs: 90_000 });
      deployOut = r.stdout;
      expect(r.code, r.stdout).toBe(0);
    });
    expect(deployOut).toContain(
      `traffic stays on the maintenance page (127.0.0.1:${site.pagePort}) until "runbook maintenance off"`,
    );
    expect(during.failed, failures(during)).toBe(0);
    expect(during.bodies).toEqual({});
    expect(during.expected.page).toBe(during.requests);
    expect(read(site.upstreamFile)).toContain(`server 127.0.0.1:${site.pagePort} `);
    expect(journal().releases.map((r) => `${r.version}:${r.status}`)).toEqual(['v1:superseded', 'v2:live']);

    const off = await underLoad(async () => {
      const r = await maintenance('off');
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/shop_api → 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+ \(the live release/);
    });
    expect(off.failed, failures(off)).toBe(0);
    expect(off.bodies.v2).toBeGreaterThan(0);
    expect(off.bodies.v1 ?? 0).toBe(0);
    const ports = journal().releases[1]?.services.api?.replicas.map((r) => `server 127.0.0.1:${r.port} `) ?? [];
    expect(ports).toHaveLength(2);
    for (const p of ports) expect(read(site.upstreamFile)).toContain(p);
    expect((await answer(`${site.url}/version`)).body).toBe('v2');
    console.log(
      `[maintenance] deploy v2 during maintenance: ${during.requests} requests, all page; off: ${off.expected.page} page then ${off.bodies.v2} v2, ${off.failed} failed`,
    );
  }, 240_000);

  it('the CLI: runbook maintenance on|off, each twice', async () => {
    const ssh = sandboxSsh();
    const args = (mode: string) => [
      'maintenance',
      mode,
      '--config',
      site.config,
      '--env',
      'prod',
      '--input',
      `ssh-private-key=@${ssh.privateKeyPath}`,
      '--input',
      `ssh-known-hosts=@${ssh.knownHostsPath}`,
    ];
    const on = await runCli(args('on'));
    expect(on.code, on.out).toBe(0);
    expect(on.out).toMatch(/^output maintenance=on$/m);
    expect(await answer(`${site.url}/version`)).toEqual({ status: 503, retryAfter: '90', body: site.body });
    const again = await runCli(args('on'));
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('maintenance is on (it already was)');
    const off = await runCli(args('off'));
    expect(off.code, off.out).toBe(0);
    expect((await answer(`${site.url}/version`)).body).toBe('v2');
    const offAgain = await runCli(args('off'));
    expect(offAgain.code, offAgain.out).toBe(0);
    expect(offAgain.out).toContain('maintenance was not on; nothing to do');
    const bad = await runCli(args('maybe'));
    expect(bad.code).toBe(2);
  }, 120_000);
  describe('the root pipeline', () => {
    const pg = sandboxPostgres();
    let database = '';
    let work = '';
    let config = '';
    const env = { DB_PASSWORD: pg.password };
    beforeAll(() => {
      database = createSeededDatabase(pg, 'rbmaint');
      work = mkdtempSync(join(tmpdir(), 'maintenance-pipeline-'));
      for (const d of ['', 'migrations', 'backups']) {
        mkdirSync(join(work, d), { recursive: true });
        chmodSync(join(work, d), 0o777); // the sandbox's SSH user writes backups and reads migrations
      }
      const fixtures = join(REPO_ROOT, 'test/fixtures/migrations');
      copyFileSync(join(fixtures, '0004_destructive.sql'), join(work, 'migrations/0004_destructive.sql'));
      const tool = ['bash', join(fixtures, 'migrator.sh')];
      config = join(work, 'runbook.yml');
      writeFileSync(
        config,
        `${read(site.config).replace('    state-dir:', `    url: ${site.url}\n    state-dir:`)}${databaseYaml({ port: pg.port, name: database, user: pg.user, backup: `{ directory: ${work}/backups }` })}  migrate:
    tool: custom
    directory: ${work}
    custom:
      upgrade: ${yamlList([...tool, 'up', `${work}/migrations`])}
      current: ${yamlList([...tool, 'current'])}
      dry-run: ${yamlList([...tool, 'sql', `${work}/migrations`])}
      downgrade: ${yamlList([...tool, 'down', '{revision}', `${work}/migrations`])}
checks: { min-free-disk: 1%, disk-paths: [${work}], docker: false, compose: false, required-secrets: [DB_PASSWORD] }
smoke:
  checks: [{ name: ready, url: /health, expect: { status: 200, json: { status: ok } } }]
`,
      );
    });
    afterAll(() => {
      if (database) dropDatabase(pg, database);
      if (work) rmSync(work, { recursive: true, force: true });
    });

    /** The root action (main, then post) under load: its result, its timeline (step and verdict) and the load. */
    const pipeline = async (version: string, extra: Record<string, string> = {}) => {
      const inputs = { ...site.inputs, config, version, ...extra };
      const runs: StepResult[] = [];
      const load = await underLoad(async () => {
        const main = await runStep('pipeline', { inputs, env, timeoutMs: 240_000 });
        runs.push(main);
        const post = await runStep('pipeline', { inputs, env, state: main.state });
        expect(post.code, post.stdout).toBe(0);
      });
      const [main] = runs;
      if (!main) throw new Error('the pipeline did not run');
      const timeline = [...main.stdout.matchAll(/^ +\+\d+\.\ds {2}(.+?) +(ok|FAILED) /gm)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
      return { main, timeline, load };
    };

    it('wraps a destructive migration: on → migrate → deploy → off → smoke, 0 failed', async () => {
      const { main, timeline, load } = await pipeline('v3');
      expect(main.code, main.stdout).toBe(0);
      expect(timeline).toEqual([
        'pre-deploy-check ok',
        'backup ok',
        'migrate plan ok',
        'maintenance on ok',
        'migrate ok',
        'deploy ok',
        'maintenance off ok',
        'smoke-test ok',
      ]);
      expect(main.stdout).toContain('the migration has 5 destructive statement(s)');
      expect(main.outputs).toMatchObject({ maintenance: 'off', 'revision-after': '0004', 'smoke-passed': 'true' });
      expect(psql(pg, database, 'SELECT max(version) FROM schema_migrations')).toBe('0004');
      // v2 until the page went up, the page while the schema changed and v3 started, then v3: nothing else.
      expect(load.failed, failures(load)).toBe(0);
      expect(load.bodies.v2).toBeGreaterThan(0);
      expect(load.expected.page).toBeGreaterThan(0);
      expect(load.bodies.v3).toBeGreaterThan(0);
      expect(Object.keys(load.bodies).sort()).toEqual(['v2', 'v3']);
      expect(journal().maintenance).toBeUndefined();
      console.log(
        `[maintenance] pipeline v2 → v3 with a destructive migration: ${load.requests} requests (${load.bodies.v2} v2, ${load.expected.page} page, ${load.bodies.v3} v3, ${load.failed} failed)`,
      );
    }, 300_000);

    it('a deploy that fails inside maintenance is rolled back while the page answers, then off; 0 failed', async () => {
      const { main, timeline, load } = await pipeline('never-healthy', { maintenance: 'always' });
      expect(main.code, main.stdout).not.toBe(0);
      expect(timeline).toEqual([
        'pre-deploy-check ok',
        'backup ok',
        'maintenance on ok',
        'migrate ok',
        'deploy FAILED',
        'rollback ok',
        'maintenance off ok',
        'smoke (restored) ok',
      ]);
      expect(main.stdout).toContain('deploy failed and was rolled back: turning maintenance off');
      expect(main.outputs).toMatchObject({ maintenance: 'off', 'failed-step': 'deploy', 'rolled-back': 'true' });
      expect(load.failed, failures(load)).toBe(0);
      expect(load.expected.page).toBeGreaterThan(0);
      expect(Object.keys(load.bodies)).toEqual(['v3']);
      expect((await answer(`${site.url}/version`)).body).toBe('v3');
      expect(journal().maintenance).toBeUndefined();
      console.log(
        `[maintenance] pipeline never-healthy (maintenance: always): ${load.requests} requests (${load.bodies.v3} v3, ${load.expected.page} page, ${load.failed} failed)`,
      );
    }, 300_000);
    it('maintenance already on (by hand): the pipeline deploys inside it, smokes nothing and leaves it on', async () => {
      const on = await maintenance('on', config);
      expect(on.code, on.stdout).toBe(0);
      const { main, timeline, load } = await pipeline('v1');
      expect(main.code, main.stdout).toBe(0);
      expect(timeline).toEqual(['pre-deploy-check ok', 'backup ok', 'migrate ok', 'deploy ok']);
      expect(main.stdout).toContain('this run stays inside it and leaves it on');
      expect(main.stdout).toContain('the smoke test waits for "runbook maintenance off"');
      expect(main.outputs).toMatchObject({ maintenance: 'on', 'failed-step': '' });
      expect(load.failed, failures(load)).toBe(0);
      expect(load.bodies).toEqual({});
      expect(load.expected.page).toBe(load.requests);
      expect(journal().maintenance).toBeDefined();
      const off = await maintenance('off', config);
      expect(off.code, off.stdout).toBe(0);
      expect((await answer(`${site.url}/version`)).body).toBe('v1');
    }, 300_000);
  });
});
