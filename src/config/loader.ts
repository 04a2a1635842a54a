/**
 * Loading `runbook.yml`: YAML with positions → zod validation → one ConfigError listing every problem as
 * `file:line:col: key.path: what is wrong`.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { NO_MESSAGE, toProblems } from './issues.js';
import { ConfigFileError } from './problems.js';
import { type ChecksConfig, type Config, configSchema, type Environment } from './schema.js';
import { mergeChecks } from './schema-checks.js';
import { closest } from './text.js';
import { readYaml } from './yaml-source.js';

/** Parse and validate config text. `fileName` is used in messages only. Throws ConfigError (a ConfigFileError). */
export function parseConfig(text: string, fileName: string): Config {
  const source = readYaml(text, fileName);
  const result = configSchema.safeParse(source.data, { error: () => NO_MESSAGE });
  if (result.success) return result.data;
  throw new ConfigFileError(fileName, toProblems(result.error.issues, source, fileName, configSchema));
}

/** Read and validate the config file at `path`. A missing file is a ConfigError naming the path. */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`config file not found: ${path} (set its path with the action's \`config\` input)`);
    }
    if (code === 'EISDIR') throw new ConfigError(`config path is a directory, not a file: ${path}`);
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  return parseConfig(text, path);
}

/** The environment called `name`, or a ConfigError listing the environments the config defines. */
export function environmentOf(config: Config, name: string): Environment {
  const env = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
  if (env !== undefined) return env;
  const known = Object.keys(config.environments);
  const guess = closest(name, known);
  const hint = guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
  throw new ConfigError(`unknown environment ${JSON.stringify(name)}${hint}; the config defines: ${known.join(', ')}`);
}

/** The checks that apply to an environment: its `checks:` overrides over the top-level checks and defaults. */
export function checksFor(config: Config, name: string): ChecksConfig {
  return mergeChecks(config.checks, environmentOf(config, name).checks);
}
