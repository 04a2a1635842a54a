/**
 * The deploy's `env` values against the config and the journal: which lines may be set (never a secret, the port or
 * the version variable), and which values are in force for a release. A value set by `env` stays in force for the
 * releases after it (carried from the live release) until a deploy with `env-reset`: a killswitch flipped at 3 a.m.
 * is not silently undone by the next ordinary deploy. A rollback goes back to the values of the release it restores.
 */
import type { Config, Service } from '../config/schema.js';
import { ConfigError, UserError } from '../core/errors.js';
import type { EnvChange, Release } from './journal.js';

/** One assignment of the deploy's `env` input (parsed by inputs/env-overrides.ts). */
export interface EnvOverride {
  /** 1-based line of the input. */
  line: number;
  /** `services.<name>` it is for; undefined: every service the deploy deploys. */
  service?: string;
  name: string;
  value: string;
}

/** Values by service, then variable. */
export type EnvOverrides = Record<string, Record<string, string>>;

/** Names that steer the shell, the dynamic linker or the docker and compose tools rather than the app. */
const STEERING = /^(PATH|HOME|SHELL|IFS|ENV|BASH_ENV|LD_[A-Z0-9_]*|DOCKER_[A-Z0-9_]*|COMPOSE_[A-Z0-9_]*)$/;

/** Why the env input may not set `name` for service `serviceName`; undefined when it may. */
export function refusedEnvName(
  config: Pick<Config, 'compose'>,
  serviceName: string,
  service: Pick<Service, 'secret-env' | 'port-env'>,
  name: string,
): string | undefined {
  if (service['secret-env']?.[name] !== undefined) {
    return `${name} is in services.${serviceName}.secret-env: a secret comes from the runner's environment, never from this input, whose values are printed and journaled`;
  }
  if (name === service['port-env']) {
    return `${name} is services.${serviceName}.port-env, which gives the app the port the toolkit assigns`;
  }
  if (config.compose && name === config.compose['version-env']) {
    return `${name} is compose.version-env, which the version input sets`;
  }
  if (STEERING.test(name)) {
    return `${name} steers the shell or the docker and compose tools (PATH, HOME, IFS, ENV, BASH_ENV, SHELL, LD_*, DOCKER_*, COMPOSE_*), not the app`;
  }
  return undefined;
}

/**
 * The env input checked against the config before anything changes: a line's service is one the config defines
 * and this run deploys, and no name is refused for a service it applies to. Throws ConfigError naming the line.
 */
export function checkEnvOverrides(
  config: Pick<Config, 'compose' | 'services'>,
  services: readonly string[],
  overrides: readonly EnvOverride[],
): void {
  const all = Object.keys(config.services ?? {});
  for (const o of overrides) {
    const at = `input "env" line ${o.line} (${o.service ? `${o.service}.` : ''}${o.name})`;
    if (o.service !== undefined && !all.includes(o.service)) {
      throw new ConfigError(`${at}: the config has no service ${o.service} (services: ${all.join(', ')})`);
    }
    if (o.service !== undefined && !services.includes(o.service)) {
      throw new ConfigError(
        `${at}: this run does not deploy ${o.service} (services: ${services.join(', ')}); add it to the services input, or drop the line`,
      );
    }
    for (const name of o.service === undefined ? services : [o.service]) {
      const service = config.services?.[name];
      const why = service && refusedEnvName(config, name, service, o.name);
      if (why) throw new ConfigError(`${at}: ${why}`);
    }
  }
}

/**
 * The values in force for the release a deploy of `services` makes: for each deployed service the live release's
 * (none with `reset`), then this run's lines; services this run does not deploy keep the live release's. Throws
 * UserError when a value carried over is one the config refuses now (the config changed since it was set).
 */
export function envInForce(
  config: Pick<Config, 'compose' | 'services'>,
  services: readonly string[],
  overrides: readonly EnvOverride[],
  live: Pick<Release, 'id' | 'env'> | undefined,
  reset: boolean,
): EnvOverrides {
  const out: EnvOverrides = {};
  for (const [name, values] of Object.entries(live?.env ?? {})) {
    if (!config.services?.[name] || (reset && services.includes(name))) continue;
    out[name] = { ...values };
  }
  for (const o of overrides) {
    for (const name of o.service === undefined ? services : [o.service]) {
      out[name] = { ...(out[name] ?? {}), [o.name]: o.value };
    }
  }
  for (const name of services) {
    const service = config.services?.[name];
    for (const key of Object.keys(out[name] ?? {})) {
      const why = service && refusedEnvName(config, name, service, key);
      if (why) {
        throw new UserError(
          `${name}: ${key}, set by an earlier release's env input (still in force from ${live?.id ?? 'the live release'}), cannot stay: ${why}; deploy with env-reset: true (and the env lines you want kept)`,
        );
      }
    }
  }
  for (const [name, values] of Object.entries(out)) if (Object.keys(values).length === 0) delete out[name];
  return out;
}

/**
 * What the deploy of `services` changes: each variable an override touches before or after, whose value (the
 * override, else services.<name>.env) differs. Sorted by service and name.
 */
export function envChangesOf(
  config: Pick<Config, 'services'>,
  services: readonly string[],
  before: EnvOverrides | undefined,
  after: EnvOverrides,
): EnvChange[] {
  const changes: EnvChange[] = [];
  for (const service of [...services].sort()) {
    const base = config.services?.[service]?.env ?? {};
    const was = before?.[service] ?? {};
    const now = after[service] ?? {};
    for (const name of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      const from = was[name] ?? base[name];
      const to = now[name] ?? base[name];
      if (from !== to)
        changes.push({ service, name, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
    }
  }
  return changes;
}

/** `"false"` as the plan shows a value: as it is, `""` when empty, `(unset)` when there is none. */
function shown(v: string | undefined): string {
  return v === undefined ? '(unset)' : v === '' ? '""' : v;
}

/** `api.FEATURE_X: true → false`. */
export function envChangeText(c: EnvChange): string {
  return `${c.service}.${c.name}: ${shown(c.from)} → ${shown(c.to)}`;
}

/**
 * The plan's (and the deploy log's) lines for the env values of a release: each deployed service's values in force
 * (where they come from), and what changes. Empty when no value is in force and nothing changes.
 */
export function envPlanLines(
  config: Pick<Config, 'services'>,
  services: readonly string[],
  overrides: readonly EnvOverride[],
  live: Pick<Release, 'id' | 'env'> | undefined,
  after: EnvOverrides,
  changes: readonly EnvChange[],
): string[] {
  const lines: string[] = [];
  for (const service of services) {
    const values = after[service] ?? {};
    const names = Object.keys(values).sort();
    if (names.length === 0) continue;
    const base = config.services?.[service]?.env ?? {};
    const set = new Set(overrides.filter((o) => o.service === undefined || o.service === service).map((o) => o.name));
    const parts = names.map((n) => {
      const from = set.has(n) ? 'this deploy' : `carried from ${live?.id ?? 'the live release'}`;
      return `${n}=${shown(values[n])} (${from}${base[n] === undefined ? '' : `; the config says ${shown(base[n])}`})`;
    });
    lines.push(`env of ${service} (the env input, in force until env-reset: true): ${parts.join(', ')}`);
  }
  if (changes.length > 0) lines.push(`env changes: ${changes.map(envChangeText).join('; ')}`);
  return lines;
}
