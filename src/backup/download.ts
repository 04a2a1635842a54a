/** Streaming a backup from the target to the runner (e.g. for actions/upload-artifact), checked by sha256. */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../core/errors.js';
import type { Transport } from '../transports/types.js';
import type { BackupMeta } from './meta.js';

/** Where the download goes: `dest` itself, or `dest/<file>` when it names a directory (or ends with "/"). */
async function downloadDestination(dest: string, file: string): Promise<string> {
  if (dest.endsWith('/')) return join(dest, file);
  const s = await stat(dest).catch(() => undefined);
  return s?.isDirectory() ? join(dest, file) : dest;
}

/**
 * Copy `remotePath` to `dest` on the runner through a temp file beside it; the sha256 is computed while streaming
 * and must equal the metadata's, or the temp file is removed and nothing appears at `dest`. Memory stays bounded.
 */
export async function downloadBackup(
  t: Transport,
  remotePath: string,
  meta: Pick<BackupMeta, 'file' | 'sha256' | 'size'>,
  dest: string,
  signal?: AbortSignal,
): Promise<string> {
  const path = await downloadDestination(dest, meta.file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    const source = await t.download(remotePath);
    await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }), { signal });
    const sha256 = hash.digest('hex');
    if (sha256 !== meta.sha256 || bytes !== meta.size) {
      throw new UserError(
        `the downloaded backup does not match its metadata (sha256 ${sha256}, ${bytes} bytes; expected ${meta.sha256}, ${meta.size} bytes)`,
      );
    }
    await rename(tmp, path);
    return path;
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError(`could not download ${remotePath} from ${t.name} to ${path}: ${(err as Error).message}`);
  }
}
