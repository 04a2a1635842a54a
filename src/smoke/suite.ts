import type { SmokeCheck, SmokeConfig } from '../config/schema.js';
import { envReferences, SMOKE_REQUEST_TIMEOUT_MS } from '../config/schema-smoke.js';
import { type ElapsedMs, systemElapsedMs } from '../core/clock.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_MAX_BODY_BYTES, httpClient } from '../http/client.js';
import { buildSummary } from '../report/summary.js';
import type { Transport } from '../transports/types.js';
import { type CheckOutcome, runChecks, type SmokeContext, throwIfCancelled } from './run.js';
import { runSample, type SampleOutcome, sampleLine } from './sample.js';

export interface SmokeVerdict {
  passed: boolean;
  checks: CheckOutcome[];
  sample?: SampleOutcome;
  /** One line per failing check or threshold. */
  problems: string[];
}

/** Header values with `${env.NAME}` filled from the step's environment; the values are masked. */
export function smokeHeaders(ctx: ActionContext, check: SmokeCheck): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(check.headers ?? {})) {
    let value = raw;
    for (const ref of envReferences(raw)) {
      const v = ctx.runner.env[ref];
      if (v === undefined || v === '')
        throw new ConfigError(`check ${check.name}: header ${name} needs the environment variable ${ref}`);
      ctx.log.addSecret(v);
      value = value.replaceAll(`\${env.${ref}}`, v);
    }
    out[name] = value;
  }
  return out;
}

/** Fail before any request when a check's header secret is missing. */
export function checkSmokeSecrets(ctx: ActionContext, smoke: SmokeConfig): void {
  for (const c of smoke.checks) smokeHeaders(ctx, c);
}

export interface SmokeSuiteOptions {
  base?: string;
  waitMs: number;
  /** The transport of a check's `via` (`target` or a target name); needed when a check is not `via: runner`. */
  transportFor?: (via: string) => Promise<Transport>;
  /** The latency clock of every request (monotonic ms); default systemElapsedMs. */
  elapsedMs?: ElapsedMs;
}

/**
 * The configured checks (retried until `waitMs`), then the optional sample; check failures are logged, never thrown.
 * Checks `via` a target connect through that target's transport (one client per `via`, opened before any request).
 */
export async function runSmokeSuite(
  ctx: ActionContext,
  smoke: SmokeConfig,
  opts: SmokeSuiteOptions,
): Promise<SmokeVerdict> {
  const { log } = ctx;
  const elapsedMs = opts.elapsedMs ?? systemElapsedMs;
  const clients = new Map([['runner', httpClient({ elapsedMs })]]);
  try {
    for (const c of smoke.checks) {
      if (clients.has(c.via)) continue;
      if (!opts.transportFor) throw new ConfigError(`check ${c.name}: via ${c.via} needs a connection to a target`);
      const t = await opts.transportFor(c.via);
      log.info(`smoke: checks via ${c.via} connect through ${t.name}`);
      clients.set(c.via, httpClient({ via: t, elapsedMs }));
    }
    const sctx: SmokeContext = {
      base: opts.base,
      headersFor: (c) => smokeHeaders(ctx, c),
      clientFor: (c) => {
        const client = clients.get(c.via);
        if (!client) throw new Error(`check ${c.name}: no client for via ${c.via}`);
        return client;
      },
      request: { timeoutMs: SMOKE_REQUEST_TIMEOUT_MS, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, signal: ctx.signal },
      clock: ctx.clock,
      elapsedMs,
      log,
    };
    const checks = await log.group('Smoke checks', () => runChecks(sctx, smoke, opts.waitMs));
    for (const c of checks) {
      log.info(
        `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}  ${c.status ?? '-'}  ${Math.round(c.latencyMs)} ms  ${c.problems.join('; ')}`,
      );
    }
    throwIfCancelled(ctx.signal, 'the smoke test');
    const first = smoke.checks[0];
    const sampleCfg = smoke.sample;
    const sample =
      sampleCfg && first && checks.every((c) => c.passed)
        ? await log.group(`Sample: ${sampleCfg.requests} requests at ${sampleCfg.rate}/s`, () =>
            runSample(sctx, first, sampleCfg),
          )
        : undefined;
    if (sample) log.info(sampleLine(sample));
    const problems = [
      ...checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.problems.join('; ')}`),
      ...(sample?.problems ?? []),
    ];
    return { passed: problems.length === 0, checks, sample, problems };
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
}

/**
 * The job summary section of a verdict: a heading (the stage's table, e.g. "Smoke checks"), how many passed, a row
 * per check, and the latency sample. The verdict, version and environment are the header's (../report/verdict.ts).
 */
export function smokeSummary(v: SmokeVerdict, title = 'Smoke checks'): string {
  const { checks, sample } = v;
  return buildSummary((doc) => {
    doc.heading(title, 3);
    doc.paragraph(`${checks.filter((c) => c.passed).length} of ${checks.length} checks passed`);
    doc.table(
      ['check', 'status', 'latency', 'result'],
      checks.map((c) => [
        c.name,
        c.status === undefined ? '-' : String(c.status),
        `${Math.round(c.latencyMs)} ms`,
        c.passed ? '✅' : `❌ ${c.problems.join('; ')}`,
      ]),
    );
    if (sample)
      doc.paragraph(
        `Sample: ${sample.requests} requests, ${sample.failed} failed, p95 ${Math.round(sample.p95)} ms ${sample.passed ? '✅' : `❌ ${sample.problems.join('; ')}`}`,
      );
  });
}
