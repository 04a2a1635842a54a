import type { Logger } from '../core/log-types.js';
import { secretEnvProblem } from '../transports/secret-env.js';
import { type CheckResult, fail, pass } from './types.js';

/**
 * The secrets a run hands to a program as an environment variable through the secret-env prelude (one line each):
 * by runner variable, the config key that names it. Today the database password (PGPASSWORD for pg_dump, psql and
 * the migration tool).
 */
export function envPassedSecrets(config: { database?: { 'password-env': string } }): Record<string, string> {
  return config.database ? { [config.database['password-env']]: 'database.password-env' } : {};
}

/**
 * Every named secret must be present and non-empty in the step's environment, and each one a run passes as an
 * environment variable (`passedAsEnv`: variable → the config key naming it) must be passable: a line break (often a
 * trailing newline saved with the secret) or a NUL would otherwise fail mid-run. No secret may hold a NUL byte (no
 * environment, a container's included, can carry one). Present values are registered for masking at once, so
 * nothing logged afterwards can show them; messages name the variable, never a value.
 */
export function checkSecrets(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
  passedAsEnv: Readonly<Record<string, string>> = {},
): CheckResult[] {
  return [...new Set([...names, ...Object.keys(passedAsEnv)])].map((name) => {
    const check = `secret ${name}`;
    const value = env[name];
    if (value === undefined) return fail('*', check, `environment variable ${name} is not set`);
    if (value.trim() === '') return fail('*', check, `environment variable ${name} is empty`);
    log.addSecret(value);
    const key = Object.hasOwn(passedAsEnv, name) ? passedAsEnv[name] : undefined;
    const problem =
      key !== undefined ? secretEnvProblem(value) : value.includes('\0') ? secretEnvProblem(value) : undefined;
    if (problem) return fail('*', check, `environment variable ${name}${key ? ` (${key})` : ''} ${problem}`);
    return pass('*', check, 'set');
  });
}
