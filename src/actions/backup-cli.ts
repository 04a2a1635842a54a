/** Terminal commands over existing backups: `runbook backup list | verify <id> | restore <id> --confirm <db>`. */
import { formatBytes } from '../backup/create.js';
import type { BackupMeta } from '../backup/meta.js';
import { restoreBackup, reverifyBackup } from '../backup/restore.js';
import { pinnedByJournal } from '../backup/retention.js';
import { openBackupSite } from '../backup/site.js';
import { formatDuration } from '../config/units.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { backupListInputs, backupRestoreInputs, backupVerifyInputs } from '../inputs/backup.js';
import { parseInputs } from '../inputs/spec.js';

/** One table row per backup, newest last. */
export function backupTable(backups: BackupMeta[], now: Date, pinned: ReadonlyMap<string, string>): string[] {
  const header = `${'ID'.padEnd(52)} ${'VERIFIED'.padEnd(16)} ${'SIZE'.padStart(10)}  ${'AGE'.padEnd(8)} NOTE`;
  return [
    header,
    ...backups.map((b) => {
      const verified = b.verified ? `yes (${b.verifyMethod})` : 'NO';
      const age = formatDuration(now.getTime() - Date.parse(b.created));
      const release = pinned.get(b.id);
      const note = [release ? `kept: named by ${release}` : '', b.error ?? ''].filter((x) => x).join('; ');
      return `${b.id.padEnd(52)} ${verified.padEnd(16)} ${formatBytes(b.size).padStart(10)}  ${age.padEnd(8)} ${note}`;
    }),
  ];
}

export async function runBackupList(ctx: ActionContext): Promise<void> {
  const inputs = parseInputs(ctx.host, ctx.log, backupListInputs);
  const site = await openBackupSite(ctx, inputs);
  const { backups, problems } = await site.store.list();
  for (const p of problems) ctx.log.warn(p);
  const pinned = await site.journal.read().then(pinnedByJournal, (err: unknown) => {
    ctx.log.warn(`cannot read the journal: ${errorMessage(err)}`);
    return new Map<string, string>();
  });
  ctx.log.info(
    `${backups.length} backup${backups.length === 1 ? '' : 's'} of ${site.config.app}/${site.environment} in ${site.store.dir}:`,
  );
  for (const line of backupTable(backups, ctx.clock.now(), pinned)) ctx.log.info(line);
  ctx.host.setOutput('backups', JSON.stringify(backups));
}

export async function runBackupVerify(ctx: ActionContext): Promise<void> {
  const inputs = parseInputs(ctx.host, ctx.log, backupVerifyInputs);
  const site = await openBackupSite(ctx, inputs);
  const meta = await site.store.find(inputs.id);
  const method = site.backup.verify;
  const good = await ctx.log.group(`Verify ${meta.id} (${method})`, () =>
    reverifyBackup({ pg: site.pg, store: site.store, clock: ctx.clock }, meta, method),
  );
  ctx.log.info(`backup ${good.id} is verified (${method})`);
  ctx.host.setOutput('verified', 'true');
}

export async function runBackupRestore(ctx: ActionContext): Promise<void> {
  const inputs = parseInputs(ctx.host, ctx.log, backupRestoreInputs);
  const site = await openBackupSite(ctx, inputs);
  const database = site.database.name;
  if (inputs.confirm !== database) {
    throw new ConfigError(
      `refusing to restore: the restore replaces the contents of database ${database}; confirm with --confirm ${database}`,
    );
  }
  const meta = await site.store.find(inputs.id);
  const { pg, store, backup } = site;
  const result = await restoreBackup({ pg, store, clock: ctx.clock, onCleanup: ctx.onCleanup }, meta, {
    format: backup.format,
    gzip: backup.gzip,
    verify: backup.verify,
    tag: 'pre-restore',
    gitSha: ctx.host.env.GITHUB_SHA,
  });
  for (const d of result.differences) ctx.log.warn(`after the restore: ${d}`);
  ctx.log.info(`restored ${meta.id} into ${database}; the state before is in ${result.safety.meta.id}`);
  ctx.host.setOutput('restored-id', meta.id);
  ctx.host.setOutput('safety-backup-id', result.safety.meta.id);
}
