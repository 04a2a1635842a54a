import { environmentOf, loadConfig } from '../config/loader.js';
import type { Config } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { deployRelease } from '../deploy/release.js';
import { openDeployTargets } from '../deploy/targets.js';
import { deployInputs } from '../inputs/deploy.js';
import { parseInputs } from '../inputs/spec.js';
import { deploySummary, planLines } from './deploy-report.js';
import { lockEnvironment, poolFor, releaseSavedLock } from './environment-lock.js';

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

const parseDeployInputs = (ctx: ActionContext) => parseInputs(ctx.host, ctx.log, deployInputs);

/** deploy: health-gated rolling or recreate of the configured services, journaled, one deploy at a time. */
export async function runDeploy(ctx: ActionContext): Promise<void> {
  const { log, host, clock } = ctx;
  const inputs = parseDeployInputs(ctx);
  const config = await loadConfig(inputs.config);
  const envName = inputs.environment;
  const env = environmentOf(config, envName);
  const services = selectServices(config, inputs.services);
  const strategy = inputs.strategy ?? config.strategy.type;
  if (strategy !== 'rolling' && strategy !== 'recreate') {
    throw new ConfigError(`strategy ${strategy} is not available in this version; use rolling or recreate`);
  }
  const driver = config.strategy.driver ?? (config.compose ? 'compose' : 'engine');
  if (driver === 'compose' && strategy === 'rolling') {
    throw new ConfigError(
      'rolling needs each replica on its own port, which compose cannot assign: use strategy recreate with the compose driver, or strategy.driver: engine',
    );
  }
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: nothing is changed)', async () => {
      for (const line of planLines(config, envName, env, services, strategy, inputs.version, driver)) log.info(line);
    });
    return;
  }

  const pool = poolFor(ctx, inputs);
  const { journal, who } = await lockEnvironment(ctx, pool, config, envName, env, inputs['lock-wait']);

  const targets = await openDeployTargets(env.targets, pool, log, driver, ctx.onCleanup);
  const registryAuth =
    inputs['registry-username'] && inputs['registry-password']
      ? { username: inputs['registry-username'], password: inputs['registry-password'] }
      : undefined;
  const { release, previous } = await deployRelease(
    {
      targets,
      journal,
      clock,
      log,
      signal: ctx.signal,
      // Set first, so a rollback job can read them from a deploy that failed or was cancelled.
      onStart: (r, prev) => {
        host.setOutput('release-id', r.id);
        host.setOutput('previous-release-id', prev?.id ?? '');
        host.setOutput('previous-version', prev?.version ?? '');
      },
    },
    {
      config,
      environment: envName,
      env,
      version: inputs.version,
      services,
      strategy,
      driver,
      actor: who.actor,
      runUrl: who.runUrl,
      gitSha: host.env.GITHUB_SHA,
      backupId: inputs['backup-id'],
      registryAuth,
    },
  );
  await host.appendSummary(deploySummary(config.app, envName, release, previous));
  log.info(`release ${release.id} (${release.version}) is live`);
}

/** Post step: if main never released the lock (killed, cancelled), release it now. */
export async function postDeploy(ctx: ActionContext): Promise<void> {
  const inputs = parseDeployInputs(ctx);
  await releaseSavedLock(ctx, inputs, async () => {
    const config = await loadConfig(inputs.config);
    return { config, env: environmentOf(config, inputs.environment) };
  });
}
