import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { JournalStore, newReleaseId, type Release } from '../../../src/deploy/journal.js';
import { DeployLock } from '../../../src/deploy/lock.js';
import { LocalTransport } from '../../../src/transports/local.js';
import { manualClock } from '../helpers/clock.js';

function setup() {
  const lines: string[] = [];
  const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'cli', debug: false });
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  const t = new LocalTransport('local', log);
  const clock = manualClock();
  return { lines, log, dir, t, clock, lock: new DeployLock(t, join(dir, 'prod', 'lock'), clock, log, 'shop/prod') };
}

const who = {
  holder: 'https://github.example/acme/shop/actions/runs/1',
  actor: 'alice',
  ttlMs: 60_000,
  waitMs: 10_000,
};

describe('DeployLock on real files', () => {
  it('takes a free lock and writes who holds it', async () => {
    const { lock, dir } = setup();
    const lease = await lock.acquire(who);
    const stored = JSON.parse(readFileSync(join(dir, 'prod', 'lock', 'lease.json'), 'utf8'));
    expect(stored).toMatchObject({
      holder: who.holder,
      actor: 'alice',
      token: lease.token,
      expiresAt: '2026-11-23T12:01:00.000Z',
    });
  });

  it('a second taker waits lock-wait, then fails naming the holder', async () => {
    const { lock, lines, t, dir, clock, log } = setup();
    await lock.acquire(who);
    const other = new DeployLock(t, join(dir, 'prod', 'lock'), clock, log, 'shop/prod');
    await expect(other.acquire({ ...who, holder: 'cli:bob@laptop', actor: 'bob', waitMs: 5000 })).rejects.toThrow(
      /another deploy holds the lock for shop\/prod: https:\/\/github\.example\/acme\/shop\/actions\/runs\/1 \(actor alice.*waited 5s/,
    );
    expect(lines.some((l) => l.startsWith('waiting for the deploy lock held by https://github.example'))).toBe(true);
  });

  it('an expired lease is taken over, with a warning naming the old holder', async () => {
    const { lock, lines, clock } = setup();
    await lock.acquire(who);
    clock.advance(61_000);
    const lease = await lock.acquire({ ...who, holder: 'cli:bob@laptop', actor: 'bob' });
    expect(lease.holder).toBe('cli:bob@laptop');
    expect(lines.some((l) => l.includes('expired: taking it over from https://github.example'))).toBe(true);
  });

  it('renew pushes the expiry out; a lease taken over after it expired is lost, and renew says so', async () => {
    const { lock, clock, t, dir, log } = setup();
    const lease = await lock.acquire(who);
    clock.advance(50_000);
    const renewed = await lock.renew(lease.token, 60_000);
    expect(renewed.expiresAt).toBe('2026-11-23T12:01:50.000Z');
    clock.advance(61_000);
    const other = new DeployLock(t, join(dir, 'prod', 'lock'), clock, log, 'shop/prod');
    await other.acquire({ ...who, holder: 'cli:bob@laptop', actor: 'bob' });
    await expect(lock.renew(lease.token, 60_000)).rejects.toThrow(
      /lost the deploy lock for shop\/prod: it is now held by cli:bob@laptop/,
    );
  });

  it('keepAlive renews on every beat until stopped, and stops by itself once the lease is lost', async () => {
    const { t, log, dir, lines } = setup();
    // A clock whose sleeps are released one by one by the test (time moves 20 s per beat).
    let now = Date.parse('2026-11-23T12:00:00Z');
    const beats: Array<() => void> = [];
    const stepClock = {
      now: () => new Date(now),
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          beats.push(() => {
            now += ms;
            resolve();
          });
        }),
    };
    const held = new DeployLock(t, join(dir, 'prod', 'lock'), stepClock, log, 'shop/prod');
    const lease = await held.acquire(who);
    const stop = held.keepAlive(lease.token, 20_000, 60_000);
    const expiry = () => JSON.parse(readFileSync(join(dir, 'prod', 'lock', 'lease.json'), 'utf8')).expiresAt;
    // The loop asks for its next sleep only once the renewal before it is written: wait for that, not for a time.
    const asleep = async () => {
      while (beats.length === 0) await new Promise((r) => setTimeout(r, 5));
    };
    const beat = () => beats.shift()?.();
    await asleep();
    beat();
    await asleep();
    expect(expiry()).toBe('2026-11-23T12:01:20.000Z');
    beat();
    await asleep();
    expect(expiry()).toBe('2026-11-23T12:01:40.000Z');
    await stop();
    beats.length = 0; // the aborted sleep's beat
    expect(expiry()).toBe('2026-11-23T12:01:40.000Z');
    // Lost: someone removed the lock; the next beat warns and the loop ends on its own.
    const again = held.keepAlive(lease.token, 20_000, 60_000);
    await held.forceRelease();
    await asleep();
    beat();
    await again();
    expect(lines.some((l) => l.includes('lost the deploy lock for shop/prod: it is now free'))).toBe(true);
  });

  it('releases only its own lease', async () => {
    const { lock, dir } = setup();
    const lease = await lock.acquire(who);
    expect(await lock.release('not-the-token')).toBe(false);
    expect(readdirSync(join(dir, 'prod'))).toContain('lock');
    expect(await lock.release(lease.token)).toBe(true);
    expect(readdirSync(join(dir, 'prod'))).not.toContain('lock');
  });

  it('a lock directory left without a lease is removed after a grace period', async () => {
    const { lock, t, dir } = setup();
    await t.exec(['mkdir', '-p', join(dir, 'prod', 'lock')]);
    const lease = await lock.acquire(who);
    expect(lease.actor).toBe('alice');
  });
});

describe('JournalStore on real files', () => {
  it('round-trips releases atomically and leaves no temp file', async () => {
    const { t, dir } = setup();
    const path = join(dir, 'prod', 'journal.json');
    const store = new JournalStore(t, path, 'shop', 'prod');
    expect((await store.read()).releases).toEqual([]);
    const r: Release = {
      id: newReleaseId(new Date('2026-11-23T13:15:00.123Z'), 'v2'),
      version: 'v2',
      status: 'live',
      strategy: 'rolling',
      driver: 'engine',
      services: {},
      startedAt: '2026-11-23T13:15:00Z',
    };
    await store.upsert(r);
    await store.upsert({ ...r, status: 'superseded' });
    expect((await store.read()).releases).toEqual([{ ...r, status: 'superseded' }]);
    expect(r.id).toBe('20261123T131500Z-v2');
    expect(readdirSync(join(dir, 'prod'))).toEqual(['journal.json']);
  });
});
