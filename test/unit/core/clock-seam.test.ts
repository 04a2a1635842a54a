/** The logger and the runner take time from the clock seam, never from the wall clock. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { runAction } from '../../../src/core/run-action.js';
import { manualClock } from '../helpers/clock.js';
import { memoryRunner } from '../helpers/runner.js';

describe('StreamLogger on a clock', () => {
  it('times a CLI group by the clock it was given, nested groups too', async () => {
    const clock = manualClock();
    const lines: string[] = [];
    const log = new StreamLogger({
      sink: (l) => lines.push(l),
      masker: new Masker(),
      mode: 'cli',
      debug: false,
      clock,
    });
    await log.group('Deploy', async () => {
      clock.advance(1_250);
      await log.group('Health gate', async () => {
        await clock.sleep(42_000);
      });
    });
    expect(lines).toEqual(['▶ Deploy', '  ▶ Health gate', '  ◀ Health gate (42.0s)', '◀ Deploy (43.3s)']);
  });

  it('says 0.0s when the clock does not move, however long the group really takes', async () => {
    const clock = manualClock();
    const lines: string[] = [];
    const log = new StreamLogger({
      sink: (l) => lines.push(l),
      masker: new Masker(),
      mode: 'cli',
      debug: false,
      clock,
    });
    await log.group('Wait', () => new Promise((resolve) => setImmediate(resolve)));
    expect(lines.at(-1)).toBe('◀ Wait (0.0s)');
  });
});

describe('runAction', () => {
  it('builds its logger on the run clock (the one steps get as ctx.clock)', async () => {
    const clock = manualClock();
    const { runner, record } = memoryRunner({}, { mode: 'cli' });
    const ok = await runAction(
      async (ctx) => {
        expect(ctx.clock).toBe(clock);
        await ctx.log.group('Backup', () => ctx.clock.sleep(90_000));
      },
      undefined,
      { runner, clock, signals: new EventEmitter() },
    );
    expect(ok).toBe(true);
    expect(record.lines).toContain('◀ Backup (90.0s)');
  });
});
