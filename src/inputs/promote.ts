import { commonInputs, lockWaitInput, zReason } from './common.js';
import { type InputSpec, zOneOf } from './spec.js';

/** promote / abort: an open canary (paused until promoted, or left by a run that stopped) moved on or taken out. */
export const promoteInputs = {
  ...commonInputs,
  decision: {
    description:
      "promote: run the canary's remaining steps (each judged) and make it the live release; abort: the live release takes all traffic back, the canary is stopped",
    default: 'promote',
    schema: zOneOf(['promote', 'abort'], 'expected promote or abort'),
  },
  reason: {
    description: 'Why (recorded in the journal)',
    schema: zReason,
  },
  'lock-wait': lockWaitInput,
} satisfies Record<string, InputSpec>;

const { decision: _decision, ...abortOnly } = promoteInputs;
/** `runbook abort`: the same step, the decision fixed. */
export const abortInputs = abortOnly satisfies Record<string, InputSpec>;
