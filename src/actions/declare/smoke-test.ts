/** The declaration of smoke-test: name, summary, inputs; the step loads when it runs. */
import { smokeInputs } from '../../inputs/smoke.js';
import { defineAction } from '../module.js';

export const smokeTestAction = defineAction({
  name: 'smoke-test',
  title: 'Smoke test',
  verdicts: { ok: 'passed', failed: 'failed' },
  summary: 'Check the live release: HTTP checks with JSON assertions, retried until smoke.wait; a latency sample',
  inputs: smokeInputs,
  main: async (run) => (await import('../smoke-test.js')).runSmokeTest(run),
});
