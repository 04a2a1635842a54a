/**
 * The nginx access log a canary is judged on: the format the toolkit needs (one line per request, every upstream
 * attempt with its address, status and time), its parser, and the readers that take only what a step's window added
 * (by byte offset, over the target's transport). Lines in another format are counted as foreign, never guessed at.
 *
 * nginx writes several attempts of one request (proxy_next_upstream retries) as `a, b` and the attempts of an
 * internal redirect as `a : b`, in $upstream_addr, $upstream_status and $upstream_response_time alike; `-` means no
 * answer / not measured (ngx_http_upstream_module, "Embedded Variables").
 */

import { sizeArgv, tailArgv, tailFromArgv } from '../commands/files.js';
import { ACCESS_LOG_FORMAT, ACCESS_LOG_FORMAT_NAME, ACCESS_LOG_PREFIX, accessLogDirective } from '../commands/nginx.js';
import { errorMessage } from '../core/errors.js';
import { failureText } from '../transports/exit-status.js';
import type { Transport } from '../transports/types.js';

export { ACCESS_LOG_FORMAT, ACCESS_LOG_FORMAT_NAME, ACCESS_LOG_PREFIX, accessLogDirective } from '../commands/nginx.js';

/** One upstream attempt of a request. */
export interface UpstreamAttempt {
  /** `10.0.0.5:8080`, `unix:/run/app.sock`, or the upstream's name when no server could be chosen. */
  address: string;
  /** The upstream's status; undefined when it gave none (`-`: no answer). */
  status?: number;
  /** The attempt's time in seconds: its $upstream_response_time, or the whole request's when that is `-`. */
  seconds: number;
  /** No status, or a status ≥ 500. */
  error: boolean;
}

/** One request as the format logs it. */
export interface AccessEntry {
  /** When nginx logged it (the request's end): epoch milliseconds. */
  atMs: number;
  /** The status nginx sent the client. */
  status: number;
  /** $request_time in seconds. */
  seconds: number;
  /** In order; empty when the request never reached an upstream (`-`). */
  attempts: UpstreamAttempt[];
}

export interface ParsedAccessLog {
  entries: AccessEntry[];
  /** Non-empty lines not in the format (another log_format, a cut line). */
  foreign: number;
  firstForeign?: string;
}

const LINE = new RegExp(
  `^${ACCESS_LOG_PREFIX} (\\d+(?:\\.\\d+)?) (\\d{3}) (\\d+(?:\\.\\d+)?) "([^"]*)" "([^"]*)" "([^"]*)"$`,
);
/** Between attempts (`, `) and between internal redirects (` : `); an address's own `:` has no spaces around it. */
const ATTEMPT_SEPARATOR = /, | : /;

const listOf = (field: string): string[] => field.split(ATTEMPT_SEPARATOR).map((s) => s.trim());
const secondsOf = (s: string): number | undefined => (/^\d+(?:\.\d+)?$/.test(s) ? Number(s) : undefined);

/** One line in the format, or undefined for any other line (the three upstream lists must have as many items). */
export function parseAccessLine(line: string): AccessEntry | undefined {
  const m = LINE.exec(line.trimEnd());
  if (!m) return undefined;
  const [, msec, status, requestTime, addrs, statuses, times] = m as unknown as string[];
  const seconds = Number(requestTime);
  const entry = { atMs: Math.round(Number(msec) * 1000), status: Number(status), seconds };
  if (addrs === '-' || addrs === '') return { ...entry, attempts: [] };
  const a = listOf(addrs as string);
  const s = listOf(statuses as string);
  const t = listOf(times as string);
  if (s.length !== a.length || t.length !== a.length) return undefined;
  const attempts: UpstreamAttempt[] = [];
  for (let i = 0; i < a.length; i++) {
    const st = s[i] as string;
    if (st !== '-' && !/^\d{3}$/.test(st)) return undefined;
    const code = st === '-' ? undefined : Number(st);
    attempts.push({
      address: a[i] as string,
      status: code,
      seconds: secondsOf(t[i] as string) ?? seconds,
      error: code === undefined || code >= 500,
    });
  }
  return { ...entry, attempts };
}

/** Every line of `text` (empty lines skipped). */
export function parseAccessLog(text: string): ParsedAccessLog {
  const entries: AccessEntry[] = [];
  let foreign = 0;
  let firstForeign: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const e = parseAccessLine(line);
    if (e) entries.push(e);
    else {
      foreign++;
      firstForeign ??= line.trimEnd();
    }
  }
  return firstForeign === undefined ? { entries, foreign } : { entries, foreign, firstForeign };
}

/** The log's size in bytes, or undefined when there is no file at `path`. Throws when it cannot be asked (EACCES). */
export async function accessLogSize(t: Transport, path: string): Promise<number | undefined> {
  const r = await t.exec(sizeArgv(path), { quiet: true });
  if (r.code === 0 && /^\d+\s*$/.test(r.stdout)) return Number(r.stdout.trim());
  if (/no such file/i.test(r.stderr)) return undefined;
  throw new Error(`cannot read the size of ${path} on ${t.name}: ${failureText(r)}`);
}

export interface AccessLogChunk {
  /** Whole lines only: a line nginx is still writing is left for the next read. */
  text: string;
  /** The offset to read from next time (bytes). */
  size: number;
  /** The file was shorter than the offset (rotated, truncated) or gone: read from its start. */
  rotated: boolean;
}

/**
 * The lines added to the log since byte `offset`. A file shorter than `offset` was rotated: it is read from 0 (what
 * the old file got after the last read is lost) and `rotated` says so; a missing file reads as empty. The byte count
 * assumes what nginx writes is ASCII (it escapes other bytes in variables as \xHH).
 */
export async function readAccessLogSince(t: Transport, path: string, offset: number): Promise<AccessLogChunk> {
  const size = await accessLogSize(t, path);
  if (size === undefined) return { text: '', size: 0, rotated: offset > 0 };
  const rotated = size < offset;
  const from = rotated ? 0 : offset;
  if (size === from) return { text: '', size: from, rotated };
  const r = await t.exec(tailFromArgv(path, from), { quiet: true });
  if (r.code !== 0) throw new Error(`cannot read ${path} on ${t.name}: ${failureText(r)}`);
  const text = r.stdout.slice(0, r.stdout.lastIndexOf('\n') + 1);
  return { text, size: from + Buffer.byteLength(text), rotated };
}

/** Bytes of the log's end the pre-deploy check reads, and the lines of it that must be in the format. */
const CHECK_TAIL_BYTES = 16_384;
const CHECK_LINES = 50;

/** What to add to nginx, for every message that finds the format missing. */
function howToAdd(path: string): string {
  return `add \`${ACCESS_LOG_FORMAT}\` to nginx's http block and \`${accessLogDirective(path)}\` to the server that proxies to the upstream, then reload nginx`;
}

/** What the access log at a path shows: pass, warn (nothing proves the format yet, older foreign lines), fail. */
export interface AccessLogFinding {
  status: 'pass' | 'warn' | 'fail';
  detail: string;
}

/**
 * `strategy.canary.access-log` as pre-deploy-check and the canary's own start read it: the file exists, the deploy user can read it, and its last
 * lines are in the format. Empty: a warning (nothing proves the format yet). The newest line foreign: a failure
 * naming it; only older lines foreign (written before the format was set): a warning.
 */
export async function inspectAccessLog(t: Transport, path: string): Promise<AccessLogFinding> {
  try {
    const size = await accessLogSize(t, path);
    if (size === undefined) return { status: 'fail', detail: `no access log at ${path}: ${howToAdd(path)}` };
    const r = await t.exec(tailArgv(path, CHECK_TAIL_BYTES), { quiet: true });
    if (r.code !== 0) {
      return {
        status: 'fail',
        detail: `${path} is not readable by the deploy user (${failureText(r)}): let it read the log (e.g. the group nginx gives its logs, often adm)`,
      };
    }
    const lines = r.stdout.split('\n');
    if (size > CHECK_TAIL_BYTES) lines.shift(); // cut in the middle
    const last = lines.filter((l) => l.trim() !== '').slice(-CHECK_LINES);
    if (last.length === 0) {
      return {
        status: 'warn',
        detail: `${path} is empty: nothing proves it is written as ${ACCESS_LOG_FORMAT_NAME} yet; make sure nginx has \`${ACCESS_LOG_FORMAT}\` and \`${accessLogDirective(path)}\``,
      };
    }
    const parsed = parseAccessLog(last.join('\n'));
    if (parsed.foreign === 0) {
      return {
        status: 'pass',
        detail: `${path}: the last ${last.length} lines are in the ${ACCESS_LOG_FORMAT_NAME} format`,
      };
    }
    const first = (parsed.firstForeign ?? '').slice(0, 200);
    const counted = `${parsed.foreign} of the last ${last.length} lines of ${path} are not in the ${ACCESS_LOG_FORMAT_NAME} format (first: ${first})`;
    if (parseAccessLine(last.at(-1) ?? '') === undefined)
      return { status: 'fail', detail: `${counted}: ${howToAdd(path)}` };
    return {
      status: 'warn',
      detail: `${counted}; the newest is in the format (older lines written before it was set are harmless)`,
    };
  } catch (err) {
    return { status: 'fail', detail: errorMessage(err) };
  }
}
