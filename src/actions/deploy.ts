import type { Config } from '../config/schema.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { missingSecretsError, type RunnerEnv, secretValues } from '../deploy/engine/env.js';
import { checkEnvOverrides } from '../deploy/env-overrides.js';
import { maintenanceOn, type Release } from '../deploy/journal.js';
import { deployRelease } from '../deploy/release.js';
import { resolveStrategy } from '../deploy/strategy.js';
import { ReleaseDeployment } from '../github/release-deployment.js';
import { registryAuthOf } from '../inputs/common.js';
import type { deployInputs } from '../inputs/deploy.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { maintenanceDeployNote } from '../maintenance/plan.js';
import { restoreRelease } from '../rollback/release.js';
import { deploySummary, envPlan, hostsSummary, planLines } from './deploy-report.js';
import type { ActionRun } from './module.js';
import { notifyRun } from './notify-run.js';
import { upstreamPreview } from './upstream-preview.js';

/** Services to deploy, in the configured order; `only` must name known services. */
export function selectServices(config: Config, only: string[] | undefined): string[] {
  const all = Object.keys(config.services ?? {});
  if (all.length === 0) throw new ConfigError('the config defines no services to deploy (services:)');
  const order = [...(config.strategy.order ?? []), ...all.filter((s) => !config.strategy.order?.includes(s))];
  const unknown = (only ?? []).filter((s) => !all.includes(s));
  if (unknown.length > 0)
    throw new ConfigError(`input "services": unknown ${unknown.join(', ')}; the config defines: ${all.join(', ')}`);
  return only && only.length > 0 ? order.filter((s) => only.includes(s)) : order;
}

/**
 * The values of the runner variables the `secret-env` of `services` reads, by variable name, each registered for
 * masking. Throws (naming the variables, never a value) when one is unset or empty, so nothing has changed yet.
 */
export function serviceSecrets(
  config: Config,
  services: readonly string[],
  env: RunnerEnv,
  log: Pick<Logger, 'addSecret'>,
): Record<string, string> {
  const configured = services.flatMap((n) => config.services?.[n] ?? []);
  const { values, missing } = secretValues(configured, env, log);
  if (missing.length > 0) throw missingSecretsError(missing);
  return values;
}

/** deploy: health-gated rolling or recreate of the configured services, journaled, one deploy at a time. */
export async function runDeploy(run: ActionRun<ParsedInputs<typeof deployInputs>>): Promise<void> {
  const { log, runner, clock, inputs } = run;
  const session = await run.session();
  const { config, environmentName, environment } = session;
  const services = selectServices(config, inputs.services);
  const { strategy, driver } = resolveStrategy(config, inputs.strategy);
  const balancer = environment['load-balancer'];
  if (strategy === 'canary' && balancer !== undefined) {
    throw new ConfigError(
      `strategy canary measures each host's own nginx; environment ${environmentName} has load-balancer ${balancer}: use rolling, recreate or blue-green`,
    );
  }
  // The env input against the config (a secret's name, an unknown service …): refused before the lock or any change.
  const env = { overrides: inputs.env ?? [], reset: inputs['env-reset'] };
  checkEnvOverrides(config, services, env.overrides);
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: nothing is changed)', async () => {
      // The env values the release would run with: the live release's carried over, this run's set (one `cat`).
      const planned = envPlan(config, services, env, await (await session.journal()).read());
      for (const line of planLines(
        config,
        environmentName,
        environment,
        services,
        strategy,
        inputs.version,
        driver,
        planned.values,
      ))
        log.info(line);
      for (const line of planned.lines) log.info(line);
      // A plan needs no secret values (a pull request's run has none): it names the ones the deploy would read.
      if (driver !== 'compose') {
        const configured = services.flatMap((n) => config.services?.[n] ?? []);
        const { missing } = secretValues(configured, runner.env, log);
        if (missing.length > 0)
          log.info(`secret-env not set in this run (the deploy would stop before any change): ${missing.join(', ')}`);
      }
      // Read-only: the upstream file as the deploy will leave it (one `cat` per target).
      for (const line of await upstreamPreview(session, services, driver, strategy, clock, log)) log.info(line);
    });
    return;
  }
  // secret-env values come from the runner's environment, masked at once; a missing one fails before anything.
  const secrets = driver !== 'compose' ? serviceSecrets(config, services, runner.env, log) : undefined;

  await session.lock(run, inputs['lock-wait']);
  runner.setOutput('environment-url', environment.url ?? '');
  const github = inputs.deployment
    ? await ReleaseDeployment.open(
        { token: inputs['github-token'], environment: environmentName, url: environment.url, runner },
        // Not the run's signal: a cancelled release still gets its final status (each call bounded by the client).
        { env: runner.env, log },
      )
    : undefined;
  const journal = await session.journal();
  // Maintenance on: the release starts and is health-gated, but traffic stays on the page until `maintenance off`.
  const maintenance = maintenanceOn(await journal.read());
  if (maintenance) log.info(maintenanceDeployNote(maintenance));
  const targets = await session.deployTargets(driver, strategy);
  const event = { environment: environmentName, version: inputs.version, url: environment.url };
  if (!run.nested) await notifyRun(run, config, { ...event, kind: 'start' });
  /** The release as deployRelease keeps it (its hosts' states, for the summary of a failed fleet release). */
  let started: Release | undefined;
  const deployed = deployRelease(
    {
      targets,
      journal,
      clock,
      log,
      signal: run.signal,
      maintenance: maintenance !== undefined,
      // Set first, so a rollback job can read them from a deploy that failed or was cancelled.
      // A fleet stopped at a failed host: the hosts already switched go back to the live release's containers.
      undoHosts: async (hosts, from, to, hostLog) => {
        await restoreRelease(
          { targets: hosts, clock, log: hostLog, signal: run.signal, maintenance: maintenance !== undefined },
          { session, to, from, mode: 'image', registryAuth: registryAuthOf(inputs), secrets },
        );
      },
      onStart: (r, prev) => {
        started = r;
        runner.setOutput('release-id', r.id);
        runner.setOutput('previous-release-id', prev?.id ?? '');
        runner.setOutput('previous-version', prev?.version ?? '');
        github?.start({ releaseId: r.id, version: r.version });
      },
    },
    {
      session,
      version: inputs.version,
      services,
      strategy,
      driver,
      gitSha: runner.env.GITHUB_SHA,
      backupId: inputs['backup-id'],
      registryAuth: registryAuthOf(inputs),
      secrets,
      env,
    },
  );
  const { release, previous, paused, timeline } = await deployed.catch(async (err: unknown) => {
    if (started?.hosts) await runner.appendSummary(hostsSummary(started));
    await github?.finish(ReleaseDeployment.stateOf(err), `failed: ${errorMessage(err)}`);
    if (!run.nested) await notifyRun(run, config, { ...event, kind: 'failure', reason: errorMessage(err) });
    throw err;
  });
  // Inside the root pipeline the smoke test judges next: the pipeline posts success (or the rollback failure) then.
  const smokeNext = run.nested && config.smoke !== undefined && !paused;
  await github?.finish(
    paused || smokeNext ? 'in_progress' : 'success',
    paused
      ? `canary ${release.version} at ${release.canary?.weight}% until promoted`
      : smokeNext
        ? `${release.version} deployed (${release.id}); smoke test next`
        : `${release.version} live (${release.id})`,
  );
  if (!run.nested && !paused)
    await notifyRun(run, config, {
      ...event,
      kind: 'success',
      releaseId: release.id,
      previousVersion: previous?.version,
    });
  // A site taken over is known only now: its adopted release is the one a rollback returns to.
  runner.setOutput('previous-release-id', previous?.id ?? '');
  runner.setOutput('previous-version', previous?.version ?? '');
  await runner.appendSummary(deploySummary(config.app, environmentName, release, previous, { timeline }));
  runner.setOutput('canary', paused ? 'paused' : release.canary ? 'promoted' : '');
  if (paused)
    run.report.verdict = {
      outcome: 'paused',
      detail: `The canary ${release.version} serves ${release.canary?.weight}% beside the live release until promoted (runbook promote / the promote action).`,
    };
  if (paused) {
    log.info(
      `canary ${release.id} (${release.version}) serves ${release.canary?.weight}% beside the live release until promoted`,
    );
    return;
  }
  log.info(
    `release ${release.id} (${release.version}) is live${maintenance ? ' (traffic stays on the maintenance page until "runbook maintenance off")' : ''}`,
  );
}
