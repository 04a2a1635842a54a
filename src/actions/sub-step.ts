import type { ActionContext } from '../core/context.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { wrapLogger } from '../core/logger-wrap.js';
import type { Runner } from '../core/runner.js';
import type { InputSpecs } from '../inputs/spec.js';
import { type ActionModule, type ActionRun, prepareRun } from './module.js';

export interface SubStepResult {
  name: string;
  ok: boolean;
  seconds: number;
  outputs: Record<string, string>;
  error?: string;
  /** Its summary sections (tables), for the pipeline's summary under its own verdict. */
  sections: string[];
}

/**
 * Run one action's step inside the root pipeline: its inputs are the parent's with some set (`backup-id` from the
 * backup step …), its outputs are collected instead of published, and it works in the parent's session (the same
 * connections, and the deploy lock the pipeline holds). Its own cleanup runs when it ends, as in a step of its own;
 * state still reaches the parent's post step, so a killed run leaves nothing the post step cannot release.
 */
export async function runSubStep<S extends InputSpecs>(
  ctx: ActionRun<unknown>,
  mod: ActionModule<S>,
  inputs: Record<string, string>,
  /** Collects what the step logs (masked), e.g. a dry run's plan for the PR comment. */
  capture?: string[],
): Promise<SubStepResult> {
  const { name } = mod;
  const outputs: Record<string, string> = {};
  const runner: Runner = {
    ...ctx.runner,
    getInput: (n) => inputs[n] ?? ctx.runner.getInput(n),
    setOutput: (n, v) => {
      outputs[n] = v;
    },
    setFailed: () => undefined,
  };
  const cleanups: Array<() => Promise<void> | void> = [];
  const log = capture ? teeLogger(ctx.log, capture) : ctx.log;
  const sub: ActionContext = { ...ctx, runner, log, onCleanup: (f) => cleanups.push(f) };
  const started = ctx.clock.now().getTime();
  let error: string | undefined;
  let sections: string[] = [];
  try {
    const session = await ctx.session();
    const run = prepareRun(sub, mod, { session });
    sections = run.report.sections;
    await ctx.log.group(`Step: ${name}`, () => mod.main(run));
  } catch (err) {
    error = errorMessage(err);
  } finally {
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()?.();
      } catch (err) {
        ctx.log.warn(`${name}: cleanup failed: ${errorMessage(err)}`);
      }
    }
  }
  const seconds = (ctx.clock.now().getTime() - started) / 1000;
  return { name, ok: error === undefined, seconds, outputs, error, sections };
}

/** A logger that also keeps the info and warning lines it logs (masked) in `lines`. */
function teeLogger(log: Logger, lines: string[]): Logger {
  return wrapLogger(log, {
    info: (m) => {
      lines.push(log.mask(m));
      log.info(m);
    },
    warn: (m) => {
      lines.push(`warning: ${log.mask(m)}`);
      log.warn(m);
    },
    remote: (source, stream, text) => {
      // What a command printed (a migration tool's SQL): its lines as they are, masked.
      if (stream === 'stdout') for (const line of log.mask(text).replace(/\n$/, '').split('\n')) lines.push(line);
      log.remote(source, stream, text);
    },
  });
}
