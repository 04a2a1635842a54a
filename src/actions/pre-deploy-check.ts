import { z } from 'zod';
import { checkBackupAge } from '../checks/backup-age.js';
import { checkEngineTarget } from '../checks/engine.js';
import { checkHost, type HostCheckOptions } from '../checks/host.js';
import { checkIncidents } from '../checks/incidents.js';
import { buildReport, type FailOn, reportLines, reportMarkdown } from '../checks/report.js';
import { checkSecrets } from '../checks/secrets.js';
import { type CheckResult, fail, pass } from '../checks/types.js';
import { checkSchedule } from '../checks/windows.js';
import { COMPOSE_CANDIDATES, composeVersionArgv, dfArgv, dockerServerVersionArgv } from '../commands/host.js';
import { checksFor, environmentOf, loadConfig } from '../config/loader.js';
import type { Config, Environment } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { errorMessage, UserError } from '../core/errors.js';
import { toRemoteCommand } from '../core/quote.js';
import { commonInputs } from '../inputs/common.js';
import { parseInputs } from '../inputs/spec.js';
import { type PoolTarget, TargetPool } from '../transports/pool.js';
import type { Transport } from '../transports/types.js';
import { primaryTarget } from './environment-lock.js';
import { hostCheckOptions, requiredSecretNames } from './pre-deploy-check-options.js';

export const preDeployCheckInputs = {
  ...commonInputs,
  'fail-on': {
    description: 'Fail the step on "error" (failed checks) or on "warning" (warnings too)',
    default: 'error',
    schema: z.enum(['error', 'warning'], { error: 'expected error or warning' }),
  },
};

const COMMAND_TIMEOUT_MS = 30_000;

/** pre-deploy-check: is this environment safe to deploy to right now? Every check runs; hosts are checked at once. */
export async function runPreDeployCheck(ctx: ActionContext): Promise<void> {
  const { log, host } = ctx;
  const inputs = parseInputs(host, log, preDeployCheckInputs);
  const config = await loadConfig(inputs.config);
  const envName = inputs.environment;
  const env = environmentOf(config, envName);
  const checks = checksFor(config, envName);

  const results: CheckResult[] = [pass('*', 'config', `${inputs.config} is valid (${env.targets.length} targets)`)];
  results.push(...checkSecrets(requiredSecretNames(config, checks), host.env, log));
  results.push(...checkSchedule(ctx.clock.now(), checks.windows, checks.freeze));

  const options: HostCheckOptions = {
    ...hostCheckOptions(config, checks),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal,
  };
  const label = checks['incident-label'];
  const maxAge = checks['backup-max-age'];
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: no connection is opened)', async () => {
      for (const target of env.targets) for (const line of planFor(target, options)) log.info(line);
      if (label)
        log.info(`GitHub: open issues labelled "${label}" in ${host.env.GITHUB_REPOSITORY ?? '(GITHUB_REPOSITORY)'}`);
      if (maxAge !== undefined)
        log.info(
          `backups: the newest verified one in ${config.database?.backup?.directory ?? '(database.backup)'} on ${env.targets[0]?.name}`,
        );
    });
  } else {
    const pool = new TargetPool(
      {
        privateKey: inputs['ssh-private-key'],
        passphrase: inputs['ssh-private-key-passphrase'],
        knownHosts: inputs['ssh-known-hosts'],
        insecureIgnoreHostKey: inputs['ssh-insecure-ignore-host-key'],
      },
      log,
      ctx.signal,
    );
    ctx.onCleanup(() => pool.close());
    const perHost = await log.group(`Checking ${env.targets.length} targets`, () =>
      Promise.all(
        env.targets.map((t) =>
          t.kind === 'docker'
            ? checkEngineTarget(t, options.docker, host.env, log)
            : checkTarget(t, pool, options, inputs['ssh-insecure-ignore-host-key']),
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
          repository: host.env.GITHUB_REPOSITORY,
          token: inputs['github-token'],
          apiUrl: host.env.GITHUB_API_URL,
          signal: ctx.signal,
        }),
      );
    }
    if (maxAge !== undefined) results.push(await backupAgeCheck(ctx, pool, config, env, envName, maxAge));
  }

  const report = buildReport(envName, results, inputs['fail-on'] as FailOn);
  for (const line of reportLines(report)) log.info(line);
  host.setOutput('report', JSON.stringify(report));
  host.setOutput('passed', String(report.passed));
  await host.appendSummary(reportMarkdown(report, 'Pre-deploy check'));
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
  target: PoolTarget,
  pool: TargetPool,
  options: HostCheckOptions,
  insecure: boolean,
): Promise<CheckResult[]> {
  let transport: Transport;
  try {
    transport = await pool.get(target);
  } catch (err) {
    if (err instanceof UserError) return [fail(target.name, 'reachable', errorMessage(err))];
    throw err;
  }
  const ping = await transport.exec(['true'], { quiet: true, timeoutMs: options.timeoutMs, signal: options.signal });
  if (ping.code !== 0) return [fail(target.name, 'reachable', `connected, but "true" exited ${ping.code}`)];
  const key = insecure ? 'host key NOT verified' : 'host key pinned';
  const how = 'ssh' in target ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}, ${key}` : 'local';
  const reached = pass(target.name, 'reachable', how);
  const env = 'env' in target ? (target as { env: Record<string, string> }).env : undefined;
  return [reached, ...(await checkHost(target.name, transport, { ...options, env }))];
}

/** The exact commands a host would receive. */
function planFor(target: PoolTarget, o: HostCheckOptions): string[] {
  if ('docker' in target) return [`${target.name} (${target.docker.host}): Docker Engine API GET /version (no shell)`];
  const argvs: string[][] = [['true'], dfArgv(o.diskPaths)];
  if (o.docker !== false) argvs.push(dockerServerVersionArgv());
  if (o.compose !== false) {
    for (const c of o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES) argvs.push(composeVersionArgv(c));
  }
  const where = 'ssh' in target ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}` : 'local';
  const env = 'env' in target ? (target as { env: Record<string, string> }).env : undefined;
  return [`${target.name} (${where}):`, ...argvs.map((a) => `  $ ${toRemoteCommand(a, { env })}`)];
}

/** `backup-max-age` on the primary target, where the backups live. */
async function backupAgeCheck(
  ctx: ActionContext,
  pool: TargetPool,
  config: Config,
  env: Environment,
  envName: string,
  maxAgeMs: number,
): Promise<CheckResult> {
  const backup = config.database?.backup;
  if (!backup) return fail('*', 'backup age', 'backup-max-age needs database.backup (where the backups are)');
  try {
    const t = await pool.get(primaryTarget(env, envName));
    return await checkBackupAge(t, {
      directory: backup.directory,
      app: config.app,
      environment: envName,
      maxAgeMs,
      now: ctx.clock.now(),
    });
  } catch (err) {
    return fail(env.targets[0]?.name ?? '*', 'backup age', errorMessage(err));
  }
}
