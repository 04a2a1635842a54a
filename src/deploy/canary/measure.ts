/**
 * One canary step's window: each version's real traffic read from the nginx access log of every target (only what
 * was logged after the step began), probes through the proxy, Prometheus at the end — then the gates' verdict. Too few
 * samples waits (`inconclusive: wait`, up to `inconclusive-wait`) or ends inconclusive; it never passes.
 */
import { type AccessEntry, accessLogSize, parseAccessLog, readAccessLogSince } from '../../canary/access-log.js';
import { judge, type StepMeasurements, sampleOf } from '../../canary/analysis.js';
import { runProbes } from '../../canary/probes.js';
import { evaluateMetrics } from '../../canary/prometheus.js';
import type { CanaryStepRecord, VersionSample } from '../../canary/types.js';
import type { CanaryConfig } from '../../config/schema-progressive.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log-types.js';
import { upstreamOf } from '../engine/replicas.js';
import { CanaryLiveness } from './liveness.js';
import type { CanarySite } from './site.js';

export interface MeasureContext {
  sites: readonly CanarySite[];
  canary: CanaryConfig;
  /** The canary's version (`{{version}}` in Prometheus queries). */
  version: string;
  /** The environment's url: probes go to its `probes.path`. */
  baseUrl?: string;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

/** How often a window's progress is read and logged (ms); a breach with enough samples ends the window early. */
const TICK_MS = 5_000;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const line = (v: VersionSample) =>
  `${v.requests} req, ${v.errors} err (${pct(v.errorRate)})${v.p95Ms === undefined ? '' : `, p95 ${v.p95Ms} ms`}`;

/** Reads each site's access log from where the step began; addresses become `target|address` (ports repeat). */
class Traffic {
  private readonly offsets = new Map<CanarySite, number>();
  readonly entries: AccessEntry[] = [];
  constructor(private readonly ctx: MeasureContext) {}

  async start(): Promise<void> {
    const path = this.ctx.canary['access-log'];
    if (!path) return;
    for (const s of this.ctx.sites) this.offsets.set(s, (await accessLogSize(s.d.target.transport, path)) ?? 0);
  }

  async read(): Promise<void> {
    const path = this.ctx.canary['access-log'];
    if (!path) return;
    for (const s of this.ctx.sites) {
      const chunk = await readAccessLogSince(s.d.target.transport, path, this.offsets.get(s) ?? 0);
      if (chunk.rotated) this.ctx.log.info(`${s.d.target.name}: ${path} was rotated; reading the new file`);
      this.offsets.set(s, chunk.size);
      for (const e of parseAccessLog(chunk.text).entries) {
        this.entries.push({
          ...e,
          attempts: e.attempts.map((a) => ({ ...a, address: `${s.d.target.name}|${a.address}` })),
        });
      }
    }
  }

  sample(which: 'canary' | 'stable'): VersionSample | undefined {
    if (!this.ctx.canary['access-log']) return undefined;
    const addresses = new Set(
      this.ctx.sites.flatMap((s) =>
        (which === 'canary' ? upstreamOf(s.canary) : s.stable).map((a) => `${s.d.target.name}|${a.address}`),
      ),
    );
    return sampleOf(this.entries, addresses);
  }
}

/**
 * Measure and judge step `index` at `weight` % for `pauseMs`. Returns its record (verdict and reasons); never
 * throws for a breach (the caller aborts), throws when cancelled.
 */
export async function measureStep(
  ctx: MeasureContext,
  index: number,
  weight: number,
  pauseMs: number,
): Promise<CanaryStepRecord> {
  const { clock, log, canary } = ctx;
  const gates = canary.gates;
  const startedAt = clock.now();
  const traffic = new Traffic(ctx);
  await traffic.start();
  const liveness = new CanaryLiveness(ctx.sites);
  await liveness.start();
  let down: string[] = [];
  // Probes stop with the window; a window a breach ends early drops them (the access log has judged it).
  const probesEnd = new AbortController();
  let probeError: unknown;
  const probes =
    canary.probes && ctx.baseUrl
      ? runProbes({
          url: new URL(canary.probes.path, ctx.baseUrl).toString(),
          every: canary.probes.every,
          expect: canary.probes.expect,
          headers: canary.route ? { [canary.route.header]: '1' } : undefined,
          clock,
          signal: ctx.signal ? AbortSignal.any([ctx.signal, probesEnd.signal]) : probesEnd.signal,
          until: startedAt.getTime() + pauseMs,
        }).catch((err: unknown) => {
          // Never left rejected: a window that ends by a throw (a cancel) does not await the probes.
          if (!probesEnd.signal.aborted || ctx.signal?.aborted) probeError = err;
          return undefined;
        })
      : undefined;
  if (canary.probes && !ctx.baseUrl) log.warn('canary probes need the environment url; no probes are sent');
  const compare = weight < 100 && gates['max-increase'] !== undefined;
  const measurements = () => ({
    canary: traffic.sample('canary'),
    stable: weight < 100 ? traffic.sample('stable') : undefined,
  });
  // The stable version's figures are always shown; they are judged only under max-increase.
  const judged = (x: StepMeasurements) => judge({ ...x, stable: compare ? x.stable : undefined }, gates);
  const elapsed = () => clock.now().getTime() - startedAt.getTime();
  // The window: progress every tick; a breach already backed by enough samples ends it early.
  while (elapsed() < pauseMs) {
    await clock.sleep(Math.min(TICK_MS, pauseMs - elapsed()), ctx.signal).catch((err: unknown) => {
      probesEnd.abort();
      throw err;
    });
    await traffic.read();
    down = await liveness.changes();
    if (down.length > 0) {
      probesEnd.abort();
      break;
    }
    const m = measurements();
    if (m.canary)
      log.info(
        `step ${index + 1} (${weight}%): ${Math.round(elapsed() / 1000)} s of ${Math.round(pauseMs / 1000)} s; canary ${line(m.canary)}${m.stable ? `; stable ${line(m.stable)}` : ''}`,
      );
    if (m.canary && m.canary.requests >= gates['min-samples'] && judged(m).verdict === 'fail') {
      probesEnd.abort();
      break;
    }
  }
  const probed = await probes;
  if (probeError !== undefined) throw probeError;
  const windowSeconds = () => Math.max(1, Math.round(elapsed() / 1000));
  const metrics = async () =>
    canary.prometheus
      ? evaluateMetrics(canary.prometheus, { version: ctx.version, windowSeconds: windowSeconds(), signal: ctx.signal })
      : undefined;
  if (down.length === 0) down = await liveness.changes();
  let m = { ...measurements(), probes: probed?.sample, metrics: await metrics() };
  let verdict = down.length > 0 ? { verdict: 'fail' as const, reasons: down } : judged(m);
  if (down.length === 0 && verdict.verdict === 'inconclusive' && gates.inconclusive === 'wait') {
    const until = elapsed() + gates['inconclusive-wait'];
    log.info(
      `step ${index + 1}: inconclusive (${verdict.reasons.join('; ')}); waiting up to ${Math.round(gates['inconclusive-wait'] / 1000)} s more`,
    );
    while (verdict.verdict === 'inconclusive' && elapsed() < until) {
      await clock.sleep(Math.min(TICK_MS, until - elapsed()), ctx.signal);
      await traffic.read();
      down = await liveness.changes();
      m = { ...measurements(), probes: probed?.sample, metrics: m.metrics };
      verdict = down.length > 0 ? { verdict: 'fail' as const, reasons: down } : judged(m);
    }
    if (canary.prometheus) {
      m = { ...m, metrics: await metrics() };
      verdict = judged(m);
    }
  }
  const reasons = [
    ...verdict.reasons,
    ...(probed && probed.failures.length > 0 ? [`probe failures: ${probed.failures.join(', ')}`] : []),
  ];
  return {
    step: index,
    weight,
    startedAt: startedAt.toISOString(),
    endedAt: clock.now().toISOString(),
    ...(m.canary ? { canary: m.canary } : {}),
    ...(m.stable ? { stable: m.stable } : {}),
    ...(m.probes ? { probes: m.probes } : {}),
    ...(m.metrics ? { metrics: m.metrics } : {}),
    verdict: verdict.verdict,
    reasons: verdict.verdict === 'pass' ? [] : reasons,
  };
}
