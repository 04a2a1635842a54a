import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../src/backup/create.js';
import { applyRetention, pinnedByJournal, selectRetention, weekKey } from '../../../src/backup/retention.js';
import type { Journal } from '../../../src/deploy/journal.js';
import { customPlan, fakeSite } from './helpers.js';

const b = (created: string, verified = true) => ({ id: created, created, verified });
const none = new Map<string, string>();

describe('retention selection (grandfather-father-son)', () => {
  it.each([
    [new Date('2026-01-01T12:00:00Z'), '2026-W01'], // a Thursday: week 1
    [new Date('2027-01-01T12:00:00Z'), '2026-W53'], // a Friday: still the last week of 2026
    [new Date('2026-11-23T00:00:00Z'), '2026-W48'], // a Monday
    [new Date('2026-11-22T23:59:59Z'), '2026-W47'], // the Sunday before
  ])('weekKey(%s) = %s', (d, key) => {
    expect(weekKey(d)).toBe(key);
  });

  it('keeps the newest of each of the last N days, weeks and months', () => {
    const backups = [
      b('2026-11-23T02:00:00Z'),
      b('2026-11-23T01:00:00Z'), // same day as a newer one: not the day's newest
      b('2026-11-22T01:00:00Z'),
      b('2026-11-21T01:00:00Z'),
      b('2026-11-14T01:00:00Z'),
      b('2026-10-10T01:00:00Z'),
      b('2026-08-01T01:00:00Z'),
    ];
    const d = selectRetention(backups, { 'keep-last': 0, daily: 2, weekly: 2, monthly: 2 }, none);
    expect(Object.fromEntries(d.keep.map((k) => [k.id, k.reasons]))).toEqual({
      '2026-11-23T02:00:00Z': ['newest verified', 'daily 2026-11-23', 'weekly 2026-W48', 'monthly 2026-11'],
      '2026-11-22T01:00:00Z': ['daily 2026-11-22', 'weekly 2026-W47'],
      '2026-10-10T01:00:00Z': ['monthly 2026-10'],
    });
    expect(d.remove.map((r) => r.id)).toEqual([
      '2026-11-23T01:00:00Z',
      '2026-11-21T01:00:00Z',
      '2026-11-14T01:00:00Z',
      '2026-08-01T01:00:00Z',
    ]);
  });

  it('keep-last: a second backup on the same day keeps the first; only verified backups count', () => {
    const backups = [
      b('2026-11-23T03:00:00Z', false), // failed its verify: newer than the newest verified, kept for that
      b('2026-11-23T02:00:00Z'),
      b('2026-11-23T01:00:00Z'), // the day's older one: daily alone would remove it
      b('2026-11-22T01:00:00Z'),
      b('2026-11-21T01:00:00Z'),
    ];
    const d = selectRetention(backups, { 'keep-last': 2, daily: 1, weekly: 0, monthly: 0 }, none);
    expect(Object.fromEntries(d.keep.map((k) => [k.id, k.reasons]))).toEqual({
      '2026-11-23T03:00:00Z': ['newer than the newest verified'],
      '2026-11-23T02:00:00Z': ['newest verified', 'keep-last 1/2', 'daily 2026-11-23'],
      '2026-11-23T01:00:00Z': ['keep-last 2/2'],
    });
    expect(d.remove.map((r) => r.id)).toEqual(['2026-11-22T01:00:00Z', '2026-11-21T01:00:00Z']);
  });

  it('keep-last beyond the number of backups keeps them all; 0 keeps none by count', () => {
    const backups = [b('2026-11-23T02:00:00Z'), b('2026-11-23T01:00:00Z')];
    const all = selectRetention(backups, { 'keep-last': 3, daily: 0, weekly: 0, monthly: 0 }, none);
    expect(all.remove).toEqual([]);
    const none0 = selectRetention(backups, { 'keep-last': 0, daily: 0, weekly: 0, monthly: 0 }, none);
    expect(none0.remove.map((r) => r.id)).toEqual(['2026-11-23T01:00:00Z']);
  });

  it('never removes the newest verified backup, even with every count at 0', () => {
    const d = selectRetention(
      [b('2026-11-23T02:00:00Z'), b('2026-11-22T02:00:00Z')],
      { 'keep-last': 0, daily: 0, weekly: 0, monthly: 0 },
      none,
    );
    expect(d.keep).toEqual([{ id: '2026-11-23T02:00:00Z', reasons: ['newest verified'] }]);
  });

  it('keeps what the journal names and unverified backups newer than the newest verified', () => {
    const backups = [
      b('2026-11-23T03:00:00Z', false),
      b('2026-11-23T02:00:00Z'),
      b('2026-09-01T00:00:00Z'),
      b('2026-08-01T00:00:00Z', false),
    ];
    const pinned = new Map([['2026-09-01T00:00:00Z', 'release 20260901T000100Z-v7']]);
    const d = selectRetention(backups, { 'keep-last': 0, daily: 1, weekly: 1, monthly: 1 }, pinned);
    expect(d.keep.map((k) => [k.id, k.reasons.at(-1)])).toEqual([
      ['2026-11-23T03:00:00Z', 'newer than the newest verified'],
      ['2026-11-23T02:00:00Z', 'monthly 2026-11'],
      ['2026-09-01T00:00:00Z', 'named by release 20260901T000100Z-v7 in the journal'],
    ]);
    expect(d.remove).toEqual([{ id: '2026-08-01T00:00:00Z', why: 'failed its verify' }]);
  });

  it('removes nothing while no verified backup exists', () => {
    const d = selectRetention(
      [b('2026-11-23T02:00:00Z', false)],
      { 'keep-last': 0, daily: 0, weekly: 0, monthly: 0 },
      none,
    );
    expect(d.remove).toEqual([]);
  });

  it('reads pins from releases and migrations in the journal', () => {
    const j = {
      format: 1,
      app: 'shop',
      environment: 'production',
      releases: [{ id: 'r1', backupId: 'bk1' }, { id: 'r2' }],
      migrations: [{ id: 'm1', backupId: 'bk2' }],
    } as unknown as Journal;
    expect([...pinnedByJournal(j)]).toEqual([
      ['bk1', 'release r1'],
      ['bk2', 'migration m1'],
    ]);
  });
});

describe('retention on real files (backups made at injected times)', () => {
  it('deletes dumps and metadata outside the policy, keeps the pinned, daily, weekly and monthly ones', async () => {
    const s = fakeSite({ counts: { 'public.t': 1 } });
    const times = [
      '2026-08-15T03:00:00Z',
      '2026-09-20T03:00:00Z',
      '2026-10-05T03:00:00Z',
      '2026-11-20T03:00:00Z',
      '2026-11-21T03:00:00Z',
      '2026-11-22T03:00:00Z',
      '2026-11-23T03:00:00Z',
    ];
    const ids: string[] = [];
    for (const at of times) {
      s.clock.set(at);
      ids.push((await createBackup(s.deps, customPlan)).meta.id);
    }
    const pinned = new Map([[ids[0] ?? '', 'release 20260815T031000Z-v3']]);
    const decision = await applyRetention(s.store, { 'keep-last': 0, daily: 2, weekly: 1, monthly: 2 }, pinned, s.log);
    expect(decision.remove.map((r) => r.id)).toEqual([ids[4], ids[3], ids[1]]);
    const left = readdirSync(s.dir).sort();
    expect(left).toEqual([ids[0], ids[2], ids[5], ids[6]].flatMap((id) => [`${id}.dump`, `${id}.json`]).sort());
    expect(s.log.messages('info')).toContain('retention: kept 4, removed 3');
  });
});
