import type { ActionContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { type RunOptions, runAction } from '../core/run-action.js';
import { githubContext, untrustedReason } from '../github/context.js';
import type { commonInputs } from '../inputs/common.js';
import { type InputSpecs, type ParsedInputs, parseInputs } from '../inputs/spec.js';
import type { Connector } from '../session/connector.js';
import { LOCK_STATE, leftLockToken } from '../session/lock-hold.js';
import type { EnvironmentSession } from '../session/session.js';

/** What a step's job summary is made of: its verdict (when the step sets one), its stages and its own sections. */
export interface RunReport {
  /** Set by a step whose outcome is more than ok/failed (refused, rolled back, skipped, planned, paused …). */
  verdict?: { outcome: string; detail?: string };
  /** The stages of a step made of several (the pipeline), for the timeline. */
  stages?: Array<{ name: string; at: number; seconds: number; ok: boolean }>;
  /** What the step appended to its summary, in order: written after the verdict. */
  sections: string[];
  /** The outputs it set. */
  outputs: Record<string, string>;
}

/** What a step sees: the runner's context, its inputs parsed once, and the environment session of the run. */
export interface ActionRun<I> extends ActionContext {
  inputs: I;
  /** Its job summary in the making: `runner.appendSummary` adds a section; the verdict goes on top at the end. */
  report: RunReport;
  /** A stage of the root pipeline (which tells GitHub and the webhooks about the whole run itself). */
  nested: boolean;
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
  /** The summary's title and the words of its verdict when the step sets none (default: the name; done / failed). */
  title?: string;
  verdicts?: { ok: string; failed: string };
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
  const report: RunReport = { sections: [], outputs: {} };
  // The step's summary sections and outputs are kept for the verdict written at its end.
  const parent = ctx.runner;
  const runner = {
    ...parent,
    appendSummary: async (markdown: string) => {
      report.sections.push(markdown);
    },
    setOutput: (name: string, value: string) => {
      report.outputs[name] = value;
      parent.setOutput(name, value);
    },
  };
  ctx = { ...ctx, runner };
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
    report,
    nested: opts.session !== undefined,
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
    async (ctx) => {
      let run: ActionRun<ParsedInputs<S>>;
      try {
        run = prepareRun(ctx, mod, opts);
      } catch (err) {
        // Refused on its inputs: the summary still says so, before anything was opened.
        const { refusedSummary } = await import('./step-summary.js');
        await ctx.runner.appendSummary(refusedSummary(mod, ctx, err));
        throw err;
      }
      let error: unknown;
      try {
        // A fork's pull request gets no secrets and must not change anything: refused (a dry run: skipped).
        const untrusted = mod.locks ? untrustedReason(githubContext(ctx.runner.env)) : undefined;
        if (untrusted) {
          const why = `untrusted context (${untrusted}): a fork's pull request runs without the repository's secrets and never changes an environment`;
          if ((run.inputs as { 'dry-run'?: boolean })['dry-run'] !== true) throw new UserError(`refused: ${why}`);
          ctx.log.warn(`skipped: ${why}`);
          run.report.verdict = { outcome: 'skipped', detail: `skipped: ${why}` };
          return;
        }
        await mod.main(run);
      } catch (err) {
        error = err;
        throw err;
      } finally {
        // Written when the step fails too: the verdict first, then what the step had appended.
        const { stepSummary } = await import('./step-summary.js');
        await ctx.runner.appendSummary(stepSummary(mod, run, error));
      }
    },
    // Only a run that left a lock behind needs its inputs again (a main that failed on them is not told twice).
    mod.locks
      ? async (ctx) => (leftLockToken(ctx) ? releaseLeftLock(prepareRun(ctx, mod, opts)) : undefined)
      : undefined,
    opts,
  );
}
