import { UserError } from '../core/errors.js';
import { checkEnvOverrides } from '../deploy/env-overrides.js';
import { maintenanceOn } from '../deploy/journal.js';
import { postStatus } from '../github/release-deployment.js';
import type { pipelineInputs } from '../inputs/pipeline.js';
import type { InputSpecs, ParsedInputs } from '../inputs/spec.js';
import { wrapDecision } from '../maintenance/plan.js';
import {
  backupAction,
  deployAction,
  maintenanceAction,
  migrateAction,
  preDeployCheckAction,
  rollbackAction,
  smokeTestAction,
} from './catalog.js';
import { selectServices } from './deploy.js';
import type { ActionModule, ActionRun } from './module.js';
import { notifyRun } from './notify-run.js';
import { postPlanComment, reportIncident } from './pipeline-github.js';
import {
  detailOf,
  type PipelineStage,
  pipelineSections,
  pipelineVerdict,
  stagesOf,
  timelineLine,
} from './pipeline-report.js';
import { runSubStep, type SubStepResult } from './sub-step.js';

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
  // The env input against the config before any stage changes anything (the deploy stage checks it again).
  if (inputs.env?.length) checkEnvOverrides(config, selectServices(config, inputs.services), inputs.env);
  const t0 = clock.now().getTime();
  const steps: PipelineStage[] = [];
  const dry = inputs['dry-run'];
  /** A dry run's plan per stage: what each printed (commands per host, SQL, the upstream file), for the PR comment. */
  const plans = new Map<string, string[]>();
  const step = async <S extends InputSpecs>(
    mod: ActionModule<S>,
    extra: Record<string, string> = {},
    label = mod.name,
  ): Promise<SubStepResult> => {
    const at = (clock.now().getTime() - t0) / 1000;
    const capture = dry ? [] : undefined;
    if (capture) plans.set(label, capture);
    const s = { ...(await runSubStep(ctx, mod, extra, capture)), name: label };
    steps.push({ at, s });
    log.info(timelineLine(at, s, detailOf(s)));
    return s;
  };
  const db = config.database;

  let failed: SubStepResult | undefined;
  let rolledBack: SubStepResult | undefined;
  /** Where maintenance mode was left (undefined: this run neither used it nor found it on). */
  let maintenanceLeft: 'on' | 'off' | undefined;
  const pre = await step(preDeployCheckAction);
  let deploy: SubStepResult | undefined;
  let smoke: SubStepResult | undefined;
  const event = { environment: inputs.environment, version: inputs.version, url: session.environment.url };
  if (!pre.ok) failed = pre;
  else {
    if (!dry) await notifyRun(ctx, config, { ...event, kind: 'start' });
    // From the first change to the end of an automatic rollback, this run holds the environment.
    if (!dry) await session.lock(ctx, inputs['lock-wait']);
    const backupId = { 'backup-id': '' };
    const backup = db?.backup && !dry ? await step(backupAction) : undefined;
    if (backup && !backup.ok) failed = backup;
    backupId['backup-id'] = backup?.outputs['backup-id'] ?? '';
    // Maintenance turned on before this run (by hand): the run stays inside it, leaves it on, and smokes nothing.
    const held = maintenanceOn(await (await session.journal()).read());
    // Maintenance around migrate and deploy: `auto` reads the pending migration's SQL (its dry run) first.
    const configured = config.strategy.proxy?.nginx.maintenance !== undefined;
    const planned =
      !failed && !held && inputs.maintenance === 'auto' && configured && db?.migrate
        ? await step(migrateAction, { ...backupId, 'dry-run': 'true' }, 'migrate plan')
        : undefined;
    const destructive = planned?.outputs['destructive-statements'];
    const wrap = held
      ? { wrap: false, why: `it is already on, since ${held.since}: this run stays inside it and leaves it on` }
      : wrapDecision({
          mode: inputs.maintenance,
          configured,
          migrates: Boolean(db?.migrate),
          destructive: destructive === undefined ? undefined : Number(destructive),
        });
    if (!failed && (wrap.wrap || held || inputs.maintenance !== 'auto' || configured))
      log.info(
        `maintenance: ${wrap.wrap ? 'migrate and deploy run on the maintenance page' : 'not used'} (${wrap.why})`,
      );
    if (!failed && wrap.wrap) {
      const on = await step(
        maintenanceAction,
        { mode: 'on', reason: `pipeline ${inputs.version}: ${wrap.why}` },
        'maintenance on',
      );
      if (!on.ok) failed = on;
      else if (!dry) maintenanceLeft = 'on';
    }
    // In a dry run the plan was the migrate step's own dry run.
    const migrate =
      !failed && db?.migrate ? (dry && planned ? planned : await step(migrateAction, backupId)) : undefined;
    if (migrate && !migrate.ok) failed = migrate;
    if (!failed) {
      deploy = await step(deployAction, backupId);
      if (!deploy.ok) failed = deploy;
    }
    const previous = deploy?.outputs['previous-release-id'];
    const rollBack = async (extra: Record<string, string> = {}): Promise<SubStepResult | undefined> => {
      if (!failed || dry || !inputs.rollback || !deploy?.outputs['release-id']) return undefined;
      if (!previous) {
        log.warn('the failed release was the first of this environment: there is nothing to roll back to');
        return undefined;
      }
      return step(rollbackAction, {
        'release-id': previous,
        scope: inputs['rollback-scope'].join(','),
        'restore-database': String(inputs['restore-database']),
        reason: `${failed.name} failed`,
        'deployment-id': deploy?.outputs['deployment-id'] ?? '',
        // The pipeline opens the incident issue itself, with the whole timeline.
        'incident-issue': 'false',
        ...extra,
      });
    };
    if (maintenanceLeft === 'on') {
      // A failed deploy goes back while the page still answers: no request reaches the old release before its
      // schema is back. Its smoke checks run after off.
      if (failed === deploy) rolledBack = await rollBack({ smoke: 'false' });
      if (rolledBack && !rolledBack.ok) {
        log.warn(
          'the rollback failed, so the site stays on the maintenance page: fix it, then "runbook maintenance off"',
        );
      } else {
        if (failed)
          log.info(`${failed.name} failed${rolledBack ? ' and was rolled back' : ''}: turning maintenance off`);
        const off = await step(maintenanceAction, { mode: 'off' }, 'maintenance off');
        if (off.ok) maintenanceLeft = 'off';
        else {
          log.warn('maintenance off failed: the site stays on the maintenance page; run "runbook maintenance off"');
          failed ??= off;
        }
      }
      if (rolledBack?.ok && maintenanceLeft === 'off' && config.smoke) {
        const restored = await step(smokeTestAction, {}, 'smoke (restored)');
        if (!restored.ok) log.warn(`the restored release fails its smoke test: ${restored.error}`);
      }
    }
    if (!failed && config.smoke && held)
      log.info('the smoke test waits for "runbook maintenance off": the site is on the maintenance page');
    else if (!failed && config.smoke) {
      smoke = await step(smokeTestAction);
      if (!smoke.ok) failed = smoke;
    }
    if (held) maintenanceLeft = 'on';
    if (!rolledBack && (failed === deploy || failed === smoke)) rolledBack = await rollBack();
    // The release's GitHub deployment waited for the smoke test: success now, or failure when nothing rolled it back.
    const deploymentId = Number(deploy?.outputs['deployment-id'] ?? '');
    if (deploymentId > 0 && deploy?.ok && !rolledBack?.ok && config.smoke && deploy.outputs.canary !== 'paused')
      await postStatus(
        {
          token: inputs['github-token'],
          environment: inputs.environment,
          url: session.environment.url,
          runner,
          deploymentId,
          version: inputs.version,
          releaseId: deploy.outputs['release-id'] ?? '',
        },
        !smoke || smoke.ok ? 'success' : 'failure',
        !smoke
          ? `${inputs.version} deployed (${deploy.outputs['release-id']}); no smoke test in this run`
          : smoke.ok
            ? `${inputs.version} live (${deploy.outputs['release-id']}); smoke test passed`
            : `smoke test failed: ${smoke.error ?? ''}`,
        { env: runner.env, log },
      );
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
    maintenance: maintenanceLeft,
    canary: out('deploy').canary || undefined,
    // After a rollback, the deployment that records the restored release as the active one.
    'deployment-id': out('rollback')['deployment-id'] || out('deploy')['deployment-id'],
    'environment-url': session.environment.url,
  };
  // A canary held at an until-promoted step: deployed, but not live yet.
  const paused = out('deploy').canary === 'paused';
  for (const [k, v] of Object.entries(published)) if (v !== undefined) runner.setOutput(k, v);
  runner.setOutput('failed-step', failed?.name ?? '');
  runner.setOutput('rolled-back', String(rolledBack?.ok ?? false));
  const verdict = pipelineVerdict({ dry, failed, rolledBack, paused, maintenanceLeftOn: maintenanceLeft === 'on' });
  ctx.report.verdict = verdict;
  ctx.report.stages = stagesOf(steps);
  ctx.report.sections.push(...pipelineSections(steps));
  const about = {
    token: inputs['github-token'],
    environment: inputs.environment,
    version: inputs.version,
    verdict,
    steps,
  };
  if (dry && inputs['pr-comment']) await postPlanComment(ctx, { ...about, plans });
  if (!dry || failed === pre) {
    const kind =
      failed === pre ? 'refusal' : rolledBack?.ok ? 'rollback' : failed ? 'failure' : paused ? undefined : 'success';
    if (kind)
      await notifyRun(ctx, config, {
        ...event,
        kind,
        releaseId: out('deploy')['release-id'],
        previousVersion: out('deploy')['previous-version'],
        restoredVersion: rolledBack?.outputs['restored-version'],
        reason: verdict.detail,
      });
  }
  if (rolledBack && inputs['incident-issue']) await reportIncident(ctx, config, about);
  if (failed) {
    const after = rolledBack
      ? rolledBack.ok
        ? `; rolled back to ${rolledBack.outputs['restored-version']} (${rolledBack.outputs['restored-release-id']})`
        : `; the rollback failed too: ${rolledBack.error}`
      : '';
    const page = maintenanceLeft === 'on' ? '; the site stays on the maintenance page (runbook maintenance off)' : '';
    throw new UserError(`${failed.name} failed: ${failed.error}${after}${page}`);
  }
  log.info(
    dry
      ? `plan done in ${total.toFixed(1)}s: every stage printed what it would do for ${inputs.version} on ${inputs.environment}; nothing changed`
      : paused
        ? `pipeline done in ${total.toFixed(1)}s: the canary ${inputs.version} serves its share on ${inputs.environment} until promoted (runbook promote / runbook abort)`
        : `pipeline done in ${total.toFixed(1)}s: ${inputs.version} is live on ${inputs.environment}`,
  );
}
