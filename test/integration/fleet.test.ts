/**
 * A fleet of three hosts, each a machine of its own as far as the deploy can tell (its own sshd with a pinned key,
 * Docker engine, network namespace with its own address and loopback, and file system path /srv/rbfleet), each with
 * its own nginx in front of its replicas, a load balancer of the test's own over them, ~100 req/s through it:
 * - a first deploy one host after another, then a deploy to all hosts at once (batch-size 100%) under load: 0 failed
 *   requests, every host live;
 * - one host hung mid-deploy (SIGSTOP its sshd, batch-size 1): the rollout stops within host-timeout, the host already
 *   switched goes back, the lock is released, the report says which host runs what, 0 failed requests;
 * - the next deploy converges every host on one release.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../src/deploy/journal-types.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { type Fleet, freezeSshd, thawSshd } from './helpers/fleet-hosts.js';
import { FLEET_FS, type FleetSite, startFleetSite } from './helpers/fleet-site.js';
import { startLoad } from './helpers/load.js';
import { startIsolatedHosts } from './helpers/swarm-nodes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a fleet of three hosts behind a load balancer', () => {
  let fleet: Fleet;
  let site: FleetSite;
  let dir = '';
  const app = `rbfl${process.pid % 10000}`;
  const config = (batch: string) => {
    const path = join(dir, `runbook-${batch.replace('%', 'pct')}.yml`);
    writeFileSync(
      path,
      `app: ${app}
environments:
  fleet:
    targets: ${fleet.targetsYaml({ host1: ['web'], host2: ['web'], host3: ['web'] })}
    state-dir: ${FLEET_FS}/state
checks: { min-free-disk: 1%, docker: false, compose: false }
services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: 18000-18009
    stop-grace: 2s
    pull: never
    health:
      http: { path: /health, expect: { status: 200 } }
      interval: 250ms
      timeout: 2s
      deadline: 15s
      stable: 1s
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  batch-size: ${batch}
  host-timeout: 10s
  prune-images: false
${site.proxyYaml}`,
    );
    return path;
  };
  const deploy = async (version: string, batch: string): Promise<StepResult> => {
    const inputs = { config: config(batch), environment: 'fleet', version, ...fleet.inputs };
    const main = await runStep('deploy', { inputs, timeoutMs: 180_000 });
    const post = await runStep('deploy', { inputs, state: main.state });
    expect(post.code, post.stdout).toBe(0);
    return main;
  };
  const journal = () =>
    JSON.parse(readFileSync(join(fleet.hosts[0]?.fsDir ?? '', 'state', 'fleet', 'journal.json'), 'utf8')) as {
      releases: Release[];
    };
  const ports = (host: number) =>
    [...site.upstreamOf(fleet.hosts[host] as never).matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) => m[1]);

  beforeAll(async () => {
    fleet = await startIsolatedHosts(3, { ownFs: { at: FLEET_FS } });
    dir = fleet.dir;
    site = await startFleetSite(fleet.hosts);
  }, 120_000);
  afterAll(async () => {
    site?.stop();
    await fleet?.stop();
  });

  it("v1 on a fresh fleet: every host live, each host's upstream on its own two replicas", async () => {
    const r = await deploy('v1', '1');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/batch 3\/3: host3/);
    expect(Object.values(journal().releases.at(-1)?.hosts ?? {}).map((h) => h.state)).toEqual(['live', 'live', 'live']);
    for (const i of [0, 1, 2]) expect(ports(i)).toHaveLength(2);
  }, 180_000);

  it('v2 to every host at once (batch-size 100%) under load: 0 failed requests, every host live', async () => {
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    const r = await deploy('v2', '100%');
    await sleep(500);
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/batch 1\/1: host1, host2, host3/);
    const release = journal().releases.at(-1);
    expect(release?.status).toBe('live');
    expect(Object.values(release?.hosts ?? {}).map((h) => h.state)).toEqual(['live', 'live', 'live']);
    expect(r.summary).toMatch(/<h3>Hosts<\/h3>/);
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(Object.keys(result.bodies).sort()).toEqual(['v1', 'v2']);
  }, 180_000);

  it('host2 hangs mid-deploy (its sshd stopped): the rollout stops, host1 goes back, host3 never starts, 0 failed', async () => {
    const [host1, host2, host3] = fleet.hosts as [never, Fleet['hosts'][number], Fleet['hosts'][number]];
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 170 });
    const step = deploy('v3', '1');
    // As soon as host2's part began (a v3 container exists there), its sshd and every session under it freeze.
    let frozen = false;
    for (let i = 0; i < 600 && !frozen; i++) {
      if (host2.docker('ps', '-aq', '--filter', 'ancestor=runbook-test-app:v3') !== '') {
        freezeSshd(host2);
        frozen = true;
      } else await sleep(100);
    }
    expect(frozen).toBe(true);
    const r = await step;
    thawSshd(host2);
    await sleep(500);
    const result = await load.stop();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::host2 failed: host2 took longer than host-timeout \(10s\)/);
    const release = journal().releases.at(-1);
    expect(release?.status).toBe('failed');
    expect(release?.hosts?.host1?.state).toBe('rolled back');
    expect(release?.hosts?.host2?.state).toBe('failed');
    expect(release?.hosts?.host3?.state).toBe('not started');
    expect(host3.docker('ps', '-aq', '--filter', 'ancestor=runbook-test-app:v3')).toBe('');
    void host1;
    expect(result.failed, result.failures.join('\n')).toBe(0);
  }, 240_000);

  it('the next deploy brings every host to v3, and the lock was released', async () => {
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    const r = await deploy('v3', '2');
    await sleep(1000);
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toMatch(/another deploy holds the lock/);
    const release = journal().releases.at(-1);
    expect(Object.values(release?.hosts ?? {}).map((h) => h.state)).toEqual(['live', 'live', 'live']);
    expect(result.failed, result.failures.join('\n')).toBe(0);
    const after = startLoad(site.url, { workers: 2, ratePerSecond: 50, maxSeconds: 5 });
    await sleep(1500);
    expect(Object.keys((await after.stop()).bodies)).toEqual(['v3']);
  }, 180_000);
});
