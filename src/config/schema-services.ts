/** `compose:`, `services:` and `strategy:` — what is deployed and how traffic moves to it (health: schema-health.ts,
 * what containers carry: schema-container.ts). */

import * as z from 'zod';
import {
  uniqueBy,
  zAbsPath,
  zArgs,
  zArgv,
  zEnvVarName,
  zFilePath,
  zInt,
  zMatching,
  zPort,
  zServiceName,
} from './fields.js';
import {
  EXTRA_HOST_HELP,
  logSchema,
  MIN_MEMORY,
  VOLUME_HELP,
  zContainerUser,
  zCpus,
  zExtraHost,
  zLabels,
  zNetworkName,
  zRestart,
  zSecretEnv,
  zVolume,
} from './schema-container.js';
import { fleetStrategyKeys, zRoles } from './schema-fleet.js';
import { healthSchema } from './schema-health.js';
import { maintenanceSchema } from './schema-maintenance.js';
import { blueGreenSchema, canarySchema } from './schema-progressive.js';
import { swarmSchema } from './schema-swarm.js';
import { zDurationIn, zSize } from './units.js';

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

/** The largest memory limit accepted (a larger one is a typo). */
const MAX_MEMORY = 4 * 2 ** 40;

const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const IMAGE_HELP =
  "expected an image repository without a tag, like ghcr.io/acme/shop-api (the deploy's version input is the tag)";

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
    /** Runner environment variables whose values go into the container (masked, never written): name → runner name. */
    'secret-env': zSecretEnv.optional(),
    /** A file ON THE TARGET in docker's --env-file format, read at deploy time; its values are masked. */
    'env-file': zAbsPath.optional(),
    volumes: z
      .array(zVolume, { error: `${VOLUME_HELP}, in a list` })
      .superRefine((vs, ctx) => uniqueBy(vs, (v) => v.target, 'container path', ctx))
      .optional(),
    /**
     * Existing Docker networks the containers join instead of the default bridge (network: bridge only), answering
     * to the service's name on each.
     */
    networks: z
      .array(zNetworkName, { error: 'expected a list of network names, like [shop-internal]' })
      .min(1, { error: 'expected at least one network name' })
      .max(10, { error: 'expected at most 10 networks' })
      .superRefine((ns, ctx) => uniqueBy(ns, (n) => n, 'network', ctx))
      .optional(),
    labels: zLabels.optional(),
    restart: zRestart.default({ name: 'unless-stopped' }),
    user: zContainerUser.optional(),
    /** Memory limit, in bytes once parsed. */
    memory: zSize
      .refine((b) => b >= MIN_MEMORY && b <= MAX_MEMORY, {
        error: "expected at least 6MiB (Docker's minimum) and at most 4TiB",
      })
      .optional(),
    cpus: zCpus.optional(),
    log: logSchema.optional(),
    'extra-hosts': z.array(zExtraHost, { error: `${EXTRA_HOST_HELP}, in a list` }).optional(),
    health: healthSchema.optional(),
    /** The roles of the hosts this service runs on (targets' roles); default: every host. */
    roles: zRoles.optional(),
    /** Time a container gets between SIGTERM and SIGKILL when it is stopped. */
    'stop-grace': zDurationIn(0, 3_600_000).default(10_000),
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
  /** `runbook maintenance on|off`: where the upstream points while the site is in maintenance (schema-maintenance.ts). */
  maintenance: maintenanceSchema.optional(),
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

export const strategySchema = z
  .strictObject({
    type: z.enum(STRATEGY_TYPES).default('rolling'),
    /** Service deploy order; every name must be a key of `services`. */
    order: z
      .array(zServiceName, { error: 'expected a list of service names' })
      .superRefine((names, ctx) => uniqueBy(names, (n) => n, 'service', ctx))
      .optional(),
    'max-surge': zInt(0, 100).default(1),
    ...fleetStrategyKeys,
    drain: zDurationIn(0, 3_600_000).default(10_000),
    /** Releases kept for instant rollback (the current one included), at least 2. */
    'keep-releases': zInt(2, 100).default(3),
    /** Remove the images of releases that retention removes (never one a kept release uses). */
    'prune-images': z.boolean({ error: 'expected true or false' }).default(true),
    proxy: z.strictObject({ nginx: nginxProxySchema }).optional(),
    /** engine: containers through the Docker API; compose: the compose CLI on the host; swarm: a Docker Swarm service
     * per config service, updated by Swarm. Default: compose when a compose section exists, else engine. */
    driver: z.enum(['engine', 'compose', 'swarm'], { error: 'expected engine, compose or swarm' }).optional(),
    /** driver swarm: the service's update (and rollback) config, and how long a deploy waits for convergence. */
    swarm: swarmSchema.optional(),
    'blue-green': blueGreenSchema.default(blueGreenSchema.parse({})),
    canary: canarySchema.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.type === 'blue-green' || s.type === 'canary') && s.proxy === undefined) {
      ctx.addIssue({ code: 'custom', message: `strategy ${s.type} switches traffic, so it needs proxy: { nginx: … }` });
    }
    if (s['batch-size'] !== undefined && s['max-unavailable'] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['max-unavailable'],
        message: 'batch-size and max-unavailable say the same (hosts changed at once): set one of them',
      });
    }
    if (s.type === 'canary' && s.canary === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'strategy canary needs canary: { access-log: …, steps: […], gates: {…} } (at least what measures it)',
      });
    }
  });

export type ComposeConfig = z.output<typeof composeSchema>;
export type Service = z.output<typeof serviceSchema>;
export type NginxProxyConfig = z.output<typeof nginxProxySchema>;
