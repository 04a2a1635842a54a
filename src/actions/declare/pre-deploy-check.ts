/** The declaration of pre-deploy-check: name, summary, inputs; the step loads when it runs. */
import { preDeployCheckInputs } from '../../inputs/pre-deploy-check.js';
import { defineAction } from '../module.js';

export const preDeployCheckAction = defineAction({
  name: 'pre-deploy-check',
  title: 'Pre-deploy check',
  verdicts: { ok: 'passed', failed: 'refused' },
  summary: 'Check config, hosts (reachable, disk, docker, compose), secrets and deploy windows',
  inputs: preDeployCheckInputs,
  main: async (run) => (await import('../pre-deploy-check.js')).runPreDeployCheck(run),
});
