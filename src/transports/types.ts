import type { Duplex, Readable } from 'node:stream';

/** Options for one command. `argv` is never joined by callers: the transport owns the one quoting boundary. */
export interface ExecOptions {
  /** Extra environment for the command (names must match [A-Za-z_][A-Za-z0-9_]*). Not for secrets on SSH: values travel in the command line. */
  env?: Readonly<Record<string, string>>;
  /**
   * Environment that must never be visible in a command line (passwords): delivered through standard input to a
   * constant shell prelude on SSH targets, and through the process environment locally.
   */
  secretEnv?: Readonly<Record<string, string>>;
  /** Working directory on the target. */
  cwd?: string;
  /** Bytes fed to the command's standard input; the stream is ended afterwards. */
  stdin?: string | Buffer | Readable;
  /** Kill the command and reject with TimeoutError after this many milliseconds. */
  timeoutMs?: number;
  /** Abort (e.g. on SIGINT): the command is killed and the promise rejects with CancelledError. */
  signal?: AbortSignal;
  /** Do not stream output to the logger (still captured). Use for output that is parsed, not shown. */
  quiet?: boolean;
}

export interface ExecResult {
  /** Exit code; -1 when the command ended by a signal. */
  code: number;
  stdout: string;
  stderr: string;
  /** Signal name when the remote process was killed by one. */
  signal?: string;
}

/** One way to run argv on a target: SSH, local spawn, … Every command of a run to a host reuses one Transport. */
export interface Transport {
  /** Human name used in logs, e.g. `web1 (deploy@10.0.0.5:22)`. */
  readonly name: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Write a stream to a file on the target (created with `mode`, default 0o600). */
  upload(remotePath: string, source: Readable, opts?: { mode?: number }): Promise<void>;
  /** Read a file from the target as a stream. */
  download(remotePath: string): Promise<Readable>;
  /** A TCP connection opened from the target (SSH: direct-tcpip), to probe addresses only the target reaches. */
  connectTcp(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}
