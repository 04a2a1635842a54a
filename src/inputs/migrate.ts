import { z } from 'zod';
import { zDuration } from '../config/units.js';
import { commonInputs } from './common.js';
import { VERSION } from './deploy.js';
import { type InputSpec, zBool } from './spec.js';

export const migrateInputs = {
  ...commonInputs,
  'backup-id': {
    description: "The verified backup taken before this migration (the backup action's backup-id output)",
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'expected a backup id like shop-production-20261123T131500Z-abc1234'),
  },
  'allow-without-backup': {
    description: 'Run without a verified backup (not recommended)',
    default: 'false',
    schema: zBool,
  },
  version: {
    description: 'The image tag to run the tool from, when migrate.service names a service of the engine driver',
    schema: z.string().regex(VERSION, 'expected an image tag: letters, digits, "_", "." and "-", at most 128'),
  },
  'lock-wait': {
    description: 'How long to wait for another deploy or migration of the same environment',
    default: '10m',
    schema: zDuration,
  },
} satisfies Record<string, InputSpec>;
