/** Time seam: tests inject a fixed clock; code never calls Date.now() or setTimeout for logic directly. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Milliseconds since an arbitrary origin that never jumps (unlike `Clock.now()`): for durations such as request
 * latency. Injected like Clock; only differences between two readings mean anything.
 */
export type ElapsedMs = () => number;

export const systemElapsedMs: ElapsedMs = () => performance.now();

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
