/** The declaration of deploy: name, summary, inputs; the step loads when it runs. */
import { deployInputs } from '../../inputs/deploy.js';
import { defineAction } from '../module.js';

export const deployAction = defineAction({
  name: 'deploy',
  title: 'Deploy',
  verdicts: { ok: 'deployed', failed: 'failed' },
  summary: 'Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time',
  inputs: deployInputs,
  locks: true,
  main: async (run) => (await import('../deploy.js')).runDeploy(run),
});
