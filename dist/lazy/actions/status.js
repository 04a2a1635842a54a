import {
  describeLease
} from "../chunks/chunk-TKA3YQTM.js";
import {
  findDrift
} from "../chunks/chunk-D2ZUNCQ3.js";
import {
  standbyExpired
} from "../chunks/chunk-D2JJZR5M.js";
import "../chunks/chunk-JZF2JHVW.js";
import "../chunks/chunk-2IS7G2IM.js";
import {
  envChangeText
} from "../chunks/chunk-EXGLFXK3.js";
import "../chunks/chunk-HEVGDBH7.js";
import "../chunks/chunk-6PYKIDPT.js";
import "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import {
  driverOf
} from "../chunks/chunk-UXZUOFCM.js";
import "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import {
  maintenanceOn
} from "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
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
  const m = maintenanceOn(j);
  if (m)
    ctx.log.info(
      `maintenance: ON since ${m.since} by ${m.actor ?? "?"}${m.reason ? ` (${m.reason})` : ""}: traffic goes to ${m.address} until "runbook maintenance off"`
    );
  ctx.log.info(`releases (${j.releases.length}, newest last):`);
  for (const r of j.releases.slice(-10)) {
    const took = r.finishedAt ? ` in ${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1e3).toFixed(0)}s` : "";
    const how = r.origin === "adopted" ? "what served before the first deploy took the site over" : `${r.strategy} by ${r.actor ?? "?"}${took}`;
    ctx.log.info(
      `  ${r.id.padEnd(28)} ${r.version.padEnd(12)} ${r.status.padEnd(11)} ${how}${r.error ? ` \u2014 ${r.error}` : ""}`
    );
    if (r.canary && (r.canary.state === "paused" || r.canary.state === "running")) {
      ctx.log.info(
        `      canary at ${r.canary.weight}% (step ${r.canary.step + 1}), ${r.canary.state}: runbook promote goes on, runbook abort takes it out`
      );
    }
    if (r.envChanges?.length) ctx.log.info(`      env changed: ${r.envChanges.map(envChangeText).join("; ")}`);
    if (r.env) {
      const values = Object.entries(r.env).flatMap(
        ([svc, vs]) => Object.entries(vs).map(([n, v]) => `${svc}.${n}=${v}`)
      );
      ctx.log.info(`      env in force (the env input, until env-reset): ${values.join(", ")}`);
    }
    if (r.hosts) {
      const hosts = Object.entries(r.hosts).map(([h, o]) => `${h} ${o.state}${o.error ? ` (${o.error})` : ""}`);
      ctx.log.info(`      hosts: ${hosts.join("; ")}`);
    }
    if (r.standby && r.status === "live") {
      const expired = standbyExpired(r, now) ? " \u2014 expired: the next deploy stops it" : "";
      ctx.log.info(`      standby: ${r.standby.release} until ${r.standby.until}${expired}`);
    }
    const rb = r.rollback;
    if (rb) {
      const state = rb.finishedAt ? "rolled back" : rb.error ? `rollback FAILED (${rb.error})` : "rollback unfinished";
      ctx.log.info(
        `      ${state} to ${rb.to} (${rb.scope.join(", ")}) by ${rb.actor ?? "?"} at ${rb.startedAt}${rb.reason ? `: ${rb.reason}` : ""}${rb.revision !== void 0 ? `; schema ${rb.revision || "(none)"}` : ""}`
      );
    }
  }
  for (const m2 of (j.migrations ?? []).slice(-5)) {
    ctx.log.info(
      `  migration ${m2.id}  ${m2.tool} ${m2.revisionBefore || "(none)"} \u2192 ${m2.revisionAfter ?? "?"}  ${m2.status}${m2.error ? ` \u2014 ${m2.error}` : ""}`
    );
  }
  const drift = await findDrift({
    config: session.config,
    environmentName: session.environmentName,
    journal: j,
    targets: await session.deployTargets(driverOf(session.config), session.config.strategy.type),
    clock: ctx.clock,
    log: ctx.log
  });
  const differences = drift.filter((d) => d.kind === "drift");
  ctx.log.info(
    differences.length === 0 ? "drift: none (what runs is what the journal says is live)" : `drift (${differences.length}):`
  );
  for (const d of drift)
    ctx.log.info(`  ${d.kind === "drift" ? "DRIFT" : "note"}  ${d.target}/${d.service}: ${d.detail}`);
  ctx.runner.setOutput("drift", JSON.stringify(drift));
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
