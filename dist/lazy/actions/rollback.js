import {
  ROLLBACK_SCOPES
} from "../chunks/chunk-WERD35OI.js";
import {
  resumeCanary
} from "../chunks/chunk-OFHI2DGU.js";
import {
  checkSmokeSecrets,
  runSmokeSuite,
  smokeSummary,
  viaTargets,
  viaTransport
} from "../chunks/chunk-TFKMKJ75.js";
import {
  restoreBackup
} from "../chunks/chunk-XO6OEBEV.js";
import "../chunks/chunk-X4UYGBBN.js";
import {
  recordRollback,
  registryAuthOf,
  restoreRelease
} from "../chunks/chunk-AZJ2ORYW.js";
import "../chunks/chunk-I2HXHZA3.js";
import "../chunks/chunk-DLC2WS4V.js";
import "../chunks/chunk-5V63FDDH.js";
import {
  abortCanary
} from "../chunks/chunk-ZB3KG7PJ.js";
import "../chunks/chunk-5OHRL654.js";
import {
  secretValues
} from "../chunks/chunk-RB6QVMVN.js";
import "../chunks/chunk-NCLL3RXK.js";
import "../chunks/chunk-QDKZOZWX.js";
import "../chunks/chunk-JZF2JHVW.js";
import "../chunks/chunk-2IS7G2IM.js";
import "../chunks/chunk-EXGLFXK3.js";
import "../chunks/chunk-HEVGDBH7.js";
import "../chunks/chunk-6PYKIDPT.js";
import "../chunks/chunk-7NDG7RRJ.js";
import "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import "../chunks/chunk-UXZUOFCM.js";
import {
  currentRevision,
  openMigration
} from "../chunks/chunk-ISVV4EDO.js";
import "../chunks/chunk-4JMFLAWY.js";
import {
  backupSiteOf,
  migrationSiteOf
} from "../chunks/chunk-XOMS26GA.js";
import "../chunks/chunk-NJUICJBY.js";
import {
  toRemoteCommand
} from "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import {
  beginRollback,
  finishRollback,
  liveRelease,
  maintenanceOn,
  openCanary,
  sweepInterrupted
} from "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import {
  errorLine,
  exitText
} from "../chunks/chunk-62JVSY2V.js";
import {
  notifyRun
} from "../chunks/chunk-IVJAZNWL.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import {
  reportIncident
} from "../chunks/chunk-OJDE2VAN.js";
import "../chunks/chunk-5BJCLG46.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import {
  buildSummary,
  inline
} from "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/rollback/migration.ts
async function planDowngrade(ctx, opened, revision, records) {
  const { tool, inv, m } = opened;
  const downgrade = tool.downgrade;
  if (!downgrade) throw new UserError(noDowngrade(m.tool));
  const before = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && before === revision) return { before };
  checkDowngrade(m.tool, tool, revision, before, records);
  return { before, argv: downgrade(revision, tool.current ? before : void 0) };
}
async function downgradeTo(ctx, opened, revision, records) {
  const { tool, inv, m } = opened;
  const { before, argv } = await planDowngrade(ctx, opened, revision, records);
  if (!argv) {
    ctx.log.info(`the schema is already at ${revision || "(none)"}`);
    return { before, after: before };
  }
  ctx.log.info(
    `downgrading ${before || "(unknown)"} \u2192 ${revision || "(none)"} (undoing ${records.map((r2) => `${r2.id}: ${r2.revisionBefore || "(none)"} \u2192 ${r2.revisionAfter ?? "?"}`).join(", ")})`
  );
  const r = await ctx.log.group(
    `Downgrading with ${m.tool} via ${inv.describe}`,
    () => inv.run(argv, { timeoutMs: m["statement-timeout"] + 6e4, signal: ctx.signal })
  );
  if (r.code !== 0) throw new UserError(`${m.tool} downgrade failed (${exitText(r)}): ${errorLine(r.stderr)}`);
  const after = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && after !== revision) {
    throw new UserError(`after the downgrade the schema is at ${after || "(none)"}, not ${revision || "(none)"}`);
  }
  return { before, after };
}
function checkDowngrade(name, tool, revision, before, records) {
  if (tool.current && revision === "" && !records.some((r) => r.revisionAfter)) {
    throw new UserError(
      `the journal records no revision for ${records.map((r) => r.id).join(", ")}, so it cannot tell what to undo: not downgrading ${name} to no migration at all; roll the schema back by hand`
    );
  }
  if (!tool.undoesLastRun || revision === "") return;
  const moved = records.filter((r) => r.revisionAfter !== void 0 && r.revisionAfter !== r.revisionBefore);
  const [run] = moved;
  if (moved.length !== 1 || run?.revisionBefore !== revision || run.revisionAfter !== before) {
    throw new UserError(
      `${name} rolls back the last migrate run only, and the journal does not show one run from ${revision} to ${before || "(none)"} (${moved.length} runs changed the schema): roll back by hand, one batch at a time, until the current version is ${revision}`
    );
  }
}
function noDowngrade(tool) {
  return `${tool} has no down migrations configured (database.migrate); roll the schema back with scope database and restore-database: true`;
}

// src/rollback/plan.ts
var servedOnce = (r) => r.status === "live" || r.status === "superseded" || r.status === "rolled-back";
function describe(r) {
  return `${r.id} (${r.version}, ${r.status})`;
}
function chooseRollback(j, releaseId) {
  const where = `${j.app}/${j.environment}`;
  const live = liveRelease(j);
  const byId = (id) => j.releases.find((r) => r.id === id);
  if (releaseId) {
    const to2 = byId(releaseId);
    if (!to2) {
      const known = j.releases.slice(-5).map(describe).join(", ") || "none";
      throw new UserError(`release ${releaseId} is not in the journal of ${where}; the newest are: ${known}`);
    }
    if (!servedOnce(to2)) {
      throw new UserError(`release ${describe(to2)} never went live, so there is nothing of it to restore`);
    }
    const from = live && live.id !== to2.id ? live : void 0;
    return { to: to2, from, resumed: from === void 0 };
  }
  const newest = j.releases.at(-1);
  const unsettled = Object.values(newest?.hosts ?? {}).some(
    (h) => h.state !== "not started" && h.state !== "rolled back"
  );
  if (live && newest && newest.status === "failed" && newest.startedAt > live.startedAt && unsettled) {
    return { to: live, from: newest, resumed: false };
  }
  const head = j.releases.findLast(servedOnce);
  if (!head) throw new UserError(`no previous release to roll back to: ${where} has no release that went live`);
  const last = j.releases.filter((r) => r.rollback).sort((a, b) => (a.rollback?.startedAt ?? "").localeCompare(b.rollback?.startedAt ?? "")).at(-1)?.rollback;
  if (last && last.startedAt >= head.startedAt) {
    const to2 = byId(last.to);
    if (!to2)
      throw new UserError(`the newest rollback recorded in ${where} names ${last.to}, which is not in the journal`);
    return { to: to2, from: live && live.id !== to2.id ? live : void 0, resumed: true };
  }
  if (head.status !== "live") throw new UserError(`no live release in ${where} (the newest, ${describe(head)})`);
  if (!head.previous) {
    throw new UserError(`no previous release to roll back to: ${describe(head)} is the first release of ${where}`);
  }
  const to = byId(head.previous);
  if (!to) {
    throw new UserError(
      `no previous release to roll back to: ${head.id} names ${head.previous}, which the journal no longer holds`
    );
  }
  return { to, from: head, resumed: false };
}
function migrationsSince(j, to) {
  const since = to.finishedAt ?? to.startedAt;
  return (j.migrations ?? []).filter((m) => m.startedAt >= since).filter(
    (m) => m.status === "applied" || m.status === "in-progress" || m.status === "failed" && m.revisionAfter !== void 0 && m.revisionAfter !== m.revisionBefore
  ).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
function revisionToRestore(records) {
  return records[0]?.revisionBefore;
}
function checkScope(scope, restoreDatabase) {
  const bad = scope.filter((s) => !ROLLBACK_SCOPES.includes(s));
  if (bad.length > 0) {
    throw new UserError(`input "scope": unknown ${bad.join(", ")}; allowed: ${ROLLBACK_SCOPES.join(", ")}`);
  }
  if (scope.includes("database") && !restoreDatabase) {
    throw new UserError(
      'input "scope" includes database: restoring the pre-deploy backup loses every write since it was taken; set restore-database: true to confirm'
    );
  }
  return ROLLBACK_SCOPES.filter((s) => scope.includes(s));
}

// src/rollback/report.ts
function rollbackSummary(app, environment, r) {
  const release = (x) => inline.join([`${x.version} (`, inline.code(x.id), ")"], "");
  const rows = [
    ["app", `${app}/${environment}`],
    ["restored", release(r.to)],
    ["rolled back", r.from ? release(r.from) : "\u2014 (the restored release was already live)"],
    ["scope", r.scope.join(", ")],
    ...r.revision !== void 0 ? [["schema revision", r.revision || "(none)"]] : [],
    ...r.safety ? [["safety backup", inline.code(r.safety)]] : []
  ];
  return buildSummary((doc) => {
    doc.heading("Restored release", 3);
    doc.table(["", ""], rows);
  });
}

// src/actions/rollback.ts
function codeVersion(j, to) {
  return j.releases.filter((r) => r.startedAt > to.startedAt).at(-1)?.version ?? to.version;
}
async function runRollback(ctx) {
  const { log, runner, clock, inputs } = ctx;
  const scope = checkScope(inputs.scope, inputs["restore-database"]);
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const smoke = inputs.smoke ? config.smoke : void 0;
  if (smoke) checkSmokeSecrets(ctx, smoke);
  const vias = smoke ? viaTargets(smoke, environment, environmentName) : void 0;
  const started = clock.now().getTime();
  const elapsed = () => `${((clock.now().getTime() - started) / 1e3).toFixed(1)}s`;
  if (!inputs["dry-run"]) await session.lock(ctx, inputs["lock-wait"]);
  const journal = await session.journal();
  const { who } = session;
  let j = await journal.read();
  const canary = openCanary(j);
  if (canary && inputs["dry-run"]) {
    log.info(`would first abort canary ${canary.id} (${canary.version}) at ${canary.canary?.weight}%`);
  } else if (canary) {
    const why = `rollback by ${who.actor}${inputs.reason ? `: ${inputs.reason}` : ""}`;
    await abortCanary(await resumeCanary(ctx, canary, journal), why);
    j = await journal.read();
  }
  const { to, from, resumed } = chooseRollback(
    j,
    inputs["release-id"] ?? (canary && !inputs["dry-run"] ? liveRelease(j)?.id : void 0)
  );
  const maintenance = maintenanceOn(j);
  if (maintenance)
    log.info(
      `maintenance is on (since ${maintenance.since}): traffic stays on the maintenance page; the smoke checks wait for "maintenance off"`
    );
  const records = scope.includes("migration") || scope.includes("database") ? migrationsSince(j, to) : [];
  const revision = revisionToRestore(records);
  const backupId = records[0]?.backupId ?? from?.backupId;
  log.info(
    `rollback of ${config.app}/${environmentName}: ${from ? `${from.id} (${from.version})` : "the live release"} \u2192 ${to.id} (${to.version}); scope ${scope.join(", ")}${canary && !inputs["release-id"] ? ` (the canary ${canary.version} was the deploy undone; the live release is re-checked)` : resumed ? " (resuming or re-checking a recorded rollback)" : ""}`
  );
  const opened = scope.includes("migration") && records.length > 0 ? await openMigration(await migrationSiteOf(session, ctx), codeVersion(j, to)) : void 0;
  if (opened && !opened.tool.downgrade) throw new UserError(noDowngrade(opened.m.tool));
  if (scope.includes("database") && !backupId) {
    throw new UserError(`no pre-deploy backup is recorded since ${to.id} went live (the migrate step's backup-id)`);
  }
  if (scope.includes("migration") && records.length === 0) log.info(`no migration since ${to.id} went live`);
  if (inputs["dry-run"]) {
    log.info(`would restore ${to.id} (${to.version}) on ${environment.targets.map((t) => t.name).join(", ")}`);
    for (const [name, s] of Object.entries(to.services)) {
      if (to.origin === "adopted") {
        const back = (s.servers ?? []).map((x) => `${x.target}:${x.address}`).join(", ");
        const then = scope.includes("image") ? `, then stop ${from ? `the replicas of ${from.version}` : "ours"} (kept)` : "";
        log.info(`  ${name}: the site as taken over: ${back} back into the upstream once healthy${then}`);
      } else {
        const env = Object.entries(to.env?.[name] ?? {}).map(([n, v]) => `${n}=${v}`);
        log.info(
          `  ${name}: ${s.image} ${s.imageId?.slice(0, 19) ?? ""} \xD7 ${s.replicas.length}${env.length > 0 ? `, env values ${env.join(", ")}` : ""}`
        );
      }
    }
    const plan = opened && revision !== void 0 ? await planDowngrade(ctx, opened, revision, records) : void 0;
    if (opened && plan && !plan.argv) log.info(`the schema is already at ${revision || "(none)"}`);
    if (opened && plan?.argv) {
      const { argv, cwd } = opened.inv.argvFor(plan.argv);
      log.info(`the schema is at ${plan.before || "(unknown)"}`);
      log.info(`would downgrade the schema to ${revision || "(none)"} (${opened.inv.describe}):`);
      log.info(`$ ${toRemoteCommand(argv, { cwd, env: opened.te.env })}`);
    }
    if (scope.includes("database")) log.info(`would restore backup ${backupId} after a safety backup`);
    return;
  }
  await journal.update((jj) => {
    sweepInterrupted(jj);
    beginRollback(jj, from?.id, {
      to: to.id,
      scope,
      reason: inputs.reason,
      actor: who.actor,
      runUrl: who.runUrl,
      startedAt: clock.now().toISOString()
    });
  });
  const outcome = {};
  try {
    if (scope.includes("image") || scope.includes("traffic")) {
      const targets = await session.deployTargets(to.driver, to.strategy);
      const restored = await restoreRelease(
        // During maintenance the release comes back out of traffic: `maintenance off` points the upstream at it.
        { targets, clock, log, signal: ctx.signal, maintenance: maintenance !== void 0 },
        {
          session,
          to,
          from,
          mode: scope.includes("image") ? "image" : "traffic",
          registryAuth: registryAuthOf(inputs),
          // Only new containers need them (kept ones have theirs): a missing one fails there, naming it.
          secrets: secretValues(
            Object.keys(to.services).flatMap((n) => config.services?.[n] ?? []),
            runner.env,
            log
          ).values
        }
      );
      outcome.replicas = restored.replicas;
      outcome.swarm = restored.swarm;
      log.info(`[${elapsed()}] ${to.version} is serving`);
    }
    if (opened && revision !== void 0) {
      const r = await downgradeTo(ctx, opened, revision, records);
      outcome.revision = r.after;
      log.info(`[${elapsed()}] schema at ${r.after || "(none)"}`);
    }
    if (scope.includes("database") && backupId) {
      const site = await backupSiteOf(session, ctx);
      const meta = await site.store.find(backupId);
      const { pg, store, backup } = site;
      const result = await log.group(
        `Restore ${backupId} (after a safety backup)`,
        () => restoreBackup({ pg, store, clock, onCleanup: ctx.onCleanup }, meta, {
          format: backup.format,
          gzip: backup.gzip,
          verify: backup.verify,
          tag: "pre-rollback",
          gitSha: runner.env.GITHUB_SHA
        })
      );
      for (const d of result.differences) log.warn(`after the restore: ${d}`);
      outcome.safety = result.safety.meta.id;
      log.info(`[${elapsed()}] database restored from ${backupId}; the state before is in ${outcome.safety}`);
    }
  } catch (err) {
    outcome.error = log.mask(
      ctx.signal.aborted ? `${errorMessage(ctx.signal.reason)}: ${errorMessage(err)}` : errorMessage(err)
    );
    throw err;
  } finally {
    const ended = { to: to.id, from: from?.id, undone: records.map((r) => r.id), scope, backupId };
    await journal.update(
      (jj) => finishRollback(jj, { ...ended, ...outcome, safetyBackupId: outcome.safety, at: clock.now().toISOString() })
    );
  }
  runner.setOutput("restored-release-id", to.id);
  runner.setOutput("restored-version", to.version);
  runner.setOutput("rolled-back-release-id", from?.id ?? (canary && !inputs["dry-run"] ? canary.id : ""));
  if (outcome.revision !== void 0) runner.setOutput("migration-revision", outcome.revision);
  if (outcome.safety) runner.setOutput("safety-backup-id", outcome.safety);
  if (!inputs["dry-run"]) await reportToGitHub(ctx, { to, from, environmentName, url: environment.url, config });
  const verdict = smoke && !maintenance ? await runSmokeSuite(ctx, smoke, {
    base: environment.url,
    waitMs: smoke.wait ?? 0,
    transportFor: vias && viaTransport(vias, session)
  }) : void 0;
  await runner.appendSummary(
    rollbackSummary(config.app, environmentName, {
      to,
      from,
      scope,
      revision: outcome.revision,
      safety: outcome.safety
    }) + (verdict ? smokeSummary(verdict, "Smoke checks of the restored release") : "")
  );
  if (verdict && !verdict.passed) {
    throw new UserError(`rolled back to ${to.version}, but its smoke test failed: ${verdict.problems.join(" | ")}`);
  }
  log.info(`[${elapsed()}] rolled back to ${to.id} (${to.version})${verdict ? "; smoke checks pass" : ""}`);
}
async function reportToGitHub(ctx, o) {
  const { inputs, runner, log } = ctx;
  const token = inputs["github-token"];
  const deploymentId = inputs["deployment-id"] ? Number(inputs["deployment-id"]) : void 0;
  if (token || deploymentId) {
    await recordRollback(
      {
        token,
        environment: o.environmentName,
        url: o.url,
        runner,
        deploymentId,
        failed: { releaseId: o.from?.id ?? "", version: o.from?.version },
        restored: { releaseId: o.to.id, version: o.to.version, gitSha: o.to.gitSha }
      },
      // Not the run's signal: a cancelled release still gets its final status (each call bounded by the client).
      { env: runner.env, log }
    );
  }
  if (!ctx.nested)
    await notifyRun(ctx, o.config, {
      kind: "rollback",
      environment: o.environmentName,
      version: o.from?.version ?? o.to.version,
      url: o.url,
      releaseId: o.from?.id,
      restoredVersion: o.to.version,
      reason: inputs.reason
    });
  if (inputs["incident-issue"]) {
    const detail = `Rolled back from ${o.from ? `${o.from.version} (${o.from.id})` : "the live release"} to ${o.to.version} (${o.to.id})${inputs.reason ? `: ${inputs.reason}` : ""}.`;
    await reportIncident(ctx, o.config, {
      token,
      environment: o.environmentName,
      version: o.from?.version ?? o.to.version,
      verdict: { outcome: "rolled back", detail },
      steps: []
    });
  }
}
export {
  runRollback
};
