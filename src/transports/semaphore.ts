/** A tiny counting semaphore with a FIFO queue, so waiters are served in the order they asked. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`semaphore size must be a positive integer, got ${max}`);
  }

  /**
   * Wait for a slot; resolves with a release function (safe to call more than once). If `signal` aborts while
   * waiting, the waiter leaves the queue and the promise rejects with `onAbort()`'s error.
   */
  acquire(signal?: AbortSignal, onAbort?: () => Error): Promise<() => void> {
    const abortError = (): Error => onAbort?.() ?? new Error('aborted while waiting for a slot');
    if (signal?.aborted) return Promise.reject(abortError());
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', abort);
          resolve(this.releaser());
        },
      };
      const abort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Slots in use (for tests and diagnostics). */
  get inUse(): number {
    return this.active;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter so a late arrival cannot jump the queue.
      if (next) next.grant();
      else this.active--;
    };
  }
}
