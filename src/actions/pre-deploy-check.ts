import { checkBackupAge } from '../checks/backup-age.js';
import { checkEngineTarget } from '../checks/engine.js';
import { checkIncidents } from '../checks/incidents.js';
import { buildReport, type FailOn, reportLines, reportMarkdown } from '../checks/report.js';
import { checkSecrets } from '../checks/secrets.js';
import { checkTargetFacts, type TargetCheckOptions } from '../checks/target.js';
import { type CheckResult, fail, pass } from '../checks/types.js';
import { checkSchedule } from '../checks/windows.js';
import { dockerServerVersionArgv } from '../commands/docker-cli.js';
import { COMPOSE_CANDIDATES, composeVersionArgv, dfArgv } from '../commands/target-facts.js';
import { checksFor } from '../config/loader.js';
import type { Target } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { errorMessage, UserError } from '../core/errors.js';
import { toRemoteCommand } from '../core/quote.js';
import type { preDeployCheckInputs } from '../inputs/pre-deploy-check.js';
import type { ParsedInputs } from '../inputs/spec.js';
import type { ShellTarget } from '../session/connector.js';
import type { EnvironmentSession } from '../session/session.js';
import type { Transport } from '../transports/types.js';
import type { ActionRun } from './module.js';
import { requiredSecretNames, targetCheckOptions } from './pre-deploy-check-options.js';

const COMMAND_TIMEOUT_MS = 30_000;

/** pre-deploy-check: is this environment safe to deploy to right now? Every check runs; hosts are checked at once. */
export async function runPreDeployCheck(ctx: ActionRun<ParsedInputs<typeof preDeployCheckInputs>>): Promise<void> {
  const { log, runner, inputs } = ctx;
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const checks = checksFor(config, environmentName);

  const results: CheckResult[] = [
    pass('*', 'config', `${inputs.config} is valid (${environment.targets.length} targets)`),
  ];
  results.push(...checkSecrets(requiredSecretNames(config, checks), runner.env, log));
  results.push(...checkSchedule(ctx.clock.now(), checks.windows, checks.freeze));

  const options: TargetCheckOptions = {
    ...targetCheckOptions(config, checks),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal,
  };
  const label = checks['incident-label'];
  const maxAge = checks['backup-max-age'];
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: no connection is opened)', async () => {
      for (const target of environment.targets) for (const line of planFor(target, options)) log.info(line);
      if (label)
        log.info(`GitHub: open issues labelled "${label}" in ${runner.env.GITHUB_REPOSITORY ?? '(GITHUB_REPOSITORY)'}`);
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
            : checkTarget(t, session, options, inputs['ssh-insecure-ignore-host-key']),
        ),
      ),
    );
    // Cancelled while checking: stop here with the cancellation, not a report of half-run checks.
    ctx.signal.throwIfAborted();
    results.push(...perHost.flat());
    if (label) {
      results.push(
        await checkIncidents({
          label,
          repository: runner.env.GITHUB_REPOSITORY,
          token: inputs['github-token'],
          apiUrl: runner.env.GITHUB_API_URL,
          signal: ctx.signal,
        }),
      );
    }
    if (maxAge !== undefined) results.push(await backupAgeCheck(ctx, session, maxAge));
  }

  const report = buildReport(environmentName, results, inputs['fail-on'] as FailOn);
  for (const line of reportLines(report)) log.info(line);
  runner.setOutput('report', JSON.stringify(report));
  runner.setOutput('passed', String(report.passed));
  await runner.appendSummary(reportMarkdown(report, 'Pre-deploy check'));
  if (!report.passed) {
    const failed = report.checks.filter(
      (c) => c.status === 'fail' || (inputs['fail-on'] === 'warning' && c.status === 'warn'),
    );
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    throw new UserError(`pre-deploy check failed: ${first?.target} ${first?.check}: ${first?.detail}${more}`);
  }
  log.info(`pre-deploy check passed: ${report.counts.pass} passed, ${report.counts.warn} warnings`);
}

async function checkTarget(
  target: ShellTarget,
  session: EnvironmentSession,
  options: TargetCheckOptions,
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
  return [reached, ...(await checkTargetFacts(target.name, transport, { ...options, env: target.env }))];
}

/** The exact commands a host would receive. */
function planFor(target: Target, o: TargetCheckOptions): string[] {
  if (target.kind === 'docker')
    return [`${target.name} (${target.docker.host}): Docker Engine API GET /version (no shell)`];
  const argvs: string[][] = [['true'], dfArgv(o.diskPaths)];
  if (o.docker !== false) argvs.push(dockerServerVersionArgv());
  if (o.compose !== false) {
    for (const c of o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES) argvs.push(composeVersionArgv(c));
  }
  const where = target.kind === 'ssh' ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}` : 'local';
  return [`${target.name} (${where}):`, ...argvs.map((a) => `  $ ${toRemoteCommand(a, { env: target.env })}`)];
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
