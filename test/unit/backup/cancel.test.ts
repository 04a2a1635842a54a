/**
 * A cancel during the restore-verify is not a failed verify (scripted PostgreSQL whose restore runs until the run's
 * signal aborts it): a new backup leaves nothing behind, never `.bad`; a re-verify leaves the backup as it was; the
 * scratch database's sessions are ended and the database dropped either way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../src/backup/create.js';
import { PgClient } from '../../../src/backup/pg.js';
import { reverifyBackup } from '../../../src/backup/restore.js';
import { BackupStore } from '../../../src/backup/store.js';
import { CancelledError } from '../../../src/core/errors.js';
import type { ExecOptions, ExecResult } from '../../../src/transports/types.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';
import { FakePgTransport } from './fake-pg.js';
import { customPlan, fakeSite, PASSWORD } from './helpers.js';

const COUNTS = { 'public.orders': 10 };

/** pg_restore into a scratch database runs until the signal aborts it, then rejects as the transports do. */
class SlowRestore extends FakePgTransport {
  restoring?: () => void;
  /** The database named in each script that ended a database's sessions, in order, with the call index. */
  readonly ended: Array<{ at: number; database: string }> = [];
  override exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const script = typeof opts.stdin === 'string' ? /datname = '([^']+)'/.exec(opts.stdin) : null;
    if (script?.[1]) this.ended.push({ at: this.calls.length, database: script[1] });
    if (argv[0] !== 'pg_restore' || argv.includes('-l')) return super.exec(argv, opts);
    this.calls.push([...argv]);
    return new Promise((_resolve, reject) => {
      const stop = () => reject(new CancelledError('`pg_restore` was cancelled and killed'));
      if (opts.signal?.aborted) stop();
      opts.signal?.addEventListener('abort', stop, { once: true });
      this.restoring?.();
    });
  }
}

function cancellableSite() {
  const s = fakeSite({ counts: COUNTS });
  const t = new SlowRestore('shop', { counts: COUNTS });
  const controller = new AbortController();
  const pg = new PgClient(t, s.pg.endpoint, PASSWORD, captureLogger(), controller.signal);
  t.restoring = () => controller.abort(new CancelledError('cancelled by SIGINT'));
  const store = new BackupStore(t, s.dir, 'shop', 'production');
  return { ...s, t, pg, store, deps: { ...s.deps, pg, store } };
}

describe('a cancel during the restore-verify', () => {
  it('createBackup: rejects with the cancel, no .bad, no temp file, no metadata; the scratch database dropped', async () => {
    const s = cancellableSite();
    await expect(createBackup(s.deps, customPlan)).rejects.toThrow(/^cancelled by SIGINT$/);
    expect(readdirSync(s.dir)).toEqual([]);
    const created = s.t.calls.find((c) => c[0] === 'createdb')?.at(-1);
    const dropIdx = s.t.calls.findIndex((c) => c[0] === 'dropdb');
    expect(s.t.calls[dropIdx]?.at(-1)).toBe(created);
    // Its sessions (a restore still running on the server) were ended first, or dropdb would refuse.
    expect(s.t.ended).toEqual([{ at: dropIdx - 1, database: created }]);
  });

  it('reverifyBackup: the good backup keeps its name and metadata, byte for byte', async () => {
    const good = fakeSite({ counts: COUNTS });
    const made = await createBackup(good.deps, customPlan);
    const before = Object.fromEntries(readdirSync(good.dir).map((f) => [f, readFileSync(join(good.dir, f), 'utf8')]));
    const s = cancellableSite();
    const store = new BackupStore(s.t, good.dir, 'shop', 'production');
    await expect(reverifyBackup({ pg: s.pg, store, clock: s.clock }, made.meta, 'restore')).rejects.toThrow(
      /^cancelled by SIGINT$/,
    );
    const after = Object.fromEntries(readdirSync(good.dir).map((f) => [f, readFileSync(join(good.dir, f), 'utf8')]));
    expect(after).toEqual(before);
    expect(s.t.calls.some((c) => c[0] === 'dropdb')).toBe(true);
  });
});
