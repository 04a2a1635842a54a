import { primaryTarget } from '../actions/environment-lock.js';
import type { Config, DatabaseConfig, Environment, MigrateConfig } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError, UserError } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';
import { openDeployTarget } from '../deploy/targets.js';
import type { TargetPool } from '../transports/pool.js';
import { type Invocation, invocation, type OneOff, type ToolEnvironment, toolEnvironment } from './invoke.js';
import { type MigrationTool, toolFor } from './presets.js';

export interface OpenedMigration {
  db: DatabaseConfig;
  m: MigrateConfig;
  tool: MigrationTool;
  te: ToolEnvironment;
  inv: Invocation;
}

/**
 * The configured migration tool, ready to run where the config says (compose run, a one-off container of
 * `version`, or the primary target's shell), with the database password masked and kept off command lines.
 */
export async function openMigration(
  ctx: ActionContext,
  pool: TargetPool,
  config: Config,
  env: Environment,
  envName: string,
  version: string | undefined,
): Promise<OpenedMigration> {
  const { log, host } = ctx;
  const db = config.database;
  const m = db?.migrate;
  if (!db || !m) throw new ConfigError('migrations need database.migrate in the config');
  const password = host.env[db['password-env']];
  if (!password)
    throw new ConfigError(`the database password variable ${db['password-env']} is not set (database.password-env)`);
  log.addSecret(password);
  const tool = toolFor(m);
  if (!tool.honoursPgOptions && tool.note) log.warn(`${m.tool}: ${tool.note}`);
  const primary = primaryTarget(env, envName);
  const te = toolEnvironment(db, password);
  let oneOff: OneOff | undefined;
  if (m.service && !config.compose) {
    if (!version)
      throw new ConfigError(
        `migrate.service ${m.service} runs in a one-off container: the input "version" (its image tag) is required`,
      );
    const opened = await openDeployTarget(primary, pool, log, 'engine');
    ctx.onCleanup(() => opened.close());
    if (opened.docker) oneOff = { docker: opened.docker, version, log, name: `${config.app}-${envName}-migrate` };
  }
  const targetEnv =
    config.compose && version ? { ...primary.env, [config.compose['version-env']]: version } : primary.env;
  const inv = invocation(config, db, await pool.get(primary), te, targetEnv, oneOff);
  return { db, m, tool, te, inv };
}

/** The tool's current revision (first line of its output; '' when the tool cannot tell). */
export async function currentRevision(inv: Invocation, tool: MigrationTool, signal: AbortSignal): Promise<string> {
  if (!tool.current) return '';
  const r = await inv.run(tool.current, { quiet: true, timeoutMs: 120_000, signal });
  if (r.code !== 0) throw new UserError(`reading the current revision failed (exit ${r.code}): ${errorLine(r.stderr)}`);
  return r.stdout.trim().split('\n')[0]?.trim() ?? '';
}
