import type { Logger } from '../../../src/core/log-types.js';

export type LoggedCall =
  | { kind: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { kind: 'group'; message: string }
  | { kind: 'remote'; source: string; stream: 'stdout' | 'stderr'; message: string }
  | { kind: 'secret'; message: string };

export interface CapturedLogger extends Logger {
  /** Every call, in order. */
  readonly calls: LoggedCall[];
  /** Messages of one kind. */
  messages(kind: LoggedCall['kind']): string[];
  /** All remote output of one stream, concatenated in arrival order. */
  remoteText(stream: 'stdout' | 'stderr', source?: string): string;
}

/** A Logger that records every call for assertions and writes nothing. */
export function captureLogger(): CapturedLogger {
  const calls: LoggedCall[] = [];
  return {
    calls,
    debug: (message) => void calls.push({ kind: 'debug', message }),
    info: (message) => void calls.push({ kind: 'info', message }),
    warn: (message) => void calls.push({ kind: 'warn', message }),
    error: (message) => void calls.push({ kind: 'error', message }),
    group: async (name, fn) => {
      calls.push({ kind: 'group', message: name });
      return fn();
    },
    remote: (source, stream, message) => void calls.push({ kind: 'remote', source, stream, message }),
    addSecret: (message) => void calls.push({ kind: 'secret', message }),
    // Masks what addSecret registered, as the real logger does.
    mask: (text) =>
      calls
        .filter((c) => c.kind === 'secret' && c.message !== '')
        .reduce((t, c) => t.split(c.message).join('***'), text),
    messages: (kind) => calls.filter((c) => c.kind === kind).map((c) => c.message),
    remoteText: (stream, source) =>
      calls
        .filter((c) => c.kind === 'remote' && c.stream === stream && (source === undefined || c.source === source))
        .map((c) => c.message)
        .join(''),
  };
}
