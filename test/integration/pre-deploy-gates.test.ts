/**
 * pre-deploy-check's gates beyond the hosts: `incident-label` (an open GitHub issue with the label blocks deploys;
 * real octokit calls against a local GitHub API fixture server) and `backup-max-age` (the newest verified backup on
 * the primary target, made by the real backup action against the sandbox PostgreSQL).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { createSeededDatabase, dropDatabase, sandboxPostgres } from './helpers/pg-sandbox.js';
import { databaseYaml, localEnvYaml } from './helpers/yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'pre-deploy-gates-'));
const TOKEN = 'ghs_fixtureToken0123456789';

function config(name: string, checks: string, extra = ''): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: `${dir}/state`, target: 'self' })}checks:
  min-free-disk: 1%
  disk-paths: [/tmp]
  docker: false
  compose: false
${checks}
${extra}`,
  );
  return path;
}

interface Report {
  checks: { check: string; status: string; detail: string }[];
}
const check = (outputs: Record<string, string>, name: string) =>
  (JSON.parse(outputs.report ?? '{"checks":[]}') as Report).checks.find((c) => c.check === name);

describe('incident-label: open issues with the label block the deploy (GitHub API fixture server)', () => {
  let mode: 'incident' | 'none' | 'unauthorized' = 'none';
  const seen: IncomingMessage[] = [];
  const api = createServer((req, res) => {
    seen.push(req);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (!req.url?.startsWith('/repos/acme/shop/issues')) return json(404, { message: 'Not Found' });
    if (mode === 'unauthorized') return json(401, { message: 'Bad credentials' });
    if (mode === 'none') return json(200, []);
    return json(200, [
      { number: 12, title: 'Checkout is down', html_url: 'https://github.example/acme/shop/issues/12', state: 'open' },
      {
        number: 13,
        title: 'a pull request with the label',
        html_url: 'https://github.example/acme/shop/pull/13',
        pull_request: { url: 'x' },
      },
    ]);
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(() => {
    api.close();
  });
  const cfg = () => config('incident', '  incident-label: incident');
  const run = (inputs: Record<string, string> = { 'github-token': TOKEN }) =>
    runStep('pre-deploy-check', {
      inputs: { config: cfg(), environment: 'sandbox', ...inputs },
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: base },
    });

  it('an open issue labelled incident fails the check, naming it; pull requests do not count', async () => {
    mode = 'incident';
    seen.length = 0;
    const r = await run();
    expect(r.code).toBe(1);
    expect(check(r.outputs, 'open incidents')).toMatchObject({
      status: 'fail',
      detail: '1 open issue labelled "incident": #12 "Checkout is down" (https://github.example/acme/shop/issues/12)',
    });
    expect(r.stdout).toMatch(/::error::pre-deploy check failed: \* open incidents: 1 open issue labelled "incident"/);
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]?.url ?? '', base);
    expect(url.pathname).toBe('/repos/acme/shop/issues');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ labels: 'incident', state: 'open' });
    expect(seen[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(shown(r.stdout)).not.toContain(TOKEN);
  });

  it('no open incident: the check passes', async () => {
    mode = 'none';
    const r = await run();
    expect(r.code, r.stdout).toBe(0);
    expect(check(r.outputs, 'open incidents')).toMatchObject({
      status: 'pass',
      detail: 'no open issue labelled "incident" in acme/shop',
    });
  });

  it('fails closed: a rejected token, or no token at all (then the API is never called)', async () => {
    mode = 'unauthorized';
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(check(bad.outputs, 'open incidents')?.detail).toMatch(
      /cannot read the issues of acme\/shop \(HTTP 401\): Bad credentials/,
    );
    seen.length = 0;
    const none = await run({});
    expect(none.code).toBe(1);
    expect(check(none.outputs, 'open incidents')?.detail).toMatch(/the input github-token is needed/);
    expect(seen).toHaveLength(0);
  });

  it('dry run says what it would ask and asks nothing', async () => {
    seen.length = 0;
    const r = await run({ 'github-token': TOKEN, 'dry-run': 'true' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('GitHub: open issues labelled "incident" in acme/shop');
    expect(seen).toHaveLength(0);
  });
});

describe('backup-max-age: the newest verified backup must be young enough', () => {
  const pg = sandboxPostgres();
  const db = createSeededDatabase(pg, 'rbt_gates');
  const backups = join(dir, 'backups');
  mkdirSync(backups, { recursive: true });
  const database = databaseYaml({ port: pg.port, name: db, user: pg.user, backup: `{ directory: ${backups} }` });
  const cfg = () => config('backup-age', '  backup-max-age: 1h', database);
  const run = () =>
    runStep('pre-deploy-check', {
      inputs: { config: cfg(), environment: 'sandbox' },
      env: { DB_PASSWORD: pg.password },
    });
  afterAll(() => dropDatabase(pg, db));

  it('no backup yet: fails, naming the directory', async () => {
    const r = await run();
    expect(r.code).toBe(1);
    expect(check(r.outputs, 'backup age')?.detail).toBe(`no verified backup in ${backups} (backup-max-age 1h 0m)`);
  });

  it('a fresh verified backup (the real backup action) passes; the same backup two days older fails', async () => {
    const b = await runStep('backup', {
      inputs: { config: cfg(), environment: 'sandbox' },
      env: { DB_PASSWORD: pg.password },
    });
    expect(b.code, b.stdout).toBe(0);
    const ok = await run();
    expect(ok.code, ok.stdout).toBe(0);
    expect(check(ok.outputs, 'backup age')?.detail).toMatch(
      new RegExp(`newest verified backup ${b.outputs['backup-id']} is \\d+s old \\(max 1h 0m\\)`),
    );
    const metaFile = readdirSync(backups).find((f) => f.endsWith('.json')) ?? '';
    const meta = JSON.parse(readFileSync(join(backups, metaFile), 'utf8'));
    meta.created = new Date(Date.now() - 2 * 86_400_000).toISOString();
    writeFileSync(join(backups, metaFile), `${JSON.stringify(meta)}\n`);
    const stale = await run();
    expect(stale.code).toBe(1);
    expect(check(stale.outputs, 'backup age')).toMatchObject({ status: 'fail' });
    expect(check(stale.outputs, 'backup age')?.detail).toMatch(/is 2d 0h old \(max 1h 0m\)/);
  });
});
