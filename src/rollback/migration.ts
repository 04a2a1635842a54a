import type { ActionContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';
import type { MigrationRecord } from '../deploy/journal.js';
import { currentRevision, type OpenedMigration } from '../migrate/open.js';

/**
 * The migration scope: downgrade to `revision` (the one before the oldest migration since the restored release went
 * live) with the tool's own down command, then read the revision back. Nothing to do when it is already there.
 */
export async function downgradeTo(
  ctx: ActionContext,
  opened: OpenedMigration,
  revision: string,
  records: readonly MigrationRecord[],
): Promise<{ before: string; after: string }> {
  const { tool, inv, m } = opened;
  const downgrade = tool.downgrade;
  if (!downgrade) throw new UserError(noDowngrade(m.tool));
  const before = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && before === revision) {
    ctx.log.info(`the schema is already at ${revision || '(none)'}`);
    return { before, after: before };
  }
  ctx.log.info(
    `downgrading ${before || '(unknown)'} → ${revision || '(none)'} (undoing ${records.map((r) => `${r.id}: ${r.revisionBefore || '(none)'} → ${r.revisionAfter ?? '?'}`).join(', ')})`,
  );
  const r = await ctx.log.group(`Downgrading with ${m.tool} via ${inv.describe}`, () =>
    inv.run(downgrade(revision), { timeoutMs: m['statement-timeout'] + 60_000, signal: ctx.signal }),
  );
  if (r.code !== 0) throw new UserError(`${m.tool} downgrade failed (exit ${r.code}): ${errorLine(r.stderr)}`);
  const after = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && after !== revision) {
    throw new UserError(`after the downgrade the schema is at ${after || '(none)'}, not ${revision || '(none)'}`);
  }
  return { before, after };
}

export function noDowngrade(tool: string): string {
  return `${tool} has no down migrations configured (database.migrate); roll the schema back with scope database and restore-database: true`;
}
