/**
 * Loading `runbook.yml`: YAML with positions → zod validation → one ConfigError listing every problem as
 * `file:line:col: key.path: what is wrong`.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { NO_MESSAGE, toProblems } from './issues.js';
import { ConfigFileError } from './problems.js';
import { type ChecksConfig, type Config, configSchema, type Environment } from './schema.js';
import { mergeChecks } from './schema-checks.js';
import { closest } from './text.js';
import { MAX_CONFIG_BYTES, readYaml } from './yaml-source.js';

/** Parse and validate config text. `fileName` is used in messages only. Throws ConfigError (a ConfigFileError). */
export function parseConfig(text: string, fileName: string): Config {
  const source = readYaml(text, fileName);
  const result = configSchema.safeParse(source.data, { error: () => NO_MESSAGE });
  if (result.success) return result.data;
  throw new ConfigFileError(fileName, toProblems(result.error.issues, source, fileName, configSchema));
}

/** What a path that is not a regular file is, in words ("a FIFO (named pipe)", "a character device"). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(path: string, st: Stats): ConfigError {
  return new ConfigError(`config path ${path} is ${kindOf(st)}, not a regular file: give the path of runbook.yml`);
}

/** At most `cap + 1` bytes of an open file: enough to tell that it is over the cap without reading the rest. */
async function readBounded(fh: FileHandle, cap: number): Promise<Buffer> {
  const buf = Buffer.alloc(cap + 1);
  let length = 0;
  while (length < buf.length) {
    const { bytesRead } = await fh.read(buf, length, buf.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buf.subarray(0, length);
}

/**
 * The config file's text: a regular file only (a FIFO, a device or a directory is refused by its kind before
 * anything is read, so `/dev/zero` cannot eat memory and a pipe cannot hang), read up to the cap and no further.
 */
export async function readConfigText(path: string): Promise<string> {
  let fh: FileHandle | undefined;
  try {
    // stat first: opening a FIFO for reading blocks until a writer comes. O_NONBLOCK covers a swap after the stat.
    const before = await stat(path);
    if (!before.isFile()) throw notRegular(path, before);
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(path, st);
    const bytes = await readBounded(fh, MAX_CONFIG_BYTES);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new ConfigFileError(path, [{ file: path, message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }]);
    }
    return bytes.toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`config file not found: ${path} (set its path with the action's \`config\` input)`);
    }
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  } finally {
    await fh?.close();
  }
}

/** Read and validate the config file at `path`. A missing file is a ConfigError naming the path. */
export async function loadConfig(path: string): Promise<Config> {
  return parseConfig(await readConfigText(path), path);
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
