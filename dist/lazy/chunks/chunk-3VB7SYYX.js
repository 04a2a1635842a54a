// src/transports/semaphore.ts
var Semaphore = class {
  constructor(max) {
    this.max = max;
    if (!Number.isInteger(max) || max < 1) throw new Error(`semaphore size must be a positive integer, got ${max}`);
  }
  max;
  active = 0;
  waiters = [];
  /**
   * Wait for a slot; resolves with a release function (safe to call more than once). If `signal` aborts while
   * waiting, the waiter leaves the queue and the promise rejects with `onAbort()`'s error.
   */
  acquire(signal, onAbort) {
    const abortError = () => onAbort?.() ?? new Error("aborted while waiting for a slot");
    if (signal?.aborted) return Promise.reject(abortError());
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener("abort", abort);
          resolve(this.releaser());
        }
      };
      const abort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(abortError());
      };
      signal?.addEventListener("abort", abort, { once: true });
      this.waiters.push(waiter);
    });
  }
  /** Slots in use (for tests and diagnostics). */
  get inUse() {
    return this.active;
  }
  releaser() {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant();
      else this.active--;
    };
  }
};

export {
  Semaphore
};
