/**
 * A release rolled over a fleet: the hosts in batches (`strategy.batch-size` / `max-unavailable`), the hosts of a
 * batch at once — each over its own connection, each bounded by `strategy.host-timeout` — and the rollout stopped at
 * the first host that fails: the other hosts of its batch are cancelled (a cancelled host puts back what it was
 * changing, as a cancelled deploy does), no later batch starts. Pure orchestration: what a host does is `work`.
 */

import type { Clock } from '../../core/clock.js';
import { CancelledError, ConnectionError, errorMessage, UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log-types.js';

/** Where one host stands after the rollout (journaled per host on the release). */
export type HostState = 'live' | 'failed' | 'cancelled' | 'not started' | 'rolled back' | 'left switched';

export interface HostOutcome {
  state: HostState;
  /** Why it failed or was cancelled (one line, masked). */
  error?: string;
  /** Seconds its part took. */
  seconds?: number;
  /**
   * Told to stop, its work did not end within STOP_GRACE_MS (its connection hangs?): the rollout went on without it,
   * so what it runs now is not known.
   */
  abandoned?: boolean;
  /** Its connection was lost mid-part: what it runs now is not known (it may not have put back what it changed). */
  lost?: boolean;
}

/** Was `err` (or an error it wraps) a lost connection to the host? */
function isLostConnection(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ConnectionError) return true;
  return false;
}

export interface RolloutPlan<T extends { name: string }> {
  batches: T[][];
  hostTimeoutMs: number;
}

/** Split `hosts` into batches of `size` (the last may be smaller), in the configured order. */
export function batchesOf<T>(hosts: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < hosts.length; i += Math.max(1, size)) out.push(hosts.slice(i, i + Math.max(1, size)));
  return out;
}

export interface RolloutResult {
  outcomes: Record<string, HostOutcome>;
  /** The first host that failed, and why. */
  failed?: { host: string; error: unknown };
}

/**
 * Run `work(host, signal)` batch after batch. `signal` ends a host's work when the run is cancelled, when another
 * host of its batch failed, or when its `hostTimeoutMs` ran out (then it fails saying so). Never throws for a host's
 * failure: the result says which host failed and where every host stands; a cancel of the whole run is rethrown
 * after the batch settled. `deps.outcomes`, when given, is filled as hosts settle: where every host stands, also when
 * the run was cancelled.
 */
export async function rollOut<T extends { name: string }>(
  plan: RolloutPlan<T>,
  work: (host: T, signal: AbortSignal) => Promise<void>,
  deps: {
    log: Pick<Logger, 'info' | 'warn'>;
    clock: Clock;
    signal: AbortSignal;
    outcomes?: Record<string, HostOutcome>;
    /** A host's work was abandoned (it did not stop when told to): whatever it still does must change nothing shared. */
    onAbandon?: (host: T) => void;
  },
): Promise<RolloutResult> {
  const outcomes: Record<string, HostOutcome> = deps.outcomes ?? {};
  for (const host of plan.batches.flat()) outcomes[host.name] = { state: 'not started' };
  let failed: RolloutResult['failed'];
  const total = plan.batches.length;
  for (const [i, batch] of plan.batches.entries()) {
    deps.signal.throwIfAborted();
    if (total > 1 || batch.length > 1) deps.log.info(`batch ${i + 1}/${total}: ${namesOf(batch)}`);
    const stop = new AbortController();
    await Promise.all(
      batch.map(async (host) => {
        const started = deps.clock.now().getTime();
        // A timer of our own (not AbortSignal.timeout): cleared as soon as the host is done, so a fleet of hosts
        // leaves no host-timeout timers behind.
        const timeout = new AbortController();
        const timer = setTimeout(
          () => timeout.abort(new UserError(`${host.name} took longer than host-timeout`)),
          plan.hostTimeoutMs,
        );
        timer.unref();
        const signal = AbortSignal.any([deps.signal, stop.signal, timeout.signal]);
        const seconds = () => Math.round((deps.clock.now().getTime() - started) / 100) / 10;
        const abandoned = { value: false };
        // A host told to stop gets up to 30 s (half its host-timeout when that is shorter) to put back its change.
        const grace = Math.min(STOP_GRACE_MS, plan.hostTimeoutMs / 2);
        try {
          await abortable(work(host, signal), signal, abandoned, grace, () => {
            const hung = abandoned.value
              ? ` and did not stop within ${grace / 1000}s of being told to (its connection hangs?): what it runs now is not known`
              : '';
            return timeout.signal.aborted
              ? new UserError(`${host.name} took longer than host-timeout (${plan.hostTimeoutMs / 1000}s)${hung}`)
              : new CancelledError(`${host.name}: cancelled${hung}`);
          });
          outcomes[host.name] = { state: 'live', seconds: seconds() };
          deps.log.info(`${host.name}: done in ${seconds()}s`);
        } catch (err) {
          const byOther = stop.signal.aborted && !timeout.signal.aborted && !deps.signal.aborted;
          outcomes[host.name] = {
            state: byOther || deps.signal.aborted ? 'cancelled' : 'failed',
            error: errorMessage(err),
            seconds: seconds(),
            ...(abandoned.value ? { abandoned: true } : {}),
            ...(!abandoned.value && isLostConnection(err) ? { lost: true } : {}),
          };
          if (abandoned.value) deps.onAbandon?.(host);
          if (!byOther && !deps.signal.aborted && !failed) {
            failed = { host: host.name, error: err };
            deps.log.warn(`${host.name} failed after ${seconds()}s: ${errorMessage(err)}; stopping the rollout`);
            stop.abort(new CancelledError(`another host (${host.name}) failed`));
          }
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    deps.signal.throwIfAborted();
    if (failed) break;
  }
  return { outcomes, failed };
}

/** `a, b, c`, or for a long list its first names and how many more: log lines and messages stay readable. */
export function namesOf(hosts: ReadonlyArray<{ name: string } | string>, shown = 10): string {
  const names = hosts.map((h) => (typeof h === 'string' ? h : h.name));
  if (names.length <= shown + 1) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** How long a host's work may take to put back what it was changing once told to stop, before the rollout goes on. */
export const STOP_GRACE_MS = 30_000;

/**
 * `p`; once `signal` aborts, `p` still gets `graceMs` to settle (a cancelled host puts back what it was
 * changing), then the rollout goes on without it (`abandoned.value` set): a host whose connection hangs (a frozen
 * sshd) does not hold the rollout past its bound. Its work is abandoned; its connection is closed when the run ends.
 */
function abortable<T>(
  p: Promise<T>,
  signal: AbortSignal,
  abandoned: { value: boolean },
  graceMs: number,
  reason: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => {
        abandoned.value = true;
        reject(reason());
      }, graceMs);
      timer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        // Finished although told to stop (the signal came after its last step): it is done.
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? reason() : e);
      },
    );
  });
}
