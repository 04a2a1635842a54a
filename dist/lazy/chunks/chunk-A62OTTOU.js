// src/session/lock-hold.ts
var LOCK_STATE = "deploy-lock";
var LOCK_TTL_MS = 15 * 6e4;
var LOCK_RENEW_MS = 5 * 6e4;
async function holdLock(lock, ctx, who, waitMs, signal) {
  const lease = await ctx.log.group(
    "Deploy lock",
    () => lock.acquire({ holder: who.holder, actor: who.actor, ttlMs: LOCK_TTL_MS, waitMs, signal })
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
      if (await lock.release(lease.token)) ctx.runner.saveState(LOCK_STATE, "");
    }
  };
}

export {
  holdLock
};
