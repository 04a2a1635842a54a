/** Pure argv builders for files on a target: read, atomic write (temp + fsync + rename), directories. */

export const catArgv = (path: string): string[] => ['cat', '--', path];

export const mkdirArgv = (dir: string): string[] => ['mkdir', '-p', '--', dir];

/** `mkdir` without -p: fails when the directory exists, which makes it an atomic test-and-set (the lock). */
export const mkdirExclusiveArgv = (dir: string): string[] => ['mkdir', '--', dir];

export const removeTreeArgv = (path: string): string[] => ['rm', '-rf', '--', path];

export const renameArgv = (from: string, to: string): string[] => ['mv', '-f', '--', from, to];

/** Write standard input to `tmp` and fsync it before returning (GNU and busybox dd both know conv=fsync). */
export const writeSyncedArgv = (tmp: string): string[] => ['dd', `of=${tmp}`, 'conv=fsync', 'status=none'];

/** Flush the directory entry of a rename to disk (coreutils sync FILE…); best effort on other systems. */
export const syncPathArgv = (path: string): string[] => ['sync', '--', path];

export const listDirArgv = (dir: string): string[] => ['ls', '-1', '-A', '--', dir];
