/**
 * Take-over of a site a team laid out by hand (helpers/hand-site.ts): a compose app on a fixed port behind the
 * team's nginx, whose conf.d file holds the whole upstream block, a deploy user with sudo for nginx only. Under
 * ~100 req/s through that nginx: a failed take-over and a take-over, each with 0 failed requests, the failed one
 * leaving the upstream file byte-identical; then rollback returns the site to the team's app, 0 failed.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/deploy/journal.js';
import { runStep } from './helpers/action-runner.js';
import { fetchFresh } from './helpers/deploy-env.js';
import { type HandSite, handSite, readUpstream } from './helpers/hand-site.js';
import { startLoad } from './helpers/load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('taking over a hand-laid site under load', () => {
  let site: HandSite;
  beforeAll(async () => {
    site = await handSite('takeover', { deadline: '4s' });
  }, 60_000);
  afterAll(async () => {
    await site?.close();
  }, 60_000);

  const underLoad = async (step: () => Promise<void>) => {
    const load = startLoad(`${site.url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await sleep(1000);
    await step();
    await sleep(1000);
    return load.stop();
  };
  const journal = (): Journal => JSON.parse(readFileSync(join(site.stateDir, 'prod/journal.json'), 'utf8'));

  it('a take-over that fails its health gate: the team app keeps serving, the upstream file byte-identical', async () => {
    let stdout = '';
    const load = await underLoad(async () => {
      const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'never-healthy' }, timeoutMs: 90_000 });
      stdout = r.stdout;
      expect(r.code, r.stdout).not.toBe(0);
    });
    expect(stdout).toMatch(/the upstream serves 127\.0\.0\.1:\d+ \(a site this toolkit has not deployed yet\)/);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.requests).toBeGreaterThan(200);
    expect(readUpstream(site)).toBe(site.original);
    expect(await fetchFresh(`${site.url}/version`)).toBe('v1');
  }, 120_000);

  it('a take-over: the team app serves until ours is healthy, then only ours; 0 failed; the block kept', async () => {
    const load = await underLoad(async () => {
      const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v2' }, timeoutMs: 90_000 });
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/took the site over: what served before is recorded as release \S+-adopted/);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    const text = readUpstream(site);
    expect(text).toContain('# Shop API upstream: edited by hand');
    expect(text).toContain('    keepalive 16;\n');
    expect(text).toContain('    server 127.0.0.1:9 backup;  # maintenance page (not running)\n');
    expect(text).not.toContain(`127.0.0.1:${site.appPort}`);
    expect(text.match(/server 127\.0\.0\.1:\d+ max_fails=3 fail_timeout=10s;/g)).toHaveLength(2);
    expect(await fetchFresh(`${site.url}/version`)).toBe('v2');
    // The team's app was left running, out of traffic: rollback can return to it.
    expect(await fetchFresh(`http://127.0.0.1:${site.appPort}/version`)).toBe('v1');
    const j = journal();
    expect(j.releases.map((r) => `${r.version}:${r.status}`)).toEqual([
      'never-healthy:failed',
      'adopted:superseded',
      'v2:live',
    ]);
  }, 120_000);

  it('rollback returns traffic to the team app with its parameters, 0 failed', async () => {
    const load = await underLoad(async () => {
      const r = await runStep('rollback', { inputs: { ...site.inputs, reason: 'test' }, timeoutMs: 90_000 });
      expect(r.code, r.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(await fetchFresh(`${site.url}/version`)).toBe('v1');
    expect(readUpstream(site)).toContain(`server 127.0.0.1:${site.appPort} max_fails=3 fail_timeout=10s;`);
    expect(journal().releases.map((r) => `${r.version}:${r.status}`)).toEqual([
      'never-healthy:failed',
      'adopted:live',
      'v2:rolled-back',
    ]);
  }, 120_000);
});

describe('taking over with the compose driver (recreate of the team’s own compose service)', () => {
  let site: HandSite;
  beforeAll(async () => {
    site = await handSite('composeto', { deadline: '4s', driver: 'compose' });
  }, 60_000);
  afterAll(async () => {
    await site?.close();
  }, 60_000);

  it('a failed take-over brings back what ran (the image the journal did not know) and leaves the upstream file', async () => {
    const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'never-healthy' }, timeoutMs: 90_000 });
    expect(r.code, r.stdout).not.toBe(0);
    expect(r.stdout).toMatch(/taking over runbook-test-app:v1 \(sha256:/);
    expect(r.stdout).toMatch(/bringing v1 back up/);
    expect(await fetchFresh(`${site.url}/version`)).toBe('v1');
    expect(readUpstream(site)).toBe(site.original);
  }, 120_000);
});
