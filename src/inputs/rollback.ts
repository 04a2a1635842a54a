import { z } from 'zod';
import { ROLLBACK_SCOPES } from '../rollback/plan.js';
import { commonInputs, lockWaitInput, registryInputs } from './common.js';
import { type InputSpec, zBool } from './spec.js';

/** A release id as the deploy action makes them: `20261123T131500Z-v2`. */
export const RELEASE_ID = /^\d{8}T\d{6}Z-[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `image,migration`: a comma- or space-separated list of rollback scopes. */
export const zScope = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter((s) => s !== ''))
  .refine((l) => l.length > 0, `expected one or more of ${ROLLBACK_SCOPES.join(', ')}`)
  .refine(
    (l) => l.every((s) => (ROLLBACK_SCOPES as readonly string[]).includes(s)),
    `expected a comma-separated list of ${ROLLBACK_SCOPES.join(', ')}`,
  );

export const rollbackInputs = {
  ...commonInputs,
  'release-id': {
    description:
      "The release to restore (e.g. the deploy action's previous-release-id output); default: the release that was live before the live one",
    schema: z.string().regex(RELEASE_ID, 'expected a release id like 20261123T131500Z-v2 (see: runbook status)'),
  },
  scope: {
    description:
      'What to roll back, comma-separated: image (containers and nginx upstream), traffic (the upstream only), migration (downgrade to the revision before), database (restore the pre-deploy backup; needs restore-database)',
    default: 'image',
    schema: zScope,
  },
  'restore-database': {
    description:
      'Confirms the database scope: restore the pre-deploy backup (after a safety backup); every write since that backup is lost',
    default: 'false',
    schema: zBool,
  },
  smoke: {
    description: 'Run the smoke checks (smoke: in the config) against the restored release',
    default: 'true',
    schema: zBool,
  },
  reason: {
    description: 'Why (recorded in the journal), e.g. "smoke test failed"',
    schema: z
      .string()
      .max(500, 'expected at most 500 characters')
      .refine((v) => !/[\0\r\n]/.test(v), 'expected one line'),
  },
  'lock-wait': lockWaitInput,
  ...registryInputs,
} satisfies Record<string, InputSpec>;
