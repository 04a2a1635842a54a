import { commonInputs } from './common.js';
import { type InputSpec, zOneOf } from './spec.js';

/** Inputs of pre-deploy-check. */
export const preDeployCheckInputs = {
  ...commonInputs,
  'fail-on': {
    description: 'Fail the step on "error" (failed checks) or on "warning" (warnings too)',
    default: 'error',
    schema: zOneOf(['error', 'warning'], 'expected error or warning'),
  },
} satisfies Record<string, InputSpec>;
