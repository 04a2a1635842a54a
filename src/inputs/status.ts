import * as z from 'zod/mini';
import { commonInputs } from './common.js';
import type { InputSpec } from './spec.js';

/** `runbook status`. */
export const statusInputs = { ...commonInputs } satisfies Record<string, InputSpec>;

/** `runbook unlock --reason …`. */
export const unlockInputs = {
  ...commonInputs,
  reason: {
    description: 'Why the lock is removed (logged with the lease it removes)',
    required: true,
    schema: z.string().check(z.minLength(3, 'expected a short reason')),
  },
} satisfies Record<string, InputSpec>;
