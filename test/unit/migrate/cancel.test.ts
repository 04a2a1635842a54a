/**
 * A killed migration tool (cancel, timeout): what the journal says from what was seen after it, that the sessions
 * are ended once (the cancel path and the cleanup before the lock's release share it), the SQL that ends them, and
 * the application_name the tool is given.
 */
import { describe, expect, it } from 'vitest';
import { endDatabaseSessionsSql, endSessionsSql } from '../../../src/commands/postgres.js';
import type { DatabaseConfig } from '../../../src/config/schema.js';
import {
  type KilledToolFacts,
  killedToolOutcome,
  type SessionEnder,
  ToolSessions,
} from '../../../src/migrate/cancel.js';
import { toolEnvironment } from '../../../src/migrate/invoke.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';

const APP = 'runbook-migrate-0123456789ab';
const base: KilledToolFacts = {
  reason: 'cancelled by SIGTERM',
  cancelled: true,
  app: APP,
  before: '0001',
  after: { revision: '0001' },
  sessions: { found: 1, remaining: 0 },
  waitMs: 15_000,
};

describe('killedToolOutcome: the journal says what really happened', () => {
  const cases: Array<[string, Partial<KilledToolFacts>, { status: string; error: RegExp; revisionAfter?: string }]> = [
    [
      'cancelled, session ended, schema unchanged',
      {},
      {
        status: 'cancelled',
        error:
          /^cancelled by SIGTERM: the tool was stopped, its 1 database session\(s\) were ended, and the schema is unchanged at 0001$/,
        revisionAfter: '0001',
      },
    ],
    [
      'cancelled, no session left to end (it says a driver ignoring the name cannot be found)',
      { sessions: { found: 0, remaining: 0 } },
      {
        status: 'cancelled',
        error: /no database session named runbook-migrate-0123456789ab was left \(a driver that ignores PGAPPNAME/,
      },
    ],
    [
      'cancelled after the schema moved: it completed',
      { after: { revision: '0002' } },
      {
        status: 'applied',
        error: /^cancelled by SIGTERM, but the schema had already moved from 0001 to 0002/,
        revisionAfter: '0002',
      },
    ],
    [
      'no migration applied before: shown as (none)',
      { before: '', after: { revision: '' } },
      { status: 'cancelled', error: /unchanged at \(none\)$/, revisionAfter: '' },
    ],
    [
      'the sessions could not be ended: never "cancelled"',
      { sessions: { error: 'psql: not found' } },
      {
        status: 'failed',
        error:
          /could not be ended \(psql: not found\): its statement may still be running \(application_name runbook-migrate-/,
      },
    ],
    [
      'a session outlived the wait',
      { sessions: { found: 1, remaining: 1 } },
      { status: 'failed', error: /1 database session\(s\) of the tool .* still there 15s after being terminated/ },
    ],
    [
      'the revision after cannot be read',
      { after: { error: 'timed out' } },
      {
        status: 'failed',
        error: /the revision after could not be read \(timed out\): check it before migrating again/,
      },
    ],
    [
      'a timeout (not a cancel) with the schema unchanged stays "failed"',
      { reason: '`psql` did not finish within 1m (timeout) and was killed', cancelled: false },
      { status: 'failed', error: /^`psql` did not finish .*: the tool was stopped/ },
    ],
  ];
  it.each(cases)('%s', (_name, facts, want) => {
    const o = killedToolOutcome({ ...base, ...facts });
    expect(o.status).toBe(want.status);
    expect(o.error).toMatch(want.error);
    if (o.status === 'cancelled') expect(o.error).toMatch(/cancelled/);
    if ('revisionAfter' in want) expect(o.revisionAfter).toBe(want.revisionAfter);
  });
});

describe('ToolSessions', () => {
  const ender = (result: () => Promise<{ found: number; remaining: number }>) => {
    const calls: Array<[string, number]> = [];
    const pg: SessionEnder = {
      endSessions: (app, waitMs) => {
        calls.push([app, waitMs]);
        return result();
      },
    };
    return { pg, calls };
  };

  it('a tool that ended by itself: nothing to end, no query', async () => {
    const e = ender(async () => ({ found: 0, remaining: 0 }));
    const s = new ToolSessions(e.pg, APP, captureLogger());
    await s.run(async () => ({ code: 1 }));
    expect(await s.settle()).toBeUndefined();
    expect(e.calls).toEqual([]);
  });

  it('a killed tool: ended once, shared by the cancel path and the cleanup', async () => {
    const e = ender(async () => ({ found: 2, remaining: 0 }));
    const log = captureLogger();
    const s = new ToolSessions(e.pg, APP, log, 5000);
    await expect(s.run(() => Promise.reject(new Error('`psql` was cancelled and killed')))).rejects.toThrow(/killed/);
    const [a, b] = await Promise.all([s.settle(), s.settle()]);
    expect(a).toEqual({ found: 2, remaining: 0 });
    expect(b).toBe(a);
    expect(e.calls).toEqual([[APP, 5000]]);
  });

  it('psql failing to end them is a result, never a throw', async () => {
    const e = ender(() => Promise.reject(new Error('ending the database sessions failed on db1 (exit 127)')));
    const s = new ToolSessions(e.pg, APP, captureLogger());
    await s.run(() => Promise.reject(new Error('killed'))).catch(() => undefined);
    expect(await s.settle()).toEqual({ error: 'ending the database sessions failed on db1 (exit 127)' });
  });
});

describe('the SQL that ends sessions', () => {
  it('ends only the sessions of that name (not its own), terminates each round, bounded, prints two counts', () => {
    const sql = endSessionsSql(APP, 15_000);
    const selects = sql.split('\n').filter((l) => l.startsWith('SELECT count(*)'));
    expect(selects).toHaveLength(2);
    expect(sql).toContain(`application_name = '${APP}' AND pid <> pg_backend_pid()`);
    expect(sql).toContain("interval '15000 milliseconds'");
    expect(sql).toContain('pg_terminate_backend(pid)');
    expect(sql).toContain('pg_stat_clear_snapshot()');
  });
  it.each(["x'; DROP TABLE t; --", '', 'Runbook', 'a'.repeat(64), 'a\nb'])('refuses the name %j', (name) => {
    expect(() => endSessionsSql(name, 1000)).toThrow(/not a session name of ours/);
  });
  it('a scratch database name is quoted as a literal', () => {
    expect(endDatabaseSessionsSql("sh'op_verify_ab", 10_000)).toContain("datname = 'sh''op_verify_ab'");
  });
});

describe('toolEnvironment names the tool’s sessions', () => {
  const db = {
    engine: 'postgres',
    via: { kind: 'host', host: '10.0.0.5', port: 5432 },
    name: 'shop',
    user: 'shop',
    'password-env': 'DB_PASSWORD',
  } as unknown as DatabaseConfig;
  it('PGAPPNAME and application_name in DATABASE_URL', () => {
    const te = toolEnvironment(db, 'p@ss', APP);
    expect(te.app).toBe(APP);
    expect(te.env.PGAPPNAME).toBe(APP);
    expect(te.secretEnv.DATABASE_URL).toBe(`postgresql://shop:p%40ss@10.0.0.5:5432/shop?application_name=${APP}`);
  });
  it('no name: neither', () => {
    const te = toolEnvironment(db, 'pw');
    expect(te.env.PGAPPNAME).toBeUndefined();
    expect(te.secretEnv.DATABASE_URL).toBe('postgresql://shop:pw@10.0.0.5:5432/shop');
  });
});
