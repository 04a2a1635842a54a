import {
  check,
  readText,
  writeAtomic
} from "./chunk-H5JJLJ3Z.js";
import {
  mkdirArgv,
  mkdirExclusiveArgv,
  removeTreeArgv,
  renameArgv
} from "./chunk-CSTC25GN.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/deploy/lock.ts
import { randomBytes } from "node:crypto";
var QUIET = { quiet: true, timeoutMs: 3e4 };
var POLL_MS = 2e3;
var PROGRESS_MS = 1e4;
var INCOMPLETE_GRACE_MS = 1e4;
function describeLease(l) {
  return `${l.holder} (actor ${l.actor}, since ${l.acquiredAt}, expires ${l.expiresAt})`;
}
var DeployLock = class {
  constructor(t, dir, clock, log, label) {
    this.t = t;
    this.dir = dir;
    this.clock = clock;
    this.log = log;
    this.label = label;
    this.leaseFile = `${dir}/lease.json`;
  }
  t;
  dir;
  clock;
  log;
  label;
  leaseFile;
  async read() {
    const text = await readText(this.t, this.leaseFile);
    if (text === void 0) return void 0;
    try {
      return JSON.parse(text);
    } catch {
      return void 0;
    }
  }
  async acquire(o) {
    const started = this.clock.now().getTime();
    let lastProgress;
    let incompleteSince;
    check(await this.t.exec(mkdirArgv(this.dir.replace(/\/[^/]+$/, "")), QUIET), `creating the state directory`);
    for (; ; ) {
      const now = this.clock.now();
      const made = await this.t.exec(mkdirExclusiveArgv(this.dir), QUIET);
      if (made.code === 0) {
        const lease = {
          token: randomBytes(12).toString("hex"),
          holder: o.holder,
          actor: o.actor,
          acquiredAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + o.ttlMs).toISOString()
        };
        await writeAtomic(this.t, this.leaseFile, `${JSON.stringify(lease, null, 2)}
`);
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
      const who = held ? describeLease(held) : "a run that is still writing its lease";
      if (waited >= o.waitMs) {
        throw new UserError(
          `another deploy holds the lock for ${this.label}: ${who}; waited ${Math.round(waited / 1e3)}s (lock-wait). If that run is gone, release it with: runbook unlock --env <environment> --reason "<why>"`
        );
      }
      if (lastProgress === void 0 || now.getTime() - lastProgress >= PROGRESS_MS) {
        this.log.info(
          `waiting for the deploy lock held by ${who} (${Math.round(waited / 1e3)}s of ${Math.round(o.waitMs / 1e3)}s)`
        );
        lastProgress = now.getTime();
      }
      await this.clock.sleep(Math.min(POLL_MS, Math.max(1, o.waitMs - waited)), o.signal);
    }
  }
  /** Release our lease; a lease that is no longer ours is left alone (and said so). */
  async release(token) {
    const held = await this.read();
    if (!held) return false;
    if (held.token !== token) {
      this.log.warn(`deploy lock for ${this.label} is now held by ${describeLease(held)}; not releasing it`);
      return false;
    }
    check(await this.t.exec(removeTreeArgv(this.dir), QUIET), "releasing the deploy lock");
    this.log.info(`deploy lock for ${this.label} released`);
    return true;
  }
  /** Push our lease's expiry out by `ttlMs`; throws when the lease is no longer ours (expired and taken over). */
  async renew(token, ttlMs) {
    const held = await this.read();
    if (!held || held.token !== token) {
      throw new UserError(
        `lost the deploy lock for ${this.label}: it is now ${held ? `held by ${describeLease(held)}` : "free"}; another run may be changing this environment`
      );
    }
    const next = { ...held, expiresAt: new Date(this.clock.now().getTime() + ttlMs).toISOString() };
    await writeAtomic(this.t, this.leaseFile, `${JSON.stringify(next, null, 2)}
`);
    return next;
  }
  /**
   * Keep a lease alive while a long step runs: renew it every `everyMs` (well inside `ttlMs`). A killed run stops
   * renewing, so its lock expires after `ttlMs` and the next run takes it over. Returns the function that stops it.
   */
  keepAlive(token, everyMs, ttlMs) {
    const stop = new AbortController();
    const loop = (async () => {
      for (; ; ) {
        try {
          await this.clock.sleep(everyMs, stop.signal);
        } catch {
          return;
        }
        try {
          const lease = await this.renew(token, ttlMs);
          this.log.debug(`deploy lock for ${this.label} renewed until ${lease.expiresAt}`);
        } catch (err) {
          this.log.warn(err.message);
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
  async forceRelease() {
    const held = await this.read();
    await this.breakLock();
    return held;
  }
  /** Move the lock aside atomically (only one of several racing takers succeeds), then delete it. */
  async breakLock() {
    const aside = `${this.dir}.stale-${randomBytes(6).toString("hex")}`;
    const moved = await this.t.exec(renameArgv(this.dir, aside), QUIET);
    if (moved.code === 0) await this.t.exec(removeTreeArgv(aside), QUIET);
  }
};

export {
  describeLease,
  DeployLock
};
