/** Running a check's commands on a target: quiet, with the target's environment, a timeout and the run's signal. */
import { errorLine } from '../core/stderr.js';
import { exitText } from '../transports/exit-status.js';
import type { ExecResult, Transport } from '../transports/types.js';

/** Run argv on the target (optionally in `cwd`, with `env` added to the target's). Rejects like Transport.exec. */
export type HostRun = (
  argv: readonly string[],
  o?: { cwd?: string; env?: Readonly<Record<string, string>> },
) => Promise<ExecResult>;

export interface HostRunOptions {
  /** The target's configured environment (e.g. DOCKER_HOST), given to every command. */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A HostRun over `t`: output captured, not streamed to the log. */
export function hostRun(t: Transport, o: HostRunOptions): HostRun {
  return (argv, extra = {}) =>
    t.exec(argv, {
      quiet: true,
      cwd: extra.cwd,
      env: { ...o.env, ...extra.env },
      timeoutMs: o.timeoutMs,
      signal: o.signal,
    });
}

/** What a failed command said: its error line (at most 300 characters), else its exit code. */
export function failureText(r: ExecResult): string {
  return errorLine(r.stderr).slice(0, 300) || errorLine(r.stdout).slice(0, 300) || exitText(r);
}
