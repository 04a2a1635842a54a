/** The declaration of pipeline: name, summary, inputs; the step loads when it runs. */
import { pipelineInputs } from '../../inputs/pipeline.js';
import { defineAction } from '../module.js';

export const pipelineAction = defineAction({
  name: 'pipeline',
  title: 'Pipeline',
  verdicts: { ok: 'deployed', failed: 'failed' },
  summary: 'The whole pipeline (the root action): check, backup, migrate, deploy, smoke test; rollback on failure',
  inputs: pipelineInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import('../pipeline.js')).runPipeline(run),
});
