import { type Clock, systemClock } from './clock.js';
import type { ActionContext, StepFn } from './context.js';
import { CancelledError, errorMessage, isUserError } from './errors.js';
import { StreamLogger } from './logger.js';
import { maskedRunner } from './masked-runner.js';
import { Masker } from './masker.js';
import type { Runner } from './runner.js';
import { actionsRunner } from './runner-actions.js';

export interface RunOptions {
  runner?: Runner;
  clock?: Clock;
  /** Where SIGINT/SIGTERM come from (tests pass an EventEmitter). */
  signals?: NodeJS.EventEmitter;
}

/**
 * The one runner every action uses: builds the logger (masking, stop-commands), handles SIGINT/SIGTERM, turns
 * errors into a one-line failure, runs cleanup, and dispatches to the post step. Resolves true on success.
 */
export async function runAction(main: StepFn, post?: StepFn, opts: RunOptions = {}): Promise<boolean> {
  const signals = opts.signals ?? process;
  const masker = new Masker();
  // Outputs, the job summary and the failure line go through the masker too, as every log line does.
  const runner = maskedRunner(opts.runner ?? actionsRunner(), (text) => masker.mask(text));
  const log = new StreamLogger({
    sink: (line) => runner.write(line),
    masker,
    mode: runner.mode,
    debug: runner.debug,
    onSecretForm: runner.mode === 'actions' ? (form) => runner.registerSecret(form) : undefined,
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
    runner,
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
        (runner.debug ? log.info.bind(log) : log.debug.bind(log))(err.stack);
      }
      if (isPost) log.warn(`post step: ${message}`);
      else runner.setFailed(message);
      return false;
    } finally {
      await runCleanup();
      log.flushRemote();
    }
  };

  try {
    if (runner.isPost()) return post ? await phase(post, true) : true;
    runner.beginMain();
    const ok = await phase(main, false);
    // A terminal has no separate post step: run it right after main, as the runner would.
    if (runner.mode === 'cli' && post) await phase(post, true);
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
