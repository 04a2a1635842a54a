import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { runAction } from '../../../src/core/run-action.js';
import { memoryRunner } from '../helpers/runner.js';

describe('runAction', () => {
  it('reports a user error as one line with no stack trace', async () => {
    const { runner, record } = memoryRunner();
    const ok = await runAction(
      async () => {
        throw new ConfigError('input "environment" is required');
      },
      undefined,
      { runner, signals: new EventEmitter() },
    );
    expect(ok).toBe(false);
    expect(record.failed).toEqual(['input "environment" is required']);
    expect(record.lines.join('\n')).not.toMatch(/at .*\.ts:\d+/);
  });

  it('reports a bug as an internal error, stack only at debug level', async () => {
    const { runner, record } = memoryRunner();
    await runAction(
      async () => {
        throw new TypeError('x is undefined');
      },
      undefined,
      { runner, signals: new EventEmitter() },
    );
    expect(record.failed[0]).toMatch(/^internal error: x is undefined/);
    const stackLines = record.lines.filter((l) => l.includes('run-action.test.ts'));
    expect(stackLines.length).toBeGreaterThan(0);
    expect(stackLines.every((l) => l.startsWith('::debug::'))).toBe(true);
  });

  it('masks secrets in the failure message', async () => {
    const { runner, record } = memoryRunner();
    await runAction(
      async (ctx) => {
        ctx.log.addSecret('s3cr3t-token');
        throw new ConfigError('bad token s3cr3t-token');
      },
      undefined,
      { runner, signals: new EventEmitter() },
    );
    expect(record.failed).toEqual(['bad token ***']);
  });

  it('runs cleanup in reverse order after success and after failure', async () => {
    for (const fails of [false, true]) {
      const { runner } = memoryRunner();
      const order: string[] = [];
      await runAction(
        async (ctx) => {
          ctx.onCleanup(() => {
            order.push('first');
          });
          ctx.onCleanup(() => {
            order.push('second');
          });
          if (fails) throw new ConfigError('boom');
        },
        undefined,
        { runner, signals: new EventEmitter() },
      );
      expect(order).toEqual(['second', 'first']);
    }
  });

  it('SIGINT aborts the step signal and the step fails as cancelled', async () => {
    const { runner, record } = memoryRunner();
    const signals = new EventEmitter();
    const ok = await runAction(
      async (ctx) => {
        setTimeout(() => signals.emit('SIGINT'), 10);
        await ctx.clock.sleep(60_000, ctx.signal);
      },
      undefined,
      { runner, signals },
    );
    expect(ok).toBe(false);
    expect(record.failed).toEqual(['cancelled by SIGINT']);
    expect(record.lines.some((l) => l.includes('SIGINT received'))).toBe(true);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('a second signal forces cleanup while main is still stuck', async () => {
    const { runner } = memoryRunner();
    const signals = new EventEmitter();
    let closed = 0;
    await runAction(
      async (ctx) => {
        ctx.onCleanup(() => {
          closed++;
        });
        signals.emit('SIGINT');
        signals.emit('SIGTERM');
        await new Promise((r) => setTimeout(r, 10));
        expect(closed).toBe(1);
      },
      undefined,
      { runner, signals },
    );
    expect(closed).toBe(1);
  });

  it('dispatches to the post step when the runner says so; a post failure is a warning', async () => {
    const { runner, record } = memoryRunner({}, { post: true });
    let mainRan = false;
    const ok = await runAction(
      async () => {
        mainRan = true;
      },
      async () => {
        throw new ConfigError('lock release failed');
      },
      { runner, signals: new EventEmitter() },
    );
    expect(mainRan).toBe(false);
    expect(ok).toBe(false);
    expect(record.failed).toEqual([]);
    expect(record.lines).toContain('::warning::post step: lock release failed');
  });

  it('in a terminal, post runs right after main', async () => {
    const { runner } = memoryRunner({}, { mode: 'cli' });
    const order: string[] = [];
    await runAction(
      async () => {
        order.push('main');
      },
      async () => {
        order.push('post');
      },
      { runner, signals: new EventEmitter() },
    );
    expect(order).toEqual(['main', 'post']);
  });
});
