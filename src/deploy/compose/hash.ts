import { createHash } from 'node:crypto';
import type { ComposeConfig } from '../../config/schema.js';
import type { Transport } from '../../transports/types.js';
import { readComposeFiles } from './files.js';

/**
 * sha256 of the compose files a deploy used (as read on the target: files.ts), so the journal says what ran;
 * undefined when a configured file is missing or none is found.
 */
export async function composeHash(t: Transport, c: ComposeConfig): Promise<string | undefined> {
  const files = await readComposeFiles(t, c);
  if (files.length === 0 || files.some((f) => f.text === undefined)) return undefined;
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.name}\0${f.text}\0`);
  return `sha256:${hash.digest('hex')}`;
}
