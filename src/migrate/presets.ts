/**
 * Migration tools as data: the argv for upgrade, current revision, dry-run SQL and downgrade, and whether the tool's
 * PostgreSQL driver honours PGOPTIONS (so lock_timeout and statement_timeout reach every statement it runs).
 */
import type { MigrateConfig } from '../config/schema.js';

export interface MigrationTool {
  upgrade: string[];
  /** Prints the current revision (first line of output). */
  current?: string[];
  /** Prints the SQL the upgrade would run, without running it. */
  dryRunSql?: string[];
  /** Argv to go back to `revision`. */
  downgrade?: (revision: string) => string[];
  /** libpq-based drivers read PGOPTIONS; others (JDBC, Prisma's engine) do not. */
  honoursPgOptions: boolean;
  /** What a user should know when a capability is missing. */
  note?: string;
}

export const PRESETS: Record<Exclude<MigrateConfig['tool'], 'custom'>, MigrationTool> = {
  alembic: {
    upgrade: ['alembic', 'upgrade', 'head'],
    current: ['alembic', 'current'],
    dryRunSql: ['alembic', 'upgrade', 'head', '--sql'],
    downgrade: (rev) => ['alembic', 'downgrade', rev],
    honoursPgOptions: true,
  },
  django: {
    upgrade: ['python', 'manage.py', 'migrate', '--no-input'],
    current: ['python', 'manage.py', 'showmigrations', '--plan'],
    downgrade: (rev) => ['python', 'manage.py', 'migrate', ...rev.split(' ')],
    honoursPgOptions: true,
    note: 'django prints SQL per migration only (manage.py sqlmigrate <app> <name>); the dry run lists the plan',
  },
  rails: {
    upgrade: ['bin/rails', 'db:migrate'],
    current: ['bin/rails', 'db:version'],
    downgrade: (rev) => ['bin/rails', 'db:migrate:down', `VERSION=${rev}`],
    honoursPgOptions: true,
  },
  goose: {
    upgrade: ['goose', 'up'],
    current: ['goose', 'version'],
    downgrade: (rev) => ['goose', 'down-to', rev],
    honoursPgOptions: true,
  },
  knex: {
    upgrade: ['npx', '--no-install', 'knex', 'migrate:latest'],
    current: ['npx', '--no-install', 'knex', 'migrate:currentVersion'],
    downgrade: () => ['npx', '--no-install', 'knex', 'migrate:rollback'],
    honoursPgOptions: false,
    note: 'node-postgres ignores PGOPTIONS: set lock_timeout in the knex config (pool.afterCreate)',
  },
  prisma: {
    upgrade: ['npx', '--no-install', 'prisma', 'migrate', 'deploy'],
    current: ['npx', '--no-install', 'prisma', 'migrate', 'status'],
    honoursPgOptions: false,
    note: 'prisma has no down migrations; roll back with a database restore',
  },
  flyway: {
    upgrade: ['flyway', 'migrate'],
    current: ['flyway', 'info'],
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
    current: c.current,
    dryRunSql: c['dry-run'],
    downgrade: c.downgrade ? (rev) => c.downgrade!.map((a) => a.replaceAll('{revision}', rev)) : undefined,
    honoursPgOptions: true,
  };
}

/** PGOPTIONS that bound every statement's lock wait and run time. */
export function pgOptions(lockTimeoutMs: number, statementTimeoutMs: number): string {
  return `-c lock_timeout=${lockTimeoutMs} -c statement_timeout=${statementTimeoutMs}`;
}
