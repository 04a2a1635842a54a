import { describe, expect, it } from 'vitest';
import type { Journal, MigrationRecord, Release, RollbackRecord } from '../../../src/deploy/journal.js';
import { checkScope, chooseRollback, migrationsSince, revisionToRestore } from '../../../src/rollback/plan.js';

/** `20261123T10MM00Z-<version>` deployed at 10:MM, live a minute later. */
function rel(minute: number, version: string, status: Release['status'], extra: Partial<Release> = {}): Release {
  const mm = String(minute).padStart(2, '0');
  return {
    id: `20261123T10${mm}00Z-${version}`,
    version,
    status,
    strategy: 'rolling',
    driver: 'engine',
    services: { api: { image: `app:${version}`, imageId: `sha256:${version}`, replicas: [] } },
    startedAt: `2026-11-23T10:${mm}:00.000Z`,
    finishedAt: `2026-11-23T10:${mm}:59.000Z`,
    ...extra,
  };
}

function rb(to: Release, finished: boolean, extra: Partial<RollbackRecord> = {}): RollbackRecord {
  return {
    to: to.id,
    scope: ['image'],
    startedAt: '2026-11-23T11:00:00.000Z',
    ...(finished ? { finishedAt: '2026-11-23T11:01:00.000Z' } : {}),
    ...extra,
  };
}

const journal = (releases: Release[], migrations?: MigrationRecord[]): Journal => ({
  format: 1,
  app: 'shop',
  environment: 'prod',
  releases,
  ...(migrations ? { migrations } : {}),
});

/** v1 → v2 → v3, each the previous one's successor; v3 live. */
function threeDeploys() {
  const v1 = rel(1, 'v1', 'superseded');
  const v2 = rel(2, 'v2', 'superseded', { previous: v1.id });
  const v3 = rel(3, 'v3', 'live', { previous: v2.id });
  return { v1, v2, v3 };
}

describe('chooseRollback', () => {
  it("defaults to the live release's previous one, moving away from the live one", () => {
    const { v1, v2, v3 } = threeDeploys();
    const c = chooseRollback(journal([v1, v2, v3]));
    expect(c.to.id).toBe(v2.id);
    expect(c.from?.id).toBe(v3.id);
    expect(c.resumed).toBe(false);
  });

  it('a fleet release that failed part-way (a host left switched or failed): every host back to the live one first', () => {
    const { v1, v2, v3 } = threeDeploys();
    const paused = rel(4, 'v4', 'failed', {
      previous: v3.id,
      hosts: {
        web1: { state: 'left switched' },
        web2: { state: 'failed', error: 'health gate' },
        web3: { state: 'not started' },
      },
    });
    const c = chooseRollback(journal([v1, v2, v3, paused]));
    expect([c.to.id, c.from?.id, c.resumed]).toEqual([v3.id, paused.id, false]);
    // Every host put back already (on-failure: rollback) and none failed: the default is unchanged.
    const settled = rel(4, 'v4', 'failed', {
      previous: v3.id,
      hosts: { web1: { state: 'rolled back' }, web3: { state: 'not started' } },
    });
    expect(chooseRollback(journal([v1, v2, v3, settled])).to.id).toBe(v2.id);
  });

  it('a failed deploy after the live one does not change the default', () => {
    const { v1, v2, v3 } = threeDeploys();
    const v4 = rel(4, 'v4', 'failed', { previous: v3.id, error: 'health gate' });
    const c = chooseRollback(journal([v1, v2, v3, v4]));
    expect([c.to.id, c.from?.id]).toEqual([v2.id, v3.id]);
  });

  it('restores an explicit release-id that served once; the live one itself is a re-check with no "from"', () => {
    const { v1, v2, v3 } = threeDeploys();
    const c = chooseRollback(journal([v1, v2, v3]), v1.id);
    expect([c.to.id, c.from?.id, c.resumed]).toEqual([v1.id, v3.id, false]);
    const same = chooseRollback(journal([v1, v2, v3]), v3.id);
    expect([same.to.id, same.from, same.resumed]).toEqual([v3.id, undefined, true]);
  });

  it('an unknown release-id is refused, the message listing the newest releases', () => {
    const releases = [1, 2, 3, 4, 5, 6, 7].map((n) => rel(n, `v${n}`, n === 7 ? 'live' : 'superseded'));
    const run = () => chooseRollback(journal(releases), '20990101T000000Z-v9');
    expect(run).toThrow(/release 20990101T000000Z-v9 is not in the journal of shop\/prod; the newest are: /);
    const message = (() => {
      try {
        run();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const r of releases.slice(-5)) expect(message).toContain(`${r.id} (${r.version}, ${r.status})`);
    for (const r of releases.slice(0, 2)) expect(message).not.toContain(r.id);
  });

  it('a release that never went live (failed) is refused', () => {
    const { v1, v2 } = threeDeploys();
    const bad = rel(3, 'v3', 'failed', { previous: v2.id });
    v2.status = 'live';
    expect(() => chooseRollback(journal([v1, v2, bad]), bad.id)).toThrow(
      `release ${bad.id} (v3, failed) never went live, so there is nothing of it to restore`,
    );
  });

  it('the first release has nothing to go back to; nor has an empty journal', () => {
    const v1 = rel(1, 'v1', 'live');
    expect(() => chooseRollback(journal([v1]))).toThrow(
      `no previous release to roll back to: ${v1.id} (v1, live) is the first release of shop/prod`,
    );
    expect(() => chooseRollback(journal([]))).toThrow(/^no previous release to roll back to/);
    expect(() => chooseRollback(journal([rel(1, 'v1', 'failed')]))).toThrow(/^no previous release to roll back to/);
  });

  it('after a completed rollback the default is the restored release again, not one more back', () => {
    const { v1, v2, v3 } = threeDeploys();
    v2.status = 'live';
    v3.status = 'rolled-back';
    v3.rollback = rb(v2, true);
    const c = chooseRollback(journal([v1, v2, v3]));
    expect(c.to.id).toBe(v2.id);
    expect(c.from).toBeUndefined();
    expect(c.resumed).toBe(true);
  });

  it('an interrupted rollback (from still live, no finishedAt) is resumed to its recorded target', () => {
    const { v1, v2, v3 } = threeDeploys();
    v3.rollback = rb(v1, false);
    const c = chooseRollback(journal([v1, v2, v3]));
    expect(c.to.id).toBe(v1.id);
    expect(c.from?.id).toBe(v3.id);
    expect(c.resumed).toBe(true);
  });

  it('a failed rollback (error recorded, from still live) is resumed too', () => {
    const { v1, v2, v3 } = threeDeploys();
    v3.rollback = rb(v2, false, { error: 'health gate failed' });
    const c = chooseRollback(journal([v1, v2, v3]));
    expect([c.to.id, c.from?.id, c.resumed]).toEqual([v2.id, v3.id, true]);
  });

  // Two completed rollbacks: v3 → v2 (default), then v2 → v1 (explicit release-id). A default run afterwards must
  // re-check v1, where the newest recorded rollback went; it must not pick the older record on v3 and move to v2.
  it('after two rollbacks the default follows the newest one (v1), not the older record on v3', () => {
    const { v1, v2, v3 } = threeDeploys();
    v1.status = 'live';
    v2.status = 'rolled-back';
    v2.rollback = rb(v1, true, { startedAt: '2026-11-23T12:00:00.000Z', finishedAt: '2026-11-23T12:01:00.000Z' });
    v3.status = 'rolled-back';
    v3.rollback = rb(v2, true);
    const c = chooseRollback(journal([v1, v2, v3]));
    expect(c.to.id).toBe(v1.id);
    expect(c.from).toBeUndefined();
  });
});

describe('migrationsSince and revisionToRestore', () => {
  const mig = (
    minute: number,
    status: MigrationRecord['status'],
    before: string,
    after: string | undefined,
  ): MigrationRecord => ({
    id: `m${minute}`,
    tool: 'custom',
    status,
    revisionBefore: before,
    ...(after === undefined ? {} : { revisionAfter: after }),
    startedAt: `2026-11-23T10:${String(minute).padStart(2, '0')}:30.000Z`,
  });

  it('only migrations started after the release went live that changed something and are not undone, oldest first', () => {
    const { v1, v2, v3 } = threeDeploys();
    const migrations = [
      mig(5, 'in-progress', '0004', undefined), // still running (or killed): counts
      mig(3, 'failed', '0002', '0003'), // failed half way, revision moved: counts
      mig(1, 'applied', '0000', '0001'), // before v2 went live (10:02:59): not ours
      mig(2, 'applied', '0001', '0002'), // started 10:02:30, before v2 finished: not ours
      mig(4, 'failed', '0003', '0003'), // failed and changed nothing
      mig(6, 'failed', '0004', undefined), // failed, revision unknown
      mig(7, 'rolled-back', '0004', '0005'), // already undone
      mig(8, 'applied', '0003', '0004'),
    ];
    const since = migrationsSince(journal([v1, v2, v3], migrations), v2);
    expect(since.map((m) => m.id)).toEqual(['m3', 'm5', 'm8']);
    expect(revisionToRestore(since)).toBe('0002');
  });

  it('a release with no finishedAt counts from its start; no migrations at all is an empty list', () => {
    const v2 = rel(2, 'v2', 'live', { finishedAt: undefined });
    expect(migrationsSince(journal([v2], [mig(2, 'applied', '0001', '0002')]), v2).map((m) => m.id)).toEqual(['m2']);
    expect(migrationsSince(journal([v2]), v2)).toEqual([]);
  });

  it('revisionToRestore: the revision before the oldest one; "" (none) is kept; nothing to undo is undefined', () => {
    expect(revisionToRestore([mig(1, 'applied', '', '0001'), mig(2, 'applied', '0001', '0002')])).toBe('');
    expect(revisionToRestore([])).toBeUndefined();
  });
});

describe('checkScope', () => {
  it('returns the scopes in their canonical order', () => {
    expect(checkScope(['migration', 'image'], false)).toEqual(['image', 'migration']);
    expect(checkScope(['traffic'], false)).toEqual(['traffic']);
    expect(checkScope(['database', 'image', 'migration'], true)).toEqual(['image', 'migration', 'database']);
  });

  it('refuses database without restore-database, naming the input that confirms it', () => {
    expect(() => checkScope(['image', 'database'], false)).toThrow(/restore-database: true/);
    expect(() => checkScope(['database'], false)).toThrow(/input "scope" includes database/);
  });

  it('refuses an unknown scope, naming the input and the allowed values', () => {
    expect(() => checkScope(['image', 'everything'], false)).toThrow(
      'input "scope": unknown everything; allowed: image, traffic, migration, database',
    );
  });
});
