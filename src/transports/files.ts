/**
 * Files on a target, through any transport: read a text file, replace one atomically. The argv comes from
 * src/commands/files.ts; nothing here builds a command line.
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path/posix';
import {
  catArgv,
  existsArgv,
  mkdirArgv,
  overwriteSyncedArgv,
  removeTreeArgv,
  renameArgv,
  syncPathArgv,
  truncateArgv,
  writableArgv,
  writeSyncedArgv,
} from '../commands/files.js';
import { UserError } from '../core/errors.js';
import { exitText } from './exit-status.js';
import type { ExecResult, Transport } from './types.js';

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;

/**
 * `r` itself when the command exited 0; otherwise throws a UserError `<what> failed (exit N): <first stderr line>`.
 */
export function check(r: ExecResult, what: string): ExecResult {
  if (r.code !== 0) throw new UserError(`${what} failed (${exitText(r)}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r;
}

/**
 * The text (UTF-8) of the file at absolute `path` on the target, or undefined when it does not exist. Any other
 * failure (permission, a directory, …) throws a UserError naming the path and the target. Times out after 30 s.
 */
export async function readText(t: Transport, path: string): Promise<string | undefined> {
  const r = await t.exec(catArgv(path), QUIET);
  if (r.code === 0) return r.stdout;
  if (/No such file/i.test(r.stderr)) return undefined;
  throw new UserError(`cannot read ${path} on ${t.name}: ${r.stderr.trim()}`);
}

/**
 * Replace the file at absolute `path` with `content` so readers see either the old or the new content, never a torn
 * one: create its directory, write a temp file beside it and fsync it, rename it over the target, then sync the
 * directory (best effort). A failed step removes the temp file and throws a UserError (see `check`).
 */
export async function writeAtomic(t: Transport, path: string, content: string): Promise<void> {
  const dir = dirname(path);
  check(await t.exec(mkdirArgv(dir), QUIET), `mkdir ${dir} on ${t.name}`);
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    check(await t.exec(writeSyncedArgv(tmp), { ...QUIET, stdin: content }), `writing ${tmp} on ${t.name}`);
    check(await t.exec(renameArgv(tmp, path), QUIET), `renaming ${tmp} on ${t.name}`);
  } catch (err) {
    await t.exec(removeTreeArgv(tmp), QUIET).catch(() => undefined);
    throw err;
  }
  await t.exec(syncPathArgv(dir), QUIET).catch(() => undefined);
}

/**
 * How writeConfigFile will write `path`: `atomic` when its directory lets us create files (or does not exist yet and
 * will be made), `in place` when only the file itself is writable, undefined when neither (nothing can be written).
 */
export async function configFileAccess(t: Transport, path: string): Promise<'atomic' | 'in place' | undefined> {
  const dir = dirname(path);
  if ((await t.exec(writableArgv(dir), QUIET)).code === 0) return 'atomic';
  if ((await t.exec(writableArgv(path), QUIET)).code === 0) return 'in place';
  if ((await t.exec(existsArgv(dir), QUIET)).code !== 0) return 'atomic';
  return undefined;
}

/** The UserError for a config file the deploy user cannot write (see configFileAccess). */
export function notWritable(t: Transport, path: string): UserError {
  return new UserError(
    `${t.name}: cannot write ${path}: neither the file nor its directory ${dirname(path)} is writable by the deploy user (give that user the file: chown <ssh user> ${path}, or make the directory writable)`,
  );
}

/**
 * Replace the content of a config file that another user may own: atomically (writeAtomic) when its directory lets
 * us create files, else in place when the file itself is writable — the common layout of a root-owned
 * `/etc/nginx/conf.d` with one file given to the deploy user — keeping its inode, owner and mode. A reader that only
 * looks when told (nginx reads its config on test and reload) never sees the torn middle. Throws a UserError naming
 * the path when neither is writable.
 */
export async function writeConfigFile(t: Transport, path: string, content: string): Promise<void> {
  const access = await configFileAccess(t, path);
  if (access === undefined) throw notWritable(t, path);
  if (access === 'atomic') {
    await writeAtomic(t, path, content);
    return;
  }
  check(await t.exec(overwriteSyncedArgv(path), { ...QUIET, stdin: content }), `writing ${path} on ${t.name}`);
  check(await t.exec(truncateArgv(path, Buffer.byteLength(content)), QUIET), `truncating ${path} on ${t.name}`);
}
