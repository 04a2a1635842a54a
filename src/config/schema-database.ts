/** `database:` — the PostgreSQL database, its backups and its migrations. Secrets are named, never given. */
import * as z from 'zod';
import { exactlyOne, zAbsPath, zArgv, zEnvVarName, zHost, zInt, zMatching, zPort, zServiceName } from './fields.js';
import { zDurationIn } from './units.js';

const VIA_KINDS = ['compose-service', 'container', 'host'] as const;

export type DatabaseVia =
  | { kind: 'compose-service'; 'compose-service': string }
  | { kind: 'container'; container: string }
  | { kind: 'host'; host: string; port: number };

/** How to reach the database from the primary target: a compose service, a container, or host + port. */
const viaSchema = z
  .strictObject({
    'compose-service': zServiceName.optional(),
    container: zMatching(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
      'expected a container name (letters, digits, "_", ".", "-")',
    ).optional(),
    host: zHost.optional(),
    port: zPort.optional(),
  })
  .superRefine((v, ctx) => {
    exactlyOne(v, VIA_KINDS, 'via', [...VIA_KINDS, 'port'], ctx);
    if (v.port !== undefined && v.host === undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'port is only allowed together with host' });
    }
  })
  .transform((v): DatabaseVia => {
    if (v['compose-service'] !== undefined) return { kind: 'compose-service', 'compose-service': v['compose-service'] };
    if (v.container !== undefined) return { kind: 'container', container: v.container };
    return { kind: 'host', host: v.host ?? '', port: v.port ?? 5432 };
  });

export const backupSchema = z
  .strictObject({
    directory: zAbsPath,
    format: z.enum(['custom', 'plain']).default('custom'),
    /** Compress plain-format dumps (custom format is already compressed). */
    gzip: z.boolean({ error: 'expected true or false' }).default(false),
    /** `restore` restores into a scratch database; `list` only reads the archive's table of contents. */
    verify: z.enum(['restore', 'list']).default('restore'),
    retention: z
      .strictObject({
        /** The newest N verified backups are kept whatever their days (a second backup today keeps the first). */
        'keep-last': zInt(0, 1000).default(3),
        daily: zInt(0, 1000).default(7),
        weekly: zInt(0, 1000).default(4),
        monthly: zInt(0, 1000).default(3),
      })
      .prefault({}),
  })
  .superRefine((b, ctx) => {
    if (b.gzip && b.format === 'custom') {
      ctx.addIssue({
        code: 'custom',
        path: ['gzip'],
        message: 'gzip applies to format: plain only (custom is already compressed)',
      });
    }
  });

const MIGRATION_TOOLS = ['alembic', 'prisma', 'knex', 'django', 'rails', 'goose', 'flyway', 'custom'] as const;

export const migrateSchema = z
  .strictObject({
    tool: z.enum(MIGRATION_TOOLS),
    /** Compose service to run the tool in (`compose run --rm <service> …`); with the engine driver, a one-off
     * container of that service's image at the deployed version. */
    service: zServiceName.optional(),
    /** Without a service: run the tool on the primary target's shell, in this directory. */
    directory: zAbsPath.optional(),
    /** At least 10ms: PostgreSQL reads 0 as "wait for ever". */
    'lock-timeout': zDurationIn(10, 10 * 60_000).default(5000),
    /** At least 1s: PostgreSQL reads 0 as "no limit". */
    'statement-timeout': zDurationIn(1000, 86_400_000).default(15 * 60_000),
    custom: z
      .strictObject({
        upgrade: zArgv,
        current: zArgv.optional(),
        'dry-run': zArgv.optional(),
        downgrade: zArgv.optional(),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    if (m.tool === 'custom' && m.custom === undefined) {
      ctx.addIssue({ code: 'custom', message: 'tool: custom needs custom: { upgrade: [...] }' });
    }
    if (m.tool !== 'custom' && m.custom !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['custom'],
        message: `custom commands are only used with tool: custom (tool is ${m.tool})`,
      });
    }
  });

const DB_IDENTIFIER = zMatching(
  /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/,
  'expected a PostgreSQL name (letters, digits, "_", "$", "-")',
);

export const databaseSchema = z
  .strictObject({
    engine: z.literal('postgres', { error: 'expected postgres (the only engine supported)' }),
    via: viaSchema,
    name: DB_IDENTIFIER,
    user: DB_IDENTIFIER,
    'password-env': zEnvVarName,
    backup: backupSchema.optional(),
    migrate: migrateSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.migrate !== undefined && d.backup === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['migrate'],
        message: 'migrations run only after a verified backup: add database.backup',
      });
    }
  });

export type DatabaseConfig = z.output<typeof databaseSchema>;
export type BackupConfig = z.output<typeof backupSchema>;
export type MigrateConfig = z.output<typeof migrateSchema>;
