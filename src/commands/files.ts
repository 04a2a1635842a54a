/**
 * Pure argv builders for files on a target: read, atomic write (temp + fsync + rename), directories, removal, size
 * and checksums. Every path comes after `--`, so a name starting with `-` is never an option.
 */

export const catArgv = (path: string): string[] => ['cat', '--', path];

/** Several files in one `cat`, concatenated in order (a missing one is reported on stderr, the rest still printed). */
export const catFilesArgv = (paths: readonly string[]): string[] => ['cat', '--', ...paths];

/** Exits 0 when something exists at `path`. */
export const existsArgv = (path: string): string[] => ['test', '-e', path];

/** Exits 0 when the user running it may write `path` (a file, or a directory's entries). */
export const writableArgv = (path: string): string[] => ['test', '-w', path];

/** Write standard input over the file at `path` in place (same inode, owner and mode), fsynced. */
export const overwriteSyncedArgv = (path: string): string[] => [
  'dd',
  `of=${path}`,
  'conv=fsync,notrunc',
  'status=none',
];

/** Cut the file at `path` to `bytes` bytes (after an in-place write shorter than the old content). */
export const truncateArgv = (path: string, bytes: number): string[] => ['truncate', '-s', String(bytes), '--', path];

export const mkdirArgv = (dir: string): string[] => ['mkdir', '-p', '--', dir];

/** `mkdir` without -p: fails when the directory exists, which makes it an atomic test-and-set (the lock). */
export const mkdirExclusiveArgv = (dir: string): string[] => ['mkdir', '--', dir];

export const removeTreeArgv = (path: string): string[] => ['rm', '-rf', '--', path];

/** Remove files; a missing one is not an error (`-f`). */
export const removeFilesArgv = (files: readonly string[]): string[] => ['rm', '-f', '--', ...files];

export const renameArgv = (from: string, to: string): string[] => ['mv', '-f', '--', from, to];

/** Write standard input to `tmp` and fsync it before returning (GNU and busybox dd both know conv=fsync). */
export const writeSyncedArgv = (tmp: string): string[] => ['dd', `of=${tmp}`, 'conv=fsync', 'status=none'];

/** Flush the directory entry of a rename to disk (coreutils sync FILE…); best effort on other systems. */
export const syncPathArgv = (path: string): string[] => ['sync', '--', path];

export const listDirArgv = (dir: string): string[] => ['ls', '-1', '-A', '--', dir];

/** `<64 hex digits>  <file>`: the SHA-256 of a file. */
export const sha256Argv = (file: string): string[] => ['sha256sum', '--', file];

/** A file's size in bytes, as decimal digits (GNU and busybox stat). */
export const sizeArgv = (file: string): string[] => ['stat', '-c', '%s', '--', file];

/** The last `bytes` bytes of a file. */
export const tailArgv = (file: string, bytes: number): string[] => ['tail', '-c', String(bytes), '--', file];

/** A file from byte `offset` (0-based) to its end (`tail -c +N` counts from 1; GNU and busybox tail). */
export const tailFromArgv = (file: string, offset: number): string[] => ['tail', '-c', `+${offset + 1}`, '--', file];

/** Exits 0 when a gzip file is whole (every member's CRC and length check out). */
export const gzipTestArgv = (file: string): string[] => ['gzip', '-t', '--', file];
