import type { HealthConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { requestOnce } from '../http/client.js';
import { unmet } from '../http/expect.js';
import type { Transport } from '../transports/types.js';

/** What the health gate needs to know about a container (implemented over the Docker API or compose). */
export interface ContainerState {
  running: boolean;
  exitCode: number;
  /** The image's own HEALTHCHECK verdict: starting | healthy | unhealthy, when it has one. */
  health?: string;
  /** When the current run of the container started: a change means it crashed and its restart policy restarted it. */
  startedAt?: string;
}

export interface GateSubject {
  /** e.g. `web1/api#2 (port 18001)`. */
  label: string;
  host: string;
  port?: number;
  state(): Promise<ContainerState>;
  logsTail(): Promise<string>;
}

export interface GateContext {
  transport: Transport;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

export class HealthGateError extends UserError {
  override name = 'HealthGateError';
}

const PROGRESS_MS = 5000;
/** A health answer is read up to this many bytes (only its verdict and first 120 characters matter). */
const HEALTH_MAX_BODY_BYTES = 64 * 1024;

/** One look: healthy or the reason it is not. */
async function look(
  ctx: GateContext,
  h: HealthConfig,
  s: GateSubject,
  started: { at?: string },
): Promise<{ healthy: boolean; answer: string }> {
  const st = await s.state();
  if (!st.running) throw new HealthGateError(`${s.label} exited (code ${st.exitCode}) while starting`);
  // A crash between two probes can go unseen when the restart policy brings the container straight back.
  started.at ??= st.startedAt;
  if (st.startedAt !== undefined && st.startedAt !== started.at) {
    throw new HealthGateError(`${s.label} crashed and was restarted (started ${started.at}, again ${st.startedAt})`);
  }
  if (h.container) {
    const verdict = st.health ?? 'no HEALTHCHECK in the image';
    return { healthy: verdict === 'healthy', answer: `container health: ${verdict}` };
  }
  const http = h.http;
  if (!http || s.port === undefined) throw new HealthGateError(`${s.label}: no port to probe for health`);
  // The connection is opened by the target (over SSH: direct-tcpip), so addresses only the target reaches work.
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  const r = await requestOnce(`http://${host}:${s.port}${http.path}`, {
    via: ctx.transport,
    timeoutMs: h.timeout,
    maxBodyBytes: HEALTH_MAX_BODY_BYTES,
    signal: ctx.signal,
  });
  if (!r.ok) return { healthy: false, answer: r.error };
  const problems = unmet(http.expect, r.status, r.body);
  const body = r.body.replace(/\s+/g, ' ').slice(0, 120);
  return {
    healthy: problems.length === 0,
    answer: problems.length === 0 ? `${r.status} ${body}` : `${problems.join('; ')} (${r.status} ${body})`,
  };
}

/**
 * Wait until the subject is healthy, then keep watching it for `stable`: it must stay running and healthy. Progress
 * lines say the elapsed time, attempt and last answer. At the deadline (or on a crash) it throws with the last answer
 * and the container's last log lines.
 */
export async function waitHealthy(ctx: GateContext, h: HealthConfig, s: GateSubject): Promise<void> {
  const start = ctx.clock.now().getTime();
  let attempt = 0;
  let lastAnswer = '';
  let lastProgress = start;
  let healthySince: number | undefined;
  const started: { at?: string } = {};
  try {
    for (;;) {
      attempt++;
      const { healthy, answer } = await look(ctx, h, s, started);
      const now = ctx.clock.now().getTime();
      const elapsed = ((now - start) / 1000).toFixed(1);
      if (healthy) {
        healthySince ??= now;
        if (now - healthySince >= h.stable) {
          ctx.log.info(`${s.label} healthy after ${elapsed}s (attempt ${attempt}): ${answer}`);
          return;
        }
      } else if (healthySince !== undefined) {
        throw new HealthGateError(
          `${s.label} became unhealthy ${((now - healthySince) / 1000).toFixed(1)}s after passing: ${answer}`,
        );
      }
      if (answer !== lastAnswer || now - lastProgress >= PROGRESS_MS) {
        const phase = healthy ? `healthy, watching for ${h.stable / 1000}s` : 'waiting';
        ctx.log.info(`${s.label}: ${phase} — ${elapsed}s, attempt ${attempt}: ${answer}`);
        lastAnswer = answer;
        lastProgress = now;
      }
      if (now - start >= h.deadline && healthySince === undefined) {
        throw new HealthGateError(
          `${s.label} not healthy within ${h.deadline / 1000}s (deadline) after ${attempt} attempts; last answer: ${answer}`,
        );
      }
      await ctx.clock.sleep(h.interval, ctx.signal);
    }
  } catch (err) {
    if (err instanceof HealthGateError) {
      const logs = await s.logsTail().catch(() => '');
      if (logs.trim() !== '') {
        ctx.log.info(`last log lines of ${s.label}:`);
        ctx.log.remote(s.label, 'stdout', `${logs.trimEnd()}\n`);
      }
    }
    throw err;
  }
}
