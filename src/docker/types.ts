/** The public shapes of the Docker Engine API client: endpoints, container specs and what inspect/list return. */
import type { Duplex } from 'node:stream';
import type { Clock } from '../core/clock.js';

/** Client TLS material for `tcp://` (dockerd `--tlsverify`): PEM texts, held in memory only. */
export interface DockerTls {
  ca: string;
  cert: string;
  key: string;
}

export type DockerEndpoint =
  /** A local Unix socket, e.g. `/var/run/docker.sock`. */
  | { kind: 'unix'; path: string }
  /** `tcp://host:port`: mutual TLS, or plain HTTP only with `allowPlainTcp` (anyone on the path owns the daemon). */
  | { kind: 'tcp'; host: string; port: number; tls?: DockerTls; allowPlainTcp?: boolean }
  /** Any byte stream to the API, e.g. a remote socket through SSH; `open` is called once per HTTP connection. */
  | { kind: 'stream'; label: string; open: () => Promise<Duplex> };

export interface ConnectDockerOptions {
  /** Cancels every request of this client (the runner's SIGINT/SIGTERM signal). */
  signal?: AbortSignal;
  /** Deadline of one API call (default 30 s). */
  timeoutMs?: number;
  /** Deadline of pulls, execs and waits (default 10 min). */
  longTimeoutMs?: number;
  /** Parallel HTTP connections (default 4). Execs and waits hold one each while they run. */
  maxConnections?: number;
  /** Time for exec polling, logs `since` and pull progress (default the system clock; tests pass a fake). */
  clock?: Clock;
}

/** Per-call overrides; the client-wide signal still applies. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface DockerVersion {
  /** The API version this client speaks (negotiated), e.g. `1.41`. */
  apiVersion: string;
  /** The newest API version the daemon supports. */
  serverApiVersion: string;
  /** Engine version, e.g. `20.10.24+dfsg1`. */
  engineVersion: string;
  os: string;
  arch: string;
}

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

export interface PullProgress {
  ref: string;
  /** The latest status line, e.g. `Downloading` or `Pull complete`. */
  status: string;
  layersDone: number;
  layersTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PullOptions extends CallOptions {
  auth?: RegistryAuth;
  /** Throttled progress (at most once per `progressIntervalMs`, default 2 s); default: an info log line. */
  onProgress?: (progress: PullProgress) => void;
  progressIntervalMs?: number;
}

export interface PullResult {
  /** `sha256:…` from the `Digest:` line, when the registry sent one. */
  digest?: string;
  /** The final `Status:` line, e.g. `Status: Image is up to date for app:v1`. */
  status?: string;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  created: string;
}

export interface PortBinding {
  /** `80` (tcp) or `53/udp`. */
  containerPort: number | string;
  hostPort: number | string;
  hostIp?: string;
}

export interface HealthcheckSpec {
  /** Docker's form: `['CMD', 'curl', …]`, `['CMD-SHELL', 'curl … || exit 1']` or `['NONE']`. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs?: number;
}

export type RestartPolicy = 'no' | 'unless-stopped' | 'on-failure' | 'always';

export interface ContainerSpec {
  name: string;
  image: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  /** `host`, `bridge`, `none` or a network name. */
  networkMode?: 'host' | string;
  /** More networks to join (after create, before start), each with `networkAliases`. */
  extraNetworks?: string[];
  /** DNS names the container answers to on each user-defined network it joins (compose: the service name). */
  networkAliases?: string[];
  portBindings?: PortBinding[];
  restartPolicy?: RestartPolicy;
  /** With `on-failure`: at most this many restarts (0 or unset: no limit). */
  restartMaxRetries?: number;
  stopTimeoutSeconds?: number;
  healthcheck?: HealthcheckSpec;
  /** Docker's `source:/container/path[:ro]`: a named volume or an absolute host path (HostConfig.Binds). */
  binds?: string[];
  /** `name:address` entries for /etc/hosts; the address may be `host-gateway`. */
  extraHosts?: string[];
  /** Run as this user (`name`, `uid` or `uid:gid`). */
  user?: string;
  /** Memory limit in bytes. */
  memoryBytes?: number;
  /** CPU limit in units of 10⁻⁹ CPUs (`cpus: 1.5` → 1_500_000_000). */
  nanoCpus?: number;
  /** The container's logging driver and its options. */
  log?: { driver: string; options?: Record<string, string> };
  /** The working directory of the container's process. */
  workingDir?: string;
  /** Linux capabilities added to / dropped from the default set (`NET_ADMIN`, `ALL`). */
  capAdd?: string[];
  capDrop?: string[];
  /** Run an init process as PID 1 (docker's `--init`). */
  init?: boolean;
}

export interface ContainerSummary {
  id: string;
  /** Without Docker's leading `/`. */
  names: string[];
  image: string;
  imageId: string;
  labels: Record<string, string>;
  /** `created`, `running`, `exited`, … */
  state: string;
  /** Human text, e.g. `Up 3 seconds (healthy)`. */
  status: string;
  /** ISO 8601. */
  created: string;
}

export interface HealthLogEntry {
  exitCode: number;
  output: string;
  start: string;
  end: string;
}

export interface ContainerHealth {
  /** `starting`, `healthy`, `unhealthy` or `none`. */
  status: string;
  failingStreak: number;
  log: HealthLogEntry[];
}

export interface ContainerState {
  status: string;
  running: boolean;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  /** The main process's pid as the host sees it (0 when not running). */
  pid: number;
  health?: ContainerHealth;
}

export interface ContainerInfo {
  id: string;
  /** Without Docker's leading `/`. */
  name: string;
  /** The image reference the container was created from (Config.Image). */
  image: string;
  /** The image ID (`sha256:…`). */
  imageId: string;
  labels: Record<string, string>;
  /** `NAME=value` entries as Docker stores them (image env merged with the container's). */
  env: string[];
  state: ContainerState;
  /** How often the engine restarted it under its restart policy (Docker Engine API ContainerInspect RestartCount). */
  restartCount: number;
  networkMode: string;
  tty: boolean;
}

export interface ExecInContainerOptions extends CallOptions {
  env?: Record<string, string>;
  /** Run as this user (`uid`, `uid:gid` or a name). */
  user?: string;
  workingDir?: string;
}

export interface ExecInContainerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LogsOptions extends CallOptions {
  /** Last N lines (default all). */
  tail?: number;
  /** Only lines since this many seconds ago. */
  sinceSeconds?: number;
}
