import type { ActionContext } from '../core/context.js';
import type { DeployLock } from '../deploy/lock.js';
import type { RunIdentity } from './identity.js';

/** The runner state that carries the lease token from main to the post step. */
export const LOCK_STATE = 'deploy-lock';
/** A lease lives this long unless renewed; the holder renews it every LOCK_RENEW_MS while it works. */
const LOCK_TTL_MS = 15 * 60_000;
const LOCK_RENEW_MS = 5 * 60_000;

/** A lease this run holds: how many scopes hold it, and how to give it back. */
export interface LockHold {
  count: number;
  /** Renew the lease now; throws a UserError when it is no longer ours (removed by `runbook unlock`, taken over). */
  confirm(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Take the lock (waiting up to `waitMs`), renew it while held, and remember its token in the runner state so the
 * post step can free it when main was killed. `release()` stops renewing and frees it (a lease that is no longer
 * ours is left alone).
 */
export async function holdLock(
  lock: DeployLock,
  ctx: Pick<ActionContext, 'runner' | 'log'>,
  who: RunIdentity,
  waitMs: number,
  signal: AbortSignal,
): Promise<LockHold> {
  const lease = await ctx.log.group('Deploy lock', () =>
    lock.acquire({ holder: who.holder, actor: who.actor, ttlMs: LOCK_TTL_MS, waitMs, signal }),
  );
  ctx.runner.saveState(LOCK_STATE, JSON.stringify({ token: lease.token }));
  const stopRenewing = lock.keepAlive(lease.token, LOCK_RENEW_MS, LOCK_TTL_MS);
  return {
    count: 0,
    confirm: async () => {
      await lock.renew(lease.token, LOCK_TTL_MS);
    },
    release: async () => {
      await stopRenewing();
      if (await lock.release(lease.token)) ctx.runner.saveState(LOCK_STATE, '');
    },
  };
}

/** The token main saved, when main ended without releasing the lock (killed, cancelled); undefined otherwise. */
export function leftLockToken(ctx: Pick<ActionContext, 'runner'>): string | undefined {
  const saved = ctx.runner.getState(LOCK_STATE);
  if (!saved) return undefined;
  let token: unknown;
  try {
    ({ token } = JSON.parse(saved) as { token?: unknown });
  } catch {
    // Not what main saves: nothing this step can prove it holds (an expired lease is taken over by the next run).
    return undefined;
  }
  return typeof token === 'string' && token !== '' ? token : undefined;
}
