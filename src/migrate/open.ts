import { randomBytes } from 'node:crypto';
import { PgClient } from '../backup/pg.js';
import { endpointOf } from '../backup/site.js';
import type { Config, DatabaseConfig, MigrateConfig } from '../config/schema.js';
import { ConfigError, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { errorLine } from '../core/stderr.js';
import type { EngineApi } from '../deploy/engine/api.js';
import { exitText } from '../transports/exit-status.js';
import { secretEnvProblem } from '../transports/secret-env.js';
import type { Transport } from '../transports/types.js';
import { type Invocation, invocation, type OneOff, type ToolEnvironment, toolEnvironment } from './invoke.js';
import { type MigrationTool, toolFor } from './presets.js';

export interface OpenedMigration {
  db: DatabaseConfig;
  m: MigrateConfig;
  tool: MigrationTool;
  te: ToolEnvironment;
  inv: Invocation;
  /**
   * psql to the configured database from the primary target (host binaries or the database container), for what a
   * cancel must do on the server: end the tool's sessions (named `te.app`). Not bound to the run's signal.
   */
  pg: PgClient;
}

/** Where the migration tool runs: the primary target's shell and command environment, its engine when needed. */
export interface MigrationSite {
  config: Config;
  environmentName: string;
  /** The primary target's shell and its configured command environment. */
  shell: Transport;
  targetEnv: Record<string, string>;
  /** The primary target's Docker Engine API (only opened for a one-off container of `migrate.service`). */
  engine: () => Promise<EngineApi>;
  /** The process environment the password variable is read from. */
  vars: Readonly<Record<string, string | undefined>>;
  log: Logger;
}

/** The database and migrate sections, or a ConfigError saying what to add. */
export function migrateSections(config: Config): { db: DatabaseConfig; m: MigrateConfig } {
  const db = config.database;
  const m = db?.migrate;
  if (!db || !m) throw new ConfigError('migrations need database.migrate in the config');
  return { db, m };
}

/**
 * The configured migration tool, ready to run where the config says (compose run, a one-off container of
 * `version`, or the primary target's shell), with the database password masked and kept off command lines.
 */
export async function openMigration(site: MigrationSite, version: string | undefined): Promise<OpenedMigration> {
  const { config, log } = site;
  const { db, m } = migrateSections(config);
  const password = site.vars[db['password-env']];
  if (!password)
    throw new ConfigError(`the database password variable ${db['password-env']} is not set (database.password-env)`);
  log.addSecret(password);
  const unpassable = secretEnvProblem(password);
  if (unpassable) {
    throw new ConfigError(`the database password in ${db['password-env']} (database.password-env) ${unpassable}`);
  }
  const tool = toolFor(m);
  if (!tool.honoursPgOptions && tool.note) log.warn(`${m.tool}: ${tool.note}`);
  // The tool's sessions carry this name, so a cancel can end them on the server (see migrate/cancel.ts).
  const te = toolEnvironment(db, password, `runbook-migrate-${randomBytes(6).toString('hex')}`);
  let oneOff: OneOff | undefined;
  if (m.service && !config.compose) {
    if (!version)
      throw new ConfigError(
        `migrate.service ${m.service} runs in a one-off container: the input "version" (its image tag) is required`,
      );
    oneOff = { docker: await site.engine(), version, log, name: `${config.app}-${site.environmentName}-migrate` };
  }
  const targetEnv =
    config.compose && version ? { ...site.targetEnv, [config.compose['version-env']]: version } : site.targetEnv;
  const inv = invocation(config, db, site.shell, te, targetEnv, oneOff);
  const pg = new PgClient(site.shell, endpointOf(config, db), password, log, undefined, site.targetEnv);
  return { db, m, tool, te, inv, pg };
}

/**
 * The tool's current revision, read from its output as the tool writes it (stdout and stderr): '' when no
 * migration is applied, or when the tool cannot tell (no `current` command). A UserError when the output is not
 * what the tool prints: never a guessed or empty revision a downgrade would take for "no migration applied".
 */
export async function currentRevision(inv: Invocation, tool: MigrationTool, signal: AbortSignal): Promise<string> {
  if (!tool.current) return '';
  const r = await inv.run(tool.current.argv, { quiet: true, timeoutMs: 120_000, signal });
  if (r.code !== 0) throw new UserError(`reading the current revision failed (${exitText(r)}): ${errorLine(r.stderr)}`);
  return tool.current.parse({ stdout: r.stdout, stderr: r.stderr });
}
