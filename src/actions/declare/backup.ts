/** The declaration of backup, backup-list, backup-verify, backup-restore: name, summary, inputs; the step loads when it runs. */
import { backupInputs, backupListInputs, backupRestoreInputs, backupVerifyInputs } from '../../inputs/backup.js';
import { defineAction } from '../module.js';

export const backupAction = defineAction({
  name: 'backup',
  title: 'Backup',
  verdicts: { ok: 'backed up', failed: 'failed' },
  summary: 'Back up the database (pg_dump), prove it restorable, record it, apply retention',
  inputs: backupInputs,
  main: async (run) => (await import('../backup.js')).runBackup(run),
});

export const backupListAction = defineAction({
  name: 'backup-list',
  summary: 'List the backups of an environment (runbook backup list): verified, size, age',
  inputs: backupListInputs,
  cliOnly: true,
  main: async (run) => (await import('../backup-cli.js')).runBackupList(run),
});

export const backupVerifyAction = defineAction({
  name: 'backup-verify',
  title: 'Backup verify',
  verdicts: { ok: 'passed', failed: 'failed' },
  summary: 'Verify a backup again: runbook backup verify <id> (sha256, then restore or list)',
  inputs: backupVerifyInputs,
  cliOnly: true,
  main: async (run) => (await import('../backup-cli.js')).runBackupVerify(run),
});

export const backupRestoreAction = defineAction({
  name: 'backup-restore',
  title: 'Backup restore',
  verdicts: { ok: 'restored', failed: 'failed' },
  summary: 'Restore a backup over the database: runbook backup restore <id> --confirm <database>',
  inputs: backupRestoreInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import('../backup-cli.js')).runBackupRestore(run),
});
