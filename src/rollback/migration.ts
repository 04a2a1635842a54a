import type { ActionContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { errorLine } from '../core/stderr.js';
import type { MigrationRecord } from '../deploy/journal.js';
import { currentRevision, type OpenedMigration } from '../migrate/open.js';
import { exitText } from '../transports/exit-status.js';

/**
 * What the migration scope would run, reading only: the current revision, and the tool's down argv to `revision`
 * (none when the schema is already there). Throws the refusals (no down command, a downgrade the journal does not
 * vouch for, one the tool cannot do safely). The dry run prints this; `downgradeTo` runs it.
 */
export async function planDowngrade(
  ctx: Pick<ActionContext, 'signal'>,
  opened: OpenedMigration,
  revision: string,
  records: readonly MigrationRecord[],
): Promise<{ before: string; argv?: string[] }> {
  const { tool, inv, m } = opened;
  const downgrade = tool.downgrade;
  if (!downgrade) throw new UserError(noDowngrade(m.tool));
  const before = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && before === revision) return { before };
  checkDowngrade(m.tool, tool, revision, before, records);
  return { before, argv: downgrade(revision, tool.current ? before : undefined) };
}

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
  const { before, argv } = await planDowngrade(ctx, opened, revision, records);
  if (!argv) {
    ctx.log.info(`the schema is already at ${revision || '(none)'}`);
    return { before, after: before };
  }
  ctx.log.info(
    `downgrading ${before || '(unknown)'} → ${revision || '(none)'} (undoing ${records.map((r) => `${r.id}: ${r.revisionBefore || '(none)'} → ${r.revisionAfter ?? '?'}`).join(', ')})`,
  );
  const r = await ctx.log.group(`Downgrading with ${m.tool} via ${inv.describe}`, () =>
    inv.run(argv, { timeoutMs: m['statement-timeout'] + 60_000, signal: ctx.signal }),
  );
  if (r.code !== 0) throw new UserError(`${m.tool} downgrade failed (${exitText(r)}): ${errorLine(r.stderr)}`);
  const after = await currentRevision(inv, tool, ctx.signal);
  if (tool.current && after !== revision) {
    throw new UserError(`after the downgrade the schema is at ${after || '(none)'}, not ${revision || '(none)'}`);
  }
  return { before, after };
}

/**
 * Refuse a downgrade the journal does not vouch for: to no migration at all when no recorded migration left that
 * state (an entry without a revision, e.g. from a tool whose output was not read), and, for a tool that undoes the
 * last migrate run (knex), unless exactly one recorded run took the schema from `revision` to where it is now.
 */
function checkDowngrade(
  name: string,
  tool: OpenedMigration['tool'],
  revision: string,
  before: string,
  records: readonly MigrationRecord[],
): void {
  if (tool.current && revision === '' && !records.some((r) => r.revisionAfter)) {
    throw new UserError(
      `the journal records no revision for ${records.map((r) => r.id).join(', ')}, so it cannot tell what to undo: not downgrading ${name} to no migration at all; roll the schema back by hand`,
    );
  }
  if (!tool.undoesLastRun || revision === '') return;
  const moved = records.filter((r) => r.revisionAfter !== undefined && r.revisionAfter !== r.revisionBefore);
  const [run] = moved;
  if (moved.length !== 1 || run?.revisionBefore !== revision || run.revisionAfter !== before) {
    throw new UserError(
      `${name} rolls back the last migrate run only, and the journal does not show one run from ${revision} to ${before || '(none)'} (${moved.length} runs changed the schema): roll back by hand, one batch at a time, until the current version is ${revision}`,
    );
  }
}

export function noDowngrade(tool: string): string {
  return `${tool} has no down migrations configured (database.migrate); roll the schema back with scope database and restore-database: true`;
}
