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

export { failureText } from '../transports/exit-status.js';
