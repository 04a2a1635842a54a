import type { ActionContext } from '../core/context.js';
import { type RunOptions, runAction } from '../core/run-action.js';
import type { commonInputs } from '../inputs/common.js';
import { type InputSpecs, type ParsedInputs, parseInputs } from '../inputs/spec.js';
import type { Connector } from '../session/connector.js';
import { LOCK_STATE, leftLockToken } from '../session/lock-hold.js';
import type { EnvironmentSession } from '../session/session.js';

/** What a step sees: the runner's context, its inputs parsed once, and the environment session of the run. */
export interface ActionRun<I> extends ActionContext {
  inputs: I;
  /** The run's environment session: opened on first use from the inputs, closed when the run ends. */
  session(): Promise<EnvironmentSession>;
}

/**
 * One action, declared once: its name (the folder under actions/ and the CLI command), its inputs (the action.yml
 * names), the step, and whether it may take the deploy lock (then the generic post step frees a lock main left).
 */
export interface ActionModule<S extends InputSpecs = InputSpecs> {
  name: string;
  summary: string;
  inputs: S;
  main(run: ActionRun<ParsedInputs<S>>): Promise<void>;
  /** Takes the deploy lock: gets the post step that releases a lock a killed main left behind. */
  locks?: boolean;
  /** A terminal command with no action.yml of its own. */
  cliOnly?: boolean;
}

/** Declare an action (keeps the input types of `main` tied to `inputs`). */
export function defineAction<S extends InputSpecs>(m: ActionModule<S>): ActionModule<S> {
  return m;
}

export interface ModuleOptions extends RunOptions {
  /** The connection seam; default: SSH/local shells and Engine clients from the ssh-* inputs. */
  connector?: Connector;
  /** A session to join instead of opening one (the root pipeline's stages share the pipeline's). */
  session?: EnvironmentSession;
}

type CommonInputs = ParsedInputs<typeof commonInputs>;

/** The step's run: inputs parsed from the runner, the session opened lazily and closed by the runner's cleanup. */
export function prepareRun<S extends InputSpecs>(
  ctx: ActionContext,
  mod: ActionModule<S>,
  opts: ModuleOptions = {},
): ActionRun<ParsedInputs<S>> {
  const inputs = parseInputs(ctx.runner, ctx.log, mod.inputs);
  let opened: Promise<EnvironmentSession> | undefined = opts.session && Promise.resolve(opts.session);
  const open = async (): Promise<EnvironmentSession> => {
    const common = inputs as unknown as CommonInputs;
    // The session (config, yaml, zod's config schemas) and the connections load when a step first needs them.
    const [{ EnvironmentSession }, { liveConnector }] = await Promise.all([
      import('../session/session.js'),
      import('../session/connector.js'),
    ]);
    const connector =
      opts.connector ??
      liveConnector(
        {
          privateKey: common['ssh-private-key'],
          passphrase: common['ssh-private-key-passphrase'],
          knownHosts: common['ssh-known-hosts'],
          insecureIgnoreHostKey: common['ssh-insecure-ignore-host-key'],
        },
        ctx.log,
        ctx.signal,
        ctx.clock,
        ctx.runner.env,
      );
    const session = await EnvironmentSession.open(ctx, common, connector);
    ctx.onCleanup(() => session.close());
    return session;
  };
  return {
    ...ctx,
    inputs,
    session: () => {
      opened ??= open();
      return opened;
    },
  };
}

/** Post step of every action that locks: if main never released the lock (killed, cancelled), release it now. */
async function releaseLeftLock(run: ActionRun<unknown>): Promise<void> {
  const token = leftLockToken(run);
  if (!token) return;
  const session = await run.session();
  if (await (await session.deployLock()).release(token)) run.runner.saveState(LOCK_STATE, '');
}

/** Run an action as the entry point does: main (or the post step), with the one runner's failure and cleanup. */
export function runModule<S extends InputSpecs>(mod: ActionModule<S>, opts: ModuleOptions = {}): Promise<boolean> {
  return runAction(
    (ctx) => mod.main(prepareRun(ctx, mod, opts)),
    // Only a run that left a lock behind needs its inputs again (a main that failed on them is not told twice).
    mod.locks
      ? async (ctx) => (leftLockToken(ctx) ? releaseLeftLock(prepareRun(ctx, mod, opts)) : undefined)
      : undefined,
    opts,
  );
}
