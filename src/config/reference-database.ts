/** The meaning of `database:`, its backups and migrations (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const B = 'database.backup';
const M = 'database.migrate';

export const DATABASE_KEYS: KeyReferences = {
  'database.engine': { meaning: 'The only engine supported.', example: 'postgres' },
  'database.via': {
    meaning:
      'How to reach the database from the primary target. It needs exactly one of `compose-service`, `container` or `host`.',
    example: { host: '127.0.0.1', port: 5433 },
  },
  'database.via.compose-service': {
    meaning: 'A service in the compose file (`compose exec`).',
    example: 'postgres',
  },
  'database.via.container': { meaning: 'A running container (`docker exec`).', example: 'shop-postgres' },
  'database.via.host': {
    meaning: "Use the host's own binaries (`pg_dump`, `psql`) and connect to this host.",
    example: '127.0.0.1',
  },
  'database.via.port': { meaning: 'Only together with `host`.', example: 5433, default: 5432 },
  'database.name': {
    meaning: 'The database. Letters, digits, `_`, `$` and `-`, at most 63 characters.',
    example: 'shop',
  },
  'database.user': { meaning: 'The PostgreSQL role to connect as.', example: 'shop' },
  'database.password-env': {
    meaning:
      'The variable that holds the password. pre-deploy-check requires it to be set. It is never written on a command line.',
    example: 'DB_PASSWORD',
  },
  'database.backup': {
    meaning:
      'The backup action. The pipeline takes a backup when this is set, and it is required when `migrate` is set.',
    example: { directory: '/backups' },
  },
  'database.migrate': {
    meaning: 'The migrate action. Migrations run only after a verified backup.',
    example: { tool: 'alembic', service: 'api' },
  },
  [`${B}.directory`]: {
    meaning:
      'Where backups and their `.json` metadata go on the primary target. The deploy user must be able to write it.',
    example: '/backups',
  },
  [`${B}.format`]: { meaning: 'The `pg_dump` format.', example: 'plain' },
  [`${B}.gzip`]: {
    meaning: 'Compress a `plain` dump. It is not allowed with `custom`, which is already compressed.',
    example: true,
  },
  [`${B}.verify`]: {
    meaning:
      "`restore` restores into a scratch database and compares the row count of every table. `list` only reads the archive's table of contents, a weak check that a truncated archive passes.",
    example: 'list',
  },
  [`${B}.retention`]: {
    meaning:
      'Which backups are kept. Runs only after a new verified backup. It never removes the newest verified backup or one that the journal names.',
    example: { daily: 7, weekly: 4, monthly: 3 },
  },
  [`${B}.retention.keep-last`]: {
    meaning:
      'The newest verified backups kept whatever their days, so a second backup on the same day does not delete the first.',
    example: 5,
  },
  [`${B}.retention.daily`]: {
    meaning: 'How many days keep a backup: the newest verified backup of each of the latest days (UTC) that have one.',
    example: 14,
  },
  [`${B}.retention.weekly`]: { meaning: 'The same for ISO weeks.', example: 8 },
  [`${B}.retention.monthly`]: { meaning: 'The same for months.', example: 12 },
  [`${M}.tool`]: {
    meaning: 'The migration tool. Each value except `custom` has preset commands.',
    example: 'alembic',
  },
  [`${M}.service`]: {
    meaning:
      "Run the tool in this service. With `compose`, that is `compose run --rm <service>`. With the engine driver, it is a one-off container of the service's image at the deployed version. It must be a key of `services`.",
    example: 'api',
  },
  [`${M}.directory`]: {
    meaning: "Without `service`, run the tool on the primary target's shell in this directory.",
    example: '/opt/shop',
  },
  [`${M}.lock-timeout`]: {
    meaning:
      "Sets PostgreSQL's `lock_timeout` through `PGOPTIONS` for tools whose driver reads it: from `10ms` to `10m` (PostgreSQL reads `0` as no limit).",
    example: '10s',
    default: '5s',
  },
  [`${M}.statement-timeout`]: {
    meaning: "Sets PostgreSQL's `statement_timeout` the same way: from `1s` to `1d`.",
    example: '30m',
    default: '15m',
  },
  [`${M}.custom`]: {
    meaning: 'The commands for `tool: custom`, which requires it. It is not allowed with any other tool.',
    example: { upgrade: ['./manage', 'migrate', 'up'] },
  },
  [`${M}.custom.upgrade`]: { meaning: 'Migrates to the newest revision.', example: ['./manage', 'migrate', 'up'] },
  [`${M}.custom.current`]: {
    meaning: 'Prints the current revision.',
    example: ['./manage', 'migrate', 'current'],
  },
  [`${M}.custom.dry-run`]: {
    meaning: 'Prints the SQL that an upgrade would run.',
    example: ['./manage', 'migrate', 'up', '--sql'],
  },
  [`${M}.custom.downgrade`]: {
    meaning: 'Used by rollback. `{revision}` in an argument is replaced by the target revision.',
    example: ['./manage', 'migrate', 'down', '{revision}'],
  },
};

export const DATABASE_SECTIONS: readonly SectionReference[] = [
  {
    path: 'database',
    title: '`database`',
    intro:
      'This is PostgreSQL on the primary target. The password arrives through the variable that `password-env` names, and it is never written on a command line.',
    examples: [
      `database:
  engine: postgres
  via: { compose-service: postgres }
  name: shop
  user: shop
  password-env: DB_PASSWORD
  backup:
    directory: /backups
    format: custom
    verify: restore
    retention: { daily: 7, weekly: 4, monthly: 3 }
  migrate:
    tool: custom
    service: api
    lock-timeout: 5s
    statement-timeout: 15m
    custom:
      upgrade: [./manage, migrate, up]
      current: [./manage, migrate, current]
      dry-run: [./manage, migrate, up, --sql]
      downgrade: [./manage, migrate, down, "{revision}"]
`,
      `database:
  engine: postgres
  via: { host: 127.0.0.1, port: 5433 }
  name: shop
  user: shop
  password-env: DB_PASSWORD
  backup: { directory: /backups, format: plain, gzip: true, verify: list }
  migrate: { tool: alembic, directory: /opt/shop }
`,
    ],
  },
  { path: B, title: 'Backups' },
  { path: M, title: 'Migrations' },
];
