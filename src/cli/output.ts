/**
 * Where the CLI's text goes. A user pipes results, so the result of a command is on stdout and the log (progress,
 * groups, warnings, remote output, the failure line) on stderr; `--json` prints one JSON document on stdout.
 */

/** The two streams, as lines. */
export interface CliStreams {
  /** One line of result (stdout). */
  out(line: string): void;
  /** One line of log (stderr). */
  err(line: string): void;
}

/**
 * The process's stdout and stderr. A reader of stdout that leaves early (`runbook status | head -1`) is not an error:
 * on EPIPE the process ends at once, quietly, with the exit code set so far (0 when nothing failed yet) — what a
 * command killed by SIGPIPE would do, without a stack trace. On stderr, EPIPE only drops the rest of the log (a
 * deploy whose log reader left still finishes, and releases its lock).
 */
export function processStreams(
  proc: Pick<NodeJS.Process, 'stdout' | 'stderr' | 'exit' | 'exitCode'> = process,
): CliStreams {
  let errOpen = true;
  proc.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    proc.exit(typeof proc.exitCode === 'number' ? proc.exitCode : 0);
  });
  proc.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    errOpen = false;
  });
  return {
    out: (line) => {
      proc.stdout.write(`${line}\n`);
    },
    err: (line) => {
      if (errOpen) proc.stderr.write(`${line}\n`);
    },
  };
}

/** What a command prints on stdout in text mode. */
export type ResultKind =
  /** The report the step prints (its top-level lines): status, the backup list, the check report. */
  | 'report'
  /** Its outputs, one `output name=value` line each (values that are JSON documents only with --json). */
  | 'outputs';

/** The commands whose result is the report they print; every other command's result is its outputs. */
const REPORT_COMMANDS: ReadonlySet<string> = new Set(['status', 'backup-list', 'pre-deploy-check']);

export function resultKind(command: string): ResultKind {
  return REPORT_COMMANDS.has(command) ? 'report' : 'outputs';
}

/**
 * A log line of the CLI logger's own shapes: `warning: `, `error: `, `debug: `, remote output `[source]  ` /
 * `[source]! `, and the frames of a stack trace (printed with --debug).
 */
const LOG_LINE = /^(?:warning|error|debug): |^\[[^\]\n]*\][ !] |^ {4}at \S/;
const GROUP_START = /^ *▶ /;
const GROUP_END = /^ *◀ .* \(\d+(?:\.\d+)?s\)$/;

/**
 * The sink of a report command's log: its top-level plain lines (the table, the report, the verdict) are the result,
 * on stdout; warnings, errors, debug, remote output, group markers and everything inside a group (progress) are log,
 * on stderr. The shapes are the CLI-mode logger's (src/core/logger.ts).
 */
export function reportSink(streams: CliStreams): (line: string) => void {
  let depth = 0;
  return (line) => {
    if (GROUP_START.test(line)) {
      depth++;
      streams.err(line);
    } else if (depth > 0 && GROUP_END.test(line)) {
      depth--;
      streams.err(line);
    } else if (depth > 0 || LOG_LINE.test(line)) streams.err(line);
    else streams.out(line);
  };
}

/** An output's value as JSON: a value that is itself a JSON object or array (a report, a journal) embedded as such. */
export function outputValue(value: string): unknown {
  const text = value.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** The `--json` document: the command, whether it succeeded, the failure, and every output (JSON ones embedded). */
export function jsonResult(command: string, ok: boolean, outputs: ReadonlyMap<string, string>, error?: string): string {
  const doc: Record<string, unknown> = { command, ok };
  if (error !== undefined) doc.error = error;
  doc.outputs = Object.fromEntries([...outputs].map(([k, v]) => [k, outputValue(v)]));
  return JSON.stringify(doc);
}

/** Text mode's outputs: `output name=value` lines; a value that is a JSON object or array is left to --json. */
export function outputLines(outputs: ReadonlyMap<string, string>): string[] {
  return [...outputs]
    .filter(([, v]) => typeof outputValue(v) !== 'object')
    .map(([k, v]) => `output ${k}=${v.includes('\n') ? JSON.stringify(v) : v}`);
}
