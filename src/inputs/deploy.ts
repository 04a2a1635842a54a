import { backupIdInput, commonInputs, deploymentInput, lockWaitInput, registryInputs } from './common.js';
import { zEnvOverrides } from './env-overrides.js';
import { type InputSpec, zBool, zList, zOneOf, zPattern } from './spec.js';

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
  env: {
    description:
      'Plain environment values for this release, one NAME=value per line (every deployed service) or service.NAME=value (one service), over services.<name>.env: e.g. a feature-flag killswitch, deployed as a release of its own (same version, new containers, health-gated, journaled, rolled back like any release). NOT for secrets: the values are printed and recorded in the journal (secret-env, port-env and the version variable are refused). They stay in force for later deploys until env-reset: true',
    schema: zEnvOverrides,
  },
  'env-reset': {
    description:
      "Drop the env values earlier releases set for the deployed services (they carry over until then): the config's env again, plus this run's env lines",
    default: 'false',
    schema: zBool,
  },
  'lock-wait': lockWaitInput,
  'backup-id': backupIdInput,
  deployment: deploymentInput,
  ...registryInputs,
} satisfies Record<string, InputSpec>;
