/** `environments:` and their targets (SSH, local runner, or a Docker API endpoint). */
import * as z from 'zod';
import {
  exactlyOne,
  isHost,
  uniqueBy,
  zAbsPath,
  zEnvVarName,
  zHost,
  zHttpUrl,
  zPort,
  zTargetName,
  zUser,
} from './fields.js';
import { checksOverrideSchema } from './schema-checks.js';
import { zRoles } from './schema-fleet.js';
import { zDurationIn } from './units.js';

const jumpHostSchema = z.strictObject({
  host: zHost,
  port: zPort.default(22),
  user: zUser,
});

const sshSchema = z.strictObject({
  host: zHost,
  port: zPort.default(22),
  user: zUser,
  jump: jumpHostSchema.optional(),
  'connect-timeout': zDurationIn(1000, 10 * 60_000).default(20_000),
  'keepalive-interval': zDurationIn(100, 10 * 60_000).default(15_000),
});

const DOCKER_HOST_HELP =
  'expected unix:///path/to/docker.sock or tcp://host:port (a socket over SSH: an ssh target with docker-socket)';
const SOCKET_PATH = /^\/[A-Za-z0-9._/-]*$/;

/** The parts of an `ssh://user@host[:port][/socket]` Docker host (undefined for another form); not yet checked. */
function sshDockerHost(value: string): { user: string; host: string; port?: string; path?: string } | undefined {
  const m = /^ssh:\/\/([^@/]+)@(\[[^\]]+\]|[^:/[\]]+)(?::(\d{1,5}))?(\/.*)?$/.exec(value);
  if (!m) return undefined;
  return { user: m[1] ?? '', host: m[2] ?? '', ...(m[3] ? { port: m[3] } : {}), ...(m[4] ? { path: m[4] } : {}) };
}

/** Whether `value` is a well-formed Docker endpoint (unix://, tcp://, ssh://). Hosts are checked like SSH hosts. */
export function isDockerHost(value: string): boolean {
  const unix = /^unix:\/\/(\/.*)$/.exec(value);
  if (unix !== null) return SOCKET_PATH.test(unix[1] ?? '') && !(unix[1] ?? '').split('/').includes('..');
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/[\]]+):(\d{1,5})$/.exec(value);
  if (tcp !== null) return hostPart(tcp[1]) && portPart(tcp[2]);
  const ssh = sshDockerHost(value);
  if (ssh === undefined) return false;
  const { user, host, port, path } = ssh;
  return (
    /^[a-z_][a-z0-9_.-]{0,31}$/i.test(user) &&
    hostPart(host) &&
    (port === undefined || portPart(port)) &&
    (path === undefined || (SOCKET_PATH.test(path) && !path.split('/').includes('..')))
  );
}

function hostPart(host: string | undefined): boolean {
  if (host === undefined) return false;
  return host.startsWith('[') ? host.endsWith(']') && isHost(host.slice(1, -1)) && host.includes(':') : isHost(host);
}

function portPart(port: string | undefined): boolean {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const zEnvName = z
  .string({ error: 'expected an environment variable name like DOCKER_TLS_KEY' })
  .regex(ENV_NAME, { error: 'expected an environment variable name like DOCKER_TLS_KEY (A-Z, 0-9, _)' });

export const dockerSchema = z
  .strictObject({
    host: z.string({ error: DOCKER_HOST_HELP }).refine(isDockerHost, { error: DOCKER_HOST_HELP }),
    /** Mutual TLS for tcp:// hosts: the environment variables holding the PEM texts (kept in memory, key masked). */
    tls: z.strictObject({ 'ca-env': zEnvName, 'cert-env': zEnvName, 'key-env': zEnvName }).optional(),
    /** Allow `tcp://` without mutual TLS. The transport refuses plain TCP unless this is true. */
    'allow-plain-tcp': z.boolean({ error: 'expected true or false' }).default(false),
  })
  .superRefine((d, ctx) => {
    const ssh = sshDockerHost(d.host);
    if (ssh) {
      const { user, host, port, path: socket } = ssh;
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `${d.host}: a Docker socket over SSH is reached as an ssh target (pinned host key, the socket tunnelled through it): { name: …, ssh: { host: ${host}, user: ${user}${port ? `, port: ${port}` : ''} }, docker-socket: ${socket ?? '/var/run/docker.sock'} }`,
      });
    }
    if (d.tls && !d.host.startsWith('tcp://')) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls applies to tcp:// hosts only' });
    }
  });

type SshConfig = z.output<typeof sshSchema>;
export type DockerConfig = z.output<typeof dockerSchema>;

/** What ssh and local targets share: the Docker socket on that host and environment for every command there. */
export interface HostTargetExtras {
  /** The Docker Engine socket on the host (engine driver; tunnelled through SSH for ssh targets). */
  'docker-socket': string;
  /** Non-secret environment for every command run on the target (e.g. DOCKER_HOST for compose). */
  env: Record<string, string>;
}

export interface SshTarget extends HostTargetExtras {
  name: string;
  roles?: string[];
  /** Where the load balancer reaches this host (targets[].address). */
  address?: string;
  kind: 'ssh';
  ssh: SshConfig;
}
export interface LocalTarget extends HostTargetExtras {
  name: string;
  roles?: string[];
  /** Where the load balancer reaches this host (targets[].address). */
  address?: string;
  kind: 'local';
  local: true;
}
export interface DockerTarget {
  name: string;
  roles?: string[];
  /** Where the load balancer reaches this host (targets[].address). */
  address?: string;
  kind: 'docker';
  docker: DockerConfig;
}

const TARGET_KINDS = ['ssh', 'local', 'docker'] as const;

/**
 * A target names exactly one way to reach it. Parsed as one strict object (so unknown keys get suggestions from
 * all target keys), then narrowed to a tagged union with `kind`.
 */
export const targetSchema = z
  .strictObject({
    name: zTargetName,
    ssh: sshSchema.optional(),
    local: z
      .literal(true, { error: 'expected true (local: true runs on the runner itself); remove the key otherwise' })
      .optional(),
    docker: dockerSchema.optional(),
    'docker-socket': zAbsPath.optional(),
    /** The roles this host plays (web, worker …): it runs the services naming one of them. Default: every service. */
    roles: zRoles.optional(),
    /**
     * Where the environment's load balancer reaches this host's replicas (IP or host name). Default: the ssh host,
     * the host of a tcp:// or ssh:// docker endpoint, 127.0.0.1 for local targets and the load balancer itself.
     */
    address: zHost.optional(),
    env: z
      .record(zEnvVarName, z.string({ error: 'expected a text value' }), {
        error: 'expected a mapping like { DOCKER_HOST: unix:///run/docker.sock }',
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    exactlyOne(t, TARGET_KINDS, 'a target', ['name', ...TARGET_KINDS, 'docker-socket', 'env', 'roles', 'address'], ctx);
    for (const key of ['docker-socket', 'env'] as const) {
      if (t.docker !== undefined && t[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} applies to ssh and local targets, not docker ones`,
        });
      }
    }
  })
  .transform((t): SshTarget | LocalTarget | DockerTarget => {
    const roles = { ...(t.roles ? { roles: t.roles } : {}), ...(t.address ? { address: t.address } : {}) };
    const extras = { 'docker-socket': t['docker-socket'] ?? '/var/run/docker.sock', env: t.env ?? {}, ...roles };
    if (t.ssh !== undefined) return { name: t.name, kind: 'ssh', ssh: t.ssh, ...extras };
    if (t.docker !== undefined) return { name: t.name, kind: 'docker', docker: t.docker, ...roles };
    return { name: t.name, kind: 'local', local: true, ...extras };
  });

export type Target = z.output<typeof targetSchema>;

export const environmentSchema = z.strictObject({
  /** Public URL: the deployment's environment_url and the base for relative smoke-check URLs. */
  url: zHttpUrl.optional(),
  targets: z
    .array(targetSchema, {
      error: 'expected a list of targets like [{ name: web1, ssh: { host: 10.0.0.5, user: deploy } }]',
    })
    .min(1, { error: 'expected at least one target' })
    .superRefine((targets, ctx) => uniqueBy(targets, (t) => t.name, 'target name', ctx, 'name')),
  /** Journal and lock directory on the primary (first) target. Defaults to /var/lib/runbook/<app>. */
  'state-dir': zAbsPath.optional(),
  /**
   * The target whose nginx fronts every host of the environment (strategy.proxy.nginx's files are on it): its
   * upstream lists each host's replicas at the host's `address`. Default: each host's own nginx fronts its replicas.
   */
  'load-balancer': zTargetName.optional(),
  /** Overrides of the top-level `checks:` for this environment (keys given here win). */
  checks: checksOverrideSchema.optional(),
});
