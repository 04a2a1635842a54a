import type { ActionContext } from '../core/context.js';
import { errorMessage } from '../core/errors.js';
import type { Runner } from '../core/runner.js';
import type { InputSpecs } from '../inputs/spec.js';
import { type ActionModule, type ActionRun, prepareRun } from './module.js';

export interface SubStepResult {
  name: string;
  ok: boolean;
  seconds: number;
  outputs: Record<string, string>;
  error?: string;
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
  const sub: ActionContext = { ...ctx, runner, onCleanup: (f) => cleanups.push(f) };
  const started = ctx.clock.now().getTime();
  let error: string | undefined;
  try {
    const session = await ctx.session();
    await ctx.log.group(`Step: ${name}`, () => mod.main(prepareRun(sub, mod, { session })));
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
  return { name, ok: error === undefined, seconds, outputs, error };
}
