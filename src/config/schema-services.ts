/** `compose:`, `services:` and `strategy:` — what is deployed and how traffic moves to it. */

import { isIP } from 'node:net';
import * as z from 'zod';
import {
  isHost,
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
import { show } from './text.js';
import { zDuration, zSize } from './units.js';

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
  /** Deprecated for `services.<name>.pull`: true reads as `always`, false as `missing` (when the service sets none). */
  pull: z.boolean({ error: 'expected true or false' }).optional(),
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

const SECRET_ENV_HELP =
  'expected a list of runner environment variable NAMES like [DATABASE_URL, SECRET_KEY], or a mapping of container variable to runner variable like { DATABASE_URL: SHOP_DB_URL }';

/** `[DATABASE_URL]` or `{ DATABASE_URL: SHOP_DATABASE_URL }` → container variable → runner variable. */
const zSecretEnv = z
  .union([z.array(zEnvVarName).min(1, { error: SECRET_ENV_HELP }), z.record(zEnvVarName, zEnvVarName)], {
    error: SECRET_ENV_HELP,
  })
  .superRefine((v, ctx) => {
    if (Array.isArray(v)) uniqueBy(v, (n) => n, 'variable', ctx);
  })
  .transform((v): Record<string, string> => (Array.isArray(v) ? Object.fromEntries(v.map((n) => [n, n])) : v));

const VOLUME_HELP =
  'expected SOURCE:CONTAINER-PATH[:ro|rw], like data:/var/lib/app (a named volume) or /srv/uploads:/app/uploads:ro (a host directory)';
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const isAbsPath = (p: string) =>
  p.startsWith('/') && p.length > 1 && NO_CONTROL.test(p) && !p.split('/').includes('..') && !p.includes(',');

/** A mount: `data:/var/lib/app` (named volume) or `/srv/uploads:/app/uploads:ro` (bind mount of a host path). */
export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
}

function volumeProblem(parts: readonly string[]): string | undefined {
  const [source = '', target = '', mode] = parts;
  if (parts.length < 2 || parts.length > 3) return 'expected two or three parts separated by ":"';
  if (!(VOLUME_NAME.test(source) || isAbsPath(source)))
    return `the source ${show(source)} is neither a volume name (letters, digits, "_", ".", "-") nor an absolute host path`;
  if (!isAbsPath(target)) return `the container path ${show(target)} must be absolute (starting with "/", no "..")`;
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return `the mode ${show(mode)} must be ro or rw`;
  return undefined;
}

const zVolume = z.string({ error: VOLUME_HELP }).transform((text, ctx): VolumeMount => {
  const parts = text.split(':');
  const problem = volumeProblem(parts);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}: ${problem}; ${VOLUME_HELP}` });
    return z.NEVER;
  }
  return { source: parts[0] ?? '', target: parts[1] ?? '', readOnly: parts[2] === 'ro' };
});

const NETWORK_NAME_HELP = 'expected the name of an existing Docker network (letters, digits, "_", ".", "-")';
const zNetworkName = zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, NETWORK_NAME_HELP).refine(
  (n) => !['host', 'bridge', 'none', 'default'].includes(n),
  { error: 'host, bridge, none and default are network modes, not networks to join: use the network key' },
);

const LABEL_KEY_HELP = 'expected a label name like com.example.team (no spaces, "=" or control characters)';
const zLabels = z
  .record(
    z.string().regex(/^[^\s=\p{Cc}]+$/u, { error: LABEL_KEY_HELP }),
    z
      .string({ error: 'expected a text value' })
      .regex(NO_CONTROL, { error: 'expected a value without control characters' }),
    { error: 'expected a mapping of label name to value, like { com.example.team: shop }' },
  )
  .superRefine((labels, ctx) => {
    for (const key of Object.keys(labels)) {
      if (!key.toLowerCase().startsWith('io.runbook.')) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: "labels under io.runbook. are the toolkit's own (they tie containers to releases); use another prefix",
      });
    }
  });

const RESTART_HELP = 'expected no, on-failure, on-failure:N (at most N restarts), always or unless-stopped';

/** Docker's restart policy: `no`, `on-failure[:N]`, `always`, `unless-stopped`. */
export interface RestartConfig {
  name: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  maxRetries?: number;
}

const zRestart = z.string({ error: RESTART_HELP }).transform((text, ctx): RestartConfig => {
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d{1,4}))?$/.exec(text);
  const name = m?.[1] as RestartConfig['name'] | undefined;
  if (!m || name === undefined || (m[2] !== undefined && name !== 'on-failure')) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}, ${RESTART_HELP}` });
    return z.NEVER;
  }
  return m[2] === undefined ? { name } : { name, maxRetries: Number(m[2]) };
});

const NAME_OR_ID = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}';
const zContainerUser = zMatching(
  new RegExp(`^${NAME_OR_ID}(?::${NAME_OR_ID})?$`),
  'expected a user like app, 1000 or 1000:1000 (a name or uid, optionally :group or :gid)',
);

/** Docker refuses a smaller memory limit. */
const MIN_MEMORY = 6 * 2 ** 20;
const CPUS_HELP = 'expected a number of CPUs from 0.01 to 256, like 0.5 or 2';
const zCpus = z.number({ error: CPUS_HELP }).min(0.01, { error: CPUS_HELP }).max(256, { error: CPUS_HELP });

const logSchema = z.strictObject({
  driver: zMatching(
    /^[a-zA-Z0-9][a-zA-Z0-9_./:-]*$/,
    'expected a logging driver name like json-file, local, journald or syslog',
  ),
  options: z
    .record(
      zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected an option name like max-size'),
      z
        .string({ error: 'expected a text value (quote numbers: "3")' })
        .regex(NO_CONTROL, { error: 'expected a value without control characters' }),
      { error: 'expected a mapping of option to value, like { max-size: 10m, max-file: "3" }' },
    )
    .optional(),
});

const EXTRA_HOST_HELP = 'expected NAME:ADDRESS, like db.internal:10.0.0.7 or host.docker.internal:host-gateway';
const zExtraHost = z.string({ error: EXTRA_HOST_HELP }).superRefine((text, ctx) => {
  const at = text.indexOf(':');
  const name = at < 0 ? text : text.slice(0, at);
  const address = at < 0 ? '' : text.slice(at + 1);
  if (at < 0 || !isHost(name) || isIP(name) !== 0 || !(address === 'host-gateway' || isIP(address) !== 0)) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}, ${EXTRA_HOST_HELP}` });
  }
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
    /** Runner environment variables whose values go into the container (masked, never written): name → runner name. */
    'secret-env': zSecretEnv.optional(),
    /** A file ON THE TARGET in docker's --env-file format, read at deploy time; its values are masked. */
    'env-file': zAbsPath.optional(),
    volumes: z
      .array(zVolume, { error: `${VOLUME_HELP}, in a list` })
      .superRefine((vs, ctx) => uniqueBy(vs, (v) => v.target, 'container path', ctx))
      .optional(),
    /** An existing Docker network the containers join instead of the default bridge (network: bridge only). */
    networks: z
      .array(zNetworkName, { error: 'expected a list of network names, like [shop-internal]' })
      .min(1, { error: 'expected one network name' })
      .refine((ns) => ns.length === 1, {
        error: 'expected one network (the engine driver does not join several yet)',
      })
      .optional(),
    labels: zLabels.optional(),
    restart: zRestart.default({ name: 'unless-stopped' }),
    user: zContainerUser.optional(),
    /** Memory limit, in bytes once parsed. */
    memory: zSize.refine((b) => b >= MIN_MEMORY, { error: "expected at least 6MiB (Docker's minimum)" }).optional(),
    cpus: zCpus.optional(),
    log: logSchema.optional(),
    'extra-hosts': z.array(zExtraHost, { error: `${EXTRA_HOST_HELP}, in a list` }).optional(),
    health: healthSchema.optional(),
    /** Time a container gets between SIGTERM and SIGKILL when it is stopped. */
    'stop-grace': zDuration.default(10_000),
    /** When the image is pulled: always, missing or never (default: by whether the image names a registry host). */
    pull: z.enum(['always', 'missing', 'never'], { error: 'expected always, missing or never' }).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.network === 'bridge' && s['host-ports'] !== undefined && s.port === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message: 'host-ports are published to the container port: set port',
      });
    }
    if (s.networks !== undefined && s.network !== 'bridge') {
      ctx.addIssue({
        code: 'custom',
        path: ['networks'],
        message: 'networks apply to network: bridge (a container on the host network joins no other network)',
      });
    }
    for (const name of Object.keys(s['secret-env'] ?? {})) {
      if (s.env?.[name] !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['secret-env', name], message: `${name} is also in env: keep one` });
      } else if (s.network === 'host' && name === s['port-env']) {
        ctx.addIssue({
          code: 'custom',
          path: ['secret-env', name],
          message: `${name} is the port-env variable, which the toolkit sets to each replica's port`,
        });
      }
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
