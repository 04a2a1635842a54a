/** The convergence reader: where a create, update or rollback of a Swarm service stands, from what Swarm reports. */
import { describe, expect, it } from 'vitest';
import { describeTask, progressText, readConvergence } from '../../../src/deploy/swarm/converge.js';
import { serviceOf, specOf, taskOf } from './swarm-fakes.js';

const v1 = specOf('r1', [18000, 18001]);
const v2 = specOf('r2', [18002, 18003]);
const OLD = '2026-11-23T11:00:00Z';
const NOW = '2026-11-23T12:00:00Z';

describe('readConvergence', () => {
  it('create: converging until every task runs, then converged (no update to wait for)', () => {
    const starting = readConvergence(
      serviceOf(v1),
      [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'starting')],
      'r1',
      'create',
      undefined,
    );
    expect(starting.phase).toBe('converging');
    expect(starting.running.map((t) => [t.slot, t.port])).toEqual([[1, 18000]]);
    expect(progressText(starting, 'r1')).toBe('1/2 tasks of r1 running');
    const done = readConvergence(
      serviceOf(v1),
      [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running')],
      'r1',
      'create',
      undefined,
    );
    expect(done.phase).toBe('converged');
  });

  it('update: an older UpdateStatus is not this one; converged only once Swarm says completed and the old tasks are gone', () => {
    const tasks = [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running')];
    // Right after the update call: the last update's "completed" is still there.
    const stale = readConvergence(serviceOf(v2, { update: ['completed', OLD] }), tasks, 'r2', 'update', OLD);
    expect(stale.phase).toBe('converging');
    expect(stale.update).toBeUndefined();
    expect(stale.others.map((t) => t.id)).toEqual(['a', 'b']);
    const mid = readConvergence(
      serviceOf(v2, { update: ['updating', NOW, 'update in progress'] }),
      [taskOf('c', v2, 1, 'running'), taskOf('a', v1, 1, 'running', 'shutdown'), taskOf('b', v1, 2, 'running')],
      'r2',
      'update',
      OLD,
    );
    expect(mid.phase).toBe('converging');
    expect(progressText(mid, 'r2')).toBe(
      '1/2 tasks of r2 running, 2 of an older release; updating (update in progress)',
    );
    const settledButMonitoring = readConvergence(
      serviceOf(v2, { update: ['updating', NOW] }),
      [taskOf('c', v2, 1, 'running'), taskOf('d', v2, 2, 'running'), taskOf('b', v1, 2, 'shutdown', 'shutdown')],
      'r2',
      'update',
      OLD,
    );
    expect(settledButMonitoring.phase).toBe('converging');
    const done = readConvergence(
      serviceOf(v2, { update: ['completed', NOW, 'update completed'] }),
      [taskOf('c', v2, 1, 'running'), taskOf('d', v2, 2, 'running'), taskOf('b', v1, 2, 'shutdown', 'shutdown')],
      'r2',
      'update',
      OLD,
    );
    expect(done.phase).toBe('converged');
    expect(done.others).toEqual([]);
  });

  it("update: Swarm's rollback after a failed task, which it names", () => {
    const failed = taskOf('x71h1u09yxh2jbtkg0b1lzz63', v2, 1, 'complete', 'shutdown', { message: 'finished' });
    const c = readConvergence(
      serviceOf(v1, {
        update: [
          'rollback_started',
          NOW,
          'update rolled back due to failure or early termination of task x71h1u09yxh2jbtkg0b1lzz63',
        ],
      }),
      [failed, taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running')],
      'r2',
      'update',
      OLD,
    );
    expect(c.phase).toBe('rolling-back');
    expect(c.failed?.id).toBe('x71h1u09yxh2jbtkg0b1lzz63');
    expect(c.failed && describeTask(c.failed)).toBe(
      'task x71h1u09yxh2 (slot 1, port 18002) complete: finished, exit 0',
    );
    expect(readConvergence(serviceOf(v1, { update: ['rollback_completed', NOW] }), [], 'r2', 'update', OLD).phase).toBe(
      'rolled-back',
    );
  });

  it('paused: the update (failure-action pause) or a rollback Swarm stopped', () => {
    expect(
      readConvergence(
        serviceOf(v2, { update: ['paused', NOW, 'update paused due to failure'] }),
        [],
        'r2',
        'update',
        OLD,
      ).phase,
    ).toBe('paused');
    expect(readConvergence(serviceOf(v1, { update: ['rollback_paused', NOW] }), [], 'r1', 'rollback', OLD).phase).toBe(
      'paused',
    );
  });

  it('rollback (asked by the toolkit): rollback_started is progress, rollback_completed with the tasks settled is done', () => {
    const svc = (state: string) => serviceOf(v1, { previous: v2, update: [state, NOW, 'manually requested rollback'] });
    const tasks = [taskOf('a', v1, 1, 'running'), taskOf('b', v1, 2, 'running')];
    expect(readConvergence(svc('rollback_started'), tasks, 'r1', 'rollback', OLD).phase).toBe('converging');
    expect(readConvergence(svc('rollback_completed'), tasks, 'r1', 'rollback', OLD).phase).toBe('converged');
    expect(readConvergence(svc('rollback_completed'), tasks.slice(0, 1), 'r1', 'rollback', OLD).phase).toBe(
      'converging',
    );
  });

  it('a task that failed while starting is not wanted; the release’s newest failure is named without a message', () => {
    const c = readConvergence(
      serviceOf(v2, { update: ['updating', NOW] }),
      [
        taskOf('f1', v2, 1, 'failed', 'shutdown', {
          err: 'task: non-zero exit (1)',
          exitCode: 1,
          timestamp: '2026-11-23T12:00:01Z',
        }),
        taskOf('f2', v2, 1, 'starting'),
        taskOf('a', v1, 1, 'running'),
      ],
      'r2',
      'update',
      OLD,
    );
    expect(c.wanted.map((t) => t.id)).toEqual(['f2']);
    expect(c.failed && describeTask(c.failed)).toBe(
      'task f1 (slot 1, port 18002) failed: task: non-zero exit (1): failed, exit 1',
    );
  });
});
