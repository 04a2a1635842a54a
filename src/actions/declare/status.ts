/** The declaration of status, unlock: name, summary, inputs; the step loads when it runs. */
import { statusInputs, unlockInputs } from '../../inputs/status.js';
import { defineAction } from '../module.js';

export const statusAction = defineAction({
  name: 'status',
  summary: 'Show the deploy lock and the journal of an environment',
  inputs: statusInputs,
  cliOnly: true,
  main: async (run) => (await import('../status.js')).runStatus(run),
});

export const unlockAction = defineAction({
  name: 'unlock',
  summary: 'Remove a stale deploy lock (--input reason="…")',
  inputs: unlockInputs,
  cliOnly: true,
  main: async (run) => (await import('../status.js')).runUnlock(run),
});
