import { UserError } from '../core/errors.js';
import type { pipelineInputs } from '../inputs/pipeline.js';
import type { InputSpecs, ParsedInputs } from '../inputs/spec.js';
import {
  backupAction,
  deployAction,
  migrateAction,
  preDeployCheckAction,
  rollbackAction,
  smokeTestAction,
} from './catalog.js';
import type { ActionModule, ActionRun } from './module.js';
import { runSubStep, type SubStepResult } from './sub-step.js';

/** One line of the timeline: when it started (from the pipeline's start), the step, the verdict, how long. */
export function timelineLine(at: number, s: SubStepResult, detail: string): string {
  return `${`+${at.toFixed(1)}s`.padStart(8)}  ${s.name.padEnd(18)} ${(s.ok ? 'ok' : 'FAILED').padEnd(7)} ${`${s.seconds.toFixed(1)}s`.padStart(7)}  ${detail}`;
}

function detailOf(s: SubStepResult): string {
  const o = s.outputs;
  if (!s.ok) return s.error ?? '';
  switch (s.name) {
    case 'backup':
      return `${o['backup-id']} (verified ${o.verified})`;
    case 'migrate':
      return `schema ${o['revision-before'] || '(none)'} → ${o['revision-after'] || '(none)'}`;
    case 'deploy':
      return `release ${o['release-id']} live${o['previous-version'] ? ` (was ${o['previous-version']})` : ''}`;
    case 'rollback':
      return `restored ${o['restored-version']} (${o['restored-release-id']})${o['migration-revision'] ? `, schema ${o['migration-revision']}` : ''}`;
    default:
      return o.passed ? `passed=${o.passed}` : '';
  }
}

/**
 * The root action: pre-deploy-check → backup → migrate → deploy → smoke-test in one step, each exactly the single
 * action, all in one environment session (one connection per host), and an automatic rollback to the release that
 * was live before when the deploy or the smoke test fails. The deploy lock is held from the first change (the
 * backup) to the end of the rollback: no other run can slip in between two stages. Prints a timeline.
 */
export async function runPipeline(ctx: ActionRun<ParsedInputs<typeof pipelineInputs>>): Promise<void> {
  const { log, runner, clock, inputs } = ctx;
  const session = await ctx.session();
  const { config } = session;
  const t0 = clock.now().getTime();
  const steps: { at: number; s: SubStepResult }[] = [];
  const step = async <S extends InputSpecs>(
    mod: ActionModule<S>,
    extra: Record<string, string> = {},
  ): Promise<SubStepResult> => {
    const at = (clock.now().getTime() - t0) / 1000;
    const s = await runSubStep(ctx, mod, extra);
    steps.push({ at, s });
    log.info(timelineLine(at, s, detailOf(s)));
    return s;
  };
  const db = config.database;
  const dry = inputs['dry-run'];

  let failed: SubStepResult | undefined;
  let rolledBack: SubStepResult | undefined;
  const pre = await step(preDeployCheckAction);
  let deploy: SubStepResult | undefined;
  if (!pre.ok) failed = pre;
  else {
    // From the first change to the end of an automatic rollback, this run holds the environment.
    if (!dry) await session.lock(ctx, inputs['lock-wait']);
    const backup = db?.backup && !dry ? await step(backupAction) : undefined;
    if (backup && !backup.ok) failed = backup;
    const migrate =
      !failed && db?.migrate
        ? await step(migrateAction, { 'backup-id': backup?.outputs['backup-id'] ?? '' })
        : undefined;
    if (migrate && !migrate.ok) failed = migrate;
    if (!failed) {
      deploy = await step(deployAction, { 'backup-id': backup?.outputs['backup-id'] ?? '' });
      if (!deploy.ok) failed = deploy;
    }
    if (!failed && config.smoke) {
      const smoke = await step(smokeTestAction);
      if (!smoke.ok) failed = smoke;
    }
    const previous = deploy?.outputs['previous-release-id'];
    if (failed && !dry && inputs.rollback && deploy?.outputs['release-id']) {
      if (previous) {
        rolledBack = await step(rollbackAction, {
          'release-id': previous,
          scope: inputs['rollback-scope'].join(','),
          'restore-database': String(inputs['restore-database']),
          reason: `${failed.name} failed`,
        });
      } else log.warn('the failed release was the first of this environment: there is nothing to roll back to');
    }
  }

  const last = steps.at(-1);
  const total = last ? last.at + last.s.seconds : 0;
  const out = (name: string) => steps.find(({ s }) => s.name === name)?.s.outputs ?? {};
  const published: Record<string, string | undefined> = {
    'release-id': out('deploy')['release-id'],
    'previous-release-id': out('deploy')['previous-release-id'],
    'previous-version': out('deploy')['previous-version'],
    'backup-id': out('backup')['backup-id'],
    'revision-before': out('migrate')['revision-before'],
    'revision-after': out('migrate')['revision-after'],
    'smoke-passed': out('smoke-test').passed,
    'restored-release-id': out('rollback')['restored-release-id'],
  };
  for (const [k, v] of Object.entries(published)) if (v !== undefined) runner.setOutput(k, v);
  runner.setOutput('failed-step', failed?.name ?? '');
  runner.setOutput('rolled-back', String(rolledBack?.ok ?? false));
  await runner.appendSummary(
    [
      `### Pipeline: ${failed ? `${failed.name} failed${rolledBack?.ok ? ', rolled back' : ''}` : 'deployed'} (${inputs.environment}, ${inputs.version})`,
      '',
      '| at | step | result | took | detail |',
      '| ---: | --- | --- | ---: | --- |',
      ...steps.map(
        ({ at, s }) =>
          `| +${at.toFixed(1)}s | ${s.name} | ${s.ok ? '✅' : '❌'} | ${s.seconds.toFixed(1)}s | ${detailOf(s).replaceAll('|', '\\|')} |`,
      ),
      '',
    ].join('\n'),
  );
  if (failed) {
    const after = rolledBack
      ? rolledBack.ok
        ? `; rolled back to ${rolledBack.outputs['restored-version']} (${rolledBack.outputs['restored-release-id']})`
        : `; the rollback failed too: ${rolledBack.error}`
      : '';
    throw new UserError(`${failed.name} failed: ${failed.error}${after}`);
  }
  log.info(`pipeline done in ${total.toFixed(1)}s: ${inputs.version} is live on ${inputs.environment}`);
}
