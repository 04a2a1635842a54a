/**
 * A container's environment beyond the plain `env` of the config: `secret-env` (values from the runner's
 * environment) and `env-file` (a file on the target). Every value is registered with the masker the moment it is
 * known, and none is ever logged, journaled or written to a file on the runner: the values travel as data from the
 * action (DeployRequest.secrets) to the container create call, and nowhere else.
 */
import type { Service } from '../../config/schema.js';
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log-types.js';
import { readText } from '../../transports/files.js';
import type { Transport } from '../../transports/types.js';

/** The runner's environment (the action's `runner.env`). */
export type RunnerEnv = Readonly<Record<string, string | undefined>>;

/** The runner variables the `secret-env` of these services read, sorted, each once. */
export function secretEnvVars(services: readonly Service[]): string[] {
  return [...new Set(services.flatMap((s) => Object.values(s['secret-env'] ?? {})))].sort();
}

/**
 * The values of the runner variables `secret-env` reads (by runner variable), each registered for masking before it
 * is returned. `missing`: the variables that are unset or empty (names only).
 */
export function secretValues(
  services: readonly Service[],
  env: RunnerEnv,
  log: Pick<Logger, 'addSecret'>,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of secretEnvVars(services)) {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      missing.push(name);
      continue;
    }
    log.addSecret(value);
    values[name] = value;
  }
  return { values, missing };
}

/** The refusal of a deploy whose secret-env variables are not all set: it names the variables, never a value. */
export function missingSecretsError(missing: readonly string[]): UserError {
  const list = missing.join(', ');
  return new UserError(
    `secret-env needs the runner environment variable${missing.length === 1 ? '' : 's'} ${list}, which ${missing.length === 1 ? 'is' : 'are'} not set or empty: ` +
      `pass ${missing.length === 1 ? 'it' : 'them'} to the step, e.g. env: { ${missing[0]}: \${{ secrets.${missing[0]} }} }`,
  );
}

const ENV_FILE_NAME = /^[^=\s\0]+$/;

/**
 * Docker's `--env-file` format: one `KEY=VALUE` per line, the value taken as it is (no quote processing, no
 * expansion); blank lines and lines starting with `#` are skipped, leading whitespace is dropped. A line without `=`
 * (docker would copy the variable from the client's environment) is refused: there is no such environment here.
 * Errors name the file and the line number, never the line's text (it may hold a secret).
 */
export function parseEnvFile(text: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq <= 0 || !ENV_FILE_NAME.test(name)) {
      throw new UserError(
        `${where} line ${i + 1}: expected KEY=VALUE (a name without spaces, "=", then the value as it is)`,
      );
    }
    out[name] = line.slice(eq + 1);
  });
  return out;
}

/**
 * Register `value`, read from a file that mixes secrets with settings (an env file, a compose file's interpolated
 * environment), for masking, unless it is plainly a setting: shorter than 6 characters, a number, true/false, or
 * `except` (the version being deployed, which every release id shows). Masking those would blank ordinary text
 * (`WORKERS=2` would hide every "2"); a secret that short belongs in secret-env, which masks whatever it is given.
 */
export function maskFileValue(log: Pick<Logger, 'addSecret'>, value: string, except?: string): void {
  const v = value.trim();
  if (v.length < 6 || /^[+-]?\d+(\.\d+)?$/.test(v) || /^(true|false|yes|no|on|off)$/i.test(v) || v === except) return;
  log.addSecret(value);
}

/** The env-file at absolute `path` on the target, parsed; its values registered for masking (maskFileValue). */
export async function readEnvFile(
  transport: Transport,
  path: string,
  log: Pick<Logger, 'addSecret'>,
): Promise<Record<string, string>> {
  const text = await readText(transport, path);
  if (text === undefined) throw new UserError(`env-file ${path} does not exist on ${transport.name}`);
  const entries = parseEnvFile(text, `env-file ${path} on ${transport.name}`);
  for (const value of Object.values(entries)) maskFileValue(log, value);
  return entries;
}

/** What a service's containers get beside its config: secret values by runner variable, env-file entries. */
export interface ServiceEnvInputs {
  /** secret-env values by runner variable name (registered for masking). */
  secrets?: Readonly<Record<string, string>>;
  /** The env-file's entries, as read from the target for this deploy (values registered for masking). */
  fileEnv?: Readonly<Record<string, string>>;
}

/**
 * The container environment of one replica: env-file entries, then `env` (which wins over the file, as `-e` does over
 * `--env-file`), then secret-env, then the port variable with host networking. Throws (naming the variable) when a
 * secret-env value or the env-file's entries were not handed down: the caller must resolve them first.
 */
export function containerEnv(
  label: string,
  s: Service,
  inputs: ServiceEnvInputs,
  port: number | undefined,
): Record<string, string> {
  if (s['env-file'] !== undefined && inputs.fileEnv === undefined) {
    throw new Error(`${label}: env-file ${s['env-file']} was not read before the containers were created`);
  }
  const env: Record<string, string> = { ...(inputs.fileEnv ?? {}), ...(s.env ?? {}) };
  const missing: string[] = [];
  for (const [name, from] of Object.entries(s['secret-env'] ?? {})) {
    const value = inputs.secrets?.[from];
    if (value === undefined) missing.push(from);
    else env[name] = value;
  }
  if (missing.length > 0) throw missingSecretsError(missing);
  if (s.network === 'host' && port !== undefined) env[s['port-env']] = String(port);
  return env;
}
