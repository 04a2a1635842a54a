import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path/posix';
import { catArgv, mkdirArgv, removeTreeArgv, renameArgv, syncPathArgv, writeSyncedArgv } from '../commands/files.js';
import { UserError } from '../core/errors.js';
import type { ExecResult, Transport } from '../transports/types.js';

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;

export function check(r: ExecResult, what: string): ExecResult {
  if (r.code !== 0) throw new UserError(`${what} failed (exit ${r.code}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r;
}

/** A file's text, or undefined when it does not exist. */
export async function readText(t: Transport, path: string): Promise<string | undefined> {
  const r = await t.exec(catArgv(path), QUIET);
  if (r.code === 0) return r.stdout;
  if (/No such file/i.test(r.stderr)) return undefined;
  throw new UserError(`cannot read ${path} on ${t.name}: ${r.stderr.trim()}`);
}

/**
 * Replace a file so readers see either the old or the new content, never a torn one: write a temp file beside it,
 * fsync it, rename it over the target, then sync the directory.
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
