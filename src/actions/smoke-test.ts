import { z } from 'zod';
import { environmentOf, loadConfig } from '../config/loader.js';
import type { SmokeCheck } from '../config/schema.js';
import { envReferences } from '../config/schema-smoke.js';
import { zDuration } from '../config/units.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError, UserError } from '../core/errors.js';
import { commonInputs } from '../inputs/common.js';
import { type InputSpec, parseInputs } from '../inputs/spec.js';
import { smokeAgent } from '../smoke/request.js';
import { runChecks, runSample, type SmokeContext } from '../smoke/run.js';

export const smokeInputs = {
  ...commonInputs,
  url: {
    description: 'Base URL for relative check URLs (default: the environment url from the config)',
    schema: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  },
  wait: {
    description: 'Retry failing checks for this long before giving up (default: smoke.wait, else 0s)',
    schema: zDuration,
  },
} satisfies Record<string, InputSpec>;

const TIMEOUT_MS = 10_000;
const MAX_BODY = 256 * 1024;

/** Header values with `${env.NAME}` filled from the step's environment; the values are masked. */
function headers(ctx: ActionContext, check: SmokeCheck): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(check.headers ?? {})) {
    let value = raw;
    for (const ref of envReferences(raw)) {
      const v = ctx.host.env[ref];
      if (v === undefined || v === '')
        throw new ConfigError(`check ${check.name}: header ${name} needs the environment variable ${ref}`);
      ctx.log.addSecret(v);
      value = value.replaceAll(`\${env.${ref}}`, v);
    }
    out[name] = value;
  }
  return out;
}

/** smoke-test: the configured checks (retried until `wait`), then an optional load sample against thresholds. */
export async function runSmokeTest(ctx: ActionContext): Promise<void> {
  const { log, host } = ctx;
  const inputs = parseInputs(host, log, smokeInputs);
  const config = await loadConfig(inputs.config);
  const env = environmentOf(config, inputs.environment);
  const smoke = config.smoke;
  if (!smoke) throw new ConfigError('smoke-test needs a smoke section in the config (smoke.checks)');
  for (const c of smoke.checks) headers(ctx, c); // missing secrets fail before any request
  if (inputs['dry-run']) {
    for (const c of smoke.checks) log.info(`would check ${c.name}: ${c.method} ${c.url}`);
    return;
  }
  const agent = smokeAgent();
  ctx.onCleanup(() => agent.close());
  const sctx: SmokeContext = {
    base: inputs.url ?? env.url,
    headersFor: (c) => headers(ctx, c),
    request: { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BODY, dispatcher: agent, signal: ctx.signal },
    clock: ctx.clock,
    log,
  };
  const checks = await log.group('Smoke checks', () => runChecks(sctx, smoke, inputs.wait ?? smoke.wait ?? 0));
  for (const c of checks) {
    log.info(
      `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}  ${c.status ?? '-'}  ${Math.round(c.latencyMs)} ms  ${c.problems.join('; ')}`,
    );
  }
  const first = smoke.checks[0];
  const sample =
    smoke.sample && first && checks.every((c) => c.passed)
      ? await log.group(`Sample: ${smoke.sample.requests} requests at ${smoke.sample.rate}/s`, () =>
          runSample(sctx, first, smoke.sample as NonNullable<typeof smoke.sample>),
        )
      : undefined;
  if (sample) {
    log.info(
      `sample: ${sample.requests} requests, ${sample.failed} failed, p50 ${Math.round(sample.p50)} ms, p95 ${Math.round(sample.p95)} ms, p99 ${Math.round(sample.p99)} ms`,
    );
  }
  const passed = checks.every((c) => c.passed) && (sample?.passed ?? true);
  host.setOutput('passed', String(passed));
  host.setOutput('report', JSON.stringify({ environment: inputs.environment, passed, checks, sample }));
  await host.appendSummary(
    [
      `### Smoke test: ${passed ? 'passed' : 'failed'} (${inputs.environment})`,
      '',
      '| check | status | latency | result |',
      '| --- | --- | --- | --- |',
      ...checks.map(
        (c) =>
          `| ${c.name} | ${c.status ?? '-'} | ${Math.round(c.latencyMs)} ms | ${c.passed ? '✅' : `❌ ${c.problems.join('; ').replaceAll('|', '\\|')}`} |`,
      ),
      ...(sample
        ? [
            '',
            `Sample: ${sample.requests} requests, ${sample.failed} failed, p95 ${Math.round(sample.p95)} ms ${sample.passed ? '✅' : `❌ ${sample.problems.join('; ')}`}`,
          ]
        : []),
      '',
    ].join('\n'),
  );
  if (!passed) {
    const why = [
      ...checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.problems.join('; ')}`),
      ...(sample?.problems ?? []),
    ];
    throw new UserError(`smoke test failed: ${why.join(' | ')}`);
  }
}
