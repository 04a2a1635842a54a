import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  connectionArgs,
  createDbCommand,
  dropDbCommand,
  FROM_FILE_SCRIPT,
  FROM_GZIP_SCRIPT,
  listArchiveCommand,
  type PgEndpoint,
  pgDumpCommand,
  psqlCommand,
  restoreCommand,
  snapshotSessionSql,
  TO_FILE_SCRIPT,
  toFileArgv,
} from '../../../src/commands/postgres.js';
import type { ComposeConfig } from '../../../src/config/schema.js';

const compose: ComposeConfig = {
  command: ['docker', 'compose'],
  directory: '/opt/shop',
  files: ['docker-compose.prod.yml'],
  project: 'shop',
  'version-env': 'APP_VERSION',
  pull: true,
};
const host: PgEndpoint = { via: { kind: 'host', host: '10.0.0.7', port: 5432 }, database: 'shop', user: 'app' };
const container: PgEndpoint = { via: { kind: 'container', container: 'shop-db-1' }, database: 'shop', user: 'app' };
const service: PgEndpoint = {
  via: { kind: 'compose-service', 'compose-service': 'postgres' },
  database: 'shop',
  user: 'app',
  compose,
};
const F = '/backups/x.dump';
const COMPOSE_EXEC = 'docker compose -p shop -f docker-compose.prod.yml exec -T -e PGPASSWORD postgres';

describe('PostgreSQL argv builders', () => {
  it.each([
    ['host: connection options', connectionArgs(host), '-h 10.0.0.7 -p 5432 -U app -w'],
    ['container: the local socket, user only', connectionArgs(container), '-U app -w'],
  ])('%s', (_name, argv, expected) => {
    expect(argv).toEqual(expected.split(' '));
  });

  it.each([
    ['host, custom', host, { format: 'custom', gzip: false }, 'pg_dump -h 10.0.0.7 -p 5432 -U app -w -d shop -Fc'],
    [
      'host, plain + gzip, in a snapshot',
      host,
      { format: 'plain', gzip: true, snapshot: '00000003-0000001B-1' },
      'pg_dump -h 10.0.0.7 -p 5432 -U app -w -d shop -Fp --clean --if-exists -Z 6 --snapshot=00000003-0000001B-1',
    ],
    [
      'container, custom',
      container,
      { format: 'custom', gzip: false },
      'docker exec -i -e PGPASSWORD shop-db-1 pg_dump -U app -w -d shop -Fc',
    ],
    [
      'compose service, plain',
      service,
      { format: 'plain', gzip: false },
      `${COMPOSE_EXEC} pg_dump -U app -w -d shop -Fp --clean --if-exists`,
    ],
  ] as const)('pg_dump (%s) writes to the file through the constant redirect script', (_n, e, o, inner) => {
    const cmd = pgDumpCommand(e, F, o);
    expect(cmd.argv.slice(0, 5)).toEqual(['sh', '-c', TO_FILE_SCRIPT, 'sh', F]);
    expect(cmd.argv.slice(5)).toEqual(inner.split(' '));
    expect(cmd.cwd).toBe(e === service ? '/opt/shop' : undefined);
  });

  it.each([
    [
      'host, custom, verify',
      restoreCommand(host, 'scratch', F, { format: 'custom', gzip: false, clean: false }).argv,
      `pg_restore -h 10.0.0.7 -p 5432 -U app -w -d scratch --single-transaction --exit-on-error --no-owner ${F}`,
    ],
    [
      'host, custom, restore over the live database',
      restoreCommand(host, 'shop', F, { format: 'custom', gzip: false, clean: true }).argv,
      `pg_restore -h 10.0.0.7 -p 5432 -U app -w -d shop --single-transaction --exit-on-error --no-owner --clean --if-exists ${F}`,
    ],
    [
      'container, custom: the archive on standard input',
      restoreCommand(container, 'scratch', F, { format: 'custom', gzip: false, clean: false }).argv,
      `sh -c ${FROM_FILE_SCRIPT} sh ${F} docker exec -i -e PGPASSWORD shop-db-1 pg_restore -U app -w -d scratch --single-transaction --exit-on-error --no-owner`,
    ],
    [
      'host, plain + gzip: gzip -t first, then psql in one transaction',
      restoreCommand(host, 'scratch', F, { format: 'plain', gzip: true, clean: false }).argv,
      `sh -c ${FROM_GZIP_SCRIPT} sh ${F} psql -h 10.0.0.7 -p 5432 -U app -w -d scratch -X -q -v ON_ERROR_STOP=1 --single-transaction -o /dev/null -f -`,
    ],
    ['list (host)', listArchiveCommand(host, F).argv, `pg_restore -l ${F}`],
    [
      'createdb (compose): an empty template0 copy through the configured database',
      createDbCommand(service, 'shop_verify_1').argv,
      `${COMPOSE_EXEC} createdb -U app -w --maintenance-db=shop -T template0 shop_verify_1`,
    ],
    [
      'dropdb (host)',
      dropDbCommand(host, 'shop_verify_1').argv,
      'dropdb -h 10.0.0.7 -p 5432 -U app -w --maintenance-db=shop --if-exists shop_verify_1',
    ],
  ])('%s', (_name, argv, expected) => {
    // Scripts hold spaces: compare the scripts as one token each.
    const tokens = expected
      .replace(FROM_FILE_SCRIPT, '\u0001')
      .replace(FROM_GZIP_SCRIPT, '\u0002')
      .split(' ')
      .map((t) => (t === '\u0001' ? FROM_FILE_SCRIPT : t === '\u0002' ? FROM_GZIP_SCRIPT : t));
    expect(argv).toEqual(tokens);
  });

  it('psql -c runs one statement, bare output, stopping at the first error', () => {
    expect(psqlCommand(container, 'shop', 'SELECT 1').argv).toEqual(
      'docker exec -i -e PGPASSWORD shop-db-1 psql -U app -w -d shop -X -q -A -t -v ON_ERROR_STOP=1 -c'
        .split(' ')
        .concat('SELECT 1'),
    );
  });

  it('no builder ever carries a password: only the NAME PGPASSWORD, for docker to copy from its environment', () => {
    const all = [
      pgDumpCommand(container, F, { format: 'custom', gzip: false }).argv,
      restoreCommand(service, 'x', F, { format: 'plain', gzip: false, clean: true }).argv,
    ].flat();
    expect(all.filter((a) => a.includes('PGPASSWORD'))).toEqual(['PGPASSWORD', 'PGPASSWORD']);
  });

  it('the snapshot session exports its snapshot to the file, counts in the same transaction, keeps it open', () => {
    const sql = snapshotSessionSql('/tmp/runbook-snapshot-ab12');
    expect(sql.split('\n').slice(0, 2)).toEqual([
      'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;',
      'SELECT pg_export_snapshot() \\g /tmp/runbook-snapshot-ab12',
    ]);
    expect(sql).toContain("'counts'");
    expect(sql).not.toMatch(/COMMIT|ROLLBACK/);
  });

  it('the redirect script gets hostile file names and argv as literal bytes (no shell interpretation)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-argv-'));
    const file = join(dir, '$(touch pwned); `touch pwned2` ; x.dump');
    const [program = '', ...args] = toFileArgv(file, ['printf', '%s|', '$(id)', ';rm -rf /', '\nnext']);
    const r = spawnSync(program, args, { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('$(id)|;rm -rf /|\nnext|');
    expect(readdirSync(dir)).toEqual(['$(touch pwned); `touch pwned2` ; x.dump']);
  });
});
