/**
 * The one boundary where argv becomes a command string for a remote POSIX shell. Nothing else in the codebase joins
 * arguments into a string.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quote one argument so a POSIX shell reads it back as exactly these bytes. */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) {
    throw new Error('an argument contains a NUL byte, which no POSIX command line can carry');
  }
  if (arg !== '' && SAFE.test(arg)) return arg;
  // Inside single quotes nothing is special except the single quote itself: close, emit an escaped quote, reopen.
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface RemoteCommandOptions {
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

/**
 * Build the string an SSH server hands to the user's login shell (`$SHELL -c <string>`), from argv plus optional
 * working directory and environment. `exec` replaces the shell, so signals and exit codes belong to the command.
 */
export function toRemoteCommand(argv: readonly string[], opts: RemoteCommandOptions = {}): string {
  const [program] = argv;
  if (program === undefined || program === '') throw new Error('cannot run an empty command');
  if (program.startsWith('-')) throw new Error(`refusing to run a program whose name starts with "-": ${program}`);
  if (program.includes('=')) throw new Error(`refusing to run a program whose name contains "=": ${program}`);
  const parts: string[] = [];
  if (opts.cwd !== undefined) parts.push('cd', '--', quoteArg(opts.cwd), '&&');
  parts.push('exec');
  const env = Object.entries(opts.env ?? {});
  if (env.length > 0) {
    parts.push('env');
    for (const [name, value] of env) {
      if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
      parts.push(quoteArg(`${name}=${value}`));
    }
  }
  for (const arg of argv) parts.push(quoteArg(arg));
  return parts.join(' ');
}
