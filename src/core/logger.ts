import { type Clock, systemClock } from './clock.js';
import type { Logger } from './log-types.js';
import type { Masker } from './masker.js';
import { parsesAsCommand, untrusted } from './untrusted.js';

export type { Logger } from './log-types.js';

export interface LoggerOptions {
  /** Writes one line (without the trailing newline). */
  sink: (line: string) => void;
  masker: Masker;
  /** `actions` speaks workflow commands; `cli` prints plain text for a terminal. */
  mode: 'actions' | 'cli';
  debug: boolean;
  /** Called with each newly masked form (the Actions runner registers it via add-mask). */
  onSecretForm?: (form: string) => void;
  /** Times groups (the CLI's `◀ name (1.2s)` line); default the system clock. The runner passes the run's clock. */
  clock?: Clock;
}

/** Escape data for a workflow command so it cannot end the command or start a new line. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * A partial remote line is printed after this long without its newline. This is output pacing, not logic: a plain,
 * unref'd timer (a clock's sleep would fire at once under a test clock and split lines, and would hold the process).
 * Such a flush never prints the start of a secret: a tail that could begin a masked form is held back (Masker.safeCut)
 * until the rest arrives or the group ends.
 */
const FLUSH_AFTER_MS = 150;

export class StreamLogger implements Logger {
  private readonly partial = new Map<string, string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private groupDepth = 0;

  constructor(private readonly opts: LoggerOptions) {}

  debug(message: string): void {
    if (this.opts.mode === 'actions') this.command('debug', message);
    else if (this.opts.debug) this.plain(`debug: ${message}`);
  }

  info(message: string): void {
    this.plain(message);
  }

  warn(message: string): void {
    if (this.opts.mode === 'actions') this.command('warning', message);
    else this.plain(`warning: ${message}`);
  }

  error(message: string): void {
    if (this.opts.mode === 'actions') this.command('error', message);
    else this.plain(`error: ${message}`);
  }

  /**
   * Run `fn` inside a log group and return its result (errors pass through). Actions mode: `::group::`/`::endgroup::`
   * at the top level; CLI mode (and nested groups): `▶ name` … `◀ name (1.2s)`, seconds measured by the clock.
   */
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const nested = this.groupDepth > 0;
    const clock = this.opts.clock ?? systemClock;
    const started = clock.now().getTime();
    if (this.opts.mode === 'actions' && !nested) this.opts.sink(`::group::${escapeData(this.opts.masker.mask(name))}`);
    else this.plain(`${'  '.repeat(this.groupDepth)}▶ ${name}`);
    this.groupDepth++;
    try {
      return await fn();
    } finally {
      this.flushRemote();
      this.groupDepth--;
      const seconds = ((clock.now().getTime() - started) / 1000).toFixed(1);
      if (this.opts.mode === 'actions' && !nested) this.opts.sink('::endgroup::');
      else this.plain(`${'  '.repeat(this.groupDepth)}◀ ${name} (${seconds}s)`);
    }
  }

  remote(source: string, stream: 'stdout' | 'stderr', text: string): void {
    const key = `${source}\u0000${stream}`;
    const buffered = (this.partial.get(key) ?? '') + text;
    const lines = buffered.split('\n');
    const rest = lines.pop() ?? '';
    if (rest === '') this.partial.delete(key);
    else this.partial.set(key, rest);
    if (lines.length > 0) this.emitRemote(source, stream, lines);
    if (this.partial.size > 0 && this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flushPartial(), FLUSH_AFTER_MS);
      this.flushTimer.unref();
    }
  }

  /** Print any buffered partial lines of remote output, whole (the output ended or its group did). */
  flushRemote(): void {
    this.flushPartial(true);
  }

  /**
   * Print buffered partial lines: all of them when `all`, else (the pacing timer) each up to where no secret could be
   * split, the rest kept for the next chunk.
   */
  private flushPartial(all = false): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const entries = [...this.partial.entries()];
    this.partial.clear();
    for (const [key, rest] of entries) {
      const cut = all ? rest.length : this.opts.masker.safeCut(rest);
      if (cut < rest.length) this.partial.set(key, rest.slice(cut));
      if (cut === 0) continue;
      const [source = '', stream = 'stdout'] = key.split('\u0000');
      this.emitRemote(source, stream as 'stdout' | 'stderr', [rest.slice(0, cut)]);
    }
  }

  /** Mask a text without logging it (for messages handed to the runner, such as the failure line). */
  maskText(text: string): string {
    return this.opts.masker.mask(text);
  }

  mask(text: string): string {
    return this.opts.masker.mask(text);
  }

  addSecret(value: string): void {
    for (const form of this.opts.masker.add(value)) this.opts.onSecretForm?.(form);
  }

  private emitRemote(source: string, stream: 'stdout' | 'stderr', lines: string[]): void {
    const marker = stream === 'stderr' ? '!' : ' ';
    const rendered = lines.map((l) => `[${source}]${marker} ${this.opts.masker.mask(l.replace(/\r$/, ''))}`);
    this.fenced(rendered);
  }

  /**
   * Lines that are not ours to trust (see untrusted.ts for the runner's rules). Actions mode: fenced with
   * stop-commands under a fresh random token per block (a token printed earlier in a public log cannot be replayed),
   * printed exactly. CLI mode (a terminal, or the CLI inside a workflow step): each line made inert by `untrusted`.
   * The random generator (node's crypto, a few milliseconds to load) starts only when a block is fenced.
   */
  private fenced(lines: string[]): void {
    if (this.opts.mode !== 'actions') {
      for (const l of lines) this.opts.sink(untrusted(l));
      return;
    }
    const token = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    this.opts.sink(`::stop-commands::${token}`);
    for (const l of lines) this.opts.sink(l);
    this.opts.sink(`::${token}::`);
  }

  private plain(message: string): void {
    const masked = this.opts.masker.mask(message);
    const lines = masked.split(/\r?\n/);
    // Our own messages may quote remote text (an error from a server); never let a line act as a command: a lone
    // `\r`, `##[` anywhere or a leading `::` fences the message (actions) or is made inert (CLI).
    if (this.opts.mode === 'cli' || parsesAsCommand(masked)) this.fenced(lines);
    else for (const l of lines) this.opts.sink(l);
  }

  private command(name: string, message: string): void {
    this.opts.sink(`::${name}::${escapeData(this.opts.masker.mask(message))}`);
  }
}

/** A logger that says nothing and masks nothing: where nothing may be printed (checking CLI inputs before a run). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  group: (_name, fn) => fn(),
  remote: () => {},
  addSecret: () => {},
  mask: (text) => text,
};
