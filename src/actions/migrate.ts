import { randomBytes } from 'node:crypto';
import { parseBackupMeta } from '../backup/meta.js';
import { fileSha256 } from '../backup/verify.js';
import { CancelledError, ConfigError, errorMessage, UserError } from '../core/errors.js';
import { toRemoteCommand } from '../core/quote.js';
import { errorLine } from '../core/stderr.js';
import { type MigrationRecord, putMigration } from '../deploy/journal.js';
import type { migrateInputs } from '../inputs/migrate.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { END_WAIT_MS, killedToolOutcome, revisionAfter, ToolSessions } from '../migrate/cancel.js';
import { destructiveStatements, type Finding } from '../migrate/destructive.js';
import { currentRevision, openMigration } from '../migrate/open.js';
import { buildSummary, inline } from '../report/summary.js';
import { migrationSiteOf } from '../session/sites.js';
import { exitText } from '../transports/exit-status.js';
import { readText } from '../transports/files.js';
import type { ExecResult, Transport } from '../transports/types.js';
import type { ActionRun } from './module.js';

/** migrate: run the schema migrations with bounded locks, after a verified backup, recorded in the journal. */
export async function runMigrate(ctx: ActionRun<ParsedInputs<typeof migrateInputs>>): Promise<void> {
  const { log, runner, inputs } = ctx;
  const backupId = inputs['backup-id'];
  // Refused on its inputs before anything is opened or locked.
  if (!inputs['dry-run'] && !backupId && !inputs['allow-without-backup'])
    throw new ConfigError('migrate needs the input "backup-id" of a verified backup (or allow-without-backup: true)');
  const session = await ctx.session();
  const { db, m, tool, te, inv, pg } = await openMigration(await migrationSiteOf(session, ctx), inputs.version);

  if (inputs['dry-run']) {
    await log.group(`Plan (dry run): ${m.tool} via ${inv.describe}`, async () => {
      const show = (argv: string[]) => {
        const { argv: full, cwd } = inv.argvFor(argv);
        return toRemoteCommand(full, { cwd, env: te.env });
      };
      log.info(`upgrade: $ ${show(tool.upgrade)}`);
      if (!tool.dryRunSql) {
        log.warn(`${m.tool} cannot print its SQL without running it${tool.note ? ` (${tool.note})` : ''}`);
        return;
      }
      const r = await inv.run(tool.dryRunSql, { quiet: true, timeoutMs: 300_000, signal: ctx.signal });
      if (r.code !== 0) throw new UserError(`the dry run failed (${exitText(r)}): ${errorLine(r.stderr)}`);
      log.info('SQL the upgrade would run:');
      log.remote(`${m.tool} --sql`, 'stdout', r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`);
      const findings = destructiveStatements(r.stdout);
      for (const f of findings) log.warn(`destructive statement (${f.kind}) at SQL line ${f.line}: ${f.statement}`);
      runner.setOutput('destructive-statements', String(findings.length));
      await runner.appendSummary(migrationPlanSummary(m.tool, r.stdout, findings));
    });
    return;
  }

  await session.lock(ctx, inputs['lock-wait']);
  // Registered after the lock: cleanup runs newest first, so a killed tool's sessions end before the lock is freed.
  const sessions = new ToolSessions(pg, te.app, log);
  ctx.onCleanup(async () => {
    await sessions.settle();
  });
  const journal = await session.journal();
  const { who } = session;
  if (backupId && !inputs['allow-without-backup']) {
    await assertBackupIntact(await session.primary(), db.backup?.directory ?? '', backupId, ctx.signal);
    log.info(`backup ${backupId} is verified, and its dump is the one verified (sha256 checked)`);
  } else {
    log.warn('allow-without-backup is set: migrating without a verified backup');
  }

  const before = await currentRevision(inv, tool, ctx.signal);
  const record: MigrationRecord = {
    id: `${ctx.clock
      .now()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`,
    tool: m.tool,
    status: 'in-progress',
    revisionBefore: before,
    backupId,
    actor: who.actor,
    runUrl: who.runUrl,
    startedAt: ctx.clock.now().toISOString(),
  };
  const save = () => journal.update((j) => putMigration(j, record));
  await save();
  log.info(
    `revision before: ${before || '(none)'}; lock_timeout ${m['lock-timeout']}ms, statement_timeout ${m['statement-timeout']}ms`,
  );
  const finish = async (status: MigrationRecord['status'], error?: string, after?: string): Promise<void> => {
    // The journal outlives the run's log masking: an error quoting the tool's output is masked here.
    const masked = error === undefined ? undefined : log.mask(error);
    Object.assign(record, { status, error: masked, revisionAfter: after, finishedAt: ctx.clock.now().toISOString() });
    await save();
    runner.setOutput('revision-before', before);
    runner.setOutput('revision-after', after ?? '');
  };
  let r: ExecResult;
  try {
    r = await log.group(`Migrating with ${m.tool} via ${inv.describe}`, () =>
      sessions.run(() => inv.run(tool.upgrade, { timeoutMs: m['statement-timeout'] + 60_000, signal: ctx.signal })),
    );
  } catch (err) {
    // Killed (cancel, timeout) or lost: end its statement on the server, then see whether the schema moved.
    const ended = (await sessions.settle()) ?? { error: 'the tool was not started' };
    const outcome = killedToolOutcome({
      reason: errorMessage(ctx.signal.aborted ? ctx.signal.reason : err),
      cancelled: ctx.signal.aborted,
      app: te.app,
      before,
      after: await revisionAfter(inv, tool, ctx.signal),
      sessions: ended,
      waitMs: END_WAIT_MS,
    });
    await finish(outcome.status, outcome.error, outcome.revisionAfter);
    throw ctx.signal.aborted ? new CancelledError(outcome.error) : new UserError(outcome.error);
  }
  // Read even after a cancel (then within a short deadline): the journal must say where the schema is.
  const after = await revisionAfter(inv, tool, ctx.signal);
  const revision = 'revision' in after ? after.revision : undefined;
  if (r.code !== 0) {
    const error = `${m.tool} failed (${exitText(r)}): ${errorLine(r.stderr)}`;
    await finish('failed', error, revision);
    throw new UserError(error);
  }
  if (revision === undefined && tool.current) {
    const error = `${m.tool} succeeded, but the revision after could not be read: ${'error' in after ? after.error : ''}`;
    await finish('applied', error);
    throw new UserError(error);
  }
  await finish('applied', undefined, revision ?? '');
  runner.setOutput('migration-id', record.id);
  log.info(`migrated: ${before || '(none)'} → ${record.revisionAfter || '(none)'}`);
}

/**
 * A dry run's job summary section: the SQL the upgrade would run (collapsed, as printed) and each destructive
 * statement in it as a warning. The verdict ("planned") is the header's (../report/verdict.ts).
 */
export function migrationPlanSummary(tool: string, sql: string, findings: readonly Finding[]): string {
  return buildSummary((doc) => {
    doc.heading('Migration plan', 3);
    doc.paragraph(
      `${tool}: ${findings.length} destructive statement${findings.length === 1 ? '' : 's'} in the SQL the upgrade would run`,
    );
    if (findings.length > 0)
      doc.list(
        findings.map((f) =>
          inline.join(['⚠️ ', inline.bold(f.kind), ` (line ${f.line}): `, inline.code(f.statement)], ''),
        ),
      );
    doc.details(`SQL the upgrade would run (${tool})`, sql.trim());
  });
}

/**
 * The migration gate: backup `id` in `dir` on the target was verified, and its dump is still there, byte for byte the
 * one that was verified (its sha256 against the metadata's; a file changed or truncated since the backup step is no
 * backup). Throws UserError saying which, before the migration starts.
 */
async function assertBackupIntact(t: Transport, dir: string, id: string, signal: AbortSignal): Promise<void> {
  const text = await readText(t, `${dir}/${id}.json`);
  if (text === undefined) throw new UserError(`backup ${id} is not found in ${dir}; refusing to migrate`);
  const loose = (() => {
    try {
      return JSON.parse(text) as { verified?: unknown };
    } catch {
      return {};
    }
  })();
  if (loose.verified !== true) throw new UserError(`backup ${id} is not verified; refusing to migrate`);
  let meta: ReturnType<typeof parseBackupMeta>;
  try {
    meta = parseBackupMeta(text);
  } catch (err) {
    throw new UserError(
      `backup ${id}: its metadata ${dir}/${id}.json is not valid (${errorMessage(err)}); refusing to migrate`,
    );
  }
  let hex: string;
  try {
    hex = await fileSha256(t, `${dir}/${meta.file}`, signal);
  } catch (err) {
    throw new UserError(`backup ${id}: its dump cannot be read (${errorMessage(err)}); refusing to migrate`);
  }
  if (hex !== meta.sha256) {
    throw new UserError(
      `backup ${id}: its dump changed since it was verified (sha256 ${hex.slice(0, 12)}…, recorded ${meta.sha256.slice(0, 12)}…); refusing to migrate: take a new backup`,
    );
  }
}
