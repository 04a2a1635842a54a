/**
 * The deploy's env values under the compose driver. The compose file says how its containers run, so the values reach
 * a container the way compose lets a runbook's `FEATURE_X=false docker compose up -d` do it: through the environment
 * of the compose commands, for the variables the service interpolates (`FEATURE_X: ${FEATURE_X:-true}`) or passes
 * through (`- FEATURE_X`). Whether it does is read back from `compose config` before anything changes: a value the
 * file would not give the container (a literal, an env_file entry, a variable it never names) is refused rather than
 * journaled as applied.
 */
import { composeConfig } from '../../commands/compose.js';
import type { ComposeConfig } from '../../config/schema.js';
import { UserError } from '../../core/errors.js';
import { check } from '../../transports/files.js';
import type { ServiceSite } from '../types.js';
import { composeExecOptions } from './exec.js';
import { composeServiceEnv } from './template.js';

/**
 * The env values the resolved service does not carry as given: `FEATURE_X (the file sets it otherwise)`. Empty when
 * every value arrives. The file's value is never quoted: it may come from an env_file that holds secrets.
 */
export function composeEnvMisses(
  resolved: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
): string[] {
  return Object.entries(overrides)
    .filter(([name, value]) => resolved[name] !== value)
    .map(([name]) =>
      resolved[name] === undefined
        ? `${name} (the service does not name it)`
        : `${name} (the file sets it otherwise: a literal, or an env_file entry)`,
    );
}

/** The refusal of env values a compose service does not take, naming them and how the file can take them. */
export function composeEnvError(label: string, service: string, misses: readonly string[]): UserError {
  const first = misses[0]?.split(' ')[0] ?? 'NAME';
  return new UserError(
    `${label}: the compose file does not give ${service} the env value${misses.length > 1 ? 's' : ''} of this release: ${misses.join(', ')}. ` +
      `Compose passes a value on only where the service's environment interpolates it or passes it through: write ${first}: \${${first}} (or - ${first}) under services.${service}.environment in the compose file, or leave it out of the env input (env-reset: true drops one carried over)`,
  );
}

/**
 * Throws composeEnvError when service `site.name`, as `compose config` resolves it with the site's env values (and the
 * version variable at `version`), does not carry each of them. Runs nothing without env values. The resolved text
 * is never logged (it holds the env files' values).
 */
export async function checkComposeEnv(site: ServiceSite, compose: ComposeConfig, version: string): Promise<void> {
  const overrides = site.envOverrides ?? {};
  if (Object.keys(overrides).length === 0) return;
  const { transport, name } = site.target;
  const r = check(
    await transport.exec(composeConfig(compose), composeExecOptions(site, compose, version)),
    `compose config on ${name}`,
  );
  const resolved = composeServiceEnv(r.stdout, site.name);
  if (!resolved) throw new UserError(`${name}/${site.name}: the compose files have no service ${site.name}`);
  const misses = composeEnvMisses(resolved, overrides);
  if (misses.length > 0) throw composeEnvError(`${name}/${site.name}`, site.name, misses);
}
