import { randomBytes } from 'node:crypto';
import { mkdirArgv, mkdirExclusiveArgv, removeTreeArgv, renameArgv } from '../commands/files.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { check, readText, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';

/** Who holds the deploy lock, until when. */
export interface Lease {
  token: string;
  /** The run that holds it: its URL in Actions, `cli:user@host` from a terminal. */
  holder: string;
  actor: string;
  acquiredAt: string;
  expiresAt: string;
}

export interface AcquireOptions {
  holder: string;
  actor: string;
  ttlMs: number;
  waitMs: number;
  signal?: AbortSignal;
}

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;
const POLL_MS = 2000;
const PROGRESS_MS = 10_000;
/** A lock directory without a lease is a lock being written, or the wreck of one: wait this long before taking it. */
const INCOMPLETE_GRACE_MS = 10_000;

export function describeLease(l: Lease): string {
  return `${l.holder} (actor ${l.actor}, since ${l.acquiredAt}, expires ${l.expiresAt})`;
}

/**
 * One deploy per app and environment: a lease directory on the primary target. `mkdir` is the atomic test-and-set;
 * the lease inside says who holds it and until when. An expired lease is taken over by an atomic rename.
 */
export class DeployLock {
  private readonly leaseFile: string;

  constructor(
    private readonly t: Transport,
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly label: string,
  ) {
    this.leaseFile = `${dir}/lease.json`;
  }

  async read(): Promise<Lease | undefined> {
    const text = await readText(this.t, this.leaseFile);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as Lease;
    } catch {
      return undefined;
    }
  }

  async acquire(o: AcquireOptions): Promise<Lease> {
    const started = this.clock.now().getTime();
    let lastProgress: number | undefined;
    let incompleteSince: number | undefined;
    check(await this.t.exec(mkdirArgv(this.dir.replace(/\/[^/]+$/, '')), QUIET), `creating the state directory`);
    for (;;) {
      const now = this.clock.now();
      const made = await this.t.exec(mkdirExclusiveArgv(this.dir), QUIET);
      if (made.code === 0) {
        const lease: Lease = {
          token: randomBytes(12).toString('hex'),
          holder: o.holder,
          actor: o.actor,
          acquiredAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + o.ttlMs).toISOString(),
        };
        await writeAtomic(this.t, this.leaseFile, `${JSON.stringify(lease, null, 2)}\n`);
        this.log.info(`deploy lock for ${this.label} taken (expires ${lease.expiresAt})`);
        return lease;
      }
      if (!/exists/i.test(made.stderr)) check(made, `creating the lock ${this.dir} on ${this.t.name}`);
      const held = await this.read();
      if (held && new Date(held.expiresAt).getTime() <= now.getTime()) {
        this.log.warn(`deploy lock for ${this.label} expired: taking it over from ${describeLease(held)}`);
        await this.breakLock();
        continue;
      }
      if (!held) {
        incompleteSince ??= now.getTime();
        if (now.getTime() - incompleteSince >= INCOMPLETE_GRACE_MS) {
          this.log.warn(`deploy lock for ${this.label} has no lease (a run died while taking it): removing it`);
          await this.breakLock();
          continue;
        }
      }
      const waited = now.getTime() - started;
      const who = held ? describeLease(held) : 'a run that is still writing its lease';
      if (waited >= o.waitMs) {
        throw new UserError(
          `another deploy holds the lock for ${this.label}: ${who}; waited ${Math.round(waited / 1000)}s (lock-wait). ` +
            `If that run is gone, release it with: runbook unlock --env <environment> --reason "<why>"`,
        );
      }
      if (lastProgress === undefined || now.getTime() - lastProgress >= PROGRESS_MS) {
        this.log.info(
          `waiting for the deploy lock held by ${who} (${Math.round(waited / 1000)}s of ${Math.round(o.waitMs / 1000)}s)`,
        );
        lastProgress = now.getTime();
      }
      await this.clock.sleep(Math.min(POLL_MS, Math.max(1, o.waitMs - waited)), o.signal);
    }
  }

  /** Release our lease; a lease that is no longer ours is left alone (and said so). */
  async release(token: string): Promise<boolean> {
    const held = await this.read();
    if (!held) return false;
    if (held.token !== token) {
      this.log.warn(`deploy lock for ${this.label} is now held by ${describeLease(held)}; not releasing it`);
      return false;
    }
    check(await this.t.exec(removeTreeArgv(this.dir), QUIET), 'releasing the deploy lock');
    this.log.info(`deploy lock for ${this.label} released`);
    return true;
  }

  /** Push our lease's expiry out by `ttlMs`; throws when the lease is no longer ours (expired and taken over). */
  async renew(token: string, ttlMs: number): Promise<Lease> {
    const held = await this.read();
    if (!held || held.token !== token) {
      throw new UserError(
        `lost the deploy lock for ${this.label}: it is now ${held ? `held by ${describeLease(held)}` : 'free'}; another run may be changing this environment`,
      );
    }
    const next = { ...held, expiresAt: new Date(this.clock.now().getTime() + ttlMs).toISOString() };
    await writeAtomic(this.t, this.leaseFile, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  /**
   * Keep a lease alive while a long step runs: renew it every `everyMs` (well inside `ttlMs`). A killed run stops
   * renewing, so its lock expires after `ttlMs` and the next run takes it over. Returns the function that stops it.
   */
  keepAlive(token: string, everyMs: number, ttlMs: number): () => Promise<void> {
    const stop = new AbortController();
    const loop = (async () => {
      for (;;) {
        try {
          await this.clock.sleep(everyMs, stop.signal);
        } catch {
          return;
        }
        try {
          const lease = await this.renew(token, ttlMs);
          this.log.debug(`deploy lock for ${this.label} renewed until ${lease.expiresAt}`);
        } catch (err) {
          this.log.warn((err as Error).message);
          if (err instanceof UserError) return;
        }
      }
    })();
    return async () => {
      stop.abort();
      await loop;
    };
  }

  /** `runbook unlock`: remove whatever lease is there. Returns the lease that was removed. */
  async forceRelease(): Promise<Lease | undefined> {
    const held = await this.read();
    await this.breakLock();
    return held;
  }

  /** Move the lock aside atomically (only one of several racing takers succeeds), then delete it. */
  private async breakLock(): Promise<void> {
    const aside = `${this.dir}.stale-${randomBytes(6).toString('hex')}`;
    const moved = await this.t.exec(renameArgv(this.dir, aside), QUIET);
    if (moved.code === 0) await this.t.exec(removeTreeArgv(aside), QUIET);
  }
}
