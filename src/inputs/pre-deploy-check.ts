import { commonInputs } from './common.js';
import { deployInputs } from './deploy.js';
import { type InputSpec, zBool, zOneOf } from './spec.js';

/** Inputs of pre-deploy-check. */
export const preDeployCheckInputs = {
  ...commonInputs,
  'fail-on': {
    description: 'Fail the step on "error" (failed checks) or on "warning" (warnings too)',
    default: 'error',
    schema: zOneOf(['error', 'warning'], 'expected error or warning'),
  },
  'pending-migration': {
    description:
      "Show the pending migration: the SQL the migration tool's dry run prints (in the job summary) and each destructive statement as a warning; needs the database password variable",
    default: 'false',
    schema: zBool,
  },
  version: {
    description:
      'The image tag about to be deployed: needed by pending-migration when the migration runs in a one-off container of the new image (migrate.service)',
    schema: deployInputs.version.schema,
  },
} satisfies Record<string, InputSpec>;
