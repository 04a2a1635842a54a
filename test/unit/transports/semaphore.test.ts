import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors.js';
import { Semaphore } from '../../../src/transports/semaphore.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Semaphore', () => {
  it('never lets more than max run at once, and serves waiters first come, first served', async () => {
    const sem = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await sem.acquire();
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(sem.inUse).toBe(0);
  });

  it('a release called twice frees one slot only', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    release();
    release();
    const a = await sem.acquire();
    let second = false;
    void sem.acquire().then(() => {
      second = true;
    });
    await tick();
    expect(second).toBe(false);
    a();
    await tick();
    expect(second).toBe(true);
  });

  it('an aborted waiter leaves the queue with the caller’s error and does not take a slot', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const controller = new AbortController();
    const waiting = sem.acquire(controller.signal, () => new CancelledError('gave up'));
    const next = sem.acquire();
    controller.abort();
    await expect(waiting).rejects.toThrow(CancelledError);
    release();
    const releaseNext = await next;
    expect(sem.inUse).toBe(1);
    releaseNext();
    expect(sem.inUse).toBe(0);
    await expect(sem.acquire(AbortSignal.abort(), () => new CancelledError('early'))).rejects.toThrow('early');
  });
});
