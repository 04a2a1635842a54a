import { checkBackupAge } from '../checks/backup-age.js';
import { checkBalancerReach } from '../checks/balancer.js';
import { checkEngineTarget } from '../checks/engine.js';
import type { NginxCandidateCheck } from '../checks/nginx.js';
import {
  checkPrerequisites,
  type PlanItem,
  type PrerequisiteOptions,
  prerequisitePlan,
} from '../checks/prerequisites.js';
import { buildReport, type FailOn, reportLines, reportSummary } from '../checks/report.js';
import { checkSecrets, envPassedSecrets } from '../checks/secrets.js';
import { checkSwarmManager } from '../checks/swarm.js';
import { checkTargetFacts, type TargetCheckOptions } from '../checks/target.js';
import { type CheckResult, fail, pass, warn } from '../checks/types.js';
import { checkSchedule } from '../checks/windows.js';
import { dockerServerVersionArgv } from '../commands/docker-cli.js';
import { COMPOSE_CANDIDATES, composeVersionArgv, dfArgv } from '../commands/target-facts.js';
import { checksFor } from '../config/loader.js';
import type { Config, Target } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError, errorMessage, UserError } from '../core/errors.js';
import { toRemoteCommand } from '../core/quote.js';
import { stickyDirective } from '../deploy/canary/weights.js';
import { findDrift } from '../deploy/drift.js';
import { type DeployDriver, driverOf, resolveStrategy, usesEngine } from '../deploy/strategy.js';
import { githubContext, untrustedReason } from '../github/context.js';
import type { preDeployCheckInputs } from '../inputs/pre-deploy-check.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { candidateSample, checkUpstreamCandidate } from '../proxy/candidate.js';
import type { ShellTarget } from '../session/connector.js';
import type { EnvironmentSession } from '../session/session.js';
import type { Transport } from '../transports/types.js';
import type { ActionRun } from './module.js';
import { notifyRun } from './notify-run.js';
import { prerequisiteOptions, requiredSecretNames, targetCheckOptions } from './pre-deploy-check-options.js';
import { githubChecks, githubPlan, skipUntrusted } from './pre-deploy-github.js';
import { pendingMigrationCheck } from './pre-deploy-migrations.js';

const COMMAND_TIMEOUT_MS = 30_000;

/** pre-deploy-check: is this environment safe to deploy to right now? Every check runs; hosts are checked at once. */
export async function runPreDeployCheck(ctx: ActionRun<ParsedInputs<typeof preDeployCheckInputs>>): Promise<void> {
  const { log, runner, inputs } = ctx;
  // A fork's pull request runs without the repository's secrets and must not be trusted with the hosts: skipped.
  const untrusted = untrustedReason(githubContext(runner.env));
  if (untrusted) return skipUntrusted(ctx, untrusted);
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const checks = checksFor(config, environmentName);

  const results: CheckResult[] = [
    pass('*', 'config', `${inputs.config} is valid (${environment.targets.length} targets)`),
  ];
  results.push(...checkSecrets(requiredSecretNames(config, checks), runner.env, log, envPassedSecrets(config)));
  results.push(...checkSchedule(ctx.clock.now(), checks.windows, checks.freeze));
  const { result: strategyResult, driver } = strategyCheck(config);
  results.push(strategyResult);

  const options: TargetCheckOptions = {
    ...targetCheckOptions(config, checks),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal,
  };
  /** Per shell target: the deploy prerequisites (the state directory on the primary target only). */
  const prereqs = (t: ShellTarget): PrerequisiteOptions =>
    prerequisiteOptions(config, t, {
      driver,
      stateDir: t === environment.targets[0] ? { dir: session.paths.dir, journal: session.paths.journal } : undefined,
      nginxCandidate: upstreamCandidate(ctx, session),
      timeoutMs: COMMAND_TIMEOUT_MS,
      signal: ctx.signal,
    });
  const maxAge = checks['backup-max-age'];
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: no connection is opened)', async () => {
      for (const t of environment.targets) {
        for (const line of planFor(
          t,
          options,
          usesEngine(driver, config.strategy.type),
          t.kind === 'docker' ? undefined : prereqs(t),
        ))
          log.info(line);
      }
      for (const line of githubPlan(checks, inputs['github-token'], runner.env)) log.info(line);
      if (maxAge !== undefined)
        log.info(
          `backups: the newest verified one in ${config.database?.backup?.directory ?? '(database.backup)'} on ${environment.targets[0]?.name}`,
        );
    });
  } else {
    const perHost = await log.group(`Checking ${environment.targets.length} targets`, () =>
      Promise.all(
        environment.targets.map((t) =>
          t.kind === 'docker'
            ? checkEngineTarget(t, options.docker, () => session.dockerTarget(t))
            : checkTarget(
                t,
                session,
                { ...options, driver, prereqs: prereqs(t) },
                inputs['ssh-insecure-ignore-host-key'],
              ),
        ),
      ),
    );
    // Cancelled while checking: stop here with the cancellation, not a report of half-run checks.
    ctx.signal.throwIfAborted();
    results.push(...perHost.flat());
    results.push(...(await githubChecks(ctx, checks, inputs['github-token'], environmentName)));
    if (maxAge !== undefined) results.push(await backupAgeCheck(ctx, session, maxAge));
    results.push(...(await driftCheck(ctx, session, driver)));
    results.push(
      ...(await checkBalancerReach(environment, Object.values(config.services ?? {}), (t) => session.shell(t))),
    );
    if (inputs['pending-migration'] && config.database?.migrate) {
      const pending = await pendingMigrationCheck(ctx, session, inputs.version);
      results.push(pending.result);
      if (pending.summary) await runner.appendSummary(pending.summary);
    }
  }

  const report = buildReport(environmentName, results, inputs['fail-on'] as FailOn);
  for (const line of reportLines(report)) log.info(line);
  // Each failing check and warning as an annotation of its own (the run's page lists them).
  for (const c of report.checks)
    if (c.status === 'fail') log.error(`${c.target} ${c.check}: ${c.detail}`);
    else if (c.status === 'warn') log.warn(`${c.target} ${c.check}: ${c.detail}`);
  runner.setOutput('report', JSON.stringify(report));
  runner.setOutput('passed', String(report.passed));
  runner.setOutput('result', report.passed ? 'passed' : 'failed');
  await runner.appendSummary(reportSummary(report));
  if (!report.passed) {
    const failed = report.checks.filter(
      (c) => c.status === 'fail' || (inputs['fail-on'] === 'warning' && c.status === 'warn'),
    );
    const first = failed[0];
    if (!ctx.nested && !inputs['dry-run'])
      await notifyRun(ctx, config, {
        kind: 'refusal',
        environment: environmentName,
        version: ctx.runner.env.GITHUB_SHA?.slice(0, 7) ?? '',
        url: environment.url,
        reason: `${first?.target} ${first?.check}: ${first?.detail}`,
      });
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    throw new UserError(`pre-deploy check failed: ${first?.target} ${first?.check}: ${first?.detail}${more}`);
  }
  log.info(`pre-deploy check passed: ${report.counts.pass} passed, ${report.counts.warn} warnings`);
}

/** The strategy and driver deploy would use: refused here (without a connection) exactly when deploy refuses them. */
function strategyCheck(config: Config): { result: CheckResult; driver: DeployDriver } {
  try {
    const { strategy, driver } = resolveStrategy(config);
    return { result: pass('*', 'strategy', `${strategy} with the ${driver} driver`), driver };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { result: fail('*', 'strategy', err.message), driver: driverOf(config) };
  }
}

/** The engine driver's engine, reached as deploy reaches it (the session's engine: docker-socket, through SSH). */
function engineOf(target: ShellTarget, session: EnvironmentSession): NonNullable<TargetCheckOptions['engine']> {
  const through = target.kind === 'ssh' ? ' through SSH' : '';
  return {
    label: `Docker Engine API on ${target['docker-socket']}${through}`,
    version: async () => {
      const engine = await session.engine(target);
      // The production connection is a DockerClient, which reports its version; the EngineApi seam does not say so.
      const version = (engine as Partial<{ version(): Promise<{ engineVersion: string }> }>).version;
      if (typeof version !== 'function') throw new Error('this engine connection does not report its version');
      return (await version.call(engine)).engineVersion;
    },
  };
}

async function checkTarget(
  target: ShellTarget,
  session: EnvironmentSession,
  options: TargetCheckOptions & { driver: DeployDriver; prereqs: PrerequisiteOptions },
  insecure: boolean,
): Promise<CheckResult[]> {
  let transport: Transport;
  try {
    transport = await session.shell(target);
  } catch (err) {
    if (err instanceof UserError) return [fail(target.name, 'reachable', errorMessage(err))];
    throw err;
  }
  const ping = await transport.exec(['true'], { quiet: true, timeoutMs: options.timeoutMs, signal: options.signal });
  if (ping.code !== 0) return [fail(target.name, 'reachable', `connected, but "true" exited ${ping.code}`)];
  const key = insecure ? 'host key NOT verified' : 'host key pinned';
  const how = target.kind === 'ssh' ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}, ${key}` : 'local';
  const reached = pass(target.name, 'reachable', how);
  const engine = usesEngine(options.driver, session.config.strategy.type) ? engineOf(target, session) : undefined;
  const [facts, prereqs, swarm] = await Promise.all([
    checkTargetFacts(target.name, transport, { ...options, env: target.env, engine }),
    checkPrerequisites(target.name, transport, options.prereqs),
    // The swarm driver deploys to a swarm that exists, through a manager.
    options.driver === 'swarm' ? checkSwarmManager(target.name, () => session.engine(target)).then((r) => [r]) : [],
  ]);
  return [reached, ...facts, ...prereqs, ...swarm];
}

/** The exact commands a host would receive, and the channels and API calls besides them. */
function planFor(target: Target, o: TargetCheckOptions, engine: boolean, prereqs?: PrerequisiteOptions): string[] {
  if (target.kind === 'docker')
    return [`${target.name} (${target.docker.host}): Docker Engine API GET /version (no shell)`];
  const items: PlanItem[] = [{ argv: ['true'] }, { argv: dfArgv(o.diskPaths) }];
  if (o.docker !== false && engine) {
    const through = target.kind === 'ssh' ? ' through SSH' : '';
    items.push({ note: `Docker Engine API on ${target['docker-socket']}${through}: GET /version` });
  } else if (o.docker !== false) items.push({ argv: dockerServerVersionArgv() });
  if (o.compose !== false) {
    for (const c of o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES)
      items.push({ argv: composeVersionArgv(c) });
  }
  items.push(...(prereqs ? prerequisitePlan(prereqs) : []));
  const where = target.kind === 'ssh' ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}` : 'local';
  const line = (i: PlanItem) =>
    'note' in i ? `  ${i.note}` : `  $ ${toRemoteCommand(i.argv, { env: { ...target.env, ...i.env }, cwd: i.cwd })}`;
  return [`${target.name} (${where}):`, ...items.map(line)];
}

/** `backup-max-age` on the primary target, where the backups live. */
async function backupAgeCheck(ctx: ActionContext, session: EnvironmentSession, maxAgeMs: number): Promise<CheckResult> {
  const { config, environment, environmentName } = session;
  const backup = config.database?.backup;
  if (!backup) return fail('*', 'backup age', 'backup-max-age needs database.backup (where the backups are)');
  try {
    const t = await session.primary();
    return await checkBackupAge(t, {
      directory: backup.directory,
      app: config.app,
      environment: environmentName,
      maxAgeMs,
      now: ctx.clock.now(),
    });
  } catch (err) {
    return fail(environment.targets[0]?.name ?? '*', 'backup age', errorMessage(err));
  }
}

/**
 * The upstream file as the first switch writes it (src/proxy/candidate.ts): its layout and write access, then under
 * the host's `nginx -t` in a throwaway prefix (nginx in a container: its master and test through the Engine API).
 * The sample servers are the fronted service's replicas on the first ports of its host-ports.
 */
function upstreamCandidate(ctx: ActionContext, session: EnvironmentSession): NginxCandidateCheck {
  const { config, environment } = session;
  const nginx = config.strategy.proxy?.nginx;
  const fronted = nginx?.service ?? Object.keys(config.services ?? {})[0];
  const sample = candidateSample(fronted === undefined ? undefined : config.services?.[fronted]);
  return async ({ target, transport, nginx: n }) => {
    const shell = environment.targets.find((t): t is ShellTarget => t.name === target && t.kind !== 'docker');
    const engine = n.container !== undefined && shell ? await session.engine(shell) : undefined;
    // A canary with stickiness writes its balancing line too: the candidate carries it (nginx refuses `backup`
    // servers under hash, and a team's own balancing method conflicts with it).
    const sticky = config.strategy.type === 'canary' ? stickyDirective(config.strategy.canary?.sticky) : undefined;
    const found = await checkUpstreamCandidate(
      transport,
      n,
      sample,
      { engine, clock: ctx.clock, log: ctx.log },
      { sticky },
    );
    return found.map((r) => ({ target, ...r }));
  };
}

/** Drift: what runs against what the journal says is live, every difference a warning (deploy proceeds past it). */
async function driftCheck(
  ctx: ActionContext,
  session: EnvironmentSession,
  driver: DeployDriver,
): Promise<CheckResult[]> {
  // Nothing is deployed without services, so nothing can drift.
  if (Object.keys(session.config.services ?? {}).length === 0) return [];
  try {
    const findings = await findDrift({
      config: session.config,
      environmentName: session.environmentName,
      journal: await (await session.journal()).read(),
      targets: await session.deployTargets(driver, session.config.strategy.type),
      clock: ctx.clock,
      log: ctx.log,
    });
    const lines = findings.map((f) =>
      f.kind === 'drift'
        ? warn(f.target, 'drift', `${f.service}: ${f.detail}`)
        : pass(f.target, 'drift', `${f.service}: ${f.detail}`),
    );
    return lines.length > 0 ? lines : [pass('*', 'drift', 'what runs is what the journal says is live')];
  } catch (err) {
    return [warn('*', 'drift', `not compared: ${errorMessage(err)}`)];
  }
}
