import type { HealthConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ConfigError, errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { readCaFile } from '../http/ca.js';
import { type HttpClient, httpClient, type TlsOptions } from '../http/client.js';
import { unmet } from '../http/expect.js';
import { describeFailure } from '../http/failure.js';
import { tcpRefusal } from '../transports/tcp-probe.js';
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
  /** The port the HTTP probe asks (`health.http`). */
  port?: number;
  /**
   * A port on `host` that must accept a TCP connection, opened by the target, before a `container: true` gate or the
   * gate without health config passes: traffic never moves to a port where nothing answers. Unset: not checked.
   */
  acceptPort?: number;
  /** The image the container runs, for messages. */
  image?: string;
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

/**
 * The gate of a service without a health config: the replica must keep running, and accept connections on its port
 * when it has one, for `stable` ms, within `deadline` ms (all in ms).
 */
export const RUNNING_GATE = { interval: 1000, timeout: 3000, deadline: 30_000, stable: 3000 } as const;

/** What waitHealthy checks: a service's health config, or undefined for RUNNING_GATE. */
export type GateHealth = HealthConfig | undefined;

const PROGRESS_MS = 5000;
/** A health answer is read up to this many bytes (only its verdict and first 120 characters matter). */
const HEALTH_MAX_BODY_BYTES = 64 * 1024;

/** The CA of each `tls` section, read once per config (a deploy gates several batches and replicas with it). */
const caFiles = new WeakMap<object, Promise<string>>();

/** The TLS options of an https probe; a `ca-file` that cannot be read or is not PEM is a ConfigError at once. */
async function tlsOf(http: NonNullable<HealthConfig['http']>, label: string): Promise<TlsOptions | undefined> {
  const t = http.tls;
  if (http.scheme !== 'https' || t === undefined) return undefined;
  if (t['insecure-skip-verify']) return { rejectUnauthorized: false };
  const path = t['ca-file'];
  if (path === undefined) return undefined;
  let ca = caFiles.get(t);
  if (!ca) {
    ca = readCaFile(path);
    caFiles.set(t, ca);
  }
  try {
    return { ca: await ca };
  } catch (err) {
    throw new ConfigError(`${label}: health.http.tls.ca-file: ${errorMessage(err)}`);
  }
}

/** Whether `port` on the subject's host accepts a TCP connection from the target, within timeoutMs. */
async function accepts(ctx: GateContext, s: GateSubject, port: number, timeoutMs: number): Promise<string | undefined> {
  const refused = await tcpRefusal(ctx.transport, s.host, port, timeoutMs);
  return refused === undefined ? undefined : describeFailure(refused, `${s.host}:${port}`);
}

/** The verdict plus, when the subject has a port that must accept, whether it does. */
async function withAccept(
  ctx: GateContext,
  s: GateSubject,
  timeoutMs: number,
  verdict: { healthy: boolean; answer: string },
): Promise<{ healthy: boolean; answer: string }> {
  if (!verdict.healthy || s.acceptPort === undefined) return verdict;
  const refused = await accepts(ctx, s, s.acceptPort, timeoutMs);
  return refused === undefined
    ? { healthy: true, answer: `${verdict.answer}; port ${s.acceptPort} accepts connections` }
    : { healthy: false, answer: `${verdict.answer}, but port ${s.acceptPort} accepts no connection: ${refused}` };
}

/** One look: healthy or the reason it is not. */
async function look(
  ctx: GateContext,
  h: GateHealth,
  s: GateSubject,
  client: HttpClient | undefined,
  started: { at?: string },
): Promise<{ healthy: boolean; answer: string }> {
  const st = await s.state();
  if (!st.running) throw new HealthGateError(`${s.label} exited (code ${st.exitCode}) while starting`);
  // A crash between two probes can go unseen when the restart policy brings the container straight back.
  started.at ??= st.startedAt;
  if (st.startedAt !== undefined && st.startedAt !== started.at) {
    throw new HealthGateError(`${s.label} crashed and was restarted (started ${started.at}, again ${st.startedAt})`);
  }
  const timeout = h?.timeout ?? RUNNING_GATE.timeout;
  if (h === undefined) return withAccept(ctx, s, timeout, { healthy: true, answer: 'running' });
  if (h.container) {
    if (st.health === undefined) {
      throw new HealthGateError(
        `${s.label}: health.container is true but the image${s.image ? ` ${s.image}` : ''} has no HEALTHCHECK; ` +
          'add a HEALTHCHECK to the image, or configure health.http (path, and port when the service has none) instead',
      );
    }
    return withAccept(ctx, s, timeout, { healthy: st.health === 'healthy', answer: `container health: ${st.health}` });
  }
  const http = h.http;
  if (!http || !client || s.port === undefined) throw new HealthGateError(`${s.label}: no port to probe for health`);
  // The container's own HEALTHCHECK (the image's, or the compose file's) saying unhealthy outweighs an HTTP answer.
  if (st.health === 'unhealthy') {
    return { healthy: false, answer: 'Docker reports the container unhealthy: its HEALTHCHECK fails' };
  }
  // The connection is opened by the target (over SSH: direct-tcpip), so addresses only the target reaches work.
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  const r = await client.request(`${http.scheme ?? 'http'}://${host}:${s.port}${http.path}`, {
    headers: http.headers,
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
 * Wait until the subject is healthy, then keep watching it for `stable`: it must stay running and healthy. `h`
 * undefined (no health config) is RUNNING_GATE. With `container: true` or without a health config, a subject's
 * `acceptPort` must also accept a connection. Progress lines say the elapsed time, attempt and last answer. At the
 * deadline (or on a crash, or at once for `container: true` on an image without HEALTHCHECK) it throws a
 * HealthGateError with the last answer after logging the container's last log lines; a `ca-file` that cannot be used
 * is a ConfigError before the first probe. HTTP probes use one client for the whole gate (a connection of its own per
 * probe; an origin found to need lenient parsing stays known, see http/client.ts).
 */
export async function waitHealthy(ctx: GateContext, h: GateHealth, s: GateSubject): Promise<void> {
  const g = h ?? RUNNING_GATE;
  const start = ctx.clock.now().getTime();
  let attempt = 0;
  let lastAnswer = '';
  let lastProgress = start;
  let healthySince: number | undefined;
  const started: { at?: string } = {};
  const client = h?.http
    ? httpClient({
        via: ctx.transport,
        keepAlive: false,
        connectTimeoutMs: h.timeout,
        tls: await tlsOf(h.http, s.label),
      })
    : undefined;
  try {
    for (;;) {
      attempt++;
      const { healthy, answer } = await look(ctx, h, s, client, started);
      const now = ctx.clock.now().getTime();
      const elapsed = ((now - start) / 1000).toFixed(1);
      if (healthy) {
        healthySince ??= now;
        if (now - healthySince >= g.stable) {
          ctx.log.info(`${s.label} healthy after ${elapsed}s (attempt ${attempt}): ${answer}`);
          return;
        }
      } else if (healthySince !== undefined) {
        throw new HealthGateError(
          `${s.label} became unhealthy ${((now - healthySince) / 1000).toFixed(1)}s after passing: ${answer}`,
        );
      }
      if (answer !== lastAnswer || now - lastProgress >= PROGRESS_MS) {
        const phase = healthy ? `healthy, watching for ${g.stable / 1000}s` : 'waiting';
        ctx.log.info(`${s.label}: ${phase} — ${elapsed}s, attempt ${attempt}: ${answer}`);
        lastAnswer = answer;
        lastProgress = now;
      }
      if (now - start >= g.deadline && healthySince === undefined) {
        throw new HealthGateError(
          `${s.label} not healthy within ${g.deadline / 1000}s (deadline) after ${attempt} attempts; last answer: ${answer}`,
        );
      }
      await ctx.clock.sleep(g.interval, ctx.signal);
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
  } finally {
    await client?.close();
  }
}
