/**
 * Text a server controls (health and smoke bodies, headers, Location values, JSON values, a migration tool's output,
 * container logs, remote stderr, error messages quoting any of these) must never reach the runner's command parser.
 *
 * How the GitHub Actions runner reads a step's output (actions/runner, read 2025):
 * - Lines: `ProcessInvoker.StartReadStream` (src/Runner.Sdk/ProcessInvoker.cs) reads stdout with .NET
 *   `StreamReader.ReadLine`, which ends a line at `\n`, at `\r\n` and at a lone `\r`. So `ok\r::error::x` is two lines,
 *   the second a command.
 * - Every line goes to `ActionCommandManager.TryProcessCommand` (src/Runner.Worker/ActionCommandManager.cs), which tries
 *   `ActionCommand.TryParseV2`, then the legacy `ActionCommand.TryParse` (src/Runner.Common/ActionCommand.cs):
 *   - V2: the line, after `TrimStart()` (.NET whitespace: U+0009–U+000D, space, U+0085, U+00A0, U+1680, U+2000–U+200A,
 *     U+2028, U+2029, U+202F, U+205F, U+3000), starts with `::` and has another `::` after it; the command name is
 *     the text between them up to the first space (properties `k=v,…` after it), the data everything after.
 *   - Legacy: `##[` ANYWHERE in the line, then a `]` after it: `… ##[error]x` is an error annotation `x`.
 *   - The name must be registered (case-insensitive): error, warning, notice, debug, group, endgroup, echo, add-mask,
 *     set-output, save-state, add-matcher, remove-matcher, stop-commands (set-env and add-path are refused).
 * - `::stop-commands::TOKEN` stops all processing until a line is the command `TOKEN` (`::TOKEN::`); meanwhile lines
 *   are printed as they are. A TOKEN nobody can guess fences a block.
 *
 * Our log lines therefore carry server text either fenced (actions mode: the logger's `fenced`, a fresh random token
 * per block) or neutralised by `untrusted` (a form the runner shows but never parses: control characters written as
 * `\r`, `\x1b`…, `##[` as `##\[`, a leading `::` as `:\:`), and workflow commands we write escape their data (`%0D`,
 * `%0A`), so one command is one line whose own `::name::` is what V2 parses.
 */

/** .NET `char.IsWhiteSpace`, which `string.TrimStart()` trims before V2 looks for `::`. */
const DOTNET_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${DOTNET_SPACE}]+`);

/** The lines the runner sees in `text` (StreamReader.ReadLine: `\n`, `\r\n` or a lone `\r` ends a line). */
export function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A parsed workflow command, as the runner's model below reads it. */
export interface WorkflowCommand {
  name: string;
  properties: string;
  data: string;
}

/** `line` as TryParseV2 then TryParse read it (any command name), or undefined when neither does. */
export function parseCommand(line: string): WorkflowCommand | undefined {
  const trimmed = line.replace(LEADING_SPACE, '');
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) return split(trimmed.slice(2, end), trimmed.slice(end + 2));
  }
  const prefix = line.indexOf('##[');
  if (prefix >= 0) {
    const rb = line.indexOf(']', prefix);
    if (rb >= 0) return split(line.slice(prefix + 3, rb), line.slice(rb + 1));
  }
  return undefined;
}

function split(info: string, data: string): WorkflowCommand {
  const space = info.indexOf(' ');
  return space < 0
    ? { name: info, properties: '', data }
    : { name: info.slice(0, space), properties: info.slice(space + 1), data };
}

/** Would the runner try `text` (one or more lines) as a command? */
export function parsesAsCommand(text: string): boolean {
  return runnerLines(text).some((l) => parseCommand(l) !== undefined);
}

/**
 * The commands the runner would obey in a step's whole stdout: lines split as ReadLine splits them, each parsed as
 * above, `stop-commands` honoured. A model for tests (names are not checked against the registered list, so it
 * reports more than the runner would, never less).
 */
export function obeyedCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const line of runnerLines(stdout)) {
    const c = parseCommand(line);
    if (c === undefined) continue;
    if (stopToken !== undefined) {
      if (c.name.toLowerCase() === stopToken.toLowerCase()) stopToken = undefined;
      continue;
    }
    if (c.name.toLowerCase() === 'stop-commands') stopToken = c.data;
    out.push(c);
  }
  return out;
}

/** Control characters other than tab: C0, DEL, C1, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\u001b': '\\e' };

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return (
    NAMED[ch] ?? (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`)
  );
}

/** One line made inert: control characters shown as escapes, `##[` as `##\[`, a leading `::` as `:\:`. */
function inertLine(line: string): string {
  const shown = line.replace(CONTROL, visible).replaceAll('##[', '##\\[');
  const lead = LEADING_SPACE.exec(shown)?.[0] ?? '';
  return shown.slice(lead.length).startsWith('::') ? `${lead}:\\:${shown.slice(lead.length + 2)}` : shown;
}

/**
 * Text a server controls, made safe to print on its own or inside our own lines: each `\n`-separated line (a `\r\n`
 * ending is one line end) is made inert, so the runner shows every character and parses none. Line ends stay.
 */
export function untrusted(text: string): string {
  return text.split(/\r?\n/).map(inertLine).join('\n');
}
