/** The declaration of rollback: name, summary, inputs; the step loads when it runs. */
import { rollbackInputs } from '../../inputs/rollback.js';
import { defineAction } from '../module.js';

export const rollbackAction = defineAction({
  name: 'rollback',
  title: 'Rollback',
  verdicts: { ok: 'rolled back', failed: 'failed' },
  summary: 'Restore a recorded release (default: the one before the live one): image, traffic, migration, database',
  inputs: rollbackInputs,
  locks: true,
  main: async (run) => (await import('../rollback.js')).runRollback(run),
});
