/**
 * `strategy.blue-green` and `strategy.canary` — progressive delivery through nginx: two slots switched at once, or
 * weighted steps judged on each version's real traffic (the nginx access log), probes and Prometheus.
 */
import * as z from 'zod';
import { zAbsPath, zFraction, zHttpUrl, zInt, zMatching } from './fields.js';
import { zJsonPath, zJsonScalar, zStatusCode } from './schema-health.js';
import { zDurationIn } from './units.js';

/** The NOA/coding-brain runbooks' progression: 1, 5, 25, 50, 100 % (five minutes each). */
export const DEFAULT_CANARY_STEPS = [1, 5, 25, 50, 100].map((weight) => ({ weight, pause: 300_000 as number }));

const PAUSE_HELP = 'expected a duration from 0s to 1d, or until-promoted';

/** A step's pause: milliseconds, or `until-promoted` (the run ends there; `runbook promote` goes on). */
const zPause = z.union([z.literal('until-promoted'), zDurationIn(0, 86_400_000)], { error: PAUSE_HELP });

const zUrlPath = zMatching(/^\/[^\s\p{Cc}]*$/u, 'expected a URL path starting with "/", like /health');
const zHeaderName = zMatching(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name like X-Canary');
const zCookieName = zMatching(/^[A-Za-z0-9_]{1,64}$/, 'expected a cookie name (letters, digits, "_")');
export const blueGreenSchema = z.strictObject({
  /** How long the old slot keeps running (out of traffic) for an instant switch back; the next deploy stops it after. */
  standby: zDurationIn(0, 7 * 86_400_000).default(1_800_000),
  /** Requests sent through nginx after the switch (each must pass the service's health expectation). */
  verify: zInt(0, 1000).default(5),
});

const gatesSchema = z.strictObject({
  /** The canary's maximum share of failed requests (default 1 %: a gate that cannot fail would pass anything). */
  'error-rate': zFraction.default(0.01),
  p95: zDurationIn(1, 60_000).optional(),
  p99: zDurationIn(1, 60_000).optional(),
  /** The canary's error rate may exceed the stable version's by at most this (both over the same window). */
  'max-increase': zFraction.optional(),
  /** Requests each version must have served in a step's window before it is judged; fewer is inconclusive. */
  'min-samples': zInt(1, 1_000_000).default(50),
  /** Too few samples: keep the step open for `inconclusive-wait` more (wait), or fail at once (fail). */
  inconclusive: z.enum(['wait', 'fail'], { error: 'expected wait or fail' }).default('fail'),
  'inconclusive-wait': zDurationIn(0, 86_400_000).default(300_000),
});

const probesSchema = z.strictObject({
  /** A path on the environment's url, through nginx. */
  path: zUrlPath,
  every: zDurationIn(50, 60_000).default(1000),
  expect: z
    .strictObject({
      status: z.union([zStatusCode, z.array(zStatusCode).min(1)]).optional(),
      json: z.record(zJsonPath, zJsonScalar, { error: 'expected a mapping like { status: ok }' }).optional(),
    })
    .optional(),
});

const prometheusSchema = z.strictObject({
  url: zHttpUrl,
  /** Each query's single value is compared with max and/or min; `{{version}}` and `{{window}}` are filled in. */
  queries: z
    .array(
      z
        .strictObject({
          name: zMatching(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a short name (letters, digits, "_", ".", "-")'),
          query: z.string({ error: 'expected a PromQL query' }).min(1).max(4000),
          max: z.number({ error: 'expected a number' }).optional(),
          min: z.number({ error: 'expected a number' }).optional(),
        })
        .refine((q) => q.max !== undefined || q.min !== undefined, { error: 'a query needs max, min or both' }),
    )
    .min(1),
});

const stickySchema = z.union(
  [
    z.strictObject({ cookie: zCookieName }),
    z.strictObject({ header: zHeaderName }),
    z.strictObject({ address: z.literal(true) }),
  ],
  { error: 'expected one of { cookie: NAME }, { header: NAME }, { address: true }' },
);

export const canarySchema = z
  .strictObject({
    steps: z
      .array(z.strictObject({ weight: zInt(1, 100), pause: zPause }), {
        error: 'expected a list of steps like [{ weight: 5, pause: 10m }]',
      })
      .min(1, { error: 'expected at least one step' })
      .max(20)
      .superRefine((steps, ctx) => {
        steps.forEach((step, i) => {
          const prev = steps[i - 1];
          if (prev !== undefined && step.weight < prev.weight) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'weight'],
              message: `weights must not decrease (${prev.weight} then ${step.weight})`,
            });
          }
        });
      })
      .default(DEFAULT_CANARY_STEPS),
    gates: gatesSchema.default(gatesSchema.parse({})),
    /** The nginx access log (log_format runbook_canary) of the server that proxies to the upstream, on the target. */
    'access-log': zAbsPath.optional(),
    probes: probesSchema.optional(),
    prometheus: prometheusSchema.optional(),
    sticky: stickySchema.optional(),
    /** Requests with this header (any value) always reach the canary: an http-level file with a map and an upstream. */
    route: z.strictObject({ header: zHeaderName, file: zAbsPath }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c['access-log'] === undefined && c.probes === undefined && c.prometheus === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a canary is judged on measurements: give access-log (each version’s real traffic), probes or prometheus',
      });
    }
  });

export type CanaryConfig = z.output<typeof canarySchema>;
export type BlueGreenConfig = z.output<typeof blueGreenSchema>;
