/** runbook.yml texts for the flow tests, and the paths and names they imply. */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

export const STATE = '/var/lib/runbook/shop/production';
export const JOURNAL = `${STATE}/journal.json`;
export const LOCK = `${STATE}/lock`;
export const LEASE = `${LOCK}/lease.json`;
export const UPSTREAM = '/etc/nginx/upstreams/shop.conf';
export const BACKUPS = '/var/backups/shop';
export const BACKUP_ID = 'shop-production-20261123T110000Z-1a2b3c4';

/** The container name of a replica: `shop-production-web-<release>-<slot>`. */
export const replica = (release: string, slot: number, service = 'web') =>
  `shop-production-${service}-${release}-${slot}`;

/** The upstream file nginx includes, for these host ports (127.0.0.1). */
export const upstreamFile = (...ports: number[]) =>
  `# upstream shop_web: written by runbook-actions; do not edit by hand\n${
    ports.length === 0
      ? 'server 127.0.0.1:9 down;\n'
      : ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;\n`).join('')
  }`;

const TARGET = `
environments:
  production:
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, user: deploy }
`;

const NGINX = `
  proxy:
    nginx:
      upstream-file: ${UPSTREAM}
      upstream: shop_web
`;

/** `web`: 2 replicas on host ports 18000-18009 behind nginx, HTTP health; the engine driver (no compose section). */
export function engineConfig(o: { replicas?: number; nginx?: boolean; type?: string; extra?: string } = {}): string {
  return `app: shop
${TARGET}
services:
  web:
    image: shop/web
    replicas: ${o.replicas ?? 2}
    port: 8080
    host-ports: 18000-18009
    stop-grace: 10s
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 1s
      timeout: 1s
      deadline: 10s
      stable: 2s
strategy:
  type: ${o.type ?? 'rolling'}
  max-surge: 1
  drain: 5s
${o.nginx === false ? '' : NGINX}${o.extra ?? ''}`;
}

/** A migration tool section: a preset (`tool: alembic`) or `tool: custom` with its argv lists. */
export type ToolSection = string;

/** The engine config plus a PostgreSQL database reached at db.internal, backups, and the tool run in /srv/shop. */
export function databaseConfig(tool: ToolSection = 'tool: alembic', o: { nginx?: boolean } = {}): string {
  return `${engineConfig({ replicas: 1, nginx: o.nginx })}
database:
  engine: postgres
  via: { host: db.internal, port: 5432 }
  name: shop
  user: shop_app
  password-env: DB_PASSWORD
  backup:
    directory: ${BACKUPS}
  migrate:
    ${tool.trim().split('\n').join('\n    ')}
    directory: /srv/shop
    lock-timeout: 3s
    statement-timeout: 5m
`;
}

/** The database password the configs name (DB_PASSWORD), given to runs through the environment. */
export const DB_ENV = { DB_PASSWORD: 's3cr3t-pw' };

/** The backup action's metadata file for BACKUP_ID, as migrate reads it. */
/** The dump of BACKUP_ID on the target, and what a backup recorded of it (its sha256 and size). */
export const BACKUP_DUMP = `${BACKUPS}/${BACKUP_ID}.dump`;
export const DUMP_TEXT = 'PGDMP (a custom-format dump)\n';
export const backupMeta = (verified: boolean, dump = DUMP_TEXT) =>
  JSON.stringify({
    version: 1,
    id: BACKUP_ID,
    app: 'shop',
    environment: 'production',
    database: 'shop',
    file: `${BACKUP_ID}.dump`,
    size: Buffer.byteLength(dump),
    sha256: createHash('sha256').update(dump).digest('hex'),
    format: 'custom',
    gzip: false,
    serverVersion: '16.4',
    created: '2026-11-23T11:00:00.000Z',
    rowCounts: {},
    verified,
    verifyMethod: 'restore',
  });
/** The metadata and the dump of BACKUP_ID, as a backup leaves them on the target. */
export const backupFiles = (verified: boolean): Record<string, string> => ({
  [`${BACKUPS}/${BACKUP_ID}.json`]: backupMeta(verified),
  [BACKUP_DUMP]: DUMP_TEXT,
});

/**
 * Migration tools as the flows drive them: the config section, the argv of each operation, what `current` writes
 * (as the real tool does: the presets parse it), two revisions.
 */
export const TOOLS = [
  {
    tool: 'alembic',
    section: 'tool: alembic',
    argv: {
      current: ['alembic', 'current'],
      upgrade: ['alembic', 'upgrade', 'head'],
      downgrade: ['alembic', 'downgrade'],
      revisionOf: (a: string[]) => a[2] ?? '',
      // alembic/script/base.py (Script._head_only): the revision and its markers on stdout; logging on stderr.
      print: (rev: string) => ({
        stdout: rev === 'base' ? '' : `${rev}${rev === '1975ea83b712' ? ' (head)' : ''}\n`,
        stderr: 'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n',
      }),
    },
    before: 'ae1027a6acf',
    after: '1975ea83b712',
    down: ['alembic', 'downgrade', 'ae1027a6acf'],
  },
  {
    tool: 'goose',
    section: 'tool: goose',
    argv: {
      current: ['goose', 'version'],
      upgrade: ['goose', 'up'],
      downgrade: ['goose', 'down-to'],
      revisionOf: (a: string[]) => a[2] ?? '',
      // pressly/goose version.go: log.Printf through Go's standard logger, so stderr with a timestamp; stdout empty.
      print: (rev: string) => ({ stderr: `2026/11/23 11:00:00 goose: version ${rev}\n` }),
    },
    before: '20261101090000',
    after: '20261120090000',
    down: ['goose', 'down-to', '20261101090000'],
  },
  {
    tool: 'rails',
    section: 'tool: rails',
    argv: {
      current: ['bin/rails', 'db:version'],
      upgrade: ['bin/rails', 'db:migrate'],
      // `db:migrate VERSION=x` (down to x); plain `db:migrate` is the upgrade.
      downgrade: ['bin/rails', 'db:migrate'],
      revisionOf: (a: string[]) => (a[2]?.startsWith('VERSION=') ? a[2].slice('VERSION='.length) : undefined),
      // activerecord/lib/active_record/railties/databases.rake (db:version, Rails 7.1+).
      print: (rev: string) => ({ stdout: `\ndatabase: shop\nCurrent version: ${rev}\n\n` }),
    },
    before: '20261101090000',
    after: '20261120090000',
    down: ['bin/rails', 'db:migrate', 'VERSION=20261101090000'],
  },
  {
    tool: 'custom',
    section: `tool: custom
custom:
  upgrade: [./bin/migrate, up]
  current: [./bin/migrate, version]
  downgrade: [./bin/migrate, down, --to, '{revision}']`,
    argv: {
      current: ['./bin/migrate', 'version'],
      upgrade: ['./bin/migrate', 'up'],
      downgrade: ['./bin/migrate', 'down'],
      revisionOf: (a: string[]) => a[3] ?? '',
    },
    before: '7',
    after: '9',
    down: ['./bin/migrate', 'down', '--to', '7'],
  },
];

/** The environment every migration tool command gets (the password only in secret variables). */
export const TOOL_ENV = {
  // The tool's sessions carry the run's name, so a cancel can end them on the server (src/migrate/cancel.ts).
  PGAPPNAME: expect.stringMatching(/^runbook-migrate-[0-9a-f]{12}$/),
  PGHOST: 'db.internal',
  PGPORT: '5432',
  PGUSER: 'shop_app',
  PGDATABASE: 'shop',
  PGOPTIONS: '-c lock_timeout=3000 -c statement_timeout=300000',
};
