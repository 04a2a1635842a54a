/**
 * Waiting for convergence while nginx follows the tasks (watch.ts), against a scripted Swarm: each frame is what the
 * Engine API shows for a few polls. The upstream gets a task only after the gate, keeps an old task while Swarm runs
 * and wants it, is never written empty, ends on the release's tasks; a Swarm rollback leaves it on the old ones and
 * fails naming the task; a task the gate refuses makes the toolkit ask Swarm to roll back.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { Config } from '../../../src/config/schema.js';
import type { SwarmEngine } from '../../../src/deploy/swarm/api.js';
import { SwarmUpdateError, watchConvergence } from '../../../src/deploy/swarm/watch.js';
import type { SwarmService, SwarmTask } from '../../../src/docker/swarm.js';
import type { ContainerInfo } from '../../../src/docker/types.js';
import type { NginxUpstream } from '../../../src/proxy/nginx.js';
import type { UpstreamServer } from '../../../src/proxy/upstream-file.js';
import type { Transport } from '../../../src/transports/types.js';
import { manualClock } from '../helpers/clock.js';
import { serviceOf, specOf, taskOf } from './swarm-fakes.js';

const POLLS_PER_FRAME = 12;
const OLD = '2026-11-23T11:00:00Z';
const NOW = '2026-11-23T12:00:00Z';
const FAILED_ID = 'x71h1u09yxh2jbtkg0b1lzz63';
const v1 = specOf('r1', [18000, 18001]);
const v2 = specOf('r2', [18002, 18003]);

interface Frame {
  service: SwarmService;
  tasks: SwarmTask[];
}

/** A Swarm that shows each frame for POLLS_PER_FRAME polls (the last one for ever); `afterRollback` once asked to. */
function scripted(frames: Frame[], o: { afterRollback?: Frame[]; stopped?: Set<string> } = {}) {
  let script = frames;
  let at = 0;
  let polls = 0;
  const calls: string[] = [];
  const frame = () => script[Math.min(at, script.length - 1)] as Frame;
  const api = {
    inspectService: async () => frame().service,
    listTasks: async () => {
      const tasks = frame().tasks;
      if (++polls >= POLLS_PER_FRAME) {
        polls = 0;
        at++;
      }
      return tasks;
    },
    updateService: async (_id: string, version: number, _spec: unknown, opts?: { rollback?: boolean }) => {
      calls.push(`update version ${version}${opts?.rollback ? ' rollback=previous' : ''}`);
      if (opts?.rollback && o.afterRollback) {
        script = o.afterRollback;
        at = 0;
        polls = 0;
      }
      return [];
    },
    inspectContainer: async (id: string) =>
      ({
        state: { running: !o.stopped?.has(id), exitCode: 0, startedAt: NOW, status: 'running', pid: 1, finishedAt: '' },
      }) as ContainerInfo,
    containerLogs: async () => '',
    listNodes: async () => [
      { id: 'node1', hostname: 'm1', addr: '10.0.0.7', state: 'ready', availability: 'active', role: 'manager' },
      { id: 'node2', hostname: 'w1', addr: '10.0.0.8', state: 'ready', availability: 'active', role: 'worker' },
    ],
  };
  return { api: api as unknown as SwarmEngine, calls, frame: () => at };
}

/** An nginx upstream in memory: each switch recorded with the frame it happened in. */
function fakeProxy(initial: string[], frameOf: () => number) {
  const writes: Array<{ frame: number; servers: string[] }> = [];
  let servers: UpstreamServer[] = initial.map((address) => ({ address }));
  const proxy = {
    read: async () => ({ text: '', file: { servers } }),
    set: async (next: readonly UpstreamServer[]) => {
      servers = [...next];
      writes.push({ frame: frameOf(), servers: next.map((s) => s.address).sort() });
    },
  };
  return { proxy: proxy as unknown as NginxUpstream, writes };
}

/** Every port accepts a connection. */
const transport = {
  name: 'm1',
  connectTcp: async () => new PassThrough(),
} as unknown as Transport;

const config: Config = parseConfig(
  'app: shop\nenvironments:\n  production:\n    targets: [{ name: m1, local: true }]\nservices:\n  api: { image: acme/api, replicas: 2, network: host, host-ports: 18000-18009 }\nstrategy:\n  drain: 1s\n  driver: swarm\n',
  'runbook.yml',
);

function siteOf(api: SwarmEngine, proxy: NginxUpstream) {
  const lines: string[] = [];
  const log = {
    info: (l: string) => lines.push(l),
    warn: (l: string) => lines.push(`warning: ${l}`),
    debug: () => undefined,
    error: (l: string) => lines.push(`error: ${l}`),
    remote: () => undefined,
  };
  return {
    lines,
    site: {
      config,
      environment: 'production',
      target: { name: 'm1', transport, env: {} },
      name: 'api',
      // No health config: the gate is "keeps running and accepts connections for 3 s".
      service: config.services?.api,
      proxy,
      clock: manualClock(),
      log,
      api,
      serviceId: 'svc1',
      serviceName: 'shop-production-api',
      localNode: 'node1',
    } as unknown as Parameters<typeof watchConvergence>[0],
  };
}

describe('watchConvergence', () => {
  it('an update: new tasks join the upstream after the gate, old ones leave once Swarm stops them', async () => {
    const updating = serviceOf(v2, { update: ['updating', NOW, 'update in progress'], previous: v1 });
    const completed = serviceOf(v2, { update: ['completed', NOW, 'update completed'], previous: v1 });
    const sw = scripted([
      {
        service: updating,
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf('c', v2, 1, 'starting')],
      },
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
          taskOf('d', v2, 2, 'running'),
        ],
      },
      {
        service: completed,
        tasks: [
          taskOf('a', v1, 1, 'shutdown', 'shutdown'),
          taskOf('b', v1, 2, 'shutdown', 'shutdown'),
          taskOf('c', v2, 1, 'running'),
          taskOf('d', v2, 2, 'running'),
        ],
      },
    ]);
    const { proxy, writes } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site, lines } = siteOf(sw.api, proxy);
    const done = await watchConvergence(site, {
      release: 'r2',
      change: 'update',
      before: OLD,
      fallback: 'r1',
      timeoutMs: 60_000,
    });
    expect(done.tasks.map((t) => t.id)).toEqual(['c', 'd']);
    expect(writes.at(-1)?.servers).toEqual(['127.0.0.1:18002', '127.0.0.1:18003']);
    for (const w of writes) expect(w.servers.length).toBeGreaterThan(0);
    // b (18001) runs and is wanted until frame 3: every switch before keeps it.
    for (const w of writes.filter((x) => x.frame < 3)) expect(w.servers).toContain('127.0.0.1:18001');
    // c (18002) joined while the old tasks still served.
    expect(writes[0]?.servers).toEqual(['127.0.0.1:18000', '127.0.0.1:18001', '127.0.0.1:18002']);
    expect(lines).toContain(
      'swarm shop-production-api: 0/2 tasks of r2 running, 2 of an older release; updating (update in progress); 2 in the upstream [0s]',
    );
    expect(sw.calls).toEqual([]);
  });

  it("Swarm's rollback: the upstream stays on the old tasks, the error names the task", async () => {
    const sw = scripted([
      {
        service: serviceOf(v2, { update: ['updating', NOW], previous: v1 }),
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf(FAILED_ID, v2, 1, 'starting')],
      },
      {
        service: serviceOf(v1, {
          update: [
            'rollback_started',
            NOW,
            `update rolled back due to failure or early termination of task ${FAILED_ID}`,
          ],
        }),
        tasks: [
          taskOf('a', v1, 1, 'running'),
          taskOf('b', v1, 2, 'running'),
          taskOf(FAILED_ID, v2, 1, 'complete', 'shutdown', { message: 'finished' }),
        ],
      },
      {
        service: serviceOf(v1, { update: ['rollback_completed', NOW, 'rollback completed'] }),
        tasks: [
          taskOf('a', v1, 1, 'running'),
          taskOf('b', v1, 2, 'running'),
          taskOf(FAILED_ID, v2, 1, 'complete', 'shutdown'),
        ],
      },
    ]);
    const { proxy, writes } = fakeProxy(['127.0.0.1:18000', '127.0.0.1:18001'], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const failed = await watchConvergence(site, {
      release: 'r2',
      change: 'update',
      before: OLD,
      fallback: 'r1',
      timeoutMs: 60_000,
    }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(SwarmUpdateError);
    expect((failed as Error).message).toBe(
      `Swarm rolled the update of shop-production-api back: update rolled back due to failure or early termination of task ${FAILED_ID}; task x71h1u09yxh2 (slot 1, port 18002) complete: finished, exit 0; release r1 serves again`,
    );
    expect(writes).toEqual([]);
  });

  it("a task on another node: nginx reaches it at that node's address, the gate judges it by Swarm's report", async () => {
    const elsewhere = { nodeId: 'node2' };
    const sw = scripted([
      {
        service: serviceOf(v1),
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'starting', 'running', elsewhere)],
      },
      {
        service: serviceOf(v1),
        tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running', 'running', elsewhere)],
      },
    ]);
    const { proxy, writes } = fakeProxy([], sw.frame);
    const { site } = siteOf(sw.api, proxy);
    const done = await watchConvergence(site, { release: 'r1', change: 'create', timeoutMs: 60_000 });
    expect(done.addresses).toEqual({ a: '127.0.0.1:18000', b: '10.0.0.8:18001' });
    expect(writes.at(-1)?.servers).toEqual(['10.0.0.8:18001', '127.0.0.1:18000']);
  });

  it('a task the gate refuses: the toolkit asks Swarm to roll back and follows it', async () => {
    const updating = serviceOf(v2, { version: 42, update: ['updating', NOW], previous: v1 });
    const sw = scripted(
      [
        {
          service: updating,
          tasks: [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running'), taskOf('c', v2, 1, 'running')],
        },
      ],
      {
        stopped: new Set(['c-c']),
        afterRollback: [
          {
            service: serviceOf(v1, { update: ['rollback_completed', '2026-11-23T12:01:00Z', 'rollback completed'] }),
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
    const { site } = siteOf(sw.api, proxy);
    const failed = await watchConvergence(site, {
      release: 'r2',
      change: 'update',
      before: OLD,
      fallback: 'r1',
      timeoutMs: 60_000,
    }).catch((e: Error) => e);
    expect(sw.calls).toEqual(['update version 42 rollback=previous']);
    expect((failed as Error).message).toMatch(
      /^m1\/api task shop-production-api\.1 \(port 18002\) exited \(code 0\) while starting; release r1 serves again$/,
    );
    expect(writes).toEqual([]);
  });
});
