/**
 * A compose service as the rolling driver creates its replicas: read from the output of `compose config` (the files
 * resolved by compose itself: interpolation, env_file merged into environment, extends, relative paths made absolute),
 * turned into the parts of a container spec every replica shares. The compose file stays the source of truth; the
 * toolkit only adds what makes replicas of one service distinct (name, labels, host port, port variable).
 *
 * Both compose generations are read: docker-compose 1.29 prints short forms (`data:/data:rw`, `networks: {back:
 * null}`), `docker compose` v2 long forms (`{type: volume, source: data, target: /data}`) and a top-level `name`.
 * Keys that would change how a container runs but are not carried are refused, naming them, before any change.
 * Sources: the Compose file reference (https://docs.docker.com/reference/compose-file/services/) and
 * docker-compose 1.29's `config` output.
 */
import { split as shellSplit } from 'shlex';
import { parse } from 'yaml';
import { errorMessage, UserError } from '../../core/errors.js';
import type { ContainerSpec, HealthcheckSpec, RestartPolicy } from '../../docker/types.js';
import { isObj, networkOf, type Obj, strList, volumesOf } from './attachments.js';

/** What every replica of the service shares (ContainerSpec without name, image and the toolkit's own parts). */
export type ContainerTemplate = Omit<ContainerSpec, 'name' | 'image' | 'portBindings'>;

/** The service as resolved by compose, ready for the rolling driver. */
export interface ComposeService {
  /** The project's name: `name` of compose v2's output, else `compose.project`, else the directory's name. */
  project: string;
  /** The image reference compose resolved (with the version variable set). */
  image: string;
  template: ContainerTemplate;
  /** Services of depends_on: started (never recreated) before the first replica. */
  dependsOn: string[];
  /** Named volumes the replicas mount, with their real names (`<project>_<key>` unless external or named). */
  volumes: Array<{ key: string; name: string; external: boolean }>;
  /** The networks the replicas join, with their real names (the first is their network mode); none with network_mode. */
  networks: Array<{ key: string; name: string; external: boolean }>;
  /** Keys of the file the toolkit replaces per replica, for the log: ports, container_name, scale … */
  replaced: string[];
}

/** Keys carried into every replica. */
const CARRIED = new Set([
  'image',
  'command',
  'entrypoint',
  'environment',
  'volumes',
  'network_mode',
  'networks',
  'healthcheck',
  'labels',
  'restart',
  'user',
  'working_dir',
  'extra_hosts',
  'logging',
  'mem_limit',
  'cpus',
  'stop_grace_period',
  'cap_add',
  'cap_drop',
  'init',
  'depends_on',
  'deploy',
]);
/** Keys the toolkit replaces per replica, or that do not change how a container runs. */
const REPLACED = new Set([
  'ports',
  'expose',
  'container_name',
  'scale',
  'build',
  'pull_policy',
  'profiles',
  'hostname',
]);

/** Compose's project name rule: lower case, only [a-z0-9_-] kept (both generations). */
export function projectName(name: string): string {
  return name.toLowerCase().replace(/[^-_a-z0-9]/g, '');
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as compose prints it (`1m30s`, `500ms`, `2s`), or a number of seconds, in ms. */
export function goDurationMs(v: unknown, where: string): number {
  if (typeof v === 'number') return v * 1000;
  const text = String(v);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UserError(`${where}: ${JSON.stringify(text)} is not a duration (like 10s, 1m30s or 500ms)`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNIT_MS[p[2] ?? 's'] ?? 0), 0);
}

/** `512m`, `1g`, `1024` (bytes) → bytes, as compose reads mem_limit. */
export function byteSize(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(v));
  if (!m) throw new UserError(`${where}: ${JSON.stringify(v)} is not a size (like 512m or 1g)`);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

function healthcheckOf(v: unknown, where: string): HealthcheckSpec | undefined {
  if (!isObj(v)) return undefined;
  if (v.disable === true) return { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0 };
  const test = typeof v.test === 'string' ? ['CMD-SHELL', v.test] : strList(v.test);
  if (!test) return undefined;
  const ms = (key: string, dflt: number) => (v[key] === undefined ? dflt : goDurationMs(v[key], `${where}.${key}`));
  return {
    test,
    intervalMs: ms('interval', 30_000),
    timeoutMs: ms('timeout', 30_000),
    retries: v.retries === undefined ? 3 : Number(v.retries),
    startPeriodMs: v.start_period === undefined ? undefined : ms('start_period', 0),
  };
}

function restartOf(v: unknown, where: string): Pick<ContainerTemplate, 'restartPolicy' | 'restartMaxRetries'> {
  if (v === undefined) return {};
  const [name = '', max] = String(v).split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) {
    throw new UserError(`${where}: restart ${JSON.stringify(v)} is not one of no, always, unless-stopped, on-failure`);
  }
  return { restartPolicy: name as RestartPolicy, restartMaxRetries: max === undefined ? undefined : Number(max) };
}

/**
 * A command or entrypoint: a list as it is, a string split as compose splits it (docker-compose 1.29 prints the
 * string form and splits it with Python's shlex.split; `docker compose` v2 prints the list).
 */
function argvOf(v: unknown): string[] | undefined {
  return typeof v === 'string' ? shellSplit(v) : strList(v);
}

/** `{a: b}` or `[a=b]` → a map (labels, environment); a list entry without `=` gets ''. */
function mapOf(v: unknown): Record<string, string> {
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? '' : String(x)]));
  const out: Record<string, string> = {};
  for (const e of strList(v) ?? []) {
    const eq = e.indexOf('=');
    out[eq < 0 ? e : e.slice(0, eq)] = eq < 0 ? '' : e.slice(eq + 1);
  }
  return out;
}

/**
 * `compose config` prints a file compose could read again, so a literal `$` comes out escaped as `$$` (both
 * generations): every string is unescaped, as compose does when it reads the file.
 */
function unescapeDollars(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('$$', '$');
  if (Array.isArray(v)) return v.map(unescapeDollars);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescapeDollars(x)]));
  return v;
}

/**
 * The environment of service `name` in `compose config`'s YAML output (env_file merged, interpolated), whatever other
 * keys it has; undefined when the output has no such service. Throws UserError when the output is not YAML.
 */
export function composeServiceEnv(configText: string, name: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = parse(configText, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`compose config printed text that is not YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  const doc = unescapeDollars(parsed);
  const svc = isObj(doc) && isObj(doc.services) ? doc.services[name] : undefined;
  return isObj(svc) ? mapOf(svc.environment) : undefined;
}

/**
 * The service `name` of `compose config`'s YAML output. `projectHint` is `compose.project` or the directory's name.
 * Throws UserError naming the key when the service is missing, or has a key rolling replicas cannot carry.
 */
export function composeServiceOf(configText: string, name: string, projectHint: string): ComposeService {
  let parsed: unknown;
  try {
    parsed = parse(configText, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`compose config printed text that is not YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  const doc = unescapeDollars(parsed);
  if (!isObj(doc) || !isObj(doc.services)) throw new UserError('compose config printed no services');
  const svc = doc.services[name];
  if (!isObj(svc)) {
    throw new UserError(
      `the compose files have no service ${name} (they have: ${Object.keys(doc.services).join(', ')})`,
    );
  }
  const where = `compose service ${name}`;
  const unknown = Object.keys(svc).filter((k) => !CARRIED.has(k) && !REPLACED.has(k));
  if (unknown.length > 0) {
    throw new UserError(
      `${where}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not carried into rolling replicas (carried: ${[...CARRIED].join(', ')}); remove ${unknown.length > 1 ? 'them' : 'it'} or use strategy recreate`,
    );
  }
  if (typeof svc.image !== 'string') throw new UserError(`${where} has no image: rolling replicas run an image`);
  const project = projectName(typeof doc.name === 'string' ? doc.name : projectHint);
  const { binds, named } = volumesOf(svc, doc, project, where);
  const net = networkOf(svc, doc, project, name, where);
  const limits =
    isObj(svc.deploy) && isObj(svc.deploy.resources) && isObj(svc.deploy.resources.limits)
      ? svc.deploy.resources.limits
      : {};
  const mem = svc.mem_limit ?? limits.memory;
  const cpus = svc.cpus ?? limits.cpus;
  const logging = isObj(svc.logging) ? svc.logging : undefined;
  const depends =
    svc.depends_on === undefined
      ? []
      : Array.isArray(svc.depends_on)
        ? svc.depends_on.map(String)
        : Object.keys(svc.depends_on as Obj);
  const extraHosts = strList(
    isObj(svc.extra_hosts) ? Object.entries(svc.extra_hosts).map(([h, a]) => `${h}:${a}`) : svc.extra_hosts,
  );
  return {
    project,
    image: svc.image,
    template: {
      env: mapOf(svc.environment),
      labels: mapOf(svc.labels),
      cmd: argvOf(svc.command),
      entrypoint: argvOf(svc.entrypoint),
      networkMode: net.mode,
      extraNetworks: net.networks.length > 1 ? net.networks.slice(1).map((n) => n.name) : undefined,
      networkAliases: net.aliases,
      ...restartOf(svc.restart, `${where}.restart`),
      stopTimeoutSeconds:
        svc.stop_grace_period === undefined
          ? undefined
          : Math.ceil(goDurationMs(svc.stop_grace_period, `${where}.stop_grace_period`) / 1000),
      healthcheck: healthcheckOf(svc.healthcheck, `${where}.healthcheck`),
      binds: binds.length > 0 ? binds : undefined,
      extraHosts: extraHosts?.map((h) => h.replace('=', ':')),
      user: svc.user === undefined ? undefined : String(svc.user),
      workingDir: svc.working_dir === undefined ? undefined : String(svc.working_dir),
      memoryBytes: mem === undefined ? undefined : byteSize(mem, `${where}.mem_limit`),
      nanoCpus: cpus === undefined ? undefined : Math.round(Number(cpus) * 1e9),
      log:
        logging && typeof logging.driver === 'string'
          ? { driver: logging.driver, options: mapOf(logging.options) }
          : undefined,
      capAdd: strList(svc.cap_add),
      capDrop: strList(svc.cap_drop),
      init: svc.init === undefined ? undefined : svc.init === true,
    },
    dependsOn: depends,
    volumes: named,
    networks: net.networks,
    replaced: Object.keys(svc).filter((k) => REPLACED.has(k)),
  };
}
