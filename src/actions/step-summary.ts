/** The job summary of one step: its verdict (./module.ts `RunReport`) on top of what it appended, as the runner ends it. */
import type { ActionContext } from '../core/context.js';
import { errorMessage } from '../core/errors.js';
import { githubContext } from '../github/context.js';
import { verdictSummary } from '../report/verdict.js';
import type { ActionModule, ActionRun } from './module.js';

/** The Markdown of a step's summary; `error` is what it failed with (undefined: it succeeded). */
export function stepSummary(mod: ActionModule, run: ActionRun<unknown>, error: unknown): string {
  const { report } = run;
  const inputs = run.inputs as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const words = mod.verdicts ?? { ok: 'done', failed: 'failed' };
  const verdict =
    report.verdict ??
    (error === undefined
      ? { outcome: inputs['dry-run'] === true ? 'planned' : words.ok }
      : { outcome: words.failed, detail: run.log.mask(errorMessage(error)) });
  return verdictSummary(
    {
      title: mod.title ?? mod.name,
      outcome: verdict.outcome,
      detail: verdict.detail,
      version: text(inputs.version),
      environment: text(inputs.environment),
      url: text(report.outputs['environment-url']),
      deploymentId: text(report.outputs['deployment-id']),
      stages: report.stages,
      sections: report.sections,
    },
    githubContext(run.runner.env),
  );
}

/** The summary of a step refused on its inputs (no run was prepared): the verdict and the reason. */
export function refusedSummary(mod: ActionModule, ctx: ActionContext, error: unknown): string {
  return verdictSummary(
    {
      title: mod.title ?? mod.name,
      outcome: 'refused',
      detail: ctx.log.mask(errorMessage(error)),
      environment: ctx.runner.getInput('environment') || undefined,
      sections: [],
    },
    githubContext(ctx.runner.env),
  );
}
