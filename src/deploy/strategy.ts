/**
 * Which strategy and driver a deploy runs with, decided in one place from the config (and the deploy's `strategy`
 * input). Pure: deploy refuses with it before any connection, and pre-deploy-check (its dry run too) reports the same
 * refusal as a failed check, so a config pre-deploy-check passes is never refused by deploy for this reason.
 */
import type { Config } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import { swarmConfigProblems } from './swarm/config-check.js';

/** engine: containers through the Docker Engine API; compose: the compose CLI on the host; swarm: Swarm services. */
export type DeployDriver = 'engine' | 'compose' | 'swarm';

/** The strategies this version deploys with. */
export type DeployStrategy = 'rolling' | 'recreate' | 'blue-green' | 'canary';

/** Strategies that move traffic through nginx between two sets of replicas (progressive delivery). */
export function isProgressive(strategy: string | undefined): strategy is 'blue-green' | 'canary' {
  return strategy === 'blue-green' || strategy === 'canary';
}

/** The strategies of `strategy.type` and the deploy input. */
type StrategyName = Config['strategy']['type'];

/** `strategy.driver`, else compose when a compose section exists, else engine. Never throws. */
export function driverOf(config: Pick<Config, 'strategy' | 'compose'>): DeployDriver {
  return config.strategy.driver ?? (config.compose ? 'compose' : 'engine');
}

/**
 * The strategy (`input` overrides `strategy.type`) and driver a deploy uses. Throws ConfigError when this version
 * cannot deploy that way: blue-green and canary need an nginx proxy (and canary its measurements: the schema checks
 * both for the configured type, this for the `input`); the compose driver needs a compose section;
 * keys only the engine driver applies (volumes, secret-env, …) under the compose driver, whose file says how its
 * containers run (rolling creates a compose service's replicas from that file: compose/replicas.ts).
 */
export function resolveStrategy(
  config: Pick<Config, 'strategy' | 'compose'> & Partial<Pick<Config, 'services'>>,
  input?: StrategyName,
): { strategy: DeployStrategy; driver: DeployDriver } {
  const strategy = input ?? config.strategy.type;
  if (isProgressive(strategy) && !config.strategy.proxy) {
    throw new ConfigError(`strategy ${strategy} switches traffic, so it needs strategy.proxy: { nginx: … }`);
  }
  if (strategy === 'canary' && !config.strategy.canary) {
    throw new ConfigError(
      'strategy canary needs strategy.canary: { access-log: …, steps: […], gates: {…} } (at least what measures it)',
    );
  }
  const driver = driverOf(config);
  if (driver === 'swarm') {
    // Swarm replaces a service's tasks itself, health-gated: one way, its rolling update (src/deploy/swarm/).
    const problems = swarmConfigProblems(config, strategy);
    if (problems.length > 0) throw new ConfigError(problems.join('; '));
  }
  if (driver === 'compose' && !config.compose) {
    throw new ConfigError(
      'strategy.driver compose runs the compose CLI, so it needs a compose section: compose: { directory: … }',
    );
  }
  if (driver === 'compose') {
    const ignored = Object.entries(config.services ?? {}).flatMap(([name, service]) =>
      ENGINE_ONLY.filter((key) => service[key] !== undefined).map((key) => `services.${name}.${key}`),
    );
    if (ignored.length > 0) {
      throw new ConfigError(
        `${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} for the engine driver, which creates the containers itself; with the compose driver the compose file says how its containers run: write it there, or use strategy.driver: engine`,
      );
    }
  }
  return { strategy, driver };
}

/**
 * Service keys only the engine driver applies (it creates the containers); the compose driver runs what the compose
 * file says. A config with one of them under compose is refused rather than silently half-applied.
 */
const ENGINE_ONLY = [
  'secret-env',
  'env-file',
  'volumes',
  'networks',
  'labels',
  'user',
  'memory',
  'cpus',
  'log',
  'extra-hosts',
] as const;

/**
 * Does this deploy drive containers through the Engine API (the engine and swarm drivers, or a compose service's
 * replicas for every strategy but recreate)?
 */
export function usesEngine(driver: DeployDriver, strategy: string | undefined): boolean {
  return driver !== 'compose' || (strategy !== undefined && strategy !== 'recreate');
}
