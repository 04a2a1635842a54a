/**
 * Migration tools as data: the argv for upgrade, current revision, dry-run SQL and downgrade, how to read the
 * revision out of what the tool really prints, and whether the tool's PostgreSQL driver honours PGOPTIONS (so
 * lock_timeout and statement_timeout reach every statement it runs).
 *
 * A revision is the tool's own name for the schema state, or '' when no migration is applied; each downgrade maps
 * '' to the tool's base target (alembic `base`, goose `0`, rails `0`, knex `--all`).
 */
import type { MigrateConfig } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';

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

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes (a tool that colours non-TTY output)
const ANSI = /\u001b\[[0-9;]*m/g;

/** The output's non-empty lines, colour codes removed, trimmed. */
function lines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** What a tool printed, for an error message: its last line (stdout, else stderr). */
function shown(out: ToolOutput): string {
  return JSON.stringify((lines(out.stdout).at(-1) ?? errorLine(out.stderr)).slice(0, 200));
}

function unexpected(command: string, out: ToolOutput): UserError {
  return new UserError(`could not read the revision from \`${command}\`: it printed ${shown(out)}`);
}

/** `tool: custom`: the first line of stdout, as is. */
export function firstLineRevision(out: ToolOutput): string {
  return out.stdout.trim().split('\n')[0]?.trim() ?? '';
}

// alembic `current` prints one line per current head: the revision id, then markers (alembic/script/base.py,
// Script._head_only: " (head)", " (effective head)", " (current)", " (branchpoint)", " (mergepoint)"); nothing at
// all when no migration is applied. Several heads are joined with "," (sorted: alembic prints a set).
const ALEMBIC_LINE = /^(\S+)((?: \((?:head|effective head|current|branchpoint|mergepoint)\))*)$/;

export function alembicRevision(out: ToolOutput): string {
  const revs = lines(out.stdout).map((l) => {
    const m = ALEMBIC_LINE.exec(l);
    if (!m?.[1] || m[1].includes(',')) throw unexpected('alembic current', out);
    return m[1];
  });
  return [...new Set(revs)].sort().join(',');
}

function alembicDowngrade(rev: string): string[] {
  if (rev === '') return ['alembic', 'downgrade', 'base'];
  if (rev.includes(',')) {
    throw new UserError(
      `alembic had several heads (${rev}): downgrade each branch by hand (alembic downgrade <branch>@<revision>)`,
    );
  }
  if (/[\s()]/.test(rev)) throw notARevision('alembic', rev, 'alembic downgrade <revision>');
  return ['alembic', 'downgrade', rev];
}

// goose `version` logs "goose: version N" through the standard Go logger (stderr, "2006/01/02 15:04:05 " prefix):
// pressly/goose version.go (log.Printf) and log.go (stdLogger → log.Printf); goose v2 printed "goose: dbversion N"
// on stdout. An empty database is version 0.
const GOOSE_VERSION = /(?:^|\s)goose: (?:db)?version (\d+)$/;

export function gooseRevision(out: ToolOutput): string {
  const found = [...lines(out.stderr), ...lines(out.stdout)]
    .map((l) => GOOSE_VERSION.exec(l)?.[1])
    .filter((v) => v !== undefined);
  const v = found.at(-1);
  if (v === undefined) throw unexpected('goose version', out);
  return v === '0' ? '' : v;
}

function gooseDowngrade(rev: string): string[] {
  if (rev === '') return ['goose', 'down-to', '0'];
  if (!/^\d+$/.test(rev)) throw notARevision('goose', rev, 'goose down-to <version>');
  return ['goose', 'down-to', rev];
}

// rails `db:version` prints "Current version: N" (activerecord/lib/active_record/railties/databases.rake); since
// Rails 7.1 once per database of the environment, each after a "database: <name>" line and a blank line. 0 is an
// empty database. Several databases give "<database>=<version>,…": `db:migrate VERSION=x` migrates only pending
// versions in a multi-database app (DatabaseTasks.migrate_all), so their downgrade is done by hand.
export function railsRevision(out: ToolOutput): string {
  const found: { database?: string; version: string }[] = [];
  let database: string | undefined;
  for (const l of lines(out.stdout)) {
    const db = /^database: (.+)$/.exec(l);
    if (db) database = db[1];
    const v = /^Current version: (\d+)$/.exec(l)?.[1];
    if (v !== undefined) {
      found.push({ database, version: v });
      database = undefined;
    }
  }
  const [only] = found;
  if (!only) throw unexpected('bin/rails db:version', out);
  if (found.length === 1) return only.version.replace(/^0+$/, '');
  return found.map((f, i) => `${f.database ?? `database${i + 1}`}=${f.version}`).join(',');
}

// `db:migrate VERSION=x` runs the down migrations newer than x (MigrationContext#migrate: current > target → down);
// `db:migrate:down VERSION=x` would undo migration x itself. VERSION=0 undoes them all.
function railsDowngrade(rev: string): string[] {
  if (rev === '') return ['bin/rails', 'db:migrate', 'VERSION=0'];
  if (/^\d+$/.test(rev)) return ['bin/rails', 'db:migrate', `VERSION=${rev}`];
  if (rev.includes('=')) {
    const each = rev
      .split(',')
      .map((p) => p.replace('=', ': '))
      .join(', ');
    throw new UserError(
      `rails with several databases: db:migrate VERSION=x only runs pending migrations there; downgrade each database by hand with bin/rails db:migrate:<name> VERSION=<version> (${each})`,
    );
  }
  throw notARevision('rails', rev, 'bin/rails db:migrate VERSION=<version>');
}

// django `showmigrations --list` prints each app label, then " [X] name" (applied), " [-] name … Run 'manage.py
// migrate' to finish recording." (applied squash), " [ ] name" (not applied) in migration order, or
// " (no migrations)" (django/core/management/commands/showmigrations.py, show_list). The revision is the newest
// applied migration of each app: "app.name app.name …" (apps in label order); '' when none is applied.
export function djangoRevision(out: ToolOutput): string {
  const applied = new Map<string, string>();
  let app: string | undefined;
  for (const raw of out.stdout.replace(ANSI, '').split('\n')) {
    if (raw.trim() === '') continue;
    const entry = /^\s+\[([X\- ])\] (\S+)/.exec(raw);
    if (!/^\s/.test(raw)) {
      if (!/^[A-Za-z_][\w]*$/.test(raw.trim())) throw unexpected('manage.py showmigrations --list', out);
      app = raw.trim();
    } else if (entry && app) {
      if (entry[1] !== ' ' && entry[2]) applied.set(app, entry[2]);
    } else if (raw.trim() !== '(no migrations)') {
      throw unexpected('manage.py showmigrations --list', out);
    }
  }
  return [...applied].map(([a, name]) => `${a}.${name}`).join(' ');
}

function djangoState(rev: string): Map<string, string> {
  const state = new Map<string, string>();
  for (const token of rev.split(' ').filter((t) => t !== '')) {
    const m = /^([A-Za-z_]\w*)\.(\S+)$/.exec(token);
    if (!m?.[1] || !m[2]) throw notARevision('django', rev, 'python manage.py migrate <app> <migration>');
    state.set(m[1], m[2]);
  }
  return state;
}

// `migrate <app> <name>` goes back to (or forward to) that migration of one app, unapplying what depends on it in
// other apps too; `zero` unapplies the whole app. Only a single app's change is done here: across apps the order
// matters and is the user's call.
function djangoDowngrade(rev: string, current?: string): string[] {
  const target = djangoState(rev);
  const by = (app: string) => `python manage.py migrate ${app} ${target.get(app) ?? 'zero'}`;
  if (current === undefined) {
    throw new UserError(
      `django migrates per app: run python manage.py migrate <app> <migration|zero> by hand for each app whose migrations changed (the state to restore: ${rev || 'no migration applied'})`,
    );
  }
  const now = djangoState(current);
  const apps = [...new Set([...target.keys(), ...now.keys()])].filter((a) => target.get(a) !== now.get(a));
  const [only] = apps;
  if (only === undefined) throw new UserError(`django is already at ${rev || '(none)'}`);
  if (apps.length > 1) {
    throw new UserError(
      `django migrations of several apps changed (${apps.join(', ')}): downgrade them by hand, newest first: ${apps.map(by).join('; ')}`,
    );
  }
  return ['python', 'manage.py', 'migrate', only, target.get(only) ?? 'zero', '--no-input'];
}

// knex `migrate:currentVersion` prints "Current Version: V" (V is 'none' when no migration ran), after "Using
// environment: <env>" when the knexfile has environments (knex bin/cli.js).
export function knexRevision(out: ToolOutput): string {
  const v = lines(out.stdout)
    .map((l) => /^Current Version: (.+)$/.exec(l)?.[1])
    .findLast((x) => x !== undefined);
  if (v === undefined) throw unexpected('knex migrate:currentVersion', out);
  return v === 'none' ? '' : v;
}

// flyway `info` logs "Schema version: V" before its table; V is "<< Empty Schema >>" when none is applied
// (flyway-commandline Main, MigrationVersion.EMPTY).
export function flywayRevision(out: ToolOutput): string {
  const v = lines(out.stdout)
    .map((l) => /(?:^|\s)Schema version: (.+)$/.exec(l)?.[1])
    .findLast((x) => x !== undefined);
  if (v === undefined) throw unexpected('flyway info', out);
  return v === '<< Empty Schema >>' ? '' : v;
}

function notARevision(tool: string, rev: string, byHand: string): UserError {
  return new UserError(
    `${JSON.stringify(rev)} is not a revision of ${tool} (a journal entry from an older runbook-actions?): downgrade by hand with ${byHand}`,
  );
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
