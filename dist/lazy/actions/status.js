import {
  describeLease
} from "../chunks/chunk-XYQ7F7OY.js";
import "../chunks/chunk-4LVJ3BVZ.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/status.ts
async function runStatus(ctx) {
  const session = await ctx.session();
  const { label } = session;
  const lock = await session.deployLock();
  const journal = await session.journal();
  const lease = await lock.read();
  const now = ctx.clock.now();
  if (!lease) ctx.log.info(`lock: free (${label})`);
  else {
    const expired = new Date(lease.expiresAt) <= now;
    ctx.log.info(`lock: HELD by ${describeLease(lease)}${expired ? " \u2014 EXPIRED: the next deploy takes it over" : ""}`);
    ctx.log.info(
      '  if that run was killed (its post step never ran), free it with: runbook unlock --env <env> --reason "\u2026"'
    );
  }
  const j = await journal.read();
  ctx.log.info(`releases (${j.releases.length}, newest last):`);
  for (const r of j.releases.slice(-10)) {
    const took = r.finishedAt ? ` in ${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1e3).toFixed(0)}s` : "";
    ctx.log.info(
      `  ${r.id}  ${r.version.padEnd(12)} ${r.status.padEnd(11)} ${r.strategy} by ${r.actor ?? "?"}${took}${r.error ? ` \u2014 ${r.error}` : ""}`
    );
    const rb = r.rollback;
    if (rb) {
      const state = rb.finishedAt ? "rolled back" : rb.error ? `rollback FAILED (${rb.error})` : "rollback unfinished";
      ctx.log.info(
        `      ${state} to ${rb.to} (${rb.scope.join(", ")}) by ${rb.actor ?? "?"} at ${rb.startedAt}${rb.reason ? `: ${rb.reason}` : ""}${rb.revision !== void 0 ? `; schema ${rb.revision || "(none)"}` : ""}`
      );
    }
  }
  for (const m of (j.migrations ?? []).slice(-5)) {
    ctx.log.info(
      `  migration ${m.id}  ${m.tool} ${m.revisionBefore || "(none)"} \u2192 ${m.revisionAfter ?? "?"}  ${m.status}${m.error ? ` \u2014 ${m.error}` : ""}`
    );
  }
  ctx.runner.setOutput("lock", lease ? JSON.stringify({ ...lease, token: void 0 }) : "");
  ctx.runner.setOutput("journal", JSON.stringify(j));
}
async function runUnlock(ctx) {
  const { inputs } = ctx;
  const session = await ctx.session();
  const { label } = session;
  const lock = await session.deployLock();
  const removed = await lock.forceRelease();
  if (removed)
    ctx.log.warn(`removed the deploy lock of ${label} held by ${describeLease(removed)}; reason: ${inputs.reason}`);
  else ctx.log.info(`the deploy lock of ${label} was free; nothing to do`);
}
export {
  runStatus,
  runUnlock
};
