import { z } from 'zod';
import { environmentOf, loadConfig } from '../config/loader.js';
import { zDuration } from '../config/units.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError, UserError } from '../core/errors.js';
import { commonInputs } from '../inputs/common.js';
import { type InputSpec, parseInputs } from '../inputs/spec.js';
import { checkSmokeSecrets, runSmokeSuite, smokeSummary } from '../smoke/suite.js';

export const smokeInputs = {
  ...commonInputs,
  url: {
    description: 'Base URL for relative check URLs (default: the environment url from the config)',
    schema: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  },
  wait: {
    description: 'Retry failing checks for this long before giving up (default: smoke.wait, else 0s)',
    schema: zDuration,
  },
} satisfies Record<string, InputSpec>;

/** smoke-test: the configured checks (retried until `wait`), then an optional load sample against thresholds. */
export async function runSmokeTest(ctx: ActionContext): Promise<void> {
  const { log, host } = ctx;
  const inputs = parseInputs(host, log, smokeInputs);
  const config = await loadConfig(inputs.config);
  const env = environmentOf(config, inputs.environment);
  const smoke = config.smoke;
  if (!smoke) throw new ConfigError('smoke-test needs a smoke section in the config (smoke.checks)');
  checkSmokeSecrets(ctx, smoke);
  if (inputs['dry-run']) {
    for (const c of smoke.checks) log.info(`would check ${c.name}: ${c.method} ${c.url}`);
    return;
  }
  const verdict = await runSmokeSuite(ctx, smoke, {
    base: inputs.url ?? env.url,
    waitMs: inputs.wait ?? smoke.wait ?? 0,
  });
  const { passed, checks, sample } = verdict;
  host.setOutput('passed', String(passed));
  host.setOutput('report', JSON.stringify({ environment: inputs.environment, passed, checks, sample }));
  await host.appendSummary(smokeSummary(inputs.environment, verdict));
  if (!passed) throw new UserError(`smoke test failed: ${verdict.problems.join(' | ')}`);
}
