/** Shared by the backup unit tests: a settable clock, and a backup site on real files with a scripted PostgreSQL. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupDeps, BackupPlan } from '../../../src/backup/create.js';
import { PgClient } from '../../../src/backup/pg.js';
import { BackupStore } from '../../../src/backup/store.js';
import type { Clock } from '../../../src/core/clock.js';
import { type CapturedLogger, captureLogger } from '../../integration/helpers/capture-logger.js';
import { type FakePgBehaviour, FakePgTransport } from './fake-pg.js';

/** A clock that says `at` until told otherwise; sleeping moves it forward. */
export function fakeClock(at: string): Clock & { set(iso: string): void } {
  let now = Date.parse(at);
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    set: (iso) => {
      now = Date.parse(iso);
    },
  };
}

export const PASSWORD = 'pg-secret-Xy9!';

export function fakeSite(behaviour: FakePgBehaviour = {}, at = '2026-11-23T13:15:00Z') {
  const dir = join(mkdtempSync(join(tmpdir(), 'backup-unit-')), 'backups');
  const t = new FakePgTransport('shop', behaviour);
  const log: CapturedLogger = captureLogger();
  const pg = new PgClient(
    t,
    { via: { kind: 'host', host: '127.0.0.1', port: 5432 }, database: 'shop', user: 'shop' },
    PASSWORD,
    log,
  );
  const store = new BackupStore(t, dir, 'shop', 'production');
  const clock = fakeClock(at);
  const deps: BackupDeps = { pg, store, clock };
  return { dir, t, log, pg, store, clock, deps };
}

export const customPlan: BackupPlan = { format: 'custom', gzip: false, verify: 'restore', tag: 'manual' };
