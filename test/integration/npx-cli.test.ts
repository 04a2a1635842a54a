/**
 * The CLI as a package (README "CLI via npx"): `npm pack` makes a tarball of the committed bundles, the actions'
 * metadata, README and LICENSE (nothing of test/, src/ or the sandbox); it installs into an empty project offline
 * with an empty npm cache, because the bundles hold every dependency; and `npx runbook` works from it: --help,
 * --version, a dry-run plan against a tiny config (no server), a usage error's exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/sandbox.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const dir = mkdtempSync(join(tmpdir(), 'npx-cli-'));
const project = join(dir, 'project');
const cache = join(dir, 'empty-npm-cache');

/** The environment of a command a user types: none of the npm_* variables of the `npm test` running this. */
const env = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env: env(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}\n${r.stderr}` };
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

describe('the runbook CLI from an npm tarball, through npx', () => {
  let packed: Packed;
  let tarball = '';

  beforeAll(() => {
    const r = run('npm', ['pack', '--json', '--pack-destination', dir], REPO_ROOT);
    expect(r.code, r.stderr).toBe(0);
    packed = (JSON.parse(r.stdout) as Packed[])[0] as Packed;
    tarball = join(dir, packed.filename);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs the bundles, the actions, README, LICENSE and the changelog; no tests, sources or sandbox', () => {
    const files = packed.files.map((f) => f.path);
    const actions = readdirSync(join(REPO_ROOT, 'actions'));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'action.yml', 'dist/cli.js'])
      expect(files).toContain(f);
    for (const a of actions) expect(files).toContain(`actions/${a}/action.yml`);
    for (const a of [...actions, 'pipeline']) expect(files).toContain(`dist/${a}/index.js`);
    expect(files.some((f) => f.startsWith('dist/lazy/chunks/'))).toBe(true);
    const stray = files.filter((f) =>
      /^(test|src|scripts|bench|node_modules|reports|\.sandbox|\.trial|\.ci|\.github|workflows-examples)\//.test(f),
    );
    expect(stray).toEqual([]);
    expect(files.filter((f) => /\.(ts|tgz|log)$/.test(f) || f.endsWith('.tmp'))).toEqual([]);
  });

  it('the package has no dependencies and no install scripts; the bin starts with a node shebang', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?(install|prepare|pack)$/.test(s))).toEqual(
      [],
    );
    expect(pkg.bin).toEqual({ runbook: 'dist/cli.js' });
    expect(readFileSync(join(REPO_ROOT, 'dist/cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('installs into an empty project offline, with an empty npm cache: nothing else to fetch', () => {
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-team-repo', private: true }));
    const r = run('npm', ['i', '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball], project);
    expect(r.code, r.out).toBe(0);
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([pkg.name]);
    expect(readdirSync(join(project, 'node_modules/.bin'))).toEqual(['runbook']);
  });

  it('npx runbook --help lists the commands; --version is the package version', () => {
    const help = run('npx', ['--offline', '--cache', cache, 'runbook', '--help'], project);
    expect(help.code, help.out).toBe(0);
    expect(help.stdout).toContain('usage: runbook <command> [options]');
    for (const c of ['pre-deploy-check', 'backup', 'migrate', 'deploy', 'smoke-test', 'rollback'])
      expect(help.stdout).toMatch(new RegExp(`^ {2}${c} `, 'm'));
    const version = run('npx', ['--offline', '--cache', cache, 'runbook', '--version'], project);
    expect(version.code, version.out).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('npx runbook deploy --dry-run plans against a tiny config (no server, nothing run)', () => {
    writeFileSync(
      join(project, 'runbook.yml'),
      `app: shop
environments:
  production:
    targets: [{ name: web1, local: true }]
services:
  api:
    image: ghcr.io/acme/shop-api
    port: 8000
    health: { http: { path: /health } }
strategy: { type: recreate }
`,
    );
    const plan = run(
      'npx',
      ['--offline', '--cache', cache, 'runbook', 'deploy', '--env', 'production', '--version', 'v2', '--dry-run'],
      project,
    );
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('Plan (dry run: nothing is changed)');
    expect(plan.out).toContain('shop/production: deploy v2 with recreate (engine driver) to web1');
    expect(plan.out).toContain('api: 1 × ghcr.io/acme/shop-api:v2');
  });

  it('a usage error exits 2 and says what is wrong', () => {
    const r = run('npx', ['--offline', '--cache', cache, 'runbook', 'deploy', '--env', 'production'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('input "version" is required');
  });
});
