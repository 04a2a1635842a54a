/** SFTP file transfer for the SSH transport: atomic upload (temp file + rename) and streaming download. */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { UserError } from '../core/errors.js';

/**
 * Write `source` to `path.tmp-<random>` (created exclusively with `mode`), fix the mode against the server's umask,
 * then rename over `path`. `renameFallback` is used when the server lacks `posix-rename@openssh.com`. On any failure
 * the temporary file is removed and the final path is untouched.
 */
export async function sftpUpload(
  sftp: SFTPWrapper,
  path: string,
  source: Readable,
  mode: number,
  renameFallback: (from: string, to: string) => Promise<void>,
): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await pipeline(source, sftp.createWriteStream(tmp, { flags: 'wx', mode }));
    await call((cb) => sftp.chmod(tmp, mode, cb));
    try {
      await call((cb) => sftp.ext_openssh_rename(tmp, path, cb));
    } catch (err) {
      if (!/not supported|unsupported/i.test((err as Error).message)) throw err;
      await renameFallback(tmp, path);
    }
  } catch (err) {
    await call((cb) => sftp.unlink(tmp, cb)).catch(() => {});
    throw new UserError(`could not upload to ${path}: ${(err as Error).message}`);
  }
}

/** Open `path` first (so a missing file is reported here, not as a stream error later), then stream it. */
export async function sftpDownload(sftp: SFTPWrapper, path: string): Promise<Readable> {
  let handle: Buffer;
  try {
    handle = await new Promise<Buffer>((resolve, reject) =>
      sftp.open(path, 'r', (err, h) => (err ? reject(err) : resolve(h))),
    );
  } catch (err) {
    throw new UserError(`could not read ${path}: ${(err as Error).message}`);
  }
  return sftp.createReadStream(path, { handle, autoClose: true });
}

function call(fn: (cb: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}
