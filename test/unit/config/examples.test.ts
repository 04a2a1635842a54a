/**
 * examples/*.yml load through the real config loader, point editors at the JSON Schema, explain themselves in
 * comments, and each shows the setup it is named for. examples/compose-nginx-postgres.yml is the `runbook init`
 * starter (generated from it by scripts/config-docs.ts; docs.test.ts checks it is current).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SCHEMA_PATH, SCHEMA_URL, starterConfig } from '../../../src/actions/init.js';
import { loadConfig, parseConfig } from '../../../src/config/loader.js';
import { driverOf, resolveStrategy } from '../../../src/deploy/strategy.js';

const dir = join(import.meta.dirname, '../../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const load = (name: string) => loadConfig(join(dir, name));

describe('examples/', () => {
  it('has the three complete setups and the demo file', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'compose-nginx-postgres.yml',
        'engine-rolling.yml',
        'self-hosted-local.yml',
        'runbook.yml',
      ]),
    );
  });

  it.each(files)('%s loads through the config loader', async (name) => {
    await expect(load(name)).resolves.toMatchObject({ app: expect.any(String) });
  });

  it.each(files)('%s deploys with a strategy and driver this version runs', async (name) => {
    const config = await load(name);
    expect(() => resolveStrategy(config)).not.toThrow();
  });

  it.each(files)('%s starts with the schema comment editors read, and explains itself', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const first = text.split('\n')[0] ?? '';
    expect(first).toBe(`# yaml-language-server: $schema=${EXAMPLE_SCHEMA_PATH}`);
    expect(existsSync(resolve(dirname(join(dir, name)), EXAMPLE_SCHEMA_PATH))).toBe(true);
    const comments = text.split('\n').filter((l) => /^\s*#/.test(l)).length;
    expect(comments, `${name}: comment lines`).toBeGreaterThanOrEqual(name === 'runbook.yml' ? 2 : 15);
  });

  it('compose-nginx-postgres: compose behind nginx, PostgreSQL backups and alembic, checks and smoke tests', async () => {
    const c = await load('compose-nginx-postgres.yml');
    expect(driverOf(c)).toBe('compose');
    expect(c.strategy.type).toBe('recreate');
    expect(c.strategy.proxy?.nginx).toMatchObject({ upstream: 'shop_api', service: 'api' });
    expect(c.strategy.proxy?.nginx.test).toEqual(['sudo', '-n', '/usr/sbin/nginx', '-t']);
    expect(Object.keys(c.services ?? {})).toEqual(['api', 'worker']);
    expect(c.database?.backup?.verify).toBe('restore');
    expect(c.database?.migrate).toMatchObject({ tool: 'alembic', service: 'api' });
    expect(c.checks['required-secrets']).toContain('DB_PASSWORD');
    expect(c.smoke?.checks.length).toBeGreaterThanOrEqual(2);
  });

  it('compose-nginx-postgres is the init starter, with the schema path of this repository', () => {
    const text = readFileSync(join(dir, 'compose-nginx-postgres.yml'), 'utf8');
    expect(text).toBe(starterConfig({ schema: EXAMPLE_SCHEMA_PATH }));
    expect(starterConfig({ schema: SCHEMA_URL }).split('\n').slice(1)).toEqual(text.split('\n').slice(1));
  });

  it('engine-rolling: the engine driver, replicas on host ports, health-gated, behind nginx', async () => {
    const c = await load('engine-rolling.yml');
    expect(driverOf(c)).toBe('engine');
    expect(c.strategy.type).toBe('rolling');
    expect(c.services?.api).toMatchObject({ replicas: 3, 'host-ports': [18000, 18009] });
    expect(c.services?.api?.health?.http?.path).toBe('/api/v1/health/ready');
    expect(c.strategy.proxy?.nginx['upstream-file']).toBe('/etc/nginx/upstreams/shop_api.conf');
  });

  it('self-hosted-local: a local target on the runner', async () => {
    const c = await load('self-hosted-local.yml');
    expect(c.environments.production?.targets[0]).toMatchObject({ kind: 'local', name: 'self' });
    expect(c.environments.production?.['state-dir']).toBe('/srv/runner/state/notes');
  });

  it("README's quick-start config is complete and valid", () => {
    const readme = readFileSync(join(dir, '../README.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => (m[1] ?? '').replace(/^ {3}/gm, ''))
      .find((b) => b.startsWith('# yaml-language-server:'));
    expect(block).toBeDefined();
    const c = parseConfig(block ?? '', 'README.md');
    expect(c).toMatchObject({ services: { api: {} }, database: { migrate: { tool: 'alembic' } } });
    expect(c.strategy.proxy?.nginx.upstream).toBe('shop_api');
    expect(c.smoke?.checks.length).toBeGreaterThan(0);
  });
});
