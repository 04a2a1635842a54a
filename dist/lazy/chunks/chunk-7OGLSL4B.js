import {
  destructiveStatements
} from "./chunk-FFUIHGTR.js";
import {
  openMigration
} from "./chunk-ISVV4EDO.js";
import {
  migrationSiteOf
} from "./chunk-XOMS26GA.js";
import {
  errorLine,
  exitText
} from "./chunk-62JVSY2V.js";
import {
  fail,
  pass,
  warn
} from "./chunk-KF7AZP5G.js";
import {
  buildSummary
} from "./chunk-2EYAEJCG.js";
import {
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/actions/pre-deploy-migrations.ts
var CHECK = "pending migration";
async function pendingMigrationCheck(ctx, session, version) {
  try {
    const { m, tool, inv } = await openMigration(await migrationSiteOf(session, ctx), version);
    if (!tool.dryRunSql)
      return { result: warn("*", CHECK, `${m.tool} cannot print its SQL without running it: not reviewed`) };
    const r = await inv.run(tool.dryRunSql, { quiet: true, timeoutMs: 3e5, signal: ctx.signal });
    if (r.code !== 0)
      return { result: fail("*", CHECK, `the ${m.tool} dry run failed (${exitText(r)}): ${errorLine(r.stderr)}`) };
    const sql = r.stdout.trim();
    if (sql === "") return { result: pass("*", CHECK, "none: the schema is up to date") };
    const findings = destructiveStatements(sql);
    const lines = sql.split("\n").length;
    const summary = buildSummary((doc) => {
      doc.heading(`Pending migration (${m.tool})`, 3);
      doc.details(`the SQL the upgrade would run (${lines} lines)`, sql);
      if (findings.length > 0) doc.list(findings.map((f) => `\u26A0\uFE0F ${f.kind} (SQL line ${f.line}): ${f.statement}`));
    });
    if (findings.length === 0)
      return { result: pass("*", CHECK, `${lines} SQL lines, no destructive statement`), summary };
    const shown = findings.slice(0, 3).map((f) => `${f.kind} at line ${f.line}`).join(", ");
    return {
      result: warn(
        "*",
        CHECK,
        `${findings.length} destructive statement(s) in ${lines} SQL lines: ${shown}${findings.length > 3 ? ", \u2026" : ""}`
      ),
      summary
    };
  } catch (err) {
    return { result: fail("*", CHECK, `cannot read the pending migration: ${errorMessage(err)}`) };
  }
}

export {
  pendingMigrationCheck
};
