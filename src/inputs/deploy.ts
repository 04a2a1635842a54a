import { backupIdInput, commonInputs, lockWaitInput, registryInputs } from './common.js';
import { type InputSpec, zList, zOneOf, zPattern } from './spec.js';

/** An image tag, as Docker defines it: no shell metacharacters, no leading "-" or ".", at most 128 characters. */
export const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const zServices = zList((s) => /^[a-z0-9][a-z0-9_-]{0,62}$/.test(s), 'expected service names separated by commas');

/** Inputs of the actions that change a deployment (deploy; later rollback). */
export const deployInputs = {
  ...commonInputs,
  version: {
    description: 'The image tag to deploy (letters, digits, "_", ".", "-"; at most 128 characters)',
    required: true,
    schema: zPattern(
      VERSION,
      'expected an image tag: letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"',
    ),
  },
  services: {
    description: 'Deploy only these services (comma-separated); default: every service',
    schema: zServices,
  },
  strategy: {
    description: 'Override strategy.type for this run: recreate, rolling, blue-green or canary',
    schema: zOneOf(['recreate', 'rolling', 'blue-green', 'canary'], 'expected recreate, rolling, blue-green or canary'),
  },
  'lock-wait': lockWaitInput,
  'backup-id': backupIdInput,
  ...registryInputs,
} satisfies Record<string, InputSpec>;
