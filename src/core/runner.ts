import { type Clock, systemClock } from './clock.js';
import type { ActionContext, StepFn } from './context.js';
import { CancelledError, errorMessage, isUserError } from './errors.js';
import type { ActionHost } from './host.js';
import { actionsHost } from './host-actions.js';
import { StreamLogger } from './logger.js';
import { Masker } from './masker.js';

export interface RunnerOptions {
  host?: ActionHost;
  clock?: Clock;
  /** Where SIGINT/SIGTERM come from (tests pass an EventEmitter). */
  signals?: NodeJS.EventEmitter;
}

/**
 * The one runner every action uses: builds the logger (masking, stop-commands), handles SIGINT/SIGTERM, turns
 * errors into a one-line failure, runs cleanup, and dispatches to the post step. Resolves true on success.
 */
export async function runAction(main: StepFn, post?: StepFn, opts: RunnerOptions = {}): Promise<boolean> {
  const host = opts.host ?? actionsHost();
  const signals = opts.signals ?? process;
  const masker = new Masker();
  const log = new StreamLogger({
    sink: (line) => host.write(line),
    masker,
    mode: host.mode,
    debug: host.debug,
    onSecretForm: host.mode === 'actions' ? (form) => host.registerSecret(form) : undefined,
    clock: opts.clock ?? systemClock,
  });
  const controller = new AbortController();
  const cleanups: Array<() => Promise<void> | void> = [];
  const runCleanup = async (): Promise<void> => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (err) {
        log.warn(`cleanup failed: ${errorMessage(err)}`);
      }
    }
  };
  const onSignal = (name: string): void => {
    if (!controller.signal.aborted) {
      log.warn(`${name} received: cancelling and cleaning up`);
      controller.abort(new CancelledError(`cancelled by ${name}`));
    } else {
      log.warn(`${name} received again: closing every connection now`);
      void runCleanup();
    }
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);

  const ctx: ActionContext = {
    host,
    log,
    clock: opts.clock ?? systemClock,
    signal: controller.signal,
    onCleanup: (fn) => {
      cleanups.push(fn);
    },
  };

  const phase = async (fn: StepFn, isPost: boolean): Promise<boolean> => {
    try {
      await fn(ctx);
      return true;
    } catch (err) {
      const message = log.maskText(failureMessage(err));
      if (!isUserError(err) && err instanceof Error && err.stack) {
        (host.debug ? log.info.bind(log) : log.debug.bind(log))(err.stack);
      }
      if (isPost) log.warn(`post step: ${message}`);
      else host.setFailed(message);
      return false;
    } finally {
      await runCleanup();
      log.flushRemote();
    }
  };

  try {
    if (host.isPost()) return post ? await phase(post, true) : true;
    host.beginMain();
    const ok = await phase(main, false);
    // A terminal has no separate post step: run it right after main, as the runner would.
    if (host.mode === 'cli' && post) await phase(post, true);
    return ok;
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
  }
}

function failureMessage(err: unknown): string {
  if (isUserError(err)) return err.message;
  const message = errorMessage(err);
  return `internal error: ${message} (re-run with step debug logging for the stack trace)`;
}
