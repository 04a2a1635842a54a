/** The declaration of promote and abort (an open canary): name, summary, inputs; the step loads when it runs. */
import { abortInputs, promoteInputs } from '../../inputs/promote.js';
import { defineAction } from '../module.js';

export const promoteAction = defineAction({
  name: 'promote',
  title: 'Promote',
  verdicts: { ok: 'promoted', failed: 'failed' },
  summary: 'Move an open canary on (its remaining steps, each judged) or, with decision abort, take it out',
  inputs: promoteInputs,
  locks: true,
  main: async (run) => (await import('../promote.js')).runPromote(run, run.inputs.decision),
});

export const abortAction = defineAction({
  name: 'abort',
  title: 'Canary abort',
  verdicts: { ok: 'aborted', failed: 'failed' },
  summary: 'Take an open canary out: the live release takes all traffic back, the canary is stopped',
  inputs: abortInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import('../promote.js')).runPromote(run, 'abort'),
});
