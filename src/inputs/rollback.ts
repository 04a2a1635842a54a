import * as z from 'zod/mini';
import { ROLLBACK_SCOPES } from '../rollback/scopes.js';
import { commonInputs, incidentIssueInput, lockWaitInput, registryInputs, zReason } from './common.js';
import { type InputSpec, zBool, zPattern } from './spec.js';

/** A release id as the deploy action makes them: `20261123T131500Z-v2`. */
export const RELEASE_ID = /^\d{8}T\d{6}Z-[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `image,migration`: a comma- or space-separated list of rollback scopes. */
export const zScope = z.pipe(
  z.string(),
  z.transform((v: string, ctx): string[] => {
    const list = v.split(/[\s,]+/).filter((s) => s !== '');
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', message, input: v });
      return z.NEVER;
    };
    if (list.length === 0) return fail(`expected one or more of ${ROLLBACK_SCOPES.join(', ')}`);
    if (!list.every((s) => (ROLLBACK_SCOPES as readonly string[]).includes(s)))
      return fail(`expected a comma-separated list of ${ROLLBACK_SCOPES.join(', ')}`);
    return list;
  }),
);

export const rollbackInputs = {
  ...commonInputs,
  'release-id': {
    description:
      "The release to restore (e.g. the deploy action's previous-release-id output); default: the release that was live before the live one",
    schema: zPattern(RELEASE_ID, 'expected a release id like 20261123T131500Z-v2 (see: runbook status)'),
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
    schema: zReason,
  },
  'lock-wait': lockWaitInput,
  'deployment-id': {
    description:
      "The GitHub deployment of the release rolled back from (the deploy action's deployment-id output): marked failure, and the restored release is recorded as the environment's active deployment; needs github-token with deployments: write",
    schema: zPattern(/^[1-9]\d{0,18}$/, 'expected a GitHub deployment id (a positive number)'),
  },
  'incident-issue': incidentIssueInput(false),
  ...registryInputs,
} satisfies Record<string, InputSpec>;
