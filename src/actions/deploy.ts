import { hostname, userInfo } from 'node:os';
import { environmentOf, loadConfig } from '../config/loader.js';
import type { Config } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { JournalStore, stateDirs } from '../deploy/journal.js';
import { DeployLock } from '../deploy/lock.js';
import { deployRelease } from '../deploy/release.js';
import { openDeployTarget } from '../deploy/targets.js';
import { deployInputs } from '../inputs/deploy.js';
import { parseInputs } from '../inputs/spec.js';
import { TargetPool } from '../transports/pool.js';
import { deploySummary, planLines } from './deploy-report.js';

const LOCK_STATE = 'deploy-lock';
const LOCK_TTL_MS = 2 * 60 * 60_000;

/** Who is deploying: the workflow run (URL, actor) in Actions, user@host from a terminal. */
export function runIdentity(env: Readonly<Record<string, string | undefined>>): {
  holder: string;
  actor: string;
  runUrl?: string;
} {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    return { holder: runUrl, actor: env.GITHUB_ACTOR ?? 'unknown', runUrl };
  }
  const who = `${userInfo().username}@${hostname()}`;
  return { holder: `cli:${who}`, actor: who };
}

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

function poolFor(ctx: ActionContext, inputs: ReturnType<typeof parseDeployInputs>): TargetPool {
  const pool = new TargetPool(
    {
      privateKey: inputs['ssh-private-key'],
      passphrase: inputs['ssh-private-key-passphrase'],
      knownHosts: inputs['ssh-known-hosts'],
      insecureIgnoreHostKey: inputs['ssh-insecure-ignore-host-key'],
    },
    ctx.log,
    ctx.signal,
  );
  ctx.onCleanup(() => pool.close());
  return pool;
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
  const primary = env.targets[0];
  if (!primary || primary.kind === 'docker')
    throw new ConfigError(
      `environment ${envName}: the first target holds the journal and lock and must be an ssh or local target`,
    );
  const primaryT = await pool.get(primary);
  const dirs = stateDirs(env['state-dir'], envName);
  const lock = new DeployLock(primaryT, dirs.lock, clock, log, `${config.app}/${envName}`);
  const who = runIdentity(host.env);
  const lease = await log.group('Deploy lock', () =>
    lock.acquire({
      holder: who.holder,
      actor: who.actor,
      ttlMs: LOCK_TTL_MS,
      waitMs: inputs['lock-wait'],
      signal: ctx.signal,
    }),
  );
  host.saveState(LOCK_STATE, JSON.stringify({ token: lease.token }));
  ctx.onCleanup(async () => {
    if (await lock.release(lease.token)) host.saveState(LOCK_STATE, '');
  });

  const targets = [];
  for (const t of env.targets) {
    const opened = await openDeployTarget(t, pool, log, ctx.signal, driver);
    ctx.onCleanup(() => opened.close());
    targets.push(opened);
  }
  const journal = new JournalStore(primaryT, dirs.journal, config.app, envName);
  const registryAuth =
    inputs['registry-username'] && inputs['registry-password']
      ? { username: inputs['registry-username'], password: inputs['registry-password'] }
      : undefined;
  const { release, previous } = await deployRelease(
    { targets, journal, clock, log, signal: ctx.signal },
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
      registryAuth,
    },
  );
  host.setOutput('release-id', release.id);
  host.setOutput('previous-release-id', previous?.id ?? '');
  host.setOutput('previous-version', previous?.version ?? '');
  await host.appendSummary(deploySummary(config.app, envName, release, previous));
  log.info(`release ${release.id} (${release.version}) is live`);
}

/** Post step: if main never released the lock (killed, cancelled), release it now. */
export async function postDeploy(ctx: ActionContext): Promise<void> {
  const saved = ctx.host.getState(LOCK_STATE);
  if (!saved) return;
  const { token } = JSON.parse(saved) as { token: string };
  const inputs = parseDeployInputs(ctx);
  const config = await loadConfig(inputs.config);
  const env = environmentOf(config, inputs.environment);
  const primary = env.targets[0];
  if (!primary || primary.kind === 'docker') return;
  const pool = poolFor(ctx, inputs);
  const dirs = stateDirs(env['state-dir'], inputs.environment);
  const lock = new DeployLock(
    await pool.get(primary),
    dirs.lock,
    ctx.clock,
    ctx.log,
    `${config.app}/${inputs.environment}`,
  );
  await lock.release(token);
}
