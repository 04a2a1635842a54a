import type { TargetCheckOptions } from '../checks/target.js';
import type { ChecksConfig, Config } from '../config/schema.js';

/** Secrets the environment must provide: the ones checks name, plus the database password the config points at. */
export function requiredSecretNames(config: Config, checks: ChecksConfig): string[] {
  const names = [...checks['required-secrets']];
  if (config.database) names.push(config.database['password-env']);
  return names;
}

/** What to check on every host, from the effective checks and the compose section. */
export function targetCheckOptions(
  config: Config,
  checks: ChecksConfig,
): Omit<TargetCheckOptions, 'timeoutMs' | 'signal'> {
  return {
    diskPaths: checks['disk-paths'],
    minFreeDisk: checks['min-free-disk'],
    docker: checks.docker,
    compose: checks.compose,
    composeCommand: config.compose?.command,
  };
}
