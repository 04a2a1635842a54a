import { z } from 'zod';
import { zDuration } from '../config/units.js';
import { commonInputs } from './common.js';
import type { InputSpec } from './spec.js';

/** An image tag, as Docker defines it: no shell metacharacters, no leading "-" or ".", at most 128 characters. */
export const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const zList = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter((s) => s !== ''))
  .refine((l) => l.every((s) => /^[a-z0-9][a-z0-9_-]{0,62}$/.test(s)), 'expected service names separated by commas');

/** Inputs of the actions that change a deployment (deploy; later rollback). */
export const deployInputs = {
  ...commonInputs,
  version: {
    description: 'The image tag to deploy (letters, digits, "_", ".", "-"; at most 128 characters)',
    required: true,
    schema: z
      .string()
      .regex(
        VERSION,
        'expected an image tag: letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"',
      ),
  },
  services: {
    description: 'Deploy only these services (comma-separated); default: every service',
    schema: zList,
  },
  strategy: {
    description: 'Override strategy.type for this run: recreate or rolling',
    schema: z.enum(['recreate', 'rolling'], { error: 'expected recreate or rolling' }),
  },
  'lock-wait': {
    description: 'How long to wait for another deploy of the same environment to finish',
    default: '10m',
    schema: zDuration,
  },
  'backup-id': {
    description:
      "The verified backup taken before this release (the backup action's backup-id): recorded in the journal, kept by retention, restored by rollback scope database",
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'expected a backup id like shop-production-20261123T131500Z-abc1234'),
  },
  'registry-username': { description: 'Registry user for pulling images', schema: z.string() },
  'registry-password': { description: 'Registry password or token (masked)', secret: true, schema: z.string() },
} satisfies Record<string, InputSpec>;
