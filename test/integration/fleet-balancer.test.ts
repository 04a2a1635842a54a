/**
 * A fleet behind a load balancer of its own (`environments.<name>.load-balancer`): host1 runs nginx only (roles
 * [lb]; it also holds the journal and the lock), host2-host4 run the app (roles [web]); each host a machine of its
 * own as far as the deploy can tell (own sshd, Docker engine, network namespace and address, file system path).
 * The balancer's one upstream lists every web host's replicas at the host's address; each host's deploy changes only
 * its own servers there, draining each before its replica stops, adding each after its health gate passed — probed
 * from the balancer, the path nginx takes. ~100 req/s through the balancer all along:
 * - v1 on a fresh site: the placeholder taken over, six servers across three hosts;
 * - v2 to every host at once (batch-size 100%): the hosts' changes to the one file made one at a time, 0 failed;
 * - v3 with host3 hung mid-deploy (SIGSTOP its sshd, batch-size 1): the rollout stops, host2 goes back to v2 in the
 *   upstream, host4 untouched, 0 failed; the next deploy converges every host on v3; a rollback to v2, 0 failed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../src/deploy/journal-types.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { type Fleet, type FleetHost, freezeSshd, thawSshd } from './helpers/fleet-hosts.js';
import { FLEET_FS, type FleetSite, startBalancerSite } from './helpers/fleet-site.js';
import { startLoad } from './helpers/load.js';
import { startIsolatedHosts } from './helpers/swarm-nodes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a fleet behind a load balancer host of its own', () => {
  let fleet: Fleet;
  let site: FleetSite;
  let lb: FleetHost;
  let web: FleetHost[];
  const app = `rbfb${process.pid % 10000}`;
  const config = (batch: string) => {
    const path = join(fleet.dir, `runbook-${batch.replace('%', 'pct')}.yml`);
    const targets = [lb.sshTargetYaml({ roles: ['lb'] }), ...web.map((h) => h.sshTargetYaml({ roles: ['web'] }))];
    writeFileSync(
      path,
      `app: ${app}
environments:
  fleet:
    targets: [${targets.join(', ')}]
    load-balancer: ${lb.name}
    state-dir: ${FLEET_FS}/state
checks: { min-free-disk: 1%, docker: false, compose: false }
services:
  api:
    image: runbook-test-app
    roles: [web]
    replicas: 2
    network: host
    host-ports: 18000-18009
    env: { BIND: 0.0.0.0 }
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
  const step = async (name: 'deploy' | 'rollback', inputs: Record<string, string>): Promise<StepResult> => {
    const all = { environment: 'fleet', ...fleet.inputs, ...inputs };
    const main = await runStep(name, { inputs: all, timeoutMs: 180_000 });
    const post = await runStep(name, { inputs: all, state: main.state });
    expect(post.code, post.stdout).toBe(0);
    return main;
  };
  const deploy = (version: string, batch: string) => step('deploy', { config: config(batch), version });
  const journal = () =>
    JSON.parse(readFileSync(join(lb.fsDir ?? '', 'state', 'fleet', 'journal.json'), 'utf8')) as { releases: Release[] };
  /** The balancer's servers, by host address. */
  const servers = () => [...site.upstreamOf(lb).matchAll(/^\s*server (\S+?)(?: [^;]*)?;/gm)].map((m) => m[1] ?? '');
  const of = (h: FleetHost) => servers().filter((s) => s.startsWith(`${h.ssh.host}:`));
  const running = (h: FleetHost, version: string) =>
    h.docker('ps', '-q', '--filter', `ancestor=runbook-test-app:${version}`).split('\n').filter(Boolean).length;

  beforeAll(async () => {
    fleet = await startIsolatedHosts(4, { ownFs: { at: FLEET_FS } });
    [lb, ...web] = fleet.hosts as [FleetHost, ...FleetHost[]];
    site = await startBalancerSite(lb);
  }, 120_000);
  afterAll(async () => {
    site?.stop();
    await fleet?.stop();
  });

  it('v1 on a fresh site: the placeholder taken over, two servers per web host at its address, none on the balancer', async () => {
    const load = startLoad(site.url, { workers: 2, ratePerSecond: 50, maxSeconds: 120 });
    const r = await deploy('v1', '1');
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(servers()).toHaveLength(6);
    for (const h of web) expect(of(h)).toHaveLength(2);
    expect(servers().some((s) => s.startsWith('127.0.0.1:'))).toBe(false);
    expect(running(lb, 'v1')).toBe(0);
    const release = journal().releases.at(-1);
    expect(release?.status).toBe('live');
    // The balancer runs no service: it has no part in the rollout.
    expect(Object.keys(release?.hosts ?? {}).sort()).toEqual(web.map((h) => h.name).sort());
    // Before v1 served, the fresh site answered 502 (nothing behind it): only requests after the first switch count.
    expect(result.bodies.v1).toBeGreaterThan(0);
  }, 180_000);

  it('v2 to every host at once under load: every host’s servers replaced, none lost to another’s change, 0 failed', async () => {
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    const r = await deploy('v2', '100%');
    await sleep(500);
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/batch 1\/1: host2, host3, host4/);
    expect(result.failed, result.failures.slice(0, 5).join('\n')).toBe(0);
    expect(Object.keys(result.bodies).sort()).toEqual(['v1', 'v2']);
    console.log(`balancer, v2 to 3 hosts at once: ${result.requests} requests, ${result.failed} failed`);
    for (const h of web) {
      expect(of(h)).toHaveLength(2);
      expect(running(h, 'v2')).toBe(2);
      expect(running(h, 'v1')).toBe(0);
    }
  }, 180_000);

  it('host3 hangs mid-deploy: the rollout stops, host2 goes back to v2 in the upstream, host4 untouched, 0 failed', async () => {
    const [host2, host3, host4] = web as [FleetHost, FleetHost, FleetHost];
    const host4Servers = of(host4);
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 170 });
    const pending = deploy('v3', '1');
    let frozen = false;
    for (let i = 0; i < 600 && !frozen; i++) {
      if (host3.docker('ps', '-aq', '--filter', 'ancestor=runbook-test-app:v3') !== '') {
        freezeSshd(host3);
        frozen = true;
      } else await sleep(100);
    }
    expect(frozen).toBe(true);
    const frozenAt = Date.now();
    const r = await pending;
    const failedAfter = Date.now() - frozenAt;
    thawSshd(host3);
    if (process.env.FLEET_TEST_LOG) console.log(r.stdout);
    console.log(`balancer, host3 frozen: the deploy step ended ${(failedAfter / 1000).toFixed(1)}s later`);
    await sleep(500);
    const result = await load.stop();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::host3 failed: host3 took longer than host-timeout \(10s\)/);
    const release = journal().releases.at(-1);
    expect(release?.hosts?.host2?.state).toBe('rolled back');
    expect(release?.hosts?.host3?.state).toBe('failed');
    expect(release?.hosts?.host4?.state).toBe('not started');
    expect(running(host2, 'v2')).toBe(2);
    expect(of(host2)).toHaveLength(2);
    expect(of(host4)).toEqual(host4Servers);
    expect(result.failed, result.failures.slice(0, 5).join('\n')).toBe(0);
    // host3's abandoned work, going on when its connection came back, never changed the balancer after the failure.
    const after = r.stdout.slice(r.stdout.indexOf('::error::host3 failed'));
    expect(after).not.toMatch(new RegExp(`nginx fleet_app → .*\\(${host3.ssh.host.replaceAll('.', '\\.')}:`));
  }, 240_000);

  it('the next deploy converges every host on v3; a rollback to v2 through the balancer, 0 failed', async () => {
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 100, maxSeconds: 170 });
    const r = await deploy('v3', '2');
    expect(r.code, r.stdout).toBe(0);
    expect(Object.values(journal().releases.at(-1)?.hosts ?? {}).every((h) => h.state === 'live')).toBe(true);
    for (const h of web) expect(running(h, 'v3')).toBe(2);
    const back = await step('rollback', { config: config('2') });
    await sleep(500);
    const result = await load.stop();
    expect(back.code, back.stdout).toBe(0);
    expect(result.failed, result.failures.slice(0, 5).join('\n')).toBe(0);
    console.log(`balancer, v3 converged then rolled back to v2: ${result.requests} requests, ${result.failed} failed`);
    for (const h of web) {
      expect(running(h, 'v2')).toBe(2);
      expect(of(h)).toHaveLength(2);
    }
    const after = startLoad(site.url, { workers: 2, ratePerSecond: 50, maxSeconds: 5 });
    await sleep(1500);
    expect(Object.keys((await after.stop()).bodies)).toEqual(['v2']);
  }, 240_000);
});
