import { commonInputs, lockWaitInput, zReason } from './common.js';
import { type InputSpec, zOneOf } from './spec.js';

/** `runbook maintenance on|off` and the maintenance action. */
export const maintenanceInputs = {
  ...commonInputs,
  mode: {
    description:
      'on: point the nginx upstream at the maintenance page (strategy.proxy.nginx.maintenance) and record it in the journal; off: put the upstream back (as it was, or the live release when a deploy ran meanwhile). Both can run twice',
    required: true,
    schema: zOneOf(['on', 'off'], 'expected on or off'),
  },
  reason: {
    description: 'Why (recorded in the journal with "on", shown by status and in the summary), e.g. "schema change"',
    schema: zReason,
  },
  'lock-wait': lockWaitInput,
} satisfies Record<string, InputSpec>;
