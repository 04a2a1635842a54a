/**
 * The compose files a compose command reads on the target: `compose.files`, or the first default name that exists
 * in the directory with its override file (compose's own discovery: compose.yaml, compose.yml, docker-compose.yaml,
 * docker-compose.yml, then `<name>.override.<ext>`; https://docs.docker.com/compose/intro/compose-application-model/).
 */
import { posix } from 'node:path';
import type { ComposeConfig } from '../../config/schema.js';
import { readText } from '../../transports/files.js';
import type { Transport } from '../../transports/types.js';

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface ComposeFile {
  /** As configured or discovered, relative to compose.directory unless absolute. */
  name: string;
  /** Absolute path on the target. */
  path: string;
  /** Its text; undefined when it does not exist. */
  text: string | undefined;
}

/**
 * The files, read on the target. A configured file that does not exist comes back with text undefined; without
 * `compose.files`, the defaults that exist (none when there is none). Throws when a file cannot be read.
 */
export async function readComposeFiles(t: Transport, c: ComposeConfig): Promise<ComposeFile[]> {
  const at = (name: string): ComposeFile['path'] => posix.resolve(c.directory, name);
  if (c.files)
    return Promise.all(c.files.map(async (name) => ({ name, path: at(name), text: await readText(t, at(name)) })));
  for (const name of DEFAULT_FILES) {
    const text = await readText(t, at(name));
    if (text === undefined) continue;
    const override = name.replace(/\.(ya?ml)$/, '.override.$1');
    const overrideText = await readText(t, at(override));
    const found = [{ name, path: at(name), text }];
    return overrideText === undefined ? found : [...found, { name: override, path: at(override), text: overrideText }];
  }
  return [];
}
