/** The declaration of maintenance: name, summary, inputs; the step loads when it runs. */
import { maintenanceInputs } from '../../inputs/maintenance.js';
import { defineAction } from '../module.js';

export const maintenanceAction = defineAction({
  name: 'maintenance',
  title: 'Maintenance',
  verdicts: { ok: 'done', failed: 'failed' },
  summary: 'Maintenance mode: runbook maintenance on|off points the nginx upstream at a 503 page and back',
  inputs: maintenanceInputs,
  locks: true,
  main: async (run) => (await import('../maintenance.js')).runMaintenance(run),
});
