import { Readable } from 'node:stream';
import { ConfigError } from '../core/errors.js';
import type { ExecOptions } from './types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A constant POSIX shell prelude: read `NAME=value` lines from standard input up to an empty line, export them,
 * then exec the command with the rest of standard input untouched (`read` takes one byte at a time from a pipe).
 * Secrets given this way never appear in any process's argv or in the SSH command string.
 */
const SECRET_ENV_PRELUDE =
  'while IFS= read -r __runbook_env; do [ -z "$__runbook_env" ] && break; export "$__runbook_env"; done; exec "$@"';

/**
 * Why `value` cannot be delivered as a secret environment variable, or undefined when it can. The prelude reads one
 * line per variable, so a line break cannot be carried (a trailing one is nearly always pasted by mistake with the
 * secret), and no environment variable can hold a NUL byte. Worded to follow the variable's name.
 */
export function secretEnvProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte, which no environment variable can hold';
  if (/\r?\n$/.test(value)) {
    return 'ends in a line break (usually saved with the secret by mistake): store the secret without it';
  }
  if (value.includes('\n')) return 'contains a line break, which cannot be passed to a remote command';
  return undefined;
}

/** Wrap argv and stdin so `secretEnv` reaches the program's environment through stdin, never the command line. */
export function withSecretEnv(
  argv: readonly string[],
  secretEnv: Readonly<Record<string, string>>,
  stdin: ExecOptions['stdin'],
): { argv: string[]; stdin: Readable } {
  const lines = Object.entries(secretEnv).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
    const problem = secretEnvProblem(value);
    if (problem) throw new ConfigError(`the secret passed as ${name} ${problem}`);
    return `${name}=${value}\n`;
  });
  const head = Buffer.from(`${lines.join('')}\n`);
  const body = stdin;
  const stream = Readable.from(
    (async function* () {
      yield head;
      if (body === undefined) return;
      if (typeof body === 'string' || Buffer.isBuffer(body)) yield Buffer.from(body);
      else for await (const chunk of body) yield chunk as Buffer;
    })(),
  );
  return { argv: ['sh', '-c', SECRET_ENV_PRELUDE, 'sh', ...argv], stdin: stream };
}
