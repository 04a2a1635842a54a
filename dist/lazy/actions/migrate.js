import {
  currentRevision,
  openMigration
} from "../chunks/chunk-RS3635SZ.js";
import {
  migrationSiteOf
} from "../chunks/chunk-EESJHM37.js";
import "../chunks/chunk-PO22WWSI.js";
import {
  toRemoteCommand
} from "../chunks/chunk-HFIWHNBU.js";
import {
  putMigration
} from "../chunks/chunk-GG3SQZ3I.js";
import {
  errorLine
} from "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-MIAGCR4I.js";
import {
  readText
} from "../chunks/chunk-KAQYLHIX.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-PDEXDIYD.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/migrate.ts
import { randomBytes } from "node:crypto";

// src/migrate/destructive.ts
function code(sql) {
  return sql.replace(/--[^\n]*/g, (m) => " ".repeat(m.length)).replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, (m) => m.replace(/[^\n]/g, " ")).replace(/'(?:[^']|'')*'/g, (m) => m.replace(/[^\n]/g, " "));
}
var RULES = [
  ["DROP TABLE", /^\s*DROP\s+TABLE\b/i],
  ["DROP SCHEMA", /^\s*DROP\s+SCHEMA\b/i],
  ["DROP DATABASE", /^\s*DROP\s+DATABASE\b/i],
  [
    "DROP COLUMN",
    /^\s*ALTER\s+TABLE\b[\s\S]*\bDROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|DEFAULT\b|NOT\b|IDENTITY\b|EXPRESSION\b)\S/i
  ],
  ["ALTER TYPE", /^\s*ALTER\s+TABLE\b[\s\S]*\bALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i],
  ["TRUNCATE", /^\s*TRUNCATE\b/i],
  ["DELETE WITHOUT WHERE", /^\s*DELETE\s+FROM\b(?![\s\S]*\bWHERE\b)/i]
];
function destructiveStatements(sql) {
  const masked = code(sql);
  const findings = [];
  let offset = 0;
  for (const stmt of masked.split(";")) {
    const start = offset;
    offset += stmt.length + 1;
    const rule = RULES.find(([, re]) => re.test(stmt));
    if (!rule) continue;
    const leading = stmt.length - stmt.trimStart().length;
    const line = sql.slice(0, start + leading).split("\n").length;
    const original = sql.slice(start, start + stmt.length).trim().replace(/\s+/g, " ");
    findings.push({
      kind: rule[0],
      statement: original.length > 160 ? `${original.slice(0, 157)}...` : original,
      line
    });
  }
  return findings;
}

// src/actions/migrate.ts
async function runMigrate(ctx) {
  const { log, runner, inputs } = ctx;
  const backupId = inputs["backup-id"];
  if (!inputs["dry-run"] && !backupId && !inputs["allow-without-backup"])
    throw new ConfigError('migrate needs the input "backup-id" of a verified backup (or allow-without-backup: true)');
  const session = await ctx.session();
  const { db, m, tool, te, inv } = await openMigration(await migrationSiteOf(session, ctx), inputs.version);
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
      const r = await inv.run(tool.dryRunSql, { quiet: true, timeoutMs: 3e5, signal: ctx.signal });
      if (r.code !== 0) throw new UserError(`the dry run failed (exit ${r.code}): ${errorLine(r.stderr)}`);
      log.info("SQL the upgrade would run:");
      log.remote(`${m.tool} --sql`, "stdout", r.stdout.endsWith("\n") ? r.stdout : `${r.stdout}
`);
      const findings = destructiveStatements(r.stdout);
      for (const f of findings) log.warn(`destructive statement (${f.kind}) at SQL line ${f.line}: ${f.statement}`);
      runner.setOutput("destructive-statements", String(findings.length));
      await runner.appendSummary(
        [
          `### Migration plan (${m.tool})`,
          "",
          "```sql",
          r.stdout.trim(),
          "```",
          "",
          ...findings.map((f) => `- \u26A0\uFE0F **${f.kind}** (line ${f.line}): \`${f.statement}\``),
          ""
        ].join("\n")
      );
    });
    return;
  }
  await session.lock(ctx, inputs["lock-wait"]);
  const journal = await session.journal();
  const { who } = session;
  if (backupId && !inputs["allow-without-backup"]) {
    const dir = db.backup?.directory ?? "";
    const meta = await readText(await session.primary(), `${dir}/${backupId}.json`);
    const verified = meta ? JSON.parse(meta).verified === true : false;
    if (!verified)
      throw new UserError(
        `backup ${backupId} is ${meta ? "not verified" : `not found in ${dir}`}; refusing to migrate`
      );
    log.info(`backup ${backupId} is verified`);
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
  try {
    const r = await log.group(
      `Migrating with ${m.tool} via ${inv.describe}`,
      () => inv.run(tool.upgrade, { timeoutMs: m["statement-timeout"] + 6e4, signal: ctx.signal })
    );
    if (r.code !== 0) throw new UserError(`${m.tool} failed (exit ${r.code}): ${errorLine(r.stderr)}`);
  } catch (err) {
    record.status = "failed";
    record.error = errorMessage(err);
    record.revisionAfter = await currentRevision(inv, tool, ctx.signal).catch(() => void 0);
    record.finishedAt = ctx.clock.now().toISOString();
    await save();
    runner.setOutput("revision-before", before);
    runner.setOutput("revision-after", record.revisionAfter ?? "");
    throw err;
  }
  record.revisionAfter = await currentRevision(inv, tool, ctx.signal);
  record.status = "applied";
  record.finishedAt = ctx.clock.now().toISOString();
  await save();
  runner.setOutput("revision-before", before);
  runner.setOutput("revision-after", record.revisionAfter);
  runner.setOutput("migration-id", record.id);
  log.info(`migrated: ${before || "(none)"} \u2192 ${record.revisionAfter || "(none)"}`);
}
export {
  runMigrate
};
