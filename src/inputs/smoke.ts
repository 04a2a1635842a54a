import * as z from 'zod/mini';
import { commonInputs } from './common.js';
import { type InputSpec, zDurationInput, zText } from './spec.js';

/**
 * Inputs of smoke-test. `checks` is YAML in the shape of smoke.checks: here it is only taken as text; the step parses
 * it with the config's schema (yaml and the config's zod load with the step, not at start-up) before any request.
 */
export const smokeInputs = {
  ...commonInputs,
  url: {
    description: 'Base URL for relative check URLs (default: the environment url from the config)',
    // As the config's URLs (config/fields.ts zHttpUrl): no `user:password@`, which would be printed and sent.
    schema: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .check(
        z.refine(
          (s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''),
          'a URL must not contain credentials: pass secrets through environment variables',
        ),
      ),
  },
  wait: {
    description: 'Retry failing checks for this long before giving up (default: smoke.wait, else 0s)',
    schema: zDurationInput,
  },
  checks: {
    description:
      'Checks as YAML, the shape of smoke.checks (e.g. "- { name: ready, url: /health, expect: { json: { status: ok } } }"); replaces the config\'s checks',
    schema: zText(() => true, 'expected YAML text'),
  },
} satisfies Record<string, InputSpec>;
