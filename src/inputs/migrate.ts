import { backupIdInput, commonInputs, lockWaitInput } from './common.js';
import { VERSION } from './deploy.js';
import { type InputSpec, zBool, zPattern } from './spec.js';

export const migrateInputs = {
  ...commonInputs,
  'backup-id': backupIdInput,
  'allow-without-backup': {
    description: 'Run without a verified backup (not recommended)',
    default: 'false',
    schema: zBool,
  },
  version: {
    description: 'The image tag to run the tool from, when migrate.service names a service of the engine driver',
    schema: zPattern(VERSION, 'expected an image tag: letters, digits, "_", "." and "-", at most 128'),
  },
  'lock-wait': lockWaitInput,
} satisfies Record<string, InputSpec>;
