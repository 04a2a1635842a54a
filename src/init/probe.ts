/** The survey's one way to run a read command on the server: quiet, logged at debug, a timeout a note not a failure. */
import { TimeoutError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { errorLine } from '../core/stderr.js';
import { exitText } from '../transports/exit-status.js';
import type { ExecResult, Transport } from '../transports/types.js';

/** Run one read command (argv) on the surveyed server, with extra environment (DOCKER_HOST). */
export type Probe = (argv: readonly string[], o?: { env?: Readonly<Record<string, string>> }) => Promise<ExecResult>;

/** A Probe over `t`: output captured, every argv logged at debug; a command that times out answers exit -1. */
export function probeOver(t: Transport, o: { log: Logger; timeoutMs: number; signal?: AbortSignal }): Probe {
  return async (argv, extra = {}) => {
    o.log.debug(`survey: ${JSON.stringify(argv)}`);
    try {
      return await t.exec(argv, { quiet: true, env: extra.env, timeoutMs: o.timeoutMs, signal: o.signal });
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      return { code: -1, stdout: '', stderr: err.message };
    }
  };
}

/** Exit 127: the shell found no such program. */
export const notInstalled = (r: ExecResult): boolean => r.code === 127;

/** What a failed command said: its error line (at most 200 characters), else its exit code. */
export function failureText(r: ExecResult): string {
  return errorLine(r.stderr).slice(0, 200) || errorLine(r.stdout).slice(0, 200) || exitText(r);
}
