/**
 * How a Swarm change that does not end well ends, against a scripted Swarm (swarm-scripted.ts):
 * strategy.swarm.failure-action pause — Swarm stops where it is, the deploy fails saying so and naming the task, the
 * upstream keeps the tasks that answer, nothing is rolled back; strategy.swarm.converge-timeout — a create that does
 * not converge in time fails (and the deploy removes the service, the upstream file back as it was); an update asks
 * Swarm to roll back and follows it back; a way back that does not converge in time either fails saying both.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { SwarmEngine } from '../../../src/deploy/swarm/api.js';
import { applySpec } from '../../../src/deploy/swarm/deploy.js';
import { SwarmUpdateError, watchConvergence } from '../../../src/deploy/swarm/watch.js';
import type { SwarmServiceSpec } from '../../../src/docker/swarm-types.js';
import type { Transport } from '../../../src/transports/types.js';
import { manualClock } from '../helpers/clock.js';
import { serviceOf, specOf, taskOf } from './swarm-fakes.js';
import { fakeProxy, lineLog, NOW, OLD, scripted, siteOf } from './swarm-scripted.js';

const FAILED_ID = 'x71h1u09yxh2jbtkg0b1lzz63';
const v1 = specOf('r1', [18000, 18001]);
const v2 = specOf('r2', [18002, 18003]);
const TIMEOUT_MS = 10_000;

const update = { release: 'r2', change: 'update', before: OLD, fallback: 'r1', timeoutMs: TIMEOUT_MS } as const;
const failure = (p: Promise<unknown>) => p.then(() => new Error('expected a failure')).catch((e: Error) => e);

describe('strategy.swarm.failure-action pause', () => {
  it('Swarm pauses the update: the deploy fails naming the task, the upstream keeps the tasks that answer', async () => {
    const updating = serviceOf(v2, { version: 42, update: ['updating', NOW, 'update in progress'], previous: v1 });
    const paused = serviceOf(v2, {
      version: 42,
      update: ['paused', NOW, `update paused due to failure or early termination of task ${FAILED_ID}`],
      previous: v1,
    });
    const sw = scripted([
      {
        service: updating,
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf('c', v2, 1, 'running')],
      },
      {
        service: updating,
        tasks: [
          taskOf('a', v1, 1, 'shutdown', 'shutdown'),
          taskOf('b', v1, 2, 'running'),
          taskOf('c', v2, 1, 'running'),
          taskOf(FAILED_ID, v2, 2, 'starting'),
        ],
      },
      {
        service: paused,
        tasks: [
          taskOf('a', v1, 1, 'shutdown', 'shutdown'),
          taskOf('b', v1, 2, 'running'),
          taskOf('c', v2, 1, 'running'),
          taskOf(FAILED_ID, v2, 2, 'failed', 'shutdown', { err: 'task: non-zero exit (1)', exitCode: 1 }),
        ],
      },
    ]);
    const { proxy, writes } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const failed = await failure(watchConvergence(site, { ...update, timeoutMs: 60_000 }));
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect(failed.message).toBe(
      `Swarm paused the update of shop-production-api: update paused due to failure or early termination of task ${FAILED_ID}; task x71h1u09yxh2 (slot 2, port 18003) failed: task: non-zero exit (1): failed, exit 1; the service runs as Swarm left it (strategy.swarm.failure-action is pause): \`runbook rollback\`, or deploy again`,
    );
    // c joined once past the gate, a left when Swarm stopped it; b (old) and c (new) serve as Swarm left them.
    expect(writes.map((w) => w.servers)).toEqual([
      ['127.0.0.1:18000', '127.0.0.1:18001', '127.0.0.1:18002'],
      ['127.0.0.1:18001', '127.0.0.1:18002'],
    ]);
    // Pause is pause: the toolkit does not ask Swarm to roll back.
    expect(sw.calls).toEqual([]);
  });

  it("Swarm's rollback paused: the deploy fails saying so, the upstream on the tasks that serve", async () => {
    const sw = scripted([
      {
        service: serviceOf(v2, { update: ['updating', NOW], previous: v1 }),
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf(FAILED_ID, v2, 1, 'starting')],
      },
      {
        service: serviceOf(v1, { update: ['rollback_paused', NOW, 'rollback paused due to failure'] }),
        tasks: [
          taskOf('a', v1, 1, 'running'),
          taskOf('b', v1, 2, 'running'),
          taskOf(FAILED_ID, v2, 1, 'failed', 'shutdown', { err: 'task: non-zero exit (1)', exitCode: 1 }),
        ],
      },
    ]);
    const { proxy, writes } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const failed = await failure(watchConvergence(site, update));
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect(failed.message).toMatch(
      /^Swarm paused the update of shop-production-api: rollback paused due to failure; task x71h1u09yxh2 \(slot 1, port 18002\) failed: .*; the service runs as Swarm left it \(strategy\.swarm\.failure-action is pause\)/,
    );
    expect(writes).toEqual([]);
    expect(sw.calls).toEqual([]);
  });
});

describe('strategy.swarm.converge-timeout', () => {
  it('a create not converged in time fails naming the key and where it stood; nothing is rolled back', async () => {
    const sw = scripted([
      { service: serviceOf(v1), tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'preparing')] },
    ]);
    const { proxy } = fakeProxy([], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const started = site.clock.now().getTime();
    const failed = await failure(watchConvergence(site, { release: 'r1', change: 'create', timeoutMs: TIMEOUT_MS }));
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect(failed.message).toBe(
      'shop-production-api: not converged within 10s (strategy.swarm.converge-timeout): 1/2 tasks of r1 running',
    );
    // The clock moves with the polls (and the gate's own waits): the timeout, and at most a poll and a probe more.
    const waited = site.clock.now().getTime() - started;
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(waited).toBeLessThan(TIMEOUT_MS + 2000);
    expect(sw.calls).toEqual([]);
  });

  it('an update not converged in time: Swarm is asked to roll back, followed back, the deploy fails', async () => {
    const updating = serviceOf(v2, { version: 42, update: ['updating', NOW, 'update in progress'], previous: v1 });
    const sw = scripted(
      [
        {
          service: updating,
          tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf('c', v2, 1, 'preparing')],
        },
      ],
      {
        afterRollback: [
          {
            service: serviceOf(v1, { version: 43, update: ['rollback_started', NOW, 'manually requested rollback'] }),
            tasks: [
              taskOf('a', v1, 1, 'running'),
              taskOf('b', v1, 2, 'running'),
              taskOf('c', v2, 1, 'shutdown', 'shutdown'),
            ],
          },
          {
            service: serviceOf(v1, { version: 44, update: ['rollback_completed', NOW, 'rollback completed'] }),
            tasks: [
              taskOf('a', v1, 1, 'running'),
              taskOf('b', v1, 2, 'running'),
              taskOf('c', v2, 1, 'shutdown', 'shutdown'),
            ],
          },
        ],
      },
    );
    const { proxy, writes } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site, lines } = siteOf(sw.api, proxy);
    const failed = await failure(watchConvergence(site, update));
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect(failed.message).toBe(
      'not converged within 10s (strategy.swarm.converge-timeout): 0/2 tasks of r2 running, 2 of an older release; updating (update in progress); release r1 serves again',
    );
    expect(sw.calls).toEqual(['update version 42 rollback=previous']);
    expect(lines).toContain(
      'warning: swarm shop-production-api: asking Swarm to roll back to the previous spec (not converged within 10s (strategy.swarm.converge-timeout): 0/2 tasks of r2 running, 2 of an older release; updating (update in progress))',
    );
    expect(writes).toEqual([]);
  });

  it('an update whose way back does not converge in time either: the deploy fails saying both', async () => {
    const updating = serviceOf(v2, { version: 42, update: ['updating', NOW], previous: v1 });
    const stuck = [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'shutdown', 'shutdown')];
    const sw = scripted([{ service: updating, tasks: [...stuck, taskOf('c', v2, 1, 'preparing')] }], {
      afterRollback: [
        {
          service: serviceOf(v1, { version: 43, update: ['rollback_started', NOW, 'manually requested rollback'] }),
          tasks: [...stuck, taskOf('d', v1, 2, 'preparing'), taskOf('c', v2, 1, 'shutdown', 'shutdown')],
        },
      ],
    });
    const { proxy } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const started = site.clock.now().getTime();
    const failed = await failure(watchConvergence(site, update));
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect(failed.message).toBe(
      'not converged within 10s (strategy.swarm.converge-timeout): 0/2 tasks of r2 running, 1 of an older release; updating; and the service did not get back to release r1 within 10s either (1/2 tasks of r1 running; rollback started (manually requested rollback))',
    );
    expect(sw.calls).toEqual(['update version 42 rollback=previous']);
    // The timeout, then the same again for the way back.
    expect(site.clock.now().getTime() - started).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    expect(site.clock.now().getTime() - started).toBeLessThan(2 * TIMEOUT_MS + 4000);
  });

  it("a create: the config's converge-timeout is the deploy's, the new service removed, the upstream file back", async () => {
    const config = parseConfig(
      'app: shop\nenvironments:\n  production:\n    targets: [{ name: m1, local: true }]\nservices:\n  api: { image: acme/api, replicas: 2, network: host, host-ports: 18000-18009 }\nstrategy:\n  driver: swarm\n  swarm: { converge-timeout: 10s }\n',
      'runbook.yml',
    );
    let created: SwarmServiceSpec | undefined;
    const removed: string[] = [];
    const frame = () => ({
      service: serviceOf(created ?? v1),
      tasks: [taskOf('a', created ?? v1, 1, 'running'), taskOf('b', created ?? v1, 2, 'preparing')],
    });
    const sw = scripted([]);
    const api = {
      ...sw.api,
      inspectService: async () => (created ? frame().service : undefined),
      listTasks: async () => frame().tasks,
      listSecrets: async () => [],
      createService: async (spec: SwarmServiceSpec) => {
        created = spec;
        return 'svc1';
      },
      removeService: async (id: string) => {
        removed.push(id);
      },
    } as unknown as SwarmEngine;
    const { proxy, restored } = fakeProxy(['127.0.0.1:9'], () => 0);
    const clock = manualClock();
    const { log } = lineLog();
    // Nothing listens on the host ports yet.
    const refusing = {
      name: 'm1',
      connectTcp: async () => Promise.reject(new Error('connect ECONNREFUSED')),
    } as unknown as Transport;
    const d = {
      config,
      environment: 'production',
      target: { name: 'm1', transport: refusing, env: {} },
      name: 'api',
      service: config.services?.api,
      proxy,
      clock,
      log,
      docker: api,
      release: 'r1',
      image: 'acme/api:v1',
      secrets: {},
    } as unknown as Parameters<typeof applySpec>[0]['d'];
    const failed = await failure(
      applySpec(
        { d, api, image: 'acme/api:v1', release: 'r1', imageRef: 'acme/api:v1' },
        {
          clusterId: 'c1',
          nodeId: 'node1',
        },
      ),
    );
    expect(failed.message).toBe(
      'shop-production-api: not converged within 10s (strategy.swarm.converge-timeout): 1/2 tasks of r1 running',
    );
    // 10 s, not the default 10 min.
    expect(clock.now().getTime() - Date.parse(NOW)).toBeLessThan(TIMEOUT_MS + 2000);
    expect(removed).toEqual(['svc1']);
    expect(restored).toEqual(['server 127.0.0.1:9;\n']);
  });
});
