import { z } from 'zod';
import { BACKUP_ID } from '../backup/meta.js';
import { commonInputs } from './common.js';
import type { InputSpec } from './spec.js';

const zId = z
  .string()
  .regex(BACKUP_ID, 'expected a backup id like shop-production-20261123T131500Z-1a2b3c4 (see: runbook backup list)');

/** Inputs of the backup action. */
export const backupInputs = {
  ...commonInputs,
  download: {
    description:
      'Also stream the backup to this path on the runner (a file, or a directory to keep its name), e.g. for actions/upload-artifact; its sha256 is checked',
    schema: z.string().refine((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
} satisfies Record<string, InputSpec>;

/** `runbook backup list`. */
export const backupListInputs = { ...commonInputs } satisfies Record<string, InputSpec>;

/** `runbook backup verify <id>`: verify an existing backup again (sha256, then the configured method). */
export const backupVerifyInputs = {
  ...commonInputs,
  id: { description: 'The backup to verify', required: true, schema: zId },
} satisfies Record<string, InputSpec>;

/** `runbook backup restore <id> --confirm <database>`. */
export const backupRestoreInputs = {
  ...commonInputs,
  id: { description: 'The backup to restore', required: true, schema: zId },
  confirm: {
    description: 'The configured database name, typed again: the restore replaces its contents',
    required: true,
    schema: z.string(),
  },
} satisfies Record<string, InputSpec>;
