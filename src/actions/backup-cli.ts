/** Terminal commands over existing backups: `runbook backup list | verify <id> | restore <id> --confirm <db>`. */
import { formatBytes } from '../backup/create.js';
import type { BackupMeta } from '../backup/meta.js';
import { restoreBackup, reverifyBackup } from '../backup/restore.js';
import { pinnedByJournal } from '../backup/retention.js';
import { formatDuration } from '../config/units.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { backupListInputs, backupRestoreInputs, backupVerifyInputs } from '../inputs/backup.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { backupSiteOf } from '../session/sites.js';
import type { ActionRun } from './module.js';

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

/** `runbook backup list`: the backups of an environment, verified, size, age, and why each is kept. */
export async function runBackupList(ctx: ActionRun<ParsedInputs<typeof backupListInputs>>): Promise<void> {
  const site = await backupSiteOf(await ctx.session(), ctx);
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
  ctx.runner.setOutput('backups', JSON.stringify(backups));
}

/** `runbook backup verify <id>`: sha256, then the configured verify method, again. */
export async function runBackupVerify(ctx: ActionRun<ParsedInputs<typeof backupVerifyInputs>>): Promise<void> {
  const { inputs } = ctx;
  const site = await backupSiteOf(await ctx.session(), ctx);
  const meta = await site.store.find(inputs.id);
  const method = site.backup.verify;
  const good = await ctx.log.group(`Verify ${meta.id} (${method})`, () =>
    reverifyBackup({ pg: site.pg, store: site.store, clock: ctx.clock }, meta, method),
  );
  ctx.log.info(`backup ${good.id} is verified (${method})`);
  ctx.runner.setOutput('verified', 'true');
}

/** `runbook backup restore <id> --confirm <database>`: restore over the database, after a safety backup. */
export async function runBackupRestore(ctx: ActionRun<ParsedInputs<typeof backupRestoreInputs>>): Promise<void> {
  const { inputs } = ctx;
  const site = await backupSiteOf(await ctx.session(), ctx);
  const database = site.database.name;
  if (inputs.confirm !== database) {
    throw new ConfigError(
      `refusing to restore: the restore replaces the contents of database ${database}; confirm with --confirm ${database}`,
    );
  }
  const meta = await site.store.find(inputs.id);
  // It replaces the database: no deploy, migration or rollback of the environment may run meanwhile.
  await (await ctx.session()).lock(ctx, inputs['lock-wait']);
  const { pg, store, backup } = site;
  const result = await restoreBackup({ pg, store, clock: ctx.clock, onCleanup: ctx.onCleanup }, meta, {
    format: backup.format,
    gzip: backup.gzip,
    verify: backup.verify,
    tag: 'pre-restore',
    gitSha: ctx.runner.env.GITHUB_SHA,
  });
  for (const d of result.differences) ctx.log.warn(`after the restore: ${d}`);
  ctx.log.info(`restored ${meta.id} into ${database}; the state before is in ${result.safety.meta.id}`);
  ctx.runner.setOutput('restored-id', meta.id);
  ctx.runner.setOutput('safety-backup-id', result.safety.meta.id);
}
