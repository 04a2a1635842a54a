/** Everything a backup step needs: the database, its password, the store of backups, the journal. */

import type { PgEndpoint } from '../commands/postgres.js';
import type { BackupConfig, Config, DatabaseConfig } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { JournalStore } from '../deploy/journal.js';
import { secretEnvProblem } from '../transports/secret-env.js';
import type { Transport } from '../transports/types.js';
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

/** Where a backup step works: the primary target's shell, its command environment, the environment's journal. */
export interface BackupSiteParts {
  config: Config;
  environmentName: string;
  shell: Transport;
  targetEnv: Record<string, string>;
  journal: JournalStore;
  /** The database password (databasePassword: read and masked before the shell was opened). */
  password: string;
  log: Logger;
  signal: AbortSignal;
}

/**
 * The database password, from the runner variable `database.password-env` names, registered for masking. Throws
 * ConfigError naming the variable when it is unset or empty: read before any connection opens.
 */
export function databasePassword(
  config: Config,
  vars: Readonly<Record<string, string | undefined>>,
  log: Pick<Logger, 'addSecret'>,
): string {
  const { database } = backupSections(config);
  const password = vars[database['password-env']];
  if (password === undefined || password === '') {
    throw new ConfigError(
      `the database password is missing: set the environment variable ${database['password-env']} (database.password-env), e.g. from a secret`,
    );
  }
  log.addSecret(password);
  const unpassable = secretEnvProblem(password);
  if (unpassable) {
    throw new ConfigError(`the database password in ${database['password-env']} (database.password-env) ${unpassable}`);
  }
  return password;
}

/** The backup site of an environment, with the database password already read (databasePassword). */
export function backupSite(p: BackupSiteParts): BackupSite {
  const { config } = p;
  const { database, backup } = backupSections(config);
  const { password } = p;
  const pg = new PgClient(p.shell, endpointOf(config, database), password, p.log, p.signal, p.targetEnv);
  return {
    config,
    environment: p.environmentName,
    database,
    backup,
    pg,
    store: new BackupStore(p.shell, backup.directory, config.app, p.environmentName),
    journal: p.journal,
  };
}
