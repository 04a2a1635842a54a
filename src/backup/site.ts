/** Everything a backup step needs from the config and the inputs: the primary target, the database, the store. */

import { poolFor, primaryTarget } from '../actions/environment-lock.js';
import type { PgEndpoint } from '../commands/postgres.js';
import { environmentOf, loadConfig } from '../config/loader.js';
import type { BackupConfig, Config, DatabaseConfig } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { JournalStore, stateDirs } from '../deploy/journal.js';
import type { commonInputs } from '../inputs/common.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { shortSha } from './meta.js';
import { PgClient } from './pg.js';
import { BackupStore } from './store.js';

export interface BackupSite {
  config: Config;
  environment: string;
  database: DatabaseConfig;
  backup: BackupConfig;
  pg: PgClient;
  store: BackupStore;
  journal: JournalStore;
}

/** The database and backup sections, or a ConfigError saying what to add. */
export function backupSections(config: Config): { database: DatabaseConfig; backup: BackupConfig } {
  const database = config.database;
  if (!database) throw new ConfigError('the config has no database: section (see database: in the docs)');
  if (!database.backup) throw new ConfigError('the config has no database.backup: section (directory: … at least)');
  if (database.via.kind === 'compose-service' && !config.compose) {
    throw new ConfigError('database.via.compose-service needs the compose: section (command, directory, files)');
  }
  return { database, backup: database.backup };
}

export function endpointOf(config: Config, database: DatabaseConfig): PgEndpoint {
  return { via: database.via, database: database.name, user: database.user, compose: config.compose };
}

/** The id's tag: the workflow's commit (short) or `manual`. */
export const runTag = (env: Readonly<Record<string, string | undefined>>): string => shortSha(env.GITHUB_SHA);

/** Load the config, read the password from the environment it names, connect to the primary target. */
export async function openBackupSite(
  ctx: ActionContext,
  inputs: ParsedInputs<typeof commonInputs>,
): Promise<BackupSite> {
  const config = await loadConfig(inputs.config);
  const environment = inputs.environment;
  const env = environmentOf(config, environment);
  const { database, backup } = backupSections(config);
  const password = ctx.host.env[database['password-env']];
  if (password === undefined || password === '') {
    throw new ConfigError(
      `the database password is missing: set the environment variable ${database['password-env']} (database.password-env), e.g. from a secret`,
    );
  }
  ctx.log.addSecret(password);
  const primary = primaryTarget(env, environment);
  const pool = poolFor(ctx, inputs);
  const t = await pool.get(primary);
  const pg = new PgClient(t, endpointOf(config, database), password, ctx.log, ctx.signal, primary.env);
  const dirs = stateDirs(env['state-dir'], environment);
  return {
    config,
    environment,
    database,
    backup,
    pg,
    store: new BackupStore(t, backup.directory, config.app, environment),
    journal: new JournalStore(t, dirs.journal, config.app, environment),
  };
}
