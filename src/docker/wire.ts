/**
 * The Docker Engine API's data, with no I/O: query strings, path segments, `filters` JSON, the container create body,
 * the X-Registry-Auth value, image references and the API version rule. Everything here is unit tested.
 */
import { UserError } from '../core/errors.js';
import type { ContainerSpec, RegistryAuth } from './types.js';

/** The newest API version this client speaks; newer daemons are asked for this one. */
const MAX_API_VERSION = '1.45';
/** Docker 20.10. */
const MIN_API_VERSION = '1.41';

export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` (booleans as 1/0, undefined left out), or `''` when nothing is set. */
export function queryString(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/**
 * One path part naming a container, exec or image. Image references keep their `/` (Docker's image routes take
 * `{name:.*}`); everything else is percent-encoded, and empty or `.`/`..` parts are refused.
 */
export function pathRef(ref: string, what: string, { slashes = false } = {}): string {
  const parts = slashes ? ref.split('/') : [ref];
  if (ref === '' || parts.some((p) => p === '' || p === '.' || p === '..') || /[\s\p{Cc}]/u.test(ref)) {
    throw new UserError(`invalid ${what} ${JSON.stringify(ref)}`);
  }
  return parts.map(encodeURIComponent).join('/');
}

/** Docker's `filters` parameter: `{"label":["a=b"]}` as JSON; undefined when there is nothing to filter on. */
export function filtersJson(filters: Record<string, string[] | undefined>): string | undefined {
  const used = Object.entries(filters).filter((e): e is [string, string[]] => e[1] !== undefined && e[1].length > 0);
  if (used.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(used));
}

/** `{a: 'b'}` → `['a=b']` (a label filter); a value-less key is not expressible here, so keys must be non-empty. */
export function labelFilter(labels: Record<string, string> | undefined): string[] | undefined {
  if (!labels) return undefined;
  return Object.entries(labels).map(([k, v]) => {
    if (k === '' || k.includes('=')) throw new UserError(`invalid label name ${JSON.stringify(k)}`);
    return `${k}=${v}`;
  });
}

/** `{A: '1'}` → `['A=1']`, refusing names Docker would mangle. */
export function envList(env: Record<string, string> | undefined): string[] | undefined {
  if (!env) return undefined;
  return Object.entries(env).map(([k, v]) => {
    if (!/^[^=\s\0]+$/.test(k)) throw new UserError(`invalid environment variable name ${JSON.stringify(k)}`);
    if (v.includes('\0')) throw new UserError(`the value of environment variable ${k} contains a NUL byte`);
    return `${k}=${v}`;
  });
}

const NS_PER_MS = 1_000_000;

function durationNs(ms: number | undefined, what: string): number | undefined {
  if (ms === undefined) return undefined;
  if (!Number.isInteger(ms) || ms < 1) throw new UserError(`healthcheck ${what} must be a whole number ≥ 1 ms`);
  return ms * NS_PER_MS;
}

/** `80` → `80/tcp`; `53/udp` kept. */
export function portKey(port: number | string): string {
  const text = String(port);
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(text);
  const n = Number(m?.[1]);
  if (!m || n < 1 || n > 65535) throw new UserError(`invalid container port ${JSON.stringify(text)}`);
  return `${n}/${m[2] ?? 'tcp'}`;
}

/** HostConfig's mounts, hosts, limits and logging of a spec (each left out when unset), checked. */
function resourceConfig(spec: ContainerSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of spec.binds ?? []) {
    const [source = '', target = '', mode, ...rest] = b.split(':');
    if (
      source === '' ||
      !target.startsWith('/') ||
      (mode !== undefined && mode !== 'ro' && mode !== 'rw') ||
      rest.length > 0
    ) {
      throw new UserError(
        `container ${spec.name}: invalid volume ${JSON.stringify(b)} (expected source:/path[:ro|rw])`,
      );
    }
  }
  if (spec.binds && spec.binds.length > 0) out.Binds = spec.binds;
  if (spec.extraHosts && spec.extraHosts.length > 0) out.ExtraHosts = spec.extraHosts;
  if (spec.memoryBytes !== undefined) {
    if (!Number.isSafeInteger(spec.memoryBytes) || spec.memoryBytes < 1) {
      throw new UserError(`container ${spec.name}: a memory limit is a whole number of bytes ≥ 1`);
    }
    out.Memory = spec.memoryBytes;
  }
  if (spec.nanoCpus !== undefined) {
    if (!Number.isSafeInteger(spec.nanoCpus) || spec.nanoCpus < 1) {
      throw new UserError(`container ${spec.name}: a CPU limit is a whole number of nano-CPUs ≥ 1`);
    }
    out.NanoCpus = spec.nanoCpus;
  }
  if (spec.log) out.LogConfig = { Type: spec.log.driver, Config: spec.log.options ?? {} };
  if (spec.capAdd && spec.capAdd.length > 0) out.CapAdd = spec.capAdd;
  if (spec.capDrop && spec.capDrop.length > 0) out.CapDrop = spec.capDrop;
  if (spec.init !== undefined) out.Init = spec.init;
  return out;
}

/** A network a container joins by name (not a mode: host, bridge, none, default, container:…). */
export function isUserNetwork(mode: string | undefined): boolean {
  return mode !== undefined && !['host', 'bridge', 'none', 'default'].includes(mode) && !mode.startsWith('container:');
}

/** The body of POST /containers/create for a spec (the name goes in the query string). */
export function createContainerBody(spec: ContainerSpec): Record<string, unknown> {
  if (!spec.image) throw new UserError(`container ${spec.name}: an image is required`);
  if (spec.networkMode === 'host' && spec.portBindings && spec.portBindings.length > 0) {
    throw new UserError(
      `container ${spec.name}: port bindings have no effect with host networking (the app binds the host's ports)`,
    );
  }
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of spec.portBindings ?? []) {
    const key = portKey(b.containerPort);
    exposed[key] = {};
    const hostPort = String(b.hostPort);
    if (!/^\d{1,5}$/.test(hostPort) || Number(hostPort) > 65535) {
      throw new UserError(`container ${spec.name}: invalid host port ${JSON.stringify(hostPort)}`);
    }
    bindings[key] = [...(bindings[key] ?? []), { HostIp: b.hostIp ?? '', HostPort: hostPort }];
  }
  const hc = spec.healthcheck;
  if (hc && !['NONE', 'CMD', 'CMD-SHELL'].includes(hc.test[0] ?? '')) {
    throw new UserError(`container ${spec.name}: a healthcheck test starts with CMD, CMD-SHELL or NONE`);
  }
  if (hc && (!Number.isInteger(hc.retries) || hc.retries < 0)) {
    throw new UserError(`container ${spec.name}: healthcheck retries must be a whole number ≥ 0`);
  }
  if (
    spec.stopTimeoutSeconds !== undefined &&
    !(Number.isInteger(spec.stopTimeoutSeconds) && spec.stopTimeoutSeconds >= 0)
  ) {
    throw new UserError(`container ${spec.name}: stopTimeoutSeconds must be a whole number ≥ 0`);
  }
  const hostConfig: Record<string, unknown> = {};
  if (spec.networkMode) hostConfig.NetworkMode = spec.networkMode;
  if (Object.keys(bindings).length > 0) hostConfig.PortBindings = bindings;
  if (spec.restartPolicy) {
    hostConfig.RestartPolicy =
      spec.restartPolicy === 'on-failure' && spec.restartMaxRetries
        ? { Name: spec.restartPolicy, MaximumRetryCount: spec.restartMaxRetries }
        : { Name: spec.restartPolicy };
  }
  Object.assign(hostConfig, resourceConfig(spec));
  const body: Record<string, unknown> = {
    Image: spec.image,
    Env: envList(spec.env),
    Labels: spec.labels,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    User: spec.user,
    WorkingDir: spec.workingDir,
    ExposedPorts: Object.keys(exposed).length > 0 ? exposed : undefined,
    StopTimeout: spec.stopTimeoutSeconds,
    Healthcheck: hc && {
      Test: hc.test,
      Interval: durationNs(hc.intervalMs, 'interval'),
      Timeout: durationNs(hc.timeoutMs, 'timeout'),
      Retries: hc.retries,
      StartPeriod: durationNs(hc.startPeriodMs, 'start period'),
    },
    HostConfig: hostConfig,
    NetworkingConfig:
      spec.networkAliases && spec.networkAliases.length > 0 && isUserNetwork(spec.networkMode)
        ? { EndpointsConfig: { [spec.networkMode as string]: { Aliases: spec.networkAliases } } }
        : undefined,
  };
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/** The X-Registry-Auth header: base64url (with padding, as the docker CLI sends it) of the auth JSON. */
export function registryAuthHeader(auth: RegistryAuth): string {
  const json = JSON.stringify({
    username: auth.username,
    password: auth.password,
    serveraddress: auth.serveraddress,
  });
  const b64 = Buffer.from(json, 'utf8').toString('base64url');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
}

/** `registry:5000/app:v1` → `{fromImage: 'registry:5000/app', tag: 'v1'}`; no tag means `latest` (never "all tags"). */
export function splitImageRef(ref: string): { fromImage: string; tag: string } {
  if (ref === '' || /\s/.test(ref)) throw new UserError(`invalid image reference ${JSON.stringify(ref)}`);
  const at = ref.indexOf('@');
  if (at >= 0) {
    const name = ref.slice(0, at);
    const digest = ref.slice(at + 1);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest) || name === '') {
      throw new UserError(`invalid image reference ${JSON.stringify(ref)}`);
    }
    // A digest wins over a tag given alongside it (`app:v1@sha256:…`), as in `docker pull`.
    return { fromImage: splitImageRef(name).fromImage, tag: digest };
  }
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    const tag = ref.slice(colon + 1);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new UserError(`invalid tag in image reference ${JSON.stringify(ref)}`);
    return { fromImage: ref.slice(0, colon), tag };
  }
  return { fromImage: ref, tag: 'latest' };
}

function parseVersion(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function compareApiVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not an API version: ${!pa ? a : b}`);
  return pa[0] - pb[0] || pa[1] - pb[1];
}

/**
 * The API version to speak: the daemon's newest, capped at MAX_API_VERSION; refused below MIN_API_VERSION, or when
 * the daemon no longer accepts the version we would speak (its MinAPIVersion is above it).
 */
export function negotiateApiVersion(serverApiVersion: string, serverMinApiVersion?: string): string {
  if (!parseVersion(serverApiVersion)) {
    throw new UserError(`the Docker daemon reported an unreadable API version ${JSON.stringify(serverApiVersion)}`);
  }
  const chosen = compareApiVersions(serverApiVersion, MAX_API_VERSION) < 0 ? serverApiVersion.trim() : MAX_API_VERSION;
  if (compareApiVersions(chosen, MIN_API_VERSION) < 0) {
    throw new UserError(
      `the Docker daemon speaks API ${serverApiVersion}, older than the ${MIN_API_VERSION} (Docker 20.10) this ` +
        'action needs: upgrade Docker on the target',
    );
  }
  if (serverMinApiVersion && parseVersion(serverMinApiVersion) && compareApiVersions(serverMinApiVersion, chosen) > 0) {
    throw new UserError(
      `the Docker daemon only accepts API ${serverMinApiVersion} and newer, but this action speaks at most ` +
        `${MAX_API_VERSION}: upgrade runbook-actions`,
    );
  }
  return chosen;
}

/**
 * A DOCKER_HOST-style address: `unix:///path` or `tcp://host:port` (TLS and SSH are given separately). The port
 * defaults to 2376, Docker's TLS port.
 */
export function parseDockerHost(
  text: string,
): { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } {
  const value = text.trim();
  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (!path.startsWith('/'))
      throw new UserError(`invalid Docker host ${JSON.stringify(text)}: expected unix:///absolute/path`);
    return { kind: 'unix', path };
  }
  const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]\s]+)(?::(\d{1,5}))?\/?$/.exec(value);
  if (!m) {
    throw new UserError(`invalid Docker host ${JSON.stringify(text)}: expected unix:///path or tcp://host:port`);
  }
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  const port = m[2] === undefined ? 2376 : Number(m[2]);
  if (port < 1 || port > 65535) throw new UserError(`invalid Docker host ${JSON.stringify(text)}: bad port`);
  return { kind: 'tcp', host, port };
}
