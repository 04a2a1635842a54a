/**
 * Waiting for convergence while nginx follows the tasks (watch.ts), against a scripted Swarm: each frame is what the
 * Engine API shows for a few polls. The upstream gets a task only after the gate, keeps an old task while Swarm runs
 * and wants it, is never written empty, ends on the release's tasks; a Swarm rollback leaves it on the old ones and
 * fails naming the task; a task the gate refuses makes the toolkit ask Swarm to roll back.
 */
import { describe, expect, it } from 'vitest';
import { SwarmUpdateError, watchConvergence } from '../../../src/deploy/swarm/watch.js';
import { serviceOf, specOf, taskOf } from './swarm-fakes.js';
import { fakeProxy, NOW, OLD, scripted, siteOf } from './swarm-scripted.js';

const FAILED_ID = 'x71h1u09yxh2jbtkg0b1lzz63';
const v1 = specOf('r1', [18000, 18001]);
const v2 = specOf('r2', [18002, 18003]);

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
