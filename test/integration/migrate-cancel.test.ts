/**
 * Promise 18 for migrations, against the sandbox PostgreSQL: a migrate cancelled (SIGTERM, SIGINT) while its
 * statement runs on the server (pg_sleep) or waits for a lock another session holds. Killing the tool is not
 * enough (PostgreSQL runs the statement on, with its locks, until it ends): the tool's session is ended on the
 * server before the deploy lock is released, the schema is unchanged, and the journal says "cancelled".
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { createSeededDatabase, dropDatabase, holdLock, psql, sandboxPostgres, waitFor } from './helpers/pg-sandbox.js';
import { databaseYaml, localEnvYaml, yamlList } from './helpers/yaml.js';

const pg = sandboxPostgres();
const db = createSeededDatabase(pg, 'rbt_mcancel');
const dir = mkdtempSync(join(tmpdir(), 'migrate-cancel-'));
const lockDir = join(dir, 'state/sandbox/lock');
const OURS = `datname = '${db}' AND application_name LIKE 'runbook-migrate-%'`;

function config(name: string, sql: string): string {
  const file = join(dir, `${name}.sql`);
  writeFileSync(file, sql);
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: join(dir, 'state') })}${databaseYaml({ host: pg.host, port: pg.port, name: db, user: pg.user, backup: `{ directory: ${join(dir, 'backups')} }` })}  migrate:
    tool: custom
    lock-timeout: 60s
    statement-timeout: 120s
    custom:
      upgrade: ${yamlList(['psql', '-X', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', file])}
      current: ${yamlList(['psql', '-X', '-At', '-c', 'select max(version) from schema_migrations'])}
`,
  );
  return path;
}

const revision = (): string => psql(pg, db, 'SELECT max(version) FROM schema_migrations');
const probeColumn = (): string =>
  psql(
    pg,
    db,
    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'cancel_probe'",
  );
const journal = () => JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'));

interface Cancelled {
  run: StepResult;
  /** Backends and locks of the tool seen at the moment the deploy lock disappeared. */
  atRelease: { backends: string; locks: string } | undefined;
}

/** Run the migration, send `signal` once `ready` (SQL over pg_stat_activity) is true, watch the lock's release. */
async function cancelWhen(cfg: string, ready: string, signal: NodeJS.Signals): Promise<Cancelled> {
  let atRelease: Cancelled['atRelease'];
  let heldAtSend = false;
  let watch: NodeJS.Timeout | undefined;
  const run = await runStep('migrate', {
    inputs: { config: cfg, environment: 'sandbox', 'allow-without-backup': 'true' },
    env: { DB_PASSWORD: pg.password },
    timeoutMs: 90_000,
    onSpawn: (child) => {
      void waitFor('the statement on the server', () =>
        psql(pg, db, `SELECT count(*) FROM pg_stat_activity WHERE ${OURS} AND ${ready}`) === '1' ? true : undefined,
      ).then(() => {
        heldAtSend = existsSync(lockDir);
        child.kill(signal);
        watch = setInterval(() => {
          if (atRelease || existsSync(lockDir)) return;
          atRelease = {
            backends: psql(pg, db, `SELECT count(*) FROM pg_stat_activity WHERE ${OURS}`),
            locks: psql(pg, db, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE ${OURS}`),
          };
        }, 2);
      });
    },
  });
  clearInterval(watch);
  if (!heldAtSend) throw new Error(`the deploy lock was not held when the signal was sent:\n${run.stdout}`);
  return { run, atRelease };
}

describe('a cancelled migrate ends its statement on the server before it releases the lock', () => {
  afterAll(() => dropDatabase(pg, db));

  it('SIGTERM mid-statement (pg_sleep): session ended, no lock held, revision unchanged, journal says cancelled', async () => {
    const before = revision();
    const cfg = config(
      'sleepy',
      "ALTER TABLE customers ADD COLUMN cancel_probe int;\nINSERT INTO schema_migrations (version) VALUES ('0009');\nSELECT pg_sleep(30);\n",
    );
    const c = await cancelWhen(cfg, "state = 'active' AND query LIKE '%pg_sleep%'", 'SIGTERM');
    expect(c.run.code, c.run.stdout).toBe(1);
    expect(c.run.stdout).toMatch(/SIGTERM received: cancelling and cleaning up/);
    expect(c.run.stdout).toMatch(/::error::cancelled by SIGTERM: the tool was stopped, its 1 database session/);
    expect(c.atRelease, 'the deploy lock was released').toEqual({ backends: '0', locks: '0' });
    expect(psql(pg, db, `SELECT count(*) FROM pg_stat_activity WHERE ${OURS}`)).toBe('0');
    expect(revision()).toBe(before);
    expect(probeColumn()).toBe('0');
    expect(journal().migrations.at(-1)).toMatchObject({
      status: 'cancelled',
      revisionBefore: before,
      revisionAfter: before,
      error: expect.stringMatching(/^cancelled by SIGTERM: .*unchanged at/),
    });
    // Nothing committed 20 s later either: the transaction was rolled back, not left running.
    expect(c.run.stdout).not.toMatch(/::error::.*failed/);
  });

  it('SIGINT while waiting for a lock another session holds: only our session ends, the holder keeps its lock', async () => {
    const before = revision();
    const holder = await holdLock(pg, db, 'customers');
    try {
      const cfg = config(
        'blocked',
        "ALTER TABLE customers ADD COLUMN cancel_probe int;\nINSERT INTO schema_migrations (version) VALUES ('0009');\n",
      );
      const c = await cancelWhen(cfg, "wait_event_type = 'Lock'", 'SIGINT');
      expect(c.run.code, c.run.stdout).toBe(1);
      expect(c.run.stdout).toMatch(/::error::cancelled by SIGINT: the tool was stopped/);
      expect(c.atRelease).toEqual({ backends: '0', locks: '0' });
      const waiting = `SELECT count(*) FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = '${db}')`;
      expect(psql(pg, db, waiting)).toBe('0');
      // The other session was not touched: it still holds its ACCESS EXCLUSIVE lock.
      expect(
        psql(
          pg,
          db,
          "SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock' AND relation = 'customers'::regclass",
        ),
      ).toBe('1');
      expect(journal().migrations.at(-1)).toMatchObject({ status: 'cancelled', revisionAfter: before });
    } finally {
      await holder.release();
    }
    expect(revision()).toBe(before);
    expect(probeColumn()).toBe('0');
  });
});
