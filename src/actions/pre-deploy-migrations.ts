/**
 * pre-deploy-check's look at the pending migration: the SQL the migration tool says the upgrade would run (its dry
 * run, read-only), and every destructive statement in it (../migrate/destructive.ts) as a warning, so a reviewer
 * sees a DROP before it runs. The SQL goes to the job summary; a tool that cannot print its SQL is a warning too.
 */
import type { CheckResult } from '../checks/types.js';
import { fail, pass, warn } from '../checks/types.js';
import { errorMessage } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';
import { destructiveStatements } from '../migrate/destructive.js';
import { openMigration } from '../migrate/open.js';
import { buildSummary } from '../report/summary.js';
import type { EnvironmentSession } from '../session/session.js';
import { migrationSiteOf } from '../session/sites.js';
import { exitText } from '../transports/exit-status.js';
import type { ActionRun } from './module.js';

const CHECK = 'pending migration';

/** The check, and the SQL for the summary (undefined: none to show). */
export async function pendingMigrationCheck(
  ctx: ActionRun<unknown>,
  session: EnvironmentSession,
  version: string | undefined,
): Promise<{ result: CheckResult; summary?: string }> {
  try {
    const { m, tool, inv } = await openMigration(await migrationSiteOf(session, ctx), version);
    if (!tool.dryRunSql)
      return { result: warn('*', CHECK, `${m.tool} cannot print its SQL without running it: not reviewed`) };
    const r = await inv.run(tool.dryRunSql, { quiet: true, timeoutMs: 300_000, signal: ctx.signal });
    if (r.code !== 0)
      return { result: fail('*', CHECK, `the ${m.tool} dry run failed (${exitText(r)}): ${errorLine(r.stderr)}`) };
    const sql = r.stdout.trim();
    if (sql === '') return { result: pass('*', CHECK, 'none: the schema is up to date') };
    const findings = destructiveStatements(sql);
    const lines = sql.split('\n').length;
    const summary = buildSummary((doc) => {
      doc.heading(`Pending migration (${m.tool})`, 3);
      doc.details(`the SQL the upgrade would run (${lines} lines)`, sql);
      if (findings.length > 0) doc.list(findings.map((f) => `⚠️ ${f.kind} (SQL line ${f.line}): ${f.statement}`));
    });
    if (findings.length === 0)
      return { result: pass('*', CHECK, `${lines} SQL lines, no destructive statement`), summary };
    const shown = findings
      .slice(0, 3)
      .map((f) => `${f.kind} at line ${f.line}`)
      .join(', ');
    return {
      result: warn(
        '*',
        CHECK,
        `${findings.length} destructive statement(s) in ${lines} SQL lines: ${shown}${findings.length > 3 ? ', …' : ''}`,
      ),
      summary,
    };
  } catch (err) {
    return { result: fail('*', CHECK, `cannot read the pending migration: ${errorMessage(err)}`) };
  }
}
