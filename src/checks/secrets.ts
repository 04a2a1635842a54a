import type { Logger } from '../core/log-types.js';
import { type CheckResult, fail, pass } from './types.js';

/**
 * Every named secret must be present and non-empty in the step's environment. Present values are registered for
 * masking at once, so nothing logged afterwards can show them.
 */
export function checkSecrets(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): CheckResult[] {
  return [...new Set(names)].map((name) => {
    const value = env[name];
    if (value === undefined) return fail('*', `secret ${name}`, `environment variable ${name} is not set`);
    if (value.trim() === '') return fail('*', `secret ${name}`, `environment variable ${name} is empty`);
    log.addSecret(value);
    return pass('*', `secret ${name}`, 'set');
  });
}
