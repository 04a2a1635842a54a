import {
  destructiveStatements
} from "../chunks/chunk-FFUIHGTR.js";
import {
  currentRevision,
  openMigration
} from "../chunks/chunk-ISVV4EDO.js";
import {
  fileSha256
} from "../chunks/chunk-4JMFLAWY.js";
import {
  migrationSiteOf,
  parseBackupMeta
} from "../chunks/chunk-XOMS26GA.js";
import "../chunks/chunk-NJUICJBY.js";
import {
  toRemoteCommand
} from "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import {
  putMigration
} from "../chunks/chunk-PDADLHLK.js";
import {
  readText
} from "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import {
  errorLine,
  exitText
} from "../chunks/chunk-62JVSY2V.js";
import {
  buildSummary,
  inline
} from "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  CancelledError,
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/migrate.ts
import { randomBytes } from "node:crypto";

// src/migrate/cancel.ts
var END_WAIT_MS = 15e3;
var REVISION_AFTER_MS = 2e4;
var ToolSessions = class {
  constructor(pg, app, log, waitMs = END_WAIT_MS) {
    this.pg = pg;
    this.app = app;
    this.log = log;
    this.waitMs = waitMs;
  }
  pg;
  app;
  log;
  waitMs;
  killed = false;
  ending;
  /** Run the tool; when it does not end by itself (it rejects: killed on cancel or timeout), mark it killed. */
  async run(tool) {
    try {
      return await tool();
    } catch (err) {
      this.killed = true;
      throw err;
    }
  }
  /**
   * End the sessions of a killed tool (and wait for them to go, up to `waitMs` ms); undefined when the tool ended
   * by itself (its sessions closed with it). Never throws: the failure is in the result.
   */
  settle() {
    if (!this.killed) return Promise.resolve(void 0);
    this.ending ??= this.pg.endSessions(this.app, this.waitMs).then(
      (r) => {
        if (r.found > 0) this.log.info(`ended ${r.found} database session(s) of the stopped tool (${this.app})`);
        return r;
      },
      (err) => ({ error: errorMessage(err) })
    );
    return this.ending;
  }
};
async function revisionAfter(inv, tool, signal) {
  if (!tool.current) return { error: "the tool has no command that prints its revision" };
  try {
    const bound = signal.aborted ? AbortSignal.timeout(REVISION_AFTER_MS) : signal;
    return { revision: await currentRevision(inv, tool, bound) };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}
var rev = (r) => r || "(none)";
function killedToolOutcome(f) {
  const after = "revision" in f.after ? f.after.revision : void 0;
  const failed = (why) => ({
    status: "failed",
    error: `${f.reason}; ${why}`,
    revisionAfter: after
  });
  if ("error" in f.sessions) {
    return failed(
      `its database sessions could not be ended (${f.sessions.error}): its statement may still be running (application_name ${f.app} in pg_stat_activity)`
    );
  }
  if (f.sessions.remaining > 0) {
    return failed(
      `${f.sessions.remaining} database session(s) of the tool (application_name ${f.app}) were still there ${f.waitMs / 1e3}s after being terminated: its statement may still be running`
    );
  }
  if (after === void 0) {
    const why = "error" in f.after ? f.after.error : "";
    return failed(
      `its sessions ended, but the revision after could not be read (${why}): check it before migrating again`
    );
  }
  if (after !== f.before) {
    return {
      status: f.cancelled ? "applied" : "failed",
      error: `${f.reason}, but the schema had already moved from ${rev(f.before)} to ${rev(after)}: the migration (or part of it) completed`,
      revisionAfter: after
    };
  }
  const ended = f.sessions.found > 0 ? `its ${f.sessions.found} database session(s) were ended` : `no database session named ${f.app} was left (a driver that ignores PGAPPNAME and application_name cannot be found by name)`;
  return {
    status: f.cancelled ? "cancelled" : "failed",
    error: `${f.reason}: the tool was stopped, ${ended}, and the schema is unchanged at ${rev(f.before)}`,
    revisionAfter: after
  };
}

// src/actions/migrate.ts
async function runMigrate(ctx) {
  const { log, runner, inputs } = ctx;
  const backupId = inputs["backup-id"];
  if (!inputs["dry-run"] && !backupId && !inputs["allow-without-backup"])
    throw new ConfigError('migrate needs the input "backup-id" of a verified backup (or allow-without-backup: true)');
  const session = await ctx.session();
  const { db, m, tool, te, inv, pg } = await openMigration(await migrationSiteOf(session, ctx), inputs.version);
  if (inputs["dry-run"]) {
    await log.group(`Plan (dry run): ${m.tool} via ${inv.describe}`, async () => {
      const show = (argv) => {
        const { argv: full, cwd } = inv.argvFor(argv);
        return toRemoteCommand(full, { cwd, env: te.env });
      };
      log.info(`upgrade: $ ${show(tool.upgrade)}`);
      if (!tool.dryRunSql) {
        log.warn(`${m.tool} cannot print its SQL without running it${tool.note ? ` (${tool.note})` : ""}`);
        return;
      }
      const r2 = await inv.run(tool.dryRunSql, { quiet: true, timeoutMs: 3e5, signal: ctx.signal });
      if (r2.code !== 0) throw new UserError(`the dry run failed (${exitText(r2)}): ${errorLine(r2.stderr)}`);
      log.info("SQL the upgrade would run:");
      log.remote(`${m.tool} --sql`, "stdout", r2.stdout.endsWith("\n") ? r2.stdout : `${r2.stdout}
`);
      const findings = destructiveStatements(r2.stdout);
      for (const f of findings) log.warn(`destructive statement (${f.kind}) at SQL line ${f.line}: ${f.statement}`);
      runner.setOutput("destructive-statements", String(findings.length));
      await runner.appendSummary(migrationPlanSummary(m.tool, r2.stdout, findings));
    });
    return;
  }
  await session.lock(ctx, inputs["lock-wait"]);
  const sessions = new ToolSessions(pg, te.app, log);
  ctx.onCleanup(async () => {
    await sessions.settle();
  });
  const journal = await session.journal();
  const { who } = session;
  if (backupId && !inputs["allow-without-backup"]) {
    await assertBackupIntact(await session.primary(), db.backup?.directory ?? "", backupId, ctx.signal);
    log.info(`backup ${backupId} is verified, and its dump is the one verified (sha256 checked)`);
  } else {
    log.warn("allow-without-backup is set: migrating without a verified backup");
  }
  const before = await currentRevision(inv, tool, ctx.signal);
  const record = {
    id: `${ctx.clock.now().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`,
    tool: m.tool,
    status: "in-progress",
    revisionBefore: before,
    backupId,
    actor: who.actor,
    runUrl: who.runUrl,
    startedAt: ctx.clock.now().toISOString()
  };
  const save = () => journal.update((j) => putMigration(j, record));
  await save();
  log.info(
    `revision before: ${before || "(none)"}; lock_timeout ${m["lock-timeout"]}ms, statement_timeout ${m["statement-timeout"]}ms`
  );
  const finish = async (status, error, after2) => {
    const masked = error === void 0 ? void 0 : log.mask(error);
    Object.assign(record, { status, error: masked, revisionAfter: after2, finishedAt: ctx.clock.now().toISOString() });
    await save();
    runner.setOutput("revision-before", before);
    runner.setOutput("revision-after", after2 ?? "");
  };
  let r;
  try {
    r = await log.group(
      `Migrating with ${m.tool} via ${inv.describe}`,
      () => sessions.run(() => inv.run(tool.upgrade, { timeoutMs: m["statement-timeout"] + 6e4, signal: ctx.signal }))
    );
  } catch (err) {
    const ended = await sessions.settle() ?? { error: "the tool was not started" };
    const outcome = killedToolOutcome({
      reason: errorMessage(ctx.signal.aborted ? ctx.signal.reason : err),
      cancelled: ctx.signal.aborted,
      app: te.app,
      before,
      after: await revisionAfter(inv, tool, ctx.signal),
      sessions: ended,
      waitMs: END_WAIT_MS
    });
    await finish(outcome.status, outcome.error, outcome.revisionAfter);
    throw ctx.signal.aborted ? new CancelledError(outcome.error) : new UserError(outcome.error);
  }
  const after = await revisionAfter(inv, tool, ctx.signal);
  const revision = "revision" in after ? after.revision : void 0;
  if (r.code !== 0) {
    const error = `${m.tool} failed (${exitText(r)}): ${errorLine(r.stderr)}`;
    await finish("failed", error, revision);
    throw new UserError(error);
  }
  if (revision === void 0 && tool.current) {
    const error = `${m.tool} succeeded, but the revision after could not be read: ${"error" in after ? after.error : ""}`;
    await finish("applied", error);
    throw new UserError(error);
  }
  await finish("applied", void 0, revision ?? "");
  runner.setOutput("migration-id", record.id);
  log.info(`migrated: ${before || "(none)"} \u2192 ${record.revisionAfter || "(none)"}`);
}
function migrationPlanSummary(tool, sql, findings) {
  return buildSummary((doc) => {
    doc.heading("Migration plan", 3);
    doc.paragraph(
      `${tool}: ${findings.length} destructive statement${findings.length === 1 ? "" : "s"} in the SQL the upgrade would run`
    );
    if (findings.length > 0)
      doc.list(
        findings.map(
          (f) => inline.join(["\u26A0\uFE0F ", inline.bold(f.kind), ` (line ${f.line}): `, inline.code(f.statement)], "")
        )
      );
    doc.details(`SQL the upgrade would run (${tool})`, sql.trim());
  });
}
async function assertBackupIntact(t, dir, id, signal) {
  const text = await readText(t, `${dir}/${id}.json`);
  if (text === void 0) throw new UserError(`backup ${id} is not found in ${dir}; refusing to migrate`);
  const loose = (() => {
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  })();
  if (loose.verified !== true) throw new UserError(`backup ${id} is not verified; refusing to migrate`);
  let meta;
  try {
    meta = parseBackupMeta(text);
  } catch (err) {
    throw new UserError(
      `backup ${id}: its metadata ${dir}/${id}.json is not valid (${errorMessage(err)}); refusing to migrate`
    );
  }
  let hex;
  try {
    hex = await fileSha256(t, `${dir}/${meta.file}`, signal);
  } catch (err) {
    throw new UserError(`backup ${id}: its dump cannot be read (${errorMessage(err)}); refusing to migrate`);
  }
  if (hex !== meta.sha256) {
    throw new UserError(
      `backup ${id}: its dump changed since it was verified (sha256 ${hex.slice(0, 12)}\u2026, recorded ${meta.sha256.slice(0, 12)}\u2026); refusing to migrate: take a new backup`
    );
  }
}
export {
  migrationPlanSummary,
  runMigrate
};
