import type { ActionContext, StepFn } from '../core/context.js';
import { errorMessage } from '../core/errors.js';
import type { ActionHost } from '../core/host.js';

export interface SubStepResult {
  name: string;
  ok: boolean;
  seconds: number;
  outputs: Record<string, string>;
  error?: string;
}

/**
 * Run one action's `run()` inside another (the root action's pipeline): its inputs are the parent's with some set
 * (`backup-id` from the backup step …), its outputs are collected instead of published, and its cleanup (closing
 * connections, releasing the deploy lock) runs when it ends, as it would in a step of its own. State still reaches
 * the parent's post step, so a killed run leaves nothing the post step cannot release.
 */
export async function runSubStep(
  ctx: ActionContext,
  name: string,
  fn: StepFn,
  inputs: Record<string, string>,
): Promise<SubStepResult> {
  const outputs: Record<string, string> = {};
  const host: ActionHost = {
    ...ctx.host,
    getInput: (n) => inputs[n] ?? ctx.host.getInput(n),
    setOutput: (n, v) => {
      outputs[n] = v;
    },
    setFailed: () => undefined,
  };
  const cleanups: Array<() => Promise<void> | void> = [];
  const sub: ActionContext = { ...ctx, host, onCleanup: (f) => cleanups.push(f) };
  const started = ctx.clock.now().getTime();
  let error: string | undefined;
  try {
    await ctx.log.group(`Step: ${name}`, () => fn(sub));
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
