/** `smoke:` — HTTP checks run after a deploy, and an optional short load sample. */
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { reservedKeyPaths, reservedKeyProblem, TARGET_NAME, uniqueBy, zFraction, zInt, zMatching } from './fields.js';
import { zJsonPath, zJsonScalar, zStatusCode } from './schema-health.js';
import { show } from './text.js';
import { durationText, zDurationIn, zRate } from './units.js';

/** Each smoke request gives up after this long (a latency threshold above it could never fail). */
export const SMOKE_REQUEST_TIMEOUT_MS = 10_000;
/** The longest a sample may run: `requests / rate` at most this. */
export const MAX_SAMPLE_MS = 3_600_000;

const URL_HELP = 'expected an absolute http(s) URL or a path starting with "/" (relative to the environment url)';

/** `https://…` or `/path` (but not `//host`, which would switch hosts). */
const zSmokeUrl = z.string({ error: URL_HELP }).superRefine((s, ctx) => {
  if (/[\s\p{Cc}]/u.test(s)) {
    ctx.addIssue({ code: 'custom', message: `got ${show(s)}, ${URL_HELP} without spaces or control characters` });
    return;
  }
  if (s.startsWith('/') && !s.startsWith('//')) return;
  try {
    const url = new URL(s);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      if (url.username === '' && url.password === '') return;
      ctx.addIssue({ code: 'custom', message: `a URL must not contain credentials: use headers with \${env.NAME}` });
      return;
    }
  } catch {
    // fall through
  }
  ctx.addIssue({ code: 'custom', message: `got ${show(s)}, ${URL_HELP}` });
});

const HEADER_VALUE_HELP = `expected a header value on one line; it may reference secrets as \${env.NAME}`;

/** A header value: one line; `${…}` only as `${env.NAME}`. */
const zHeaderValue = z.string({ error: HEADER_VALUE_HELP }).superRefine((v, ctx) => {
  if (/[\r\n\0]/.test(v)) {
    ctx.addIssue({ code: 'custom', message: HEADER_VALUE_HELP });
    return;
  }
  for (const ref of v.matchAll(/\$\{([^}]*)\}?/g)) {
    if (!/^env\.[A-Z_][A-Z0-9_]*$/.test(ref[1] ?? '') || !ref[0].endsWith('}')) {
      ctx.addIssue({
        code: 'custom',
        message: `unsupported reference ${show(ref[0])}: only \${env.NAME} is allowed (NAME in A-Z, 0-9, _)`,
      });
    }
  }
});

/** Environment variables referenced as `${env.NAME}` in a value. */
export function envReferences(value: string): string[] {
  return [...value.matchAll(/\$\{env\.([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1] ?? '');
}

/** `"2xx"` (a class) or `"200-399"` (an inclusive range, low first). */
const zStatusClassOrRange = zMatching(
  /^([1-5]xx|[1-5]\d\d-[1-5]\d\d)$/,
  'expected a status class like "2xx" or a range like "200-399"',
).refine((r) => !r.includes('-') || Number(r.slice(0, 3)) <= Number(r.slice(4)), {
  error: 'expected a range whose first status is the lower, like "200-399"',
});

const zHttpStatusExpectation = z.union([zStatusCode, z.array(zStatusCode).min(1), zStatusClassOrRange], {
  error: 'expected an HTTP status like 200, a list like [200, 204], a class like "2xx" or a range like "200-399"',
});

/** `{ exists: true }`: the path is there (any value); `{ exists: false }`: it is not. */
const zExists = z.strictObject({ exists: z.boolean({ error: 'expected true or false' }) });

/**
 * Where a check's TCP connection starts: `runner` (the default), `target` (the environment's first target) or the
 * name of one of the environment's targets. Whether that name exists is checked when the environment is known.
 */
const zSmokeVia = zMatching(
  TARGET_NAME,
  'expected runner, target or the name of one of the environment\'s targets (letters, digits, ".", "_" and "-")',
);

export const smokeCheckSchema = z.strictObject({
  name: zMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'expected a short name (letters, digits, " ", "_", ".", "-")'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  url: zSmokeUrl,
  headers: z
    .record(zMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'expected an HTTP header name'), zHeaderValue, {
      error: 'expected a mapping of header names to values',
    })
    .optional(),
  body: z.string({ error: 'expected the request body as a string' }).optional(),
  expect: z
    .strictObject({
      status: zHttpStatusExpectation.optional(),
      json: z
        .record(
          zJsonPath,
          z.union([zJsonScalar, z.array(zJsonScalar), zExists], {
            error: 'expected a value, a list of values, or { exists: true | false }',
          }),
          {
            error: 'expected a mapping like { status: ready }',
          },
        )
        .optional(),
      regex: z
        .string({ error: 'expected a regular expression' })
        .refine(
          (r) => {
            try {
              new RegExp(r, 'u');
              return true;
            } catch {
              return false;
            }
          },
          { error: 'expected a valid regular expression' },
        )
        .optional(),
      'max-latency': zDurationIn(1, SMOKE_REQUEST_TIMEOUT_MS).optional(),
    })
    .optional(),
  'follow-redirects': z.boolean({ error: 'expected true or false' }).default(false),
  /** Open the connection from the runner (default) or through a target's transport (SSH: direct-tcpip). */
  via: zSmokeVia.default('runner'),
});

export const sampleSchema = z
  .strictObject({
    requests: zInt(1, 100_000),
    /** Requests per second (`20/s` → 20). */
    rate: zRate,
    p95: zDurationIn(1, SMOKE_REQUEST_TIMEOUT_MS).optional(),
    /** Failed requests allowed, as a fraction of all (default 0: any failure fails the sample). */
    'error-rate': zFraction.optional(),
    'min-samples': zInt(1, 100_000).optional(),
  })
  .superRefine((s, ctx) => {
    const seconds = s.requests / s.rate;
    if (seconds * 1000 > MAX_SAMPLE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['requests'],
        message: `${s.requests} requests at ${+s.rate.toFixed(3)}/s take ${durationText(Math.round(seconds * 1000))}; a sample must finish within ${durationText(MAX_SAMPLE_MS)} (fewer requests or a higher rate)`,
      });
    }
    if (s['min-samples'] !== undefined && s['min-samples'] > s.requests) {
      ctx.addIssue({
        code: 'custom',
        path: ['min-samples'],
        message: `min-samples (${s['min-samples']}) exceeds requests (${s.requests})`,
      });
    }
  });

export const smokeSchema = z.strictObject({
  checks: z
    .array(smokeCheckSchema, { error: 'expected a list of checks like [{ name: ready, url: /health }]' })
    .min(1, { error: 'expected at least one check' })
    .superRefine((checks, ctx) => uniqueBy(checks, (c) => c.name, 'check name', ctx, 'name')),
  sample: sampleSchema.optional(),
  /** Retry failing checks for this long (absent: one round; the smoke-test `wait` input overrides it). */
  wait: zDurationIn(0, 3_600_000).optional(),
});

export type SmokeConfig = z.output<typeof smokeSchema>;
export type SmokeCheck = z.output<typeof smokeCheckSchema>;
export type SmokeSample = z.output<typeof sampleSchema>;

/** A check list given as an input (YAML or JSON, the same shape as `smoke.checks`). */
export const zChecksInput = z.string().transform((text, ctx) => {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a YAML list: ${(err as Error).message.split('\n')[0]}` });
    return z.NEVER;
  }
  const reserved = reservedKeyPaths(doc);
  for (const path of reserved) {
    const at = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    ctx.addIssue({ code: 'custom', message: `checks${at}: ${reservedKeyProblem(String(path[path.length - 1]))}` });
  }
  if (reserved.length > 0) return z.NEVER;
  const r = smokeSchema.shape.checks.safeParse(doc);
  if (r.success) return r.data;
  for (const i of r.error.issues) {
    const at = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    ctx.addIssue({ code: 'custom', message: `checks${at}: ${i.message}` });
  }
  return z.NEVER;
});
