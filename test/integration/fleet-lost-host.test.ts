/**
 * A fleet of three hosts (helpers/fleet-hosts.ts: each its own sshd, Docker engine, network namespace and
 * /srv/rbfleet), each with its own nginx in front of its replicas, a load balancer of the test's own over them
 * (helpers/fleet-site.ts), ~80 req/s through it — and a host that LOSES ITS CONNECTION mid-deploy (fleet.test.ts covers
 * one whose sshd hangs):
 * - v1 on every host;
 * - v2 with batch-size 1: as soon as host2's part began, its sshd and every session under it are SIGKILLed (the TCP
 *   connections of the deploy break at once; new ones are refused) and stay down. The lost connection itself stops
 *   the rollout (host-timeout is 5m, far beyond the bound asserted), host1 goes back, host3 never starts, the lock is
 *   released, 0 failed requests (host2's nginx and replicas still serve: only its sshd is gone);
 * - host2's sshd back (same port, host key, config): the next deploy converges every host on v2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../src/deploy/journal-types.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { type Fleet, type FleetHost, killSshd, startSshd } from './helpers/fleet-hosts.js';
import { FLEET_FS, type FleetSite, startFleetSite } from './helpers/fleet-site.js';
import { startLoad } from './helpers/load.js';
import { startIsolatedHosts } from './helpers/swarm-nodes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a fleet host that loses its connection mid-deploy', () => {
  let fleet: Fleet;
  let site: FleetSite;
  let hosts: [FleetHost, FleetHost, FleetHost];
  const app = `rbfx${process.pid % 10000}`;
  const config = () => {
    const path = join(fleet.dir, 'runbook.yml');
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
  batch-size: 1
  host-timeout: 5m
  prune-images: false
${site.proxyYaml}`,
    );
    return path;
  };
  const inputs = (version: string) => ({ config: config(), environment: 'fleet', version, ...fleet.inputs });
  /** The step's main, then its post (as the runner runs them: right after, whatever main's outcome). */
  const post = async (version: string, main: StepResult) => {
    const p = await runStep('deploy', { inputs: inputs(version), state: main.state });
    expect(p.code, p.stdout).toBe(0);
    return p;
  };
  const journal = () =>
    JSON.parse(readFileSync(join(hosts[0].fsDir ?? '', 'state', 'fleet', 'journal.json'), 'utf8')) as {
      releases: Release[];
    };
  const release0 = (): Release => {
    const last = journal().releases.at(-1);
    if (!last) throw new Error('no release in the journal');
    return last;
  };
  const states = (release: Release | undefined) =>
    Object.fromEntries(Object.entries(release?.hosts ?? {}).map(([h, o]) => [h, o.state]));
  const running = (host: FleetHost) =>
    host
      .docker('ps', '--format', '{{.Image}}')
      .split('\n')
      .filter((l) => l !== '')
      .sort();

  beforeAll(async () => {
    fleet = await startIsolatedHosts(3, { ownFs: { at: FLEET_FS } });
    hosts = fleet.hosts as [FleetHost, FleetHost, FleetHost];
    site = await startFleetSite(fleet.hosts);
  }, 120_000);
  afterAll(async () => {
    site?.stop();
    await fleet?.stop();
  });

  it('v1 on every host', async () => {
    const main = await runStep('deploy', { inputs: inputs('v1'), timeoutMs: 180_000 });
    await post('v1', main);
    expect(main.code, main.stdout).toBe(0);
    expect(main.stdout).toMatch(/batch 3\/3: host3/);
    expect(states(journal().releases.at(-1))).toEqual({ host1: 'live', host2: 'live', host3: 'live' });
    for (const h of hosts) expect(running(h)).toEqual(['runbook-test-app:v1', 'runbook-test-app:v1']);
  }, 180_000);

  it("v2 loses host2's connection mid-deploy: the rollout stops at once, host1 goes back, host3 never starts, 0 failed", async () => {
    const [, host2, host3] = hosts;
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 80, maxSeconds: 170 });
    const started = Date.now();
    let failedLineAt = 0;
    const main = runStep('deploy', {
      inputs: inputs('v2'),
      timeoutMs: 180_000,
      onSpawn: (child) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (!failedLineAt && /host2 failed after/.test(out)) failedLineAt = Date.now();
        });
      },
    });
    // As soon as host2's part began (a v2 container exists there), its sshd and every session under it are killed.
    let killedAt = 0;
    for (let i = 0; i < 600 && !killedAt; i++) {
      if (host2.docker('ps', '-aq', '--filter', 'ancestor=runbook-test-app:v2') !== '') {
        killedAt = Date.now();
        await killSshd(host2);
      } else await sleep(100);
    }
    expect(killedAt).toBeGreaterThan(0);
    const r = await main;
    const endedAt = Date.now();
    const p = await post('v2', r); // host2's sshd still down: the post step needs only host1 (the lock's host)
    await sleep(500);
    const result = await load.stop();
    console.log(
      `lost host: killed ${((killedAt - started) / 1000).toFixed(1)}s into the deploy; "host2 failed" logged ` +
        `${((failedLineAt - killedAt) / 1000).toFixed(2)}s after the kill, the step ended ` +
        `${((endedAt - killedAt) / 1000).toFixed(2)}s after it; load: ${result.requests} requests, ` +
        `${result.failed} failed, ${result.retried} retried, bodies ${JSON.stringify(result.bodies)}\n` +
        `${r.stdout.split('\n').find((l) => l.startsWith('::error::'))}\n` +
        `host2 after: ${host2.docker('ps', '-a', '--format', '{{.Image}} {{.Status}}').replace(/\n/g, '; ')}`,
    );
    expect(r.signal, r.stdout).toBeNull();
    expect(r.code, r.stdout).toBe(1);
    expect(failedLineAt).toBeGreaterThan(0);
    // The lost connection itself stopped the rollout: host-timeout (5m) is longer than the step may run (180 s, a
    // step still running then ends by signal, not code 1), and no line names it. How soon: the log line above.
    expect(r.stdout).not.toMatch(/host-timeout/);
    // Whatever was in flight (a Docker API call over the forwarded socket, a command, a channel being opened), the
    // reason is the transport's: `the connection to USER@ADDRESS:22 was lost`.
    const lost = `the connection to ${host2.ssh.user}@${host2.ssh.host}:${host2.ssh.port} was lost`;
    expect(r.stdout).toContain(`::error::host2 failed: ${lost}`);
    // What host2 runs is not known (it may not have put back what it had changed): the report says so.
    expect(r.stdout).toContain('host2 failed (runs v1 or v2: its connection was lost)');
    expect(release0().hosts?.host2?.lost).toBe(true);
    const release = release0();
    expect(release?.version).toBe('v2');
    expect(release?.status).toBe('failed');
    expect(states(release)).toEqual({ host1: 'rolled back', host2: 'failed', host3: 'not started' });
    expect(release?.hosts?.host2?.error).toContain(lost);
    expect(host3.docker('ps', '-aq', '--filter', 'ancestor=runbook-test-app:v2')).toBe('');
    expect(running(hosts[0])).toEqual(['runbook-test-app:v1', 'runbook-test-app:v1']);
    // The lock: released by main itself (post finds nothing left to release).
    expect(r.stdout).toMatch(new RegExp(`deploy lock for ${app}/fleet released`));
    expect(p.stdout).not.toMatch(/deploy lock .* released/);
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(result.bodies.v1).toBeGreaterThan(0);
  }, 240_000);

  it("host2's sshd back: the next deploy converges every host on v2, not waiting for any lock", async () => {
    await startSshd(hosts[1]);
    const load = startLoad(site.url, { workers: 4, ratePerSecond: 80, maxSeconds: 170 });
    const main = await runStep('deploy', { inputs: inputs('v2'), timeoutMs: 180_000 });
    await post('v2', main);
    await sleep(1000);
    const result = await load.stop();
    console.log(
      `converge: ${result.requests} requests, ${result.failed} failed, ${result.retried} retried, ` +
        `bodies ${JSON.stringify(result.bodies)}`,
    );
    expect(main.code, main.stdout).toBe(0);
    expect(main.stdout).not.toMatch(/another deploy holds the lock|waiting for the deploy lock/);
    const release = journal().releases.at(-1);
    expect(release?.version).toBe('v2');
    expect(release?.status).toBe('live');
    expect(states(release)).toEqual({ host1: 'live', host2: 'live', host3: 'live' });
    for (const h of hosts) expect(running(h), h.name).toEqual(['runbook-test-app:v2', 'runbook-test-app:v2']);
    expect(result.failed, result.failures.join('\n')).toBe(0);
    const after = startLoad(site.url, { workers: 2, ratePerSecond: 50, maxSeconds: 5 });
    await sleep(1500);
    const served = await after.stop();
    expect(served.failed, served.failures.join('\n')).toBe(0);
    expect(Object.keys(served.bodies)).toEqual(['v2']);
  }, 240_000);
});
