/**
 * Migration tool presets against what the real tools print: each tool's `current` output (stdout and stderr as its
 * source writes them, cited per table) → the revision ('' = no migration applied), and a revision → the exact argv
 * that goes back TO it (the tool's base target for ''), or a refusal naming what to run by hand. Then the journal
 * checks of the rollback's migration scope (rollback/migration.ts) on a scripted tool.
 */
import { describe, expect, it } from 'vitest';
import type { MigrateConfig } from '../../../src/config/schema.js';
import type { ActionContext } from '../../../src/core/context.js';
import type { MigrationRecord } from '../../../src/deploy/journal.js';
import type { Invocation } from '../../../src/migrate/invoke.js';
import type { OpenedMigration } from '../../../src/migrate/open.js';
import { type MigrationTool, PRESETS, type ToolOutput, toolFor } from '../../../src/migrate/presets.js';
import { downgradeTo } from '../../../src/rollback/migration.js';

type Tool = Exclude<MigrateConfig['tool'], 'custom'>;

interface ParseCase {
  name: string;
  out: Partial<ToolOutput>;
  /** The revision, or the error message (a RegExp). */
  revision: string | RegExp;
}

function parse(tool: MigrationTool, out: Partial<ToolOutput>): string {
  if (!tool.current) throw new Error('no current command');
  return tool.current.parse({ stdout: out.stdout ?? '', stderr: out.stderr ?? '' });
}

const ALEMBIC_LOG =
  'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n';

const PARSE: Record<Tool, ParseCase[]> = {
  // alembic/command.py current(): print_stdout(rev.cmd_format(verbose)) per current head, nothing on an empty
  // database; alembic/script/base.py Script._head_only adds " (head)", " (effective head)", " (current)",
  // " (branchpoint)", " (mergepoint)". alembic.ini logs to stderr.
  alembic: [
    { name: 'head', out: { stdout: 'ae1027a6acf (head)\n', stderr: ALEMBIC_LOG }, revision: 'ae1027a6acf' },
    { name: 'effective head', out: { stdout: '1975ea83b712 (effective head)\n' }, revision: '1975ea83b712' },
    { name: 'not the head', out: { stdout: '1975ea83b712\n' }, revision: '1975ea83b712' },
    { name: 'several markers', out: { stdout: 'ae1027a6acf (head) (branchpoint)\n' }, revision: 'ae1027a6acf' },
    { name: 'empty database: nothing on stdout', out: { stdout: '', stderr: ALEMBIC_LOG }, revision: '' },
    {
      name: 'two heads (a set: sorted)',
      out: { stdout: '3adcc9a56557 (head)\n27c6a30d7c24 (head)\n' },
      revision: '27c6a30d7c24,3adcc9a56557',
    },
    {
      name: 'alembic < 0.7 format: refused',
      out: { stdout: 'Current revision for postgresql://shop@db/shop: ae10 -> 1975 (head), add orders\n' },
      revision: /could not read the revision from `alembic current`: it printed "Current revision for/,
    },
  ],
  // pressly/goose version.go: log.Printf("goose: version %v\n", current); log.go: the default logger is Go's
  // standard log (stderr, "2006/01/02 15:04:05 " prefix); cmd/goose/main.go sets no other. An empty database is 0.
  // goose v2 (version.go): fmt.Printf("goose: dbversion %v\n", current) on stdout.
  goose: [
    {
      name: 'v3: stderr, stdout empty',
      out: { stdout: '', stderr: '2026/11/23 11:00:00 goose: version 20261101090000\n' },
      revision: '20261101090000',
    },
    { name: 'empty database', out: { stderr: '2026/11/23 11:00:00 goose: version 0\n' }, revision: '' },
    { name: 'v2: stdout', out: { stdout: 'goose: dbversion 7\n' }, revision: '7' },
    {
      name: 'nothing printed: refused, not taken for "no migration"',
      out: { stdout: '', stderr: '' },
      revision: /could not read the revision from `goose version`/,
    },
    {
      name: '-no-versioning prints a file version, not the database one',
      out: { stderr: '2026/11/23 11:00:00 goose: file version 5\n' },
      revision: /could not read the revision from `goose version`/,
    },
  ],
  // activerecord/lib/active_record/railties/databases.rake, task version: Rails 7.1+ puts "\ndatabase: #{name}\n",
  // "Current version: #{current_version}" and a blank line per database; older Rails only the version line.
  rails: [
    {
      name: 'Rails 7.1+',
      out: { stdout: '\ndatabase: shop_production\nCurrent version: 20261101090000\n\n' },
      revision: '20261101090000',
    },
    { name: 'Rails < 7.1', out: { stdout: 'Current version: 20261101090000\n' }, revision: '20261101090000' },
    { name: 'empty database', out: { stdout: '\ndatabase: shop_production\nCurrent version: 0\n\n' }, revision: '' },
    {
      name: 'several databases',
      out: {
        stdout:
          '\ndatabase: shop_production\nCurrent version: 20261101090000\n\n\ndatabase: shop_animals\nCurrent version: 20250301080000\n\n',
      },
      revision: 'shop_production=20261101090000,shop_animals=20250301080000',
    },
    {
      name: 'no version line: refused',
      out: { stdout: '\ndatabase: shop_production\n' },
      revision: /could not read the revision from `bin\/rails db:version`: it printed "database: shop_production"/,
    },
  ],
  // django/core/management/commands/showmigrations.py show_list: the app label, then " [X] name" (applied),
  // " [-] name (N squashed migrations) Run 'manage.py migrate' to finish recording." or " [ ] name", in migration
  // order; " (no migrations)" for an app without any.
  django: [
    {
      name: 'newest applied migration of each app',
      out: {
        stdout: [
          'admin',
          ' [X] 0001_initial',
          ' [X] 0002_logentry_remove_auto_add',
          ' [X] 0003_logentry_add_action_flag_choices',
          'auth',
          ' [X] 0001_initial',
          ' [X] 0012_alter_user_first_name_max_length',
          'legacy',
          ' (no migrations)',
          'shop',
          ' [X] 0001_initial',
          ' [X] 0002_order_note',
          ' [ ] 0003_order_index',
          '',
        ].join('\n'),
      },
      revision:
        'admin.0003_logentry_add_action_flag_choices auth.0012_alter_user_first_name_max_length shop.0002_order_note',
    },
    {
      name: 'a squashed migration applied but not recorded counts as applied',
      out: {
        stdout:
          "shop\n [-] 0001_squashed_0004_order (4 squashed migrations) Run 'manage.py migrate' to finish recording.\n [ ] 0005_refund\n",
      },
      revision: 'shop.0001_squashed_0004_order',
    },
    { name: 'empty database', out: { stdout: 'shop\n [ ] 0001_initial\n [ ] 0002_order_note\n' }, revision: '' },
    {
      name: 'the --plan format (not valid migrate targets): refused',
      out: { stdout: '[X]  admin.0001_initial\n[X]  auth.0001_initial\n' },
      revision: /could not read the revision from `manage.py showmigrations --list`/,
    },
  ],
  // knex bin/cli.js: migrate:currentVersion logs "Using environment: <env>" (knexfile with environments), then
  // success(color.green('Current Version: ') + color.blue(version)); the migrator's version is 'none' when no
  // migration ran.
  knex: [
    {
      name: 'with environments',
      out: { stdout: 'Using environment: production\nCurrent Version: 20261101090000\n' },
      revision: '20261101090000',
    },
    {
      name: 'coloured',
      out: { stdout: '\u001b[32mCurrent Version: \u001b[39m\u001b[34m20261101090000\u001b[39m\n' },
      revision: '20261101090000',
    },
    { name: 'none ran', out: { stdout: 'Current Version: none\n' }, revision: '' },
    {
      name: 'something else: refused',
      out: { stdout: 'Using environment: production\n' },
      revision: /could not read the revision from `knex migrate:currentVersion`/,
    },
  ],
  // prisma: no `current` (see the preset): `migrate status` exits 1 while migrations are pending (prisma.io docs,
  // cli/migrate/status, "Exit codes", 4.3.0 and later), and there is no revision to go back to.
  prisma: [],
  // flyway-commandline Main, operation info: LOG.info("Schema version: " + currentSchemaVersion) before the table;
  // MigrationVersion.EMPTY prints "<< Empty Schema >>".
  flyway: [
    {
      name: 'after the banner',
      out: {
        stdout:
          'Flyway OSS Edition 10.0.0 by Redgate\nDatabase: jdbc:postgresql://db.internal:5432/shop (PostgreSQL 16.1)\nSchema version: 3\n\n+-----------+---------+\n| Category  | Version |\n',
      },
      revision: '3',
    },
    { name: 'empty schema', out: { stdout: 'Schema version: << Empty Schema >>\n' }, revision: '' },
  ],
};

describe('current revision: as each tool prints it', () => {
  const cases = Object.entries(PARSE).flatMap(([tool, list]) => list.map((c) => ({ tool: tool as Tool, ...c })));
  it.each(cases)('$tool: $name', ({ tool, out, revision }) => {
    if (typeof revision === 'string') expect(parse(PRESETS[tool], out)).toBe(revision);
    else expect(() => parse(PRESETS[tool], out)).toThrow(revision);
  });

  it('the commands: django lists per app (not --plan), prisma and no other has none', () => {
    expect(Object.fromEntries(Object.entries(PRESETS).map(([k, t]) => [k, t.current?.argv]))).toEqual({
      alembic: ['alembic', 'current'],
      django: ['python', 'manage.py', 'showmigrations', '--list'],
      rails: ['bin/rails', 'db:version'],
      goose: ['goose', 'version'],
      knex: ['npx', '--no-install', 'knex', 'migrate:currentVersion'],
      prisma: undefined,
      flyway: ['flyway', 'info'],
    });
  });
});

interface DownCase {
  tool: Tool;
  name: string;
  revision: string;
  current?: string;
  /** The exact argv, or the refusal (a RegExp). */
  argv: string[] | RegExp;
}

const DOWN: DownCase[] = [
  // alembic downgrade <revision>; `base` is before the first revision.
  { tool: 'alembic', name: 'to a revision', revision: 'ae1027a6acf', argv: ['alembic', 'downgrade', 'ae1027a6acf'] },
  { tool: 'alembic', name: 'to no migration: base', revision: '', argv: ['alembic', 'downgrade', 'base'] },
  {
    tool: 'alembic',
    name: 'several heads: by hand',
    revision: '27c6a30d7c24,3adcc9a56557',
    argv: /alembic had several heads \(27c6a30d7c24,3adcc9a56557\): downgrade each branch by hand/,
  },
  {
    tool: 'alembic',
    name: 'an old journal entry with markers',
    revision: 'ae1027a6acf (head)',
    argv: /"ae1027a6acf \(head\)" is not a revision of alembic .*alembic downgrade <revision>/,
  },
  // goose down-to VERSION rolls back while the current version is above VERSION (pressly/goose down.go DownTo).
  { tool: 'goose', name: 'to a version', revision: '20261101090000', argv: ['goose', 'down-to', '20261101090000'] },
  { tool: 'goose', name: 'to no migration: 0', revision: '', argv: ['goose', 'down-to', '0'] },
  { tool: 'goose', name: 'not a version', revision: 'goose: version 3', argv: /is not a revision of goose/ },
  // db:migrate VERSION=x runs down to x (MigrationContext#migrate: current > target → down(target)), unlike
  // db:migrate:down VERSION=x, which undoes migration x itself.
  {
    tool: 'rails',
    name: 'to a version',
    revision: '20261101090000',
    argv: ['bin/rails', 'db:migrate', 'VERSION=20261101090000'],
  },
  { tool: 'rails', name: 'to no migration: 0', revision: '', argv: ['bin/rails', 'db:migrate', 'VERSION=0'] },
  {
    tool: 'rails',
    name: 'several databases: by hand',
    revision: 'shop_production=20261101090000,shop_animals=20250301080000',
    argv: /rails with several databases: .*bin\/rails db:migrate:<name> VERSION=<version> \(shop_production: 20261101090000, shop_animals: 20250301080000\)/,
  },
  {
    tool: 'rails',
    name: 'an old journal entry (the first line of db:version)',
    revision: 'database: shop_production',
    argv: /"database: shop_production" is not a revision of rails/,
  },
  // migrate <app> <name> goes to that migration of the app; zero unapplies the app.
  {
    tool: 'django',
    name: 'one app changed: back to its migration',
    revision: 'auth.0012_alter_user_first_name_max_length shop.0002_order_note',
    current: 'auth.0012_alter_user_first_name_max_length shop.0004_refund',
    argv: ['python', 'manage.py', 'migrate', 'shop', '0002_order_note', '--no-input'],
  },
  {
    tool: 'django',
    name: 'one app had none applied: zero',
    revision: 'auth.0012_alter_user_first_name_max_length',
    current: 'auth.0012_alter_user_first_name_max_length shop.0001_initial',
    argv: ['python', 'manage.py', 'migrate', 'shop', 'zero', '--no-input'],
  },
  {
    tool: 'django',
    name: 'several apps changed: by hand',
    revision: 'auth.0011_update_proxy_permissions shop.0002_order_note',
    current: 'auth.0012_alter_user_first_name_max_length shop.0004_refund',
    argv: /several apps changed \(auth, shop\): .*python manage.py migrate auth 0011_update_proxy_permissions; python manage.py migrate shop 0002_order_note/,
  },
  {
    tool: 'django',
    name: 'the current state unknown: by hand',
    revision: 'shop.0002_order_note',
    argv: /django migrates per app: run python manage.py migrate <app> <migration\|zero> by hand .*shop\.0002_order_note/,
  },
  {
    tool: 'django',
    name: 'an old journal entry (the first --plan line)',
    revision: '[X]  admin.0001_initial',
    current: 'admin.0003_logentry_add_action_flag_choices',
    argv: /is not a revision of django/,
  },
  // knex migrate:rollback undoes the last batch, --all every completed migration (bin/cli.js).
  {
    tool: 'knex',
    name: 'the last batch',
    revision: '20261101090000',
    argv: ['npx', '--no-install', 'knex', 'migrate:rollback'],
  },
  {
    tool: 'knex',
    name: 'to no migration: all',
    revision: '',
    argv: ['npx', '--no-install', 'knex', 'migrate:rollback', '--all'],
  },
];

describe('downgrade: the argv that goes back TO a revision', () => {
  it.each(DOWN)('$tool: $name', ({ tool, revision, current, argv }) => {
    const down = PRESETS[tool].downgrade;
    if (!down) throw new Error(`${tool} has no downgrade`);
    if (Array.isArray(argv)) expect(down(revision, current)).toEqual(argv);
    else expect(() => down(revision, current)).toThrow(argv);
  });

  it('prisma and flyway have none; only knex undoes the last run', () => {
    expect(PRESETS.prisma.downgrade).toBeUndefined();
    expect(PRESETS.flyway.downgrade).toBeUndefined();
    expect(
      Object.entries(PRESETS)
        .filter(([, t]) => t.undoesLastRun)
        .map(([k]) => k),
    ).toEqual(['knex']);
  });

  it('a parsed revision round-trips into the down argv', () => {
    const rev = parse(PRESETS.goose, { stderr: '2026/11/23 11:00:00 goose: version 20261101090000\n' });
    expect(PRESETS.goose.downgrade?.(rev)).toEqual(['goose', 'down-to', '20261101090000']);
    const none = parse(PRESETS.rails, { stdout: '\ndatabase: shop\nCurrent version: 0\n\n' });
    expect(PRESETS.rails.downgrade?.(none)).toEqual(['bin/rails', 'db:migrate', 'VERSION=0']);
  });
});

describe('tool: custom keeps its behaviour', () => {
  const tool = toolFor({
    tool: 'custom',
    'lock-timeout': 5000,
    'statement-timeout': 900000,
    custom: {
      upgrade: ['./bin/migrate', 'up'],
      current: ['./bin/migrate', 'version'],
      downgrade: ['./bin/migrate', 'down', '--to', '{revision}'],
    },
  });

  it('the revision is the first stdout line, as is', () => {
    expect(tool.current?.argv).toEqual(['./bin/migrate', 'version']);
    expect(parse(tool, { stdout: '  7  \napplied at 2026-11-23\n', stderr: 'connecting\n' })).toBe('7');
    expect(parse(tool, { stdout: '' })).toBe('');
  });

  it('the downgrade substitutes the revision, even an empty one', () => {
    expect(tool.downgrade?.('7')).toEqual(['./bin/migrate', 'down', '--to', '7']);
    expect(tool.downgrade?.('')).toEqual(['./bin/migrate', 'down', '--to', '']);
    expect(tool.undoesLastRun).toBeUndefined();
  });
});

/** A tool whose `current` prints `revision` and whose other commands move it to `to`; every argv is recorded. */
function scripted(
  tool: MigrationTool,
  name: MigrateConfig['tool'],
  print: (rev: string) => Partial<ToolOutput>,
  to?: string,
) {
  let revision = '';
  const ran: string[][] = [];
  const inv: Invocation = {
    describe: 'web1 in /srv/shop',
    argvFor: (argv) => ({ argv }),
    run: async (argv) => {
      ran.push(argv);
      if (tool.current && argv.join(' ') === tool.current.argv.join(' ')) {
        return { code: 0, stdout: '', stderr: '', ...print(revision) };
      }
      if (to !== undefined) revision = to;
      return { code: 0, stdout: '', stderr: '' };
    },
  };
  const opened = { tool, inv, m: { tool: name, 'statement-timeout': 60_000 } } as unknown as OpenedMigration;
  const lines: string[] = [];
  const ctx = {
    signal: new AbortController().signal,
    log: { info: (l: string) => lines.push(l), group: <T>(_: string, fn: () => Promise<T>) => fn() },
  } as unknown as ActionContext;
  return {
    ran,
    set: (r: string) => {
      revision = r;
    },
    down: (to: string, records: MigrationRecord[]) => downgradeTo(ctx, opened, to, records),
  };
}

const rec = (id: string, revisionBefore: string, revisionAfter: string | undefined): MigrationRecord => ({
  id,
  tool: 'x',
  status: 'applied',
  revisionBefore,
  revisionAfter,
  startedAt: '2026-11-23T10:00:00.000Z',
});

describe('the rollback refuses a downgrade the journal does not vouch for', () => {
  const goose = (rev: string) => ({ stderr: `2026/11/23 11:00:00 goose: version ${rev || '0'}\n` });

  it('to no migration, when no recorded migration left it (a journal entry written before goose was read)', async () => {
    const s = scripted(PRESETS.goose, 'goose', goose);
    s.set('20261120090000');
    await expect(s.down('', [rec('m1', '', '')])).rejects.toThrow(
      /the journal records no revision for m1, so it cannot tell what to undo: not downgrading goose to no migration/,
    );
    expect(s.ran).toEqual([['goose', 'version']]);
  });

  it('to no migration, when a recorded migration left it: the base target', async () => {
    const s = scripted(PRESETS.goose, 'goose', goose, '');
    s.set('20261120090000');
    expect(await s.down('', [rec('m1', '', '20261120090000')])).toEqual({ before: '20261120090000', after: '' });
    expect(s.ran).toEqual([
      ['goose', 'version'],
      ['goose', 'down-to', '0'],
      ['goose', 'version'],
    ]);
  });

  const knex = (rev: string) => ({ stdout: `Using environment: production\nCurrent Version: ${rev || 'none'}\n` });

  it('knex: one recorded run from the revision to the current one → one batch rolled back', async () => {
    const s = scripted(PRESETS.knex, 'knex', knex, '20261101090000');
    s.set('20261120090000');
    const done = await s.down('20261101090000', [rec('m1', '20261101090000', '20261120090000')]);
    expect(done).toEqual({ before: '20261120090000', after: '20261101090000' });
    expect(s.ran.map((a) => a.at(-1))).toEqual([
      'migrate:currentVersion',
      'migrate:rollback',
      'migrate:currentVersion',
    ]);
  });

  it('knex: two runs since (two batches) → refused before anything runs', async () => {
    const s = scripted(PRESETS.knex, 'knex', knex);
    s.set('20261125090000');
    const records = [rec('m1', '20261101090000', '20261120090000'), rec('m2', '20261120090000', '20261125090000')];
    await expect(s.down('20261101090000', records)).rejects.toThrow(
      /knex rolls back the last migrate run only, and the journal does not show one run from 20261101090000 to 20261125090000 \(2 runs changed the schema\)/,
    );
    expect(s.ran).toEqual([['npx', '--no-install', 'knex', 'migrate:currentVersion']]);
  });

  it('custom without a current command: the downgrade runs as configured', async () => {
    const tool = toolFor({
      tool: 'custom',
      'lock-timeout': 5000,
      'statement-timeout': 900000,
      custom: { upgrade: ['./bin/migrate', 'up'], downgrade: ['./bin/migrate', 'down', '{revision}'] },
    });
    const s = scripted(tool, 'custom', () => ({}));
    await s.down('', [rec('m1', '', '')]);
    expect(s.ran).toEqual([['./bin/migrate', 'down', '']]);
  });
});
