/**
 * deploy to a fleet, whole flow through the connection seam: three hosts (each its own recording transport, fake
 * engine and nginx upstream file), the journal on host1. Batches, hosts of a batch at once, the first failed host
 * stopping the rollout, the switched hosts put back (on-failure: rollback) or left (pause), roles, a host that hangs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployAction } from '../../../src/actions/catalog.js';
import { CancelledError } from '../../../src/core/errors.js';
import { deployFleet } from '../../../src/deploy/fleet/deploy.js';
import type { Release } from '../../../src/deploy/journal.js';
import type { DeployDeps, DeployRequest, DeployTarget } from '../../../src/deploy/types.js';
import { manualClock } from '../helpers/clock.js';
import { LOCK, replica } from './configs.js';
import type { Behaviour } from './fake-engine.js';
import {
  changesByHost,
  type FleetOptions,
  fleetConfig,
  fleetJournal,
  fleetWorld,
  hangHost,
  hostStates,
  runningImages,
  upstreamPorts,
} from './fleet-world.js';
import { runFlow, upstreamWrites } from './run-flow.js';
import type { World } from './world.js';

const ENV = { environment: 'production' };
const HOSTS = ['host1', 'host2', 'host3'];
const UNHEALTHY: Behaviour = { http: { status: 503, body: '{"status":"starting"}' } };

/** Deploy `version` to the world's fleet; the run, its release id and the engine changes by host. */
async function deploy(world: World, config: string, version: string) {
  const mark = world.engineCalls.length;
  const r = await runFlow(deployAction, { world, config, inputs: { ...ENV, version } });
  return { r, id: r.outputs['release-id'] ?? '', changes: changesByHost(world, mark), mark };
}

/** A world of three hosts where v1 is live (deployed with `o`), and its release id. */
async function v1Live(o: FleetOptions) {
  const world = fleetWorld(3);
  const config = fleetConfig(o);
  const first = await deploy(world, config, 'v1');
  expect(first.r.failed).toEqual([]);
  return { world, config, v1: first.id };
}

/** What every host runs, and the upstream ports nginx sends its traffic to. */
const fleetState = (world: World) =>
  Object.fromEntries(
    HOSTS.map((h) => [h, { runs: runningImages(world.host(h).engine), upstream: upstreamPorts(world, h) }]),
  );

const everyHost = (runs: string[], upstream: number[]) =>
  Object.fromEntries(HOSTS.map((h) => [h, { runs, upstream: expect.arrayContaining(upstream) }]));

/** The hosts table of the summary: `host | state` per row. */
const hostsTable = (summary: string[]) =>
  [...summary.join('\n').matchAll(/<tr><td>(host\d)<\/td><td>([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);

describe('deploy to a fleet (three hosts, engine driver, nginx on each)', () => {
  it('batch-size 3: the three hosts deploy at once, every host live and journaled, the summary lists them', async () => {
    const world = fleetWorld(3);
    const { r, id, mark } = await deploy(world, fleetConfig({ batch: '3' }), 'v1');

    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('batch 1/1: host1, host2, host3');
    // Together: every host made its first Engine API call before any host made its last one, and every host's
    // container was created before any host started one.
    const calls = world.engineCalls.slice(mark);
    const first = HOSTS.map((h) => calls.findIndex((c) => c.target === h));
    const last = HOSTS.map((h) => calls.findLastIndex((c) => c.target === h));
    expect(Math.max(...first)).toBeLessThan(Math.min(...last));
    const order = calls
      .filter((c) => /^(create|start)Container/.test(c.call))
      .map((c) => `${c.call.split(' ')[0]} ${c.target}`);
    expect(order).toEqual([
      'createContainer host1',
      'createContainer host2',
      'createContainer host3',
      'startContainer host1',
      'startContainer host2',
      'startContainer host3',
    ]);
    // Each host's log lines carry its name (parallel hosts share one log).
    expect(r.lines).toContain('[host2] ▶ host2: web → shop/web:v1 (rolling)');
    // The hosts' connections open side by side: each host's shell before its engine, all of them, then one close.
    expect([...r.connector].sort()).toEqual(
      ['shell host1', 'engine host1', 'shell host2', 'engine host2', 'shell host3', 'engine host3', 'close'].sort(),
    );
    for (const h of ['host1', 'host2', 'host3'])
      expect(r.connector.indexOf(`shell ${h}`)).toBeLessThan(r.connector.indexOf(`engine ${h}`));
    expect(r.connector.at(-1)).toBe('close');

    expect(fleetState(world)).toEqual(everyHost(['shop/web:v1'], [18000]));
    const release = fleetJournal(world).releases.at(-1);
    expect(release).toMatchObject({ id, version: 'v1', status: 'live' });
    expect(release?.hosts).toEqual({
      host1: { state: 'live', seconds: expect.any(Number) },
      host2: { state: 'live', seconds: expect.any(Number) },
      host3: { state: 'live', seconds: expect.any(Number) },
    });
    expect(release?.services.web?.replicas.map((x) => x.target)).toEqual(HOSTS);
    expect(r.summary.join('\n')).toContain('<h3>Hosts</h3>');
    expect(hostsTable(r.summary)).toEqual(['host1 ✅ live', 'host2 ✅ live', 'host3 ✅ live']);
    expect(world.host('host1').transport.fs.exists(LOCK)).toBe(false);
  });

  it('batch-size 1, host2 never gets healthy: host1 put back on v1, host3 untouched; the next deploy converges', async () => {
    const { world, config, v1 } = await v1Live({ batch: '1' });
    world.behave((c) =>
      c.image === 'shop/web:v2' && world.host('host2').engine.containers.has(c.id) ? UNHEALTHY : undefined,
    );

    const { r, id: v2, changes } = await deploy(world, config, 'v2');

    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringMatching(
        /^host2 failed: host2\/web#0 \(port 18001\) not healthy within 10s .*; the rollout stopped: host1 rolled back \(runs v1\); host2 failed \(runs v1\); host3 not started \(runs v1\)\. The next deploy or rollback brings every host to one release$/,
      ),
    ]);
    expect(r.lines).toEqual(expect.arrayContaining(['batch 1/3: host1', 'batch 2/3: host2']));
    expect(r.lines).not.toContain('batch 3/3: host3');
    expect(changes).toEqual({
      host1: [
        'pullImage shop/web:v2',
        `createContainer ${replica(v2, 0)}`,
        `startContainer ${replica(v2, 0)}`,
        `stopContainer ${replica(v1, 0)} 10`,
        // put back: the kept v1 container started again, health-gated, then v2 drained and stopped (kept)
        `startContainer ${replica(v1, 0)}`,
        `stopContainer ${replica(v2, 0)} 10`,
      ],
      host2: [
        'pullImage shop/web:v2',
        `createContainer ${replica(v2, 0)}`,
        `startContainer ${replica(v2, 0)}`,
        `removeContainer ${replica(v2, 0)} force`,
      ],
    });
    // host1's upstream: v2 added, v1 drained; then v1 added back and v2 drained. host2's never moved.
    const writesOn = (host: string) => upstreamWrites({ ...r, execs: r.execs.filter((e) => e.target === host) });
    expect(writesOn('host1')).toEqual([[18000, 18001], [18001], [18001, 18000], [18000]]);
    expect(writesOn('host2')).toEqual([]);
    expect(writesOn('host3')).toEqual([]);
    expect(fleetState(world)).toEqual(everyHost(['shop/web:v1'], [18000]));

    const journal = fleetJournal(world);
    expect(journal.releases.map((x) => [x.version, x.status])).toEqual([
      ['v1', 'live'],
      ['v2', 'failed'],
    ]);
    const failed = journal.releases.at(-1);
    expect(hostStates(failed)).toEqual({ host1: 'rolled back', host2: 'failed', host3: 'not started' });
    expect(failed?.hosts?.host2?.error).toMatch(/^host2\/web#0 \(port 18001\) not healthy within 10s/);
    expect(failed?.error).toMatch(/^host2 failed: /);
    expect(hostsTable(r.summary)).toEqual(['host1 ↩️ rolled back', 'host2 ❌ failed', 'host3 ⏸️ not started']);

    // v2 healthy everywhere now: the next deploy brings the three hosts to it.
    world.behave({});
    const next = await deploy(world, config, 'v2');
    expect(next.r.failed).toEqual([]);
    expect(fleetState(world)).toEqual(everyHost(['shop/web:v2'], []));
    for (const h of HOSTS) expect(upstreamPorts(world, h)).toHaveLength(1);
    expect(hostStates(fleetJournal(world).releases.at(-1))).toEqual({ host1: 'live', host2: 'live', host3: 'live' });
    expect(fleetJournal(world).releases.map((x) => [x.version, x.status])).toEqual([
      ['v1', 'superseded'],
      ['v2', 'failed'],
      ['v2', 'live'],
    ]);
  });

  it('on-failure: pause: host1 is left on v2 and the error says so; the next deploy converges', async () => {
    const { world, config } = await v1Live({ batch: '1', onFailure: 'pause' });
    world.behave((c) =>
      c.image === 'shop/web:v2' && world.host('host2').engine.containers.has(c.id) ? UNHEALTHY : undefined,
    );

    const { r, changes } = await deploy(world, config, 'v2');

    expect(r.failed).toEqual([
      expect.stringMatching(
        /^host2 failed: .*; the rollout stopped \(on-failure: pause\): host1 left switched \(runs v2\); host2 failed \(runs v1\); host3 not started \(runs v1\)\. /,
      ),
    ]);
    expect(r.lines.some((l) => l.includes('back on host1'))).toBe(false);
    expect(changes.host1?.at(-1)).toMatch(/^stopContainer shop-production-web-.*-v1-0 10$/);
    expect(fleetState(world)).toEqual({
      host1: { runs: ['shop/web:v2'], upstream: [18001] },
      host2: { runs: ['shop/web:v1'], upstream: [18000] },
      host3: { runs: ['shop/web:v1'], upstream: [18000] },
    });
    expect(hostStates(fleetJournal(world).releases.at(-1))).toEqual({
      host1: 'left switched',
      host2: 'failed',
      host3: 'not started',
    });
    expect(hostsTable(r.summary)).toEqual(['host1 ⚠️ left switched', 'host2 ❌ failed', 'host3 ⏸️ not started']);

    world.behave({});
    const next = await deploy(world, config, 'v2');
    expect(next.r.failed).toEqual([]);
    // host1's v2 of the failed release is replaced like any serving release: one release, one server, everywhere.
    expect(fleetState(world)).toEqual(everyHost(['shop/web:v2'], []));
    for (const h of HOSTS) expect(upstreamPorts(world, h)).toHaveLength(1);
    expect(next.changes.host1).toEqual([
      `createContainer ${replica(next.id, 0)}`,
      `startContainer ${replica(next.id, 0)}`,
      expect.stringMatching(/^stopContainer shop-production-web-.*-v2-0 10$/),
    ]);
  });

  it('roles: the web hosts get api, the worker host gets jobs only; a put-back skips what a host never ran', async () => {
    // batch-size 2: the web hosts together, then the worker.
    const { world, config, v1 } = await v1Live({ batch: '2', roles: true });
    const v1Changes = changesByHost(world, 0);
    expect(v1Changes.host1?.filter((c) => c.includes('jobs'))).toEqual([]);
    expect(v1Changes.host2?.filter((c) => c.includes('jobs'))).toEqual([]);
    expect(v1Changes.host3?.filter((c) => c.includes('api'))).toEqual([]);
    expect(Object.fromEntries(HOSTS.map((h) => [h, runningImages(world.host(h).engine)]))).toEqual({
      host1: ['shop/api:v1'],
      host2: ['shop/api:v1'],
      host3: ['shop/jobs:v1'],
    });
    const release = fleetJournal(world).releases.at(-1);
    expect(release?.services.api?.replicas.map((x) => x.target).sort()).toEqual(['host1', 'host2']);
    expect(release?.services.jobs?.replicas.map((x) => x.target)).toEqual(['host3']);
    // nginx fronts api: the worker's upstream file is never written.
    expect(upstreamPorts(world, 'host3')).toEqual([]);
    expect(world.host('host3').transport.fs.files.has('/etc/nginx/upstreams/shop.conf')).toBe(false);

    // v2's jobs exits at once on the worker: the web hosts (switched in the batch before) go back to v1's api.
    world.behave({ 'shop/jobs:v2': { exits: 2 } });
    const { r, changes } = await deploy(world, config, 'v2');
    expect(r.failed).toEqual([
      expect.stringMatching(
        /^host3 failed: host3\/jobs#0 exited \(code 2\) while starting; the rollout stopped: host1, host2 rolled back \(runs v1\); host3 failed \(runs v1\)\. /,
      ),
    ]);
    expect(changes.host1).toContain(`startContainer ${replica(v1, 0, 'api')}`);
    expect(changes.host3?.some((c) => c.includes('api'))).toBe(false);
    expect(Object.fromEntries(HOSTS.map((h) => [h, runningImages(world.host(h).engine)]))).toEqual({
      host1: ['shop/api:v1'],
      host2: ['shop/api:v1'],
      host3: ['shop/jobs:v1'],
    });
  });
});

describe('a host whose connection hangs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails after host-timeout and the stop grace; the rollout goes on without it and puts the others back', async () => {
    const { world, config } = await v1Live({ batch: '3', hostTimeout: '10s' });
    const hang = hangHost(world, 'host3');
    // The host-timeout and the stop grace are real-time bounds (timers), driven here by fake timers.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const mark = world.engineCalls.length;
    let settled = false;
    const run = deploy(world, config, 'v2').finally(() => {
      settled = true;
    });
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    // host1 and host2 finish their switch; host3 hangs at its first call.
    const switched = (h: string) =>
      world.engineCalls.slice(mark).some((c) => c.target === h && /^stopContainer .*-v1-0 10$/.test(c.call));
    for (let i = 0; i < 10_000 && !(switched('host1') && switched('host2')); i++) await tick();
    expect(hang.hung()).toBe(1);
    vi.advanceTimersByTime(10_000); // host-timeout: host3 is told to stop; its call takes no signal, so it hangs on
    await tick();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(5_000); // the grace (half the host-timeout, at most STOP_GRACE_MS) is over: it goes on without it
    vi.useRealTimers();
    const { r, changes } = await run;

    expect(hang.aborted()).toBe(0);
    expect(r.failed).toEqual([
      expect.stringMatching(
        /^host3 failed: host3 took longer than host-timeout \(10s\) and did not stop within 5s of being told to \(its connection hangs\?\): what it runs now is not known; the rollout stopped: host1, host2 rolled back \(runs v1\); host3 failed \(runs v1 or v2: it stopped answering\)\. /,
      ),
    ]);
    expect(changes.host3).toBeUndefined();
    expect(hostStates(fleetJournal(world).releases.at(-1))).toEqual({
      host1: 'rolled back',
      host2: 'rolled back',
      host3: 'failed',
    });
    expect(fleetJournal(world).releases.at(-1)?.hosts?.host3).toMatchObject({ abandoned: true });
    for (const h of ['host1', 'host2']) {
      expect(runningImages(world.host(h).engine)).toEqual(['shop/web:v1']);
      expect(upstreamPorts(world, h)).toEqual([18000]);
    }
    expect(world.host('host1').transport.fs.exists(LOCK)).toBe(false);
  });
});

/** deployFleet alone, with hosts that only say what they did: the cancelled run, and a put-back that fails. */
describe('deployFleet', () => {
  const release = (version: string): Release => ({
    id: `20261123T120000Z-${version}`,
    version,
    status: 'in-progress',
    strategy: 'rolling',
    driver: 'engine',
    services: {},
    startedAt: '2026-11-23T12:00:00.000Z',
  });
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, remote() {}, addSecret() {}, mask: (t: string) => t };
  const setup = (o: { batch: number; signal?: AbortSignal; undo?: DeployDeps['undoHosts'] }) => {
    const journaled: Array<Record<string, string>> = [];
    const targets = HOSTS.map((name) => ({ name }) as DeployTarget);
    const deps = {
      targets,
      clock: manualClock(),
      log: { ...quiet, group: (_n: string, fn: () => Promise<unknown>) => fn() },
      signal: o.signal,
      journal: { upsert: async (r: Release) => void journaled.push(hostStates(r)) },
      undoHosts: o.undo,
    } as unknown as DeployDeps;
    const req = {
      strategy: 'rolling',
      services: ['web'],
      session: {
        environmentName: 'production',
        config: {
          environments: { production: { targets: HOSTS.map((name) => ({ name })) } },
          services: { web: {} },
          strategy: { 'batch-size': { count: o.batch }, 'on-failure': 'rollback', 'host-timeout': 900_000 },
        },
      },
    } as unknown as DeployRequest;
    return { deps, req, journaled };
  };

  it('a cancelled run journals where every host stands and says it', async () => {
    const controller = new AbortController();
    const { deps, req, journaled } = setup({ batch: 1, signal: controller.signal });
    const r2 = release('v2');
    const p = deployFleet(deps, req, r2, release('v1'), async (t, hostDeps) => {
      if (t.name !== 'host2') return;
      controller.abort(new CancelledError('cancelled by SIGTERM'));
      hostDeps.signal?.throwIfAborted();
    });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe(
      'cancelled by SIGTERM; the rollout stopped: host1 left switched (runs v2); host2 cancelled (runs v1); host3 not started (runs v1)',
    );
    expect(journaled).toEqual([{ host1: 'left switched', host2: 'cancelled', host3: 'not started' }]);
  });

  it('each switched host is put back on its own: one that fails is left switched, the others rolled back', async () => {
    const undone: string[] = [];
    const { deps, req, journaled } = setup({
      batch: 3,
      undo: async (hosts) => {
        undone.push(...hosts.map((h) => h.name));
        if (hosts.some((h) => h.name === 'host1')) throw new Error('host1/web#0 not healthy');
      },
    });
    const r2 = release('v2');
    const err = await deployFleet(deps, req, r2, release('v1'), async (t) => {
      if (t.name === 'host3') throw new Error('host3/web#0 exited (code 1) while starting');
    }).catch((e: unknown) => e as Error);
    expect(undone.sort()).toEqual(['host1', 'host2']);
    expect(journaled.at(-1)).toEqual({ host1: 'left switched', host2: 'rolled back', host3: 'failed' });
    expect(r2.hosts?.host1?.error).toBe('putting v1 back failed: host1/web#0 not healthy');
    expect(err?.message).toBe(
      'host3 failed: host3/web#0 exited (code 1) while starting; the rollout stopped: host1 left switched (runs v2); host2 rolled back (runs v1); host3 failed (runs v1); putting v1 back on host1 failed: host1/web#0 not healthy. The next deploy or rollback brings every host to one release',
    );
  });
});
