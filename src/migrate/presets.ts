/**
 * Migration tools as data: the argv for upgrade, current revision, dry-run SQL and downgrade, how to read the
 * revision out of what the tool really prints, and whether the tool's PostgreSQL driver honours PGOPTIONS (so
 * lock_timeout and statement_timeout reach every statement it runs).
 *
 * A revision is the tool's own name for the schema state, or '' when no migration is applied; each downgrade maps
 * '' to the tool's base target (alembic `base`, goose `0`, rails `0`, knex `--all`).
 */
import type { MigrateConfig } from '../config/schema.js';
import {
  alembicDowngrade,
  alembicRevision,
  djangoDowngrade,
  djangoRevision,
  firstLineRevision,
  flywayRevision,
  gooseDowngrade,
  gooseRevision,
  knexRevision,
  railsDowngrade,
  railsRevision,
} from './revisions.js';

/** What the `current` command wrote. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
}

export interface MigrationTool {
  upgrade: string[];
  /** The command that prints the current revision, and how to read it from its output. */
  current?: {
    argv: string[];
    /** The revision ('' when no migration is applied); a UserError when the output is not what the tool prints. */
    parse: (out: ToolOutput) => string;
  };
  /** Prints the SQL the upgrade would run, without running it. */
  dryRunSql?: string[];
  /**
   * Argv that goes back to `revision` ('' = no migration applied), given the revision now when it is known; a
   * UserError naming what to run by hand when the tool cannot go there safely.
   */
  downgrade?: (revision: string, current?: string) => string[];
  /**
   * The downgrade undoes the last migrate run instead of going to a named revision (knex rolls back a batch): only
   * right when one recorded run took the schema from `revision` to the current one.
   */
  undoesLastRun?: boolean;
  /** libpq-based drivers read PGOPTIONS; others (JDBC, Prisma's engine) do not. */
  honoursPgOptions: boolean;
  /** What a user should know when a capability is missing. */
  note?: string;
}

const KNEX = ['npx', '--no-install', 'knex'];

export const PRESETS: Record<Exclude<MigrateConfig['tool'], 'custom'>, MigrationTool> = {
  alembic: {
    upgrade: ['alembic', 'upgrade', 'head'],
    current: { argv: ['alembic', 'current'], parse: alembicRevision },
    dryRunSql: ['alembic', 'upgrade', 'head', '--sql'],
    downgrade: alembicDowngrade,
    honoursPgOptions: true,
  },
  django: {
    upgrade: ['python', 'manage.py', 'migrate', '--no-input'],
    current: { argv: ['python', 'manage.py', 'showmigrations', '--list'], parse: djangoRevision },
    downgrade: djangoDowngrade,
    honoursPgOptions: true,
    note: 'django prints SQL per migration only (manage.py sqlmigrate <app> <name>); the dry run lists the plan',
  },
  rails: {
    upgrade: ['bin/rails', 'db:migrate'],
    current: { argv: ['bin/rails', 'db:version'], parse: railsRevision },
    downgrade: railsDowngrade,
    honoursPgOptions: true,
  },
  goose: {
    upgrade: ['goose', 'up'],
    current: { argv: ['goose', 'version'], parse: gooseRevision },
    downgrade: gooseDowngrade,
    honoursPgOptions: true,
  },
  knex: {
    upgrade: [...KNEX, 'migrate:latest'],
    current: { argv: [...KNEX, 'migrate:currentVersion'], parse: knexRevision },
    downgrade: (rev) => (rev === '' ? [...KNEX, 'migrate:rollback', '--all'] : [...KNEX, 'migrate:rollback']),
    undoesLastRun: true,
    honoursPgOptions: false,
    note: 'node-postgres ignores PGOPTIONS: set lock_timeout in the knex config (pool.afterCreate)',
  },
  prisma: {
    upgrade: ['npx', '--no-install', 'prisma', 'migrate', 'deploy'],
    // No `current`: prisma has no revision to print, and `migrate status` exits 1 while migrations are pending.
    honoursPgOptions: false,
    note: 'prisma has no down migrations; roll back with a database restore',
  },
  flyway: {
    upgrade: ['flyway', 'migrate'],
    current: { argv: ['flyway', 'info'], parse: flywayRevision },
    honoursPgOptions: false,
    note: 'JDBC ignores PGOPTIONS: set lock_timeout with flyway.postgresql.* or in the migration',
  },
};

/** The tool for a config: a preset, or the config's own argv lists (`tool: custom`). */
export function toolFor(m: MigrateConfig): MigrationTool {
  if (m.tool !== 'custom') return PRESETS[m.tool];
  const c = m.custom;
  if (!c) throw new Error('tool: custom needs custom: { upgrade: [...] }');
  return {
    upgrade: c.upgrade,
    current: c.current && { argv: c.current, parse: firstLineRevision },
    dryRunSql: c['dry-run'],
    downgrade: c.downgrade ? (rev) => c.downgrade!.map((a) => a.replaceAll('{revision}', rev)) : undefined,
    honoursPgOptions: true,
  };
}

/** PGOPTIONS that bound every statement's lock wait and run time. */
export function pgOptions(lockTimeoutMs: number, statementTimeoutMs: number): string {
  return `-c lock_timeout=${lockTimeoutMs} -c statement_timeout=${statementTimeoutMs}`;
}
