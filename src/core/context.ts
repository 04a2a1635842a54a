import type { Clock } from './clock.js';
import type { Logger } from './log-types.js';
import type { Runner } from './runner.js';

/** Everything a step needs from the outside world, injected by the runner (tests build their own). */
export interface ActionContext {
  runner: Runner;
  log: Logger;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM: long waits and commands stop, cleanup runs. */
  signal: AbortSignal;
  /** Register cleanup (closing connections, removing temp files); run in reverse order when main ends. */
  onCleanup(fn: () => Promise<void> | void): void;
}

export type StepFn = (ctx: ActionContext) => Promise<void>;
