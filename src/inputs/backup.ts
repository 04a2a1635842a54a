import { commonInputs, lockWaitInput, zBackupId } from './common.js';
import { type InputSpec, zText } from './spec.js';

/** Inputs of the backup action. */
export const backupInputs = {
  ...commonInputs,
  download: {
    description:
      'Also stream the backup to this path on the runner (a file, or a directory to keep its name), e.g. for actions/upload-artifact; its sha256 is checked',
    schema: zText((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
} satisfies Record<string, InputSpec>;

/** `runbook backup list`. */
export const backupListInputs = { ...commonInputs } satisfies Record<string, InputSpec>;

/** `runbook backup verify <id>`: verify an existing backup again (sha256, then the configured method). */
export const backupVerifyInputs = {
  ...commonInputs,
  id: { description: 'The backup to verify', required: true, schema: zBackupId },
} satisfies Record<string, InputSpec>;

/** `runbook backup restore <id> --confirm <database>`. */
export const backupRestoreInputs = {
  ...commonInputs,
  id: { description: 'The backup to restore', required: true, schema: zBackupId },
  confirm: {
    description: 'The configured database name, typed again: the restore replaces its contents',
    required: true,
    schema: zText(() => true, 'expected text'),
  },
  'lock-wait': lockWaitInput,
} satisfies Record<string, InputSpec>;
