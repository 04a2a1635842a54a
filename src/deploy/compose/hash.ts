import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ComposeConfig } from '../../config/schema.js';
import { readText } from '../../transports/files.js';
import type { Transport } from '../../transports/types.js';

/** sha256 of the compose files a deploy used (as read on the target), so the journal says what ran. */
export async function composeHash(t: Transport, c: ComposeConfig): Promise<string | undefined> {
  const files = c.files ?? ['docker-compose.yml'];
  const hash = createHash('sha256');
  for (const f of files) {
    const text = await readText(t, posix.resolve(c.directory, f));
    if (text === undefined) return undefined;
    hash.update(`${f}\0${text}\0`);
  }
  return `sha256:${hash.digest('hex')}`;
}
