/** What every transport shares about running one command: collecting its output, its deadline, its stdin. */
import { StringDecoder } from 'node:string_decoder';
import { CancelledError, TimeoutError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { ExecOptions } from './types.js';

/** Collects one command's stdout/stderr as UTF-8 (multibyte characters may span chunks) and streams it to the log. */
export class CommandOutput {
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly text = { stdout: '', stderr: '' };

  constructor(
    private readonly logger: Logger,
    private readonly source: string,
    private readonly quiet: boolean,
  ) {}

  push(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    this.emit(stream, typeof chunk === 'string' ? chunk : this.decoders[stream].write(chunk));
  }

  /** Flush incomplete multibyte sequences and return everything collected. */
  finish(): { stdout: string; stderr: string } {
    this.emit('stdout', this.decoders.stdout.end());
    this.emit('stderr', this.decoders.stderr.end());
    return { ...this.text };
  }

  private emit(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    this.text[stream] += text;
    if (!this.quiet) this.logger.remote(this.source, stream, text);
  }
}

/** `1500` → `1.5s`, `300` → `300ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return `${Number((ms / 1000).toFixed(1))}s`;
}

/**
 * Arm a command's deadline and abort signal. When either fires, `kill()` runs and `fail(error)` is called once.
 * Returns a disarm function to call when the command ends on its own.
 */
export function watchCommand(
  program: string,
  opts: Pick<ExecOptions, 'timeoutMs' | 'signal'>,
  kill: () => void,
  fail: (err: Error) => void,
): () => void {
  let done = false;
  const stop = (err: Error): void => {
    if (done) return;
    disarm();
    try {
      kill();
    } finally {
      fail(err);
    }
  };
  const onAbort = (): void => stop(new CancelledError(`\`${program}\` was cancelled and killed`));
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            stop(
              new TimeoutError(
                `\`${program}\` did not finish within ${formatDuration(opts.timeoutMs ?? 0)} (timeout) and was killed`,
              ),
            ),
          opts.timeoutMs,
        );
  const disarm = (): void => {
    done = true;
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  };
  if (opts.signal?.aborted) queueMicrotask(onAbort);
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  return disarm;
}

/** Write `stdin` (if any) to a command's input and end it, so commands that read input never wait forever. */
export function feedStdin(sink: NodeJS.WritableStream, stdin: ExecOptions['stdin']): void {
  if (stdin === undefined) sink.end();
  else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) sink.end(stdin);
  else stdin.pipe(sink);
}
