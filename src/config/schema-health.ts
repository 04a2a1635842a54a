/** `services.<name>.health` — how a replica shows it is ready before traffic moves to it. */
import * as z from 'zod';
import { zFilePath, zMatching, zPort } from './fields.js';
import { zDurationIn } from './units.js';

const STATUS_HELP = 'expected an HTTP status code from 100 to 599';
export const zStatusCode = z
  .number({ error: STATUS_HELP })
  .int({ error: STATUS_HELP })
  .min(100, { error: STATUS_HELP })
  .max(599, { error: STATUS_HELP });

const JSON_SCALAR_HELP = 'expected a string, number or true/false';
export const zJsonScalar = z.union([z.string(), z.number(), z.boolean()], { error: JSON_SCALAR_HELP });

/** Keys of a JSON expectation: a dotted path into the body (`status`, `checks.*`). */
export const zJsonPath = z.string().min(1, { error: 'expected a JSON path like status or checks.db' });

/** RFC 9110 `token`: the characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the client itself sets, hop-by-hop (RFC 9110 §7.6.1) or framing the request, never taken from config. */
const CLIENT_HEADERS: Record<string, string> = {
  connection: 'a hop-by-hop header the client manages',
  'keep-alive': 'a hop-by-hop header the client manages',
  'proxy-connection': 'a hop-by-hop header the client manages',
  te: 'a hop-by-hop header the client manages',
  trailer: 'a hop-by-hop header the client manages',
  upgrade: 'a hop-by-hop header the client manages',
  'transfer-encoding': 'set by the client (it frames the request)',
  'content-length': 'set by the client (it frames the request)',
  expect: 'not supported in a health probe (the client sends no body)',
};
const HEADER_VALUE_HELP = 'expected a header value: text on one line, without control characters';

/** `{ Host: api.example.com }`: header names are tokens, values one line; client-managed names are refused. */
const zProbeHeaders = z
  .record(
    z.string(),
    z.string({ error: HEADER_VALUE_HELP }).regex(/^(?:[^\p{Cc}]|\t)*$/u, { error: HEADER_VALUE_HELP }),
    { error: 'expected a mapping of header name to value, like { Host: api.example.com }' },
  )
  .superRefine((headers, ctx) => {
    const seen = new Map<string, string>();
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+-.^_\`|~: an RFC 9110 token)`,
        });
      } else if (CLIENT_HEADERS[lower]) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is ${CLIENT_HEADERS[lower]}; remove it` });
      } else if (seen.has(lower)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is given twice (also as ${seen.get(lower)})` });
      }
      seen.set(lower, name);
    }
  });

/** TLS of an https health probe: verified by default (Node's CA store, SNI from the Host header). */
const healthTlsSchema = z
  .strictObject({
    /** A PEM file on the runner (relative to the step's working directory) with the CA(s) to trust instead. */
    'ca-file': zFilePath.optional(),
    /** true: accept any certificate (no verification at all). */
    'insecure-skip-verify': z.boolean({ error: 'expected true or false' }).default(false),
  })
  .superRefine((t, ctx) => {
    if (t['ca-file'] !== undefined && t['insecure-skip-verify']) {
      ctx.addIssue({
        code: 'custom',
        path: ['insecure-skip-verify'],
        message:
          'give either ca-file (verify against that CA) or insecure-skip-verify: true (verify nothing), not both',
      });
    }
  });

const httpHealthSchema = z
  .strictObject({
    path: zMatching(/^\/[^\s\p{Cc}]*$/u, 'expected a URL path starting with "/", like /health'),
    /**
     * Container port to probe. Defaults to the service's `port`; when neither is set (as for `web` in the sketch) the
     * deployer has to find the port itself, e.g. the image's single exposed port, or fail.
     */
    port: zPort.optional(),
    /** `https`: the probe speaks TLS (verified unless `tls` says otherwise). */
    scheme: z.enum(['http', 'https'], { error: 'expected http or https' }).default('http'),
    /** Request headers of the probe, e.g. the Host an app checks (its name is also the TLS server name). */
    headers: zProbeHeaders.optional(),
    tls: healthTlsSchema.optional(),
    expect: z
      .strictObject({
        status: z
          .union([zStatusCode, z.array(zStatusCode).min(1)], { error: `${STATUS_HELP}, or a list of them` })
          .optional(),
        json: z.record(zJsonPath, zJsonScalar, { error: 'expected a mapping like { status: ready }' }).optional(),
      })
      .optional(),
  })
  .superRefine((h, ctx) => {
    if (h.tls !== undefined && h.scheme !== 'https') {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls applies to scheme: https; set scheme: https' });
    }
  });

export const healthSchema = z
  .strictObject({
    http: httpHealthSchema.optional(),
    /** Use the image's own HEALTHCHECK. */
    container: z
      .literal(true, { error: "expected true (use the image's HEALTHCHECK); remove the key otherwise" })
      .optional(),
    interval: zDurationIn(100, 5 * 60_000).default(2000),
    timeout: zDurationIn(100, 5 * 60_000).default(3000),
    deadline: zDurationIn(1000, 3_600_000).default(120_000),
    /** After the first healthy answer, it must stay healthy (and running) this long before traffic moves. */
    stable: zDurationIn(0, 3_600_000).default(5000),
  })
  .superRefine((h, ctx) => {
    if ((h.http === undefined) === (h.container === undefined)) {
      const got = h.http === undefined ? 'none' : 'both';
      ctx.addIssue({ code: 'custom', message: `health needs exactly one of http, container (got ${got})` });
    }
    if (h.timeout > h.deadline)
      ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'timeout must not exceed deadline' });
    if (h.interval > h.deadline)
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'interval must not exceed deadline' });
  });

export type HealthConfig = z.output<typeof healthSchema>;
