/** `compose:`, `services:` and `strategy:` — what is deployed and how traffic moves to it. */
import * as z from 'zod';
import {
  uniqueBy,
  zAbsPath,
  zArgs,
  zArgv,
  zEnvVarName,
  zFilePath,
  zFraction,
  zInt,
  zMatching,
  zPort,
  zServiceName,
} from './fields.js';
import { zDuration } from './units.js';

export const composeSchema = z.strictObject({
  /** `[docker, compose]` (default) or `[docker-compose]`; any argv whose program does not start with "-". */
  command: zArgv.default(['docker', 'compose']),
  directory: zAbsPath,
  files: z.array(zFilePath, { error: 'expected a list of compose files' }).min(1).optional(),
  project: zMatching(
    /^[a-z0-9][a-z0-9_-]*$/,
    'expected a compose project name (lowercase letters, digits, "_", "-")',
  ).optional(),
  'env-file': zFilePath.optional(),
  /** The variable the compose file reads the image tag from, e.g. `image: acme/api:${APP_VERSION}`. */
  'version-env': zEnvVarName.default('APP_VERSION'),
  /** Run `compose pull` before `up` (false for images built or loaded on the host). */
  pull: z.boolean({ error: 'expected true or false' }).default(true),
});

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

const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const IMAGE_HELP =
  "expected an image repository without a tag, like ghcr.io/acme/shop-api (the deploy's version input is the tag)";

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
    interval: zDuration.default(2000),
    timeout: zDuration.default(3000),
    deadline: zDuration.default(120_000),
    /** After the first healthy answer, it must stay healthy (and running) this long before traffic moves. */
    stable: zDuration.default(5000),
  })
  .superRefine((h, ctx) => {
    if ((h.http === undefined) === (h.container === undefined)) {
      const got = h.http === undefined ? 'none' : 'both';
      ctx.addIssue({ code: 'custom', message: `health needs exactly one of http, container (got ${got})` });
    }
    if (h.timeout > h.deadline)
      ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'timeout must not exceed deadline' });
  });

const PORT_RANGE_HELP = 'expected a host port range like 18000-18009';

/** `18000-18009` → [18000, 18009]: the host ports the toolkit hands to replicas (one each, plus surge). */
const zPortRange = z.string({ error: PORT_RANGE_HELP }).transform((text, ctx): [number, number] => {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const [lo, hi] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || lo < 1 || hi > 65535 || lo > hi) {
    ctx.addIssue({ code: 'custom', message: `got ${JSON.stringify(text)}, ${PORT_RANGE_HELP} (low ≤ high ≤ 65535)` });
    return z.NEVER;
  }
  return [lo, hi];
});

export const serviceSchema = z
  .strictObject({
    image: zMatching(IMAGE, IMAGE_HELP),
    replicas: zInt(1, 100).default(1),
    /** Container port; host ports are assigned per replica/slot by the toolkit. */
    port: zPort.optional(),
    /** Host ports for replicas; each replica gets its own (host networking, or published to `port`). */
    'host-ports': zPortRange.optional(),
    /** `host`: the container shares the host's network and listens on its assigned port (told via `port-env`). */
    network: z.enum(['host', 'bridge'], { error: 'expected host or bridge' }).default('bridge'),
    /** With host networking, the variable that tells the app which port to listen on. */
    'port-env': zEnvVarName.default('PORT'),
    env: z.record(zEnvVarName, z.string({ error: 'expected a text value' })).optional(),
    command: zArgs.optional(),
    health: healthSchema.optional(),
    /** Time a container gets between SIGTERM and SIGKILL when it is stopped. */
    'stop-grace': zDuration.default(10_000),
  })
  .superRefine((s, ctx) => {
    if (s.network === 'bridge' && s['host-ports'] !== undefined && s.port === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message: 'host-ports are published to the container port: set port',
      });
    }
  });

const STRATEGY_TYPES = ['recreate', 'rolling', 'blue-green', 'canary'] as const;

export const nginxProxySchema = z.strictObject({
  'upstream-file': zAbsPath,
  upstream: zMatching(/^[A-Za-z0-9_]+$/, 'expected an nginx upstream name (letters, digits, "_")'),
  test: zArgv.default(['nginx', '-t']),
  reload: zArgv.default(['nginx', '-s', 'reload']),
  /** nginx's pid file: a switch is done only when workers started after the reload are serving. */
  'pid-file': zAbsPath.default('/run/nginx.pid'),
  /** The service behind this upstream (default: the first service deployed). */
  service: zServiceName.optional(),
  /**
   * nginx runs in this container (name or id) on the target: `test` and `reload` are run in it through the Engine
   * API, its main process is the master (pid-file is not used), and upstream-file is the host path of the file it
   * reads (mount its directory, not the file: an atomic replace of a file mounted alone is not seen inside).
   */
  container: zMatching(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
    'expected a container name or id (letters, digits, "_", ".", "-")',
  ).optional(),
});

const canarySchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        weight: z
          .number({ error: 'expected a percentage of traffic from 0 to 100' })
          .min(0, { error: 'expected a percentage of traffic from 0 to 100' })
          .max(100, { error: 'expected a percentage of traffic from 0 to 100' }),
        pause: zDuration,
      }),
      { error: 'expected a list of steps like [{ weight: 5, pause: 10m }]' },
    )
    .min(1, { error: 'expected at least one step' })
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
    }),
  gates: z.strictObject({
    'error-rate': zFraction.optional(),
    p95: zDuration.optional(),
    'min-samples': zInt(1).optional(),
  }),
});

export const strategySchema = z
  .strictObject({
    type: z.enum(STRATEGY_TYPES).default('rolling'),
    /** Service deploy order; every name must be a key of `services`. */
    order: z
      .array(zServiceName, { error: 'expected a list of service names' })
      .superRefine((names, ctx) => uniqueBy(names, (n) => n, 'service', ctx))
      .optional(),
    'max-surge': zInt(0, 100).default(1),
    drain: zDuration.default(10_000),
    /** Releases kept for instant rollback (the current one included), at least 2. */
    'keep-releases': zInt(2, 100).default(3),
    /** Remove the images of releases that retention removes (never one a kept release uses). */
    'prune-images': z.boolean({ error: 'expected true or false' }).default(true),
    proxy: z.strictObject({ nginx: nginxProxySchema }).optional(),
    /** engine: containers through the Docker API; compose: the compose CLI on the host. Default: compose when a
     * compose section exists, else engine. */
    driver: z.enum(['engine', 'compose'], { error: 'expected engine or compose' }).optional(),
    canary: canarySchema.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.type === 'blue-green' || s.type === 'canary') && s.proxy === undefined) {
      ctx.addIssue({ code: 'custom', message: `strategy ${s.type} switches traffic, so it needs proxy: { nginx: … }` });
    }
    if (s.type === 'canary' && s.canary === undefined) {
      ctx.addIssue({ code: 'custom', message: 'strategy canary needs canary: { steps: […], gates: {…} }' });
    }
  });

export type ComposeConfig = z.output<typeof composeSchema>;
export type Service = z.output<typeof serviceSchema>;
export type HealthConfig = z.output<typeof healthSchema>;
export type NginxProxyConfig = z.output<typeof nginxProxySchema>;
