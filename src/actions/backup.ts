import { createBackup, formatBytes } from '../backup/create.js';
import { downloadBackup } from '../backup/download.js';
import type { BackupMeta } from '../backup/meta.js';
import { applyRetention, pinnedByJournal, type RetentionDecision } from '../backup/retention.js';
import { backupSections, endpointOf, runTag } from '../backup/site.js';
import { pgDumpCommand } from '../commands/postgres.js';
import { errorMessage } from '../core/errors.js';
import type { backupInputs } from '../inputs/backup.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { buildSummary, inline } from '../report/summary.js';
import { backupSiteOf } from '../session/sites.js';
import type { ActionRun } from './module.js';

/** backup: pg_dump on the primary target, proven restorable, recorded, then retention; optionally downloaded. */
export async function runBackup(ctx: ActionRun<ParsedInputs<typeof backupInputs>>): Promise<void> {
  const { log, runner, clock, inputs } = ctx;
  const session = await ctx.session();
  if (inputs['dry-run']) {
    const { config } = session;
    const { database, backup } = backupSections(config);
    const dump = pgDumpCommand(endpointOf(config, database), `${backup.directory}/<temp file>`, backup);
    log.info('Plan (dry run: nothing is changed, no connection is opened):');
    log.info(`  on the first target of ${inputs.environment}: ${dump.argv.join(' ')}`);
    log.info(`  verify: ${backup.verify}; retention: ${JSON.stringify(backup.retention)}`);
    return;
  }
  const site = await backupSiteOf(session, ctx);
  const { pg, store, backup } = site;
  const result = await log.group(`Backup of ${site.database.name} on ${pg.t.name}`, () =>
    createBackup(
      { pg, store, clock, onCleanup: ctx.onCleanup },
      {
        format: backup.format,
        gzip: backup.gzip,
        verify: backup.verify,
        tag: runTag(runner.env),
        gitSha: runner.env.GITHUB_SHA,
      },
    ),
  );
  const { meta, path } = result;
  runner.setOutput('backup-id', meta.id);
  runner.setOutput('path', path);
  runner.setOutput('sha256', meta.sha256);
  runner.setOutput('size-bytes', String(meta.size));
  runner.setOutput('verified', String(meta.verified));
  log.info(`backup ${meta.id} is verified (${meta.verifyMethod}): ${path}`);

  let downloaded: string | undefined;
  if (inputs.download !== undefined) {
    const dest = inputs.download;
    downloaded = await log.group('Download to the runner', () => downloadBackup(pg.t, path, meta, dest, ctx.signal));
    log.info(`downloaded to ${downloaded} (sha256 checked)`);
  }

  const decision = await log.group('Retention', async () => {
    try {
      const pinned = pinnedByJournal(await site.journal.read());
      return await applyRetention(store, backup.retention, pinned, log);
    } catch (err) {
      // The new backup is safe either way; deleting nothing is the safe failure.
      log.warn(`retention skipped: ${errorMessage(err)}`);
      return undefined;
    }
  });
  await runner.appendSummary(backupSummary(meta, path, downloaded, decision));
}

/**
 * The backup's job summary section (the verdict is the header's, ../report/verdict.ts): the backup's id, where it is,
 * its size, checksum, verification, server, rows, the download and the retention decision.
 */
export function backupSummary(
  meta: BackupMeta,
  path: string,
  downloaded: string | undefined,
  decision: RetentionDecision | undefined,
): string {
  const tables = Object.entries(meta.rowCounts);
  const rows = tables.reduce((a, [, n]) => a + n, 0);
  return buildSummary((doc) => {
    doc.heading('Backup', 3);
    doc.table(
      ['', ''],
      [
        ['id', inline.code(meta.id)],
        ['path', inline.code(path)],
        ['size', formatBytes(meta.size)],
        ['sha256', inline.code(meta.sha256)],
        ['verified', meta.verified ? `yes (${meta.verifyMethod})` : 'NO'],
        ['PostgreSQL', meta.serverVersion],
        ['rows', `${rows} in ${tables.length} tables`],
        ...(downloaded ? [['downloaded', inline.code(downloaded)]] : []),
        ...(decision ? [['retention', `kept ${decision.keep.length}, removed ${decision.remove.length}`]] : []),
      ],
    );
  });
}
