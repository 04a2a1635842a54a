/** One command on one SSH session channel: streaming output, stdin, exit status, timeout/abort kill. */
import type { Client, ClientChannel } from 'ssh2';
import { ConnectionError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { CommandOutput, feedStdin, watchCommand } from './command.js';
import type { ExecOptions, ExecResult } from './types.js';

export interface ChannelContext {
  client: Client;
  /** Transport name, used as the log source. */
  source: string;
  /** `user@host:port`, for messages. */
  where: string;
  logger: Logger;
  /** Register a callback for a lost connection; returns the unregister function. */
  onLost(cb: (err: ConnectionError) => void): () => void;
  /**
   * Called once when the channel is really gone (closed by both sides, never opened, or the connection lost), which
   * can be after the promise settled: a killed command's channel counts against MaxSessions until then.
   */
  release(): void;
}

/**
 * Run an already-quoted command string (from `toRemoteCommand`, never built here). `program` names it in messages.
 * Resolves with the exit status; rejects with TimeoutError / CancelledError (after killing it) or ConnectionError.
 */
export function execOnChannel(
  ctx: ChannelContext,
  command: string,
  program: string,
  opts: ExecOptions,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const output = new CommandOutput(ctx.logger, ctx.source, opts.quiet === true);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      ctx.release();
    };
    let channel: ClientChannel | undefined;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      disarm();
      unsubscribe();
      fn();
    };
    const disarm = watchCommand(
      program,
      opts,
      () => {
        if (channel) killChannel(channel);
      },
      (err) => settle(() => reject(err)),
    );
    const unsubscribe = ctx.onLost((err) => {
      release();
      settle(() => reject(new ConnectionError(`${err.message} while running \`${program}\``)));
    });

    // sshd counts a session until it has cleaned up after the previous one; under load a new channel can be
    // refused for a moment ("open failed"). Retry a few times before calling it a failure.
    let attempt = 0;
    const open = (): void => {
      ctx.client.exec(command, onChannel);
    };
    const onChannel = (err: Error | undefined, ch: ClientChannel): void => {
      if (err && /open failed/i.test(err.message) && attempt < OPEN_RETRIES && !settled) {
        attempt++;
        setTimeout(open, 100 * attempt);
        return;
      }
      if (err) {
        release();
        settle(() => reject(new ConnectionError(`could not start \`${program}\` on ${ctx.where}: ${err.message}`)));
        return;
      }
      if (settled) {
        // Timed out, cancelled or disconnected while the channel was opening.
        ch.on('close', release);
        killChannel(ch);
        return;
      }
      channel = ch;
      let exit: { code: number | null; signal?: string } | undefined;
      ch.on('data', (chunk: Buffer) => output.push('stdout', chunk));
      ch.stderr.on('data', (chunk: Buffer) => output.push('stderr', chunk));
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = { code, signal };
      });
      ch.on('error', (e: Error) => ctx.logger.debug(`ssh: channel for \`${program}\` on ${ctx.where}: ${e.message}`));
      ch.on('close', () => {
        release();
        const text = output.finish();
        const status = exit;
        if (status === undefined) {
          settle(() =>
            reject(
              new ConnectionError(`the connection to ${ctx.where} ended before \`${program}\` reported an exit status`),
            ),
          );
        } else if (status.code === null) {
          settle(() => resolve({ code: -1, signal: status.signal ?? 'unknown', ...text }));
        } else {
          settle(() => resolve({ code: status.code ?? -1, ...text }));
        }
      });
      feedStdin(ch, opts.stdin);
    };
    open();
  });
}

/** How often a refused channel open is retried (sshd still counting a session that just ended). */
const OPEN_RETRIES = 3;

type ChannelInternals = {
  _client?: { _protocol?: { signal(id: number, name: string): void } };
  outgoing?: { id: number; state: string };
};

/**
 * Send SIGKILL to the remote command, then close the channel. ssh2's public `signal()` is a no-op once stdin was
 * ended (outgoing state `eof`), but a signal request is still valid on a half-closed channel (RFC 4254 §6.9), so
 * send it through the protocol object; the public method is the fallback if ssh2's internals ever change.
 */
function killChannel(ch: ClientChannel): void {
  try {
    const internals = ch as unknown as ChannelInternals;
    const state = internals.outgoing?.state;
    if (internals.outgoing && (state === 'open' || state === 'eof')) {
      internals._client?._protocol?.signal(internals.outgoing.id, 'KILL');
    } else {
      ch.signal('KILL');
    }
  } catch {
    // The channel may already be gone; closing below is all that is left to do.
  }
  try {
    ch.close();
  } catch {
    // Already closed.
  }
}
