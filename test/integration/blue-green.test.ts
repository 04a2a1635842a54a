/**
 * Blue-green behind a team-style nginx of its own (helpers/progressive-site.ts), under ~100 req/s: v1 → v2 switches
 * slots in one reload with 0 failed requests and v1 left running as the standby; rollback scope traffic switches back
 * at once (0 failed); a standby that no longer runs is refused with what to do; a new slot that fails its gate leaves
 * the upstream byte-identical.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { startLoad } from './helpers/load.js';
import { type ProgressiveSite, progressiveSite } from './helpers/progressive-site.js';
import { sandboxPart } from './helpers/sandbox.js';
import { dockerAt } from './helpers/sandbox-docker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('blue-green under load', () => {
  let site: ProgressiveSite;
  beforeAll(async () => {
    site = await progressiveSite('bg', {
      strategy: 'blue-green',
      strategyYaml: '  blue-green: { standby: 10m, verify: 3 }',
    });
  }, 60_000);
  afterAll(async () => {
    await site?.close();
  }, 60_000);

  const underLoad = async (step: () => Promise<void>) => {
    const load = startLoad(`${site.url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await sleep(800);
    await step();
    await sleep(800);
    return load.stop();
  };
  const deploy = (version: string) => runStep('deploy', { inputs: { ...site.inputs, version }, timeoutMs: 90_000 });

  it('v1, then v2 into the other slot: one switch, 0 failed, v1 the standby', async () => {
    expect((await deploy('v1')).code).toBe(0);
    expect(await site.served()).toBe('v1');
    let stdout = '';
    const load = await underLoad(async () => {
      const r = await deploy('v2');
      stdout = r.stdout;
      expect(r.summary).toMatch(/^<h2>✅ Deploy: deployed — v2 → sandbox<\/h2>/);
      expect(r.summary).toMatch(/<h3>Release<\/h3>\n<p>\S+: v2 is live\. Release <code>/);
      expect(r.summary).toMatch(/<h3>Blue-green switch<\/h3>\n\n```mermaid\ntimeline\n/);
      expect(r.code, r.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    expect(stdout).toMatch(/switch to the (blue|green) slot/);
    expect(stdout).toMatch(/3 request\(s\) through nginx answered after the switch/);
    const j = site.journal();
    const [v1, v2] = j.releases;
    expect(v2?.status).toBe('live');
    expect(v2?.slot).not.toBe(v1?.slot);
    expect(v2?.standby?.release).toBe(v1?.id);
    // The standby still answers on its own ports, out of the upstream.
    const upstream = readFileSync(site.upstreamFile, 'utf8');
    for (const r of v1?.services.api?.replicas ?? []) {
      expect(upstream).not.toContain(`127.0.0.1:${r.port} `);
      const res = await fetch(`http://127.0.0.1:${r.port}/version`);
      expect((await res.text()).trim()).toBe('v1');
    }
    expect(await site.served()).toBe('v2');
    // status tells the standby apart from drift.
    const status = await runCli(['status', '--config', site.config, '--env', 'sandbox']);
    expect(status.out).toMatch(/standby: \S+ until /);
    expect(status.out).toMatch(/note +local\/api: \S+ is the blue-green standby/);
    expect(status.out).toContain('drift: none');
  }, 180_000);

  it('rollback scope traffic switches back to the standby at once, 0 failed', async () => {
    const load = await underLoad(async () => {
      const r = await runStep('rollback', {
        inputs: { ...site.inputs, scope: 'traffic', reason: 'test', smoke: 'false' },
        timeoutMs: 60_000,
      });
      expect(r.code, r.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(await site.served()).toBe('v1');
    expect(site.journal().releases.map((r) => `${r.version}:${r.status}`)).toEqual(['v1:live', 'v2:rolled-back']);
  }, 120_000);

  it('a standby that is not running: traffic rollback refused, saying what to do; nothing changed', async () => {
    // Deploy v3 (v1 becomes the standby), then stop v1's containers as an operator might.
    expect((await deploy('v3')).code).toBe(0);
    const j = site.journal();
    const v1 = j.releases.find((r) => r.version === 'v1');
    const docker = dockerAt(sandboxPart('docker').host);
    for (const r of v1?.services.api?.replicas ?? []) docker('stop', '-t', '1', r.id);
    const before = readFileSync(site.upstreamFile, 'utf8');
    const r = await runStep('rollback', {
      inputs: { ...site.inputs, scope: 'traffic', 'release-id': v1?.id ?? '', smoke: 'false' },
      timeoutMs: 60_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(
      /no container of \S+ is running, so traffic alone cannot go back to it; add image to the scope/,
    );
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    expect(await site.served()).toBe('v3');
  }, 120_000);

  it('a standby that runs but fails its health check: traffic rollback refused as not healthy; nothing changed', async () => {
    expect((await deploy('v1')).code).toBe(0);
    const v3 = site.journal().releases.find((r) => r.version === 'v3' && r.status === 'superseded');
    const docker = dockerAt(sandboxPart('docker').host);
    const ids = (v3?.services.api?.replicas ?? []).map((r) => r.id);
    // Its health document gone: the containers run, /health answers 404.
    for (const id of ids) docker('exec', id, 'rm', '-f', '/www/health');
    {
      const before = readFileSync(site.upstreamFile, 'utf8');
      const r = await runStep('rollback', {
        inputs: { ...site.inputs, scope: 'traffic', smoke: 'false' },
        timeoutMs: 60_000,
      });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/the containers of \S+ still run but are not healthy .*roll back with scope image/);
      expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
      expect(await site.served()).toBe('v1');
    }
  }, 120_000);

  it('a standby past its time: status says so, the next deploy stops it (kept)', async () => {
    const config = site.variant('  blue-green: { standby: 0s }');
    expect(
      (await runStep('deploy', { inputs: { ...site.inputs, config, version: 'v2' }, timeoutMs: 90_000 })).code,
    ).toBe(0);
    const status = await runCli(['status', '--config', config, '--env', 'sandbox']);
    expect(status.out).toMatch(/standby: \S+ until \S+ — expired: the next deploy stops it/);
    const r = await runStep('deploy', { inputs: { ...site.inputs, config, version: 'v3' }, timeoutMs: 90_000 });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/stopped: the blue-green standby \S+ expired at /);
    expect(await site.served()).toBe('v3');
  }, 120_000);

  it('a new slot that never gets healthy: the upstream byte-identical, the live slot serving, 0 failed', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const load = await underLoad(async () => {
      const r = await runStep('deploy', {
        inputs: { ...site.inputs, config: site.variant(`  blue-green: { standby: 10m }`), version: 'never-healthy' },
        timeoutMs: 90_000,
      });
      expect(r.code).not.toBe(0);
    });
    expect(load.failed).toBe(0);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    expect(await site.served()).toBe('v3');
  }, 120_000);
});
