/**
 * Reading a migration tool's revision out of what it really prints (its `current` command's stdout and stderr), and
 * the downgrade argv that goes back TO a revision; '' means no migration applied and maps to the tool's base target.
 * Each parser cites the tool source it follows in test/unit/migrate/presets.test.ts.
 */
import { UserError } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';
import type { ToolOutput } from './presets.js';

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

export function alembicDowngrade(rev: string): string[] {
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

export function gooseDowngrade(rev: string): string[] {
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
export function railsDowngrade(rev: string): string[] {
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
export function djangoDowngrade(rev: string, current?: string): string[] {
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

export function notARevision(tool: string, rev: string, byHand: string): UserError {
  return new UserError(
    `${JSON.stringify(rev)} is not a revision of ${tool} (a journal entry from an older runbook-actions?): downgrade by hand with ${byHand}`,
  );
}
