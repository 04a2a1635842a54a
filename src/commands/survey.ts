/**
 * Pure argv builders and output parsers for `runbook init --from-ssh`: reading a server a team set up by hand. Every
 * command here only reads (the user, containers, listening ports, PostgreSQL clusters); nginx's files are read with
 * `catArgv`/`listDirArgv` (commands/files.ts). No command reads an environment value that may be a secret: the
 * container template prints the names of its variables and the values of port variables only.
 */

import { nginxConfOf } from './prerequisites.js';

/** The user's numeric id (0: root). */
export const userIdArgv = (): string[] => ['id', '-u'];

/** The user's groups by name, space-separated (`deploy docker`). */
export const userGroupsArgv = (): string[] => ['id', '-Gn'];

/** Running containers, one JSON object a line (`ID`, `Names`, `Image`, …). */
export const dockerPsArgv = (): string[] => ['docker', 'ps', '--no-trunc', '--format', '{{json .}}'];

/** Variables whose values a survey may read: ports, never anything else (the rest may be secrets). */
export const PORT_ENV_NAMES = ['PORT', 'APP_PORT', 'HTTP_PORT', 'SERVER_PORT', 'LISTEN_PORT'] as const;

/** The labels a survey reads (compose's and the toolkit's own); others may hold secrets (basic-auth hashes). */
export const SURVEY_LABELS = [
  'com.docker.compose.project',
  'com.docker.compose.service',
  'com.docker.compose.oneoff',
  'com.docker.compose.project.working_dir',
  'com.docker.compose.project.config_files',
  'com.docker.compose.project.environment_file',
  'io.runbook.app',
] as const;

/**
 * One JSON object a line per container: what a proposal needs, of its labels only SURVEY_LABELS, of its HEALTHCHECK
 * only its kind, and of its environment only the variable names and the values of PORT_ENV_NAMES. Optional fields go through `index`, which
 * gives an empty value where the CLI's templates would fail on a missing key.
 */
export const SURVEY_TEMPLATE = [
  '{"id":{{json .Id}},"name":{{json .Name}},"image":{{json .Config.Image}},"imageId":{{json .Image}}',
  `,"labels":{{with .Config.Labels}}{${SURVEY_LABELS.map((l) => `"${l}":{{json (index . "${l}")}}`).join(',')}}{{else}}{}{{end}}`,
  // Of a HEALTHCHECK only its kind (CMD, CMD-SHELL, NONE): its command may name a password.
  ',"healthcheck":{{with index .Config "Healthcheck"}}{{with .Test}}{{json (index . 0)}}{{else}}null{{end}}{{else}}null{{end}}',
  ',"health":{{with index .State "Health"}}{{json .Status}}{{else}}null{{end}},"state":{{json .State.Status}}',
  ',"network":{{json .HostConfig.NetworkMode}},"ports":{{json (index .NetworkSettings "Ports")}}',
  ',"mounts":[{{range $i, $m := .Mounts}}{{if $i}},{{end}}{{json $m.Destination}}{{end}}]',
  ',"env":[{{range $i, $e := .Config.Env}}{{$kv := split $e "="}}{{if $i}},{{end}}[{{json (index $kv 0)}}',
  `{{if eq (index $kv 0) ${PORT_ENV_NAMES.map((n) => `"${n}"`).join(' ')}}},{{json (index $kv 1)}}{{end}}]{{end}}]}`,
].join('');

/** The survey's view of containers (`ids` from dockerPsArgv), one JSON object a line. */
export const dockerInspectSurveyArgv = (ids: readonly string[]): string[] => [
  'docker',
  'inspect',
  '--format',
  SURVEY_TEMPLATE,
  ...ids,
];

/** Of each image (by id), the names of the variables its own config sets, never their values. */
export const dockerImageEnvArgv = (imageIds: readonly string[]): string[] => [
  'docker',
  'image',
  'inspect',
  '--format',
  '{"id":{{json .Id}},"env":[{{range $i, $e := .Config.Env}}{{if $i}},{{end}}{{json (index (split $e "=") 0)}}{{end}}]}',
  ...imageIds,
];

/** Listening TCP sockets without a header: `LISTEN 0 4096 127.0.0.1:5432 0.0.0.0:*`. */
export const listeningArgv = (): string[] => ['ss', '-ltnH'];

/** The kernel's TCP socket tables, for hosts without `ss`. */
export const procNetTcpArgv = (): string[] => ['cat', '--', '/proc/net/tcp', '/proc/net/tcp6'];

/** PostgreSQL clusters of Debian's postgresql-common: `15 main 5432 online postgres /var/lib/… /var/log/…`. */
export const pgClustersArgv = (): string[] => ['pg_lsclusters', '--no-header'];

/** The container ids of `docker ps --format '{{json .}}'` output. */
export function parseDockerPs(stdout: string): string[] {
  const ids: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { ID?: unknown };
    if (typeof row.ID === 'string' && /^[0-9a-f]{12,64}$/.test(row.ID)) ids.push(row.ID);
  }
  return ids;
}

/** One published port of a container: the container port and where the host listens for it. */
export interface PublishedPort {
  container: number;
  hostIp: string;
  host: number;
}

/** A container as SURVEY_TEMPLATE prints it. */
export interface SurveyedContainer {
  id: string;
  /** Without docker's leading "/". */
  name: string;
  /** As it was created: `ghcr.io/acme/api:v1`, `postgres:16`. */
  image: string;
  /** The id of the image it runs (`sha256:…`). */
  imageId: string;
  /** Its SURVEY_LABELS that are set. */
  labels: Record<string, string>;
  /** The image's (or the run's) HEALTHCHECK, not `NONE`. */
  healthcheck: boolean;
  /** `healthy`, `unhealthy`, `starting`; undefined without a HEALTHCHECK. */
  health?: string;
  state: string;
  /** `host`, `bridge`, a network name. */
  network: string;
  published: PublishedPort[];
  /** Where volumes and bind mounts are mounted in it. */
  mounts: string[];
  /** The names of its environment variables (its image's and its own). */
  envNames: string[];
  /** The first port variable (PORT_ENV_NAMES) with a port number. */
  portEnv?: { name: string; port: number };
}

const asPort = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
};

/** Parse dockerInspectSurveyArgv output. */
export function parseSurveyInspect(stdout: string): SurveyedContainer[] {
  const out: SurveyedContainer[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const raw = JSON.parse(line) as {
      id: string;
      name: string;
      image: string;
      imageId?: string;
      labels: Record<string, string | null> | null;
      healthcheck: string | null;
      health: string | null;
      state: string;
      network: string;
      ports: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
      env: [string, string?][];
      mounts?: string[];
    };
    const published: PublishedPort[] = [];
    for (const [key, bindings] of Object.entries(raw.ports ?? {})) {
      const container = asPort(/^(\d+)\/tcp$/.exec(key)?.[1]);
      if (container === undefined) continue;
      for (const b of bindings ?? []) {
        const host = asPort(b.HostPort);
        if (host !== undefined) published.push({ container, hostIp: b.HostIp || '0.0.0.0', host });
      }
    }
    const portEnvs = raw.env.flatMap(([name, value]) => {
      const port = asPort(value);
      return port === undefined ? [] : [{ name, port }];
    });
    out.push({
      id: raw.id,
      name: raw.name.replace(/^\//, ''),
      image: raw.image,
      imageId: raw.imageId ?? '',
      labels: Object.fromEntries(
        Object.entries(raw.labels ?? {}).flatMap(([k, v]) => (typeof v === 'string' && v !== '' ? [[k, v]] : [])),
      ),
      healthcheck: raw.healthcheck !== null && raw.healthcheck !== 'NONE',
      health: raw.health ?? undefined,
      state: raw.state,
      network: raw.network,
      published,
      mounts: raw.mounts ?? [],
      envNames: raw.env.map(([name]) => name),
      portEnv: PORT_ENV_NAMES.flatMap((n) => portEnvs.filter((p) => p.name === n))[0],
    });
  }
  return out;
}

/** The port of a socket address as ss prints it: `127.0.0.1:5432`, `[::]:22`, `*:80`, `0.0.0.0%lo:53`. */
const portOfAddress = (address: string): number | undefined => asPort(/:(\d+)$/.exec(address)?.[1]);

/** Parse dockerImageEnvArgv output: image id → the names of the variables it sets. */
export function parseImageEnv(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { id: string; env: string[] | null };
    out.set(row.id, row.env ?? []);
  }
  return out;
}

/** Listening ports of `ss -ltnH` output, sorted, each once. */
export function parseListening(stdout: string): number[] {
  const ports = new Set<number>();
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const port = fields[0] === 'LISTEN' ? portOfAddress(fields[3] ?? '') : undefined;
    if (port !== undefined) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Listening ports of /proc/net/tcp and tcp6 (state 0A), sorted, each once. */
export function parseProcNetTcp(stdout: string): number[] {
  const ports = new Set<number>();
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = /^[0-9A-F]+:([0-9A-F]{4})$/i.exec(fields[1] ?? '');
    if (local && fields[3] === '0A') ports.add(Number.parseInt(local[1] as string, 16));
  }
  return [...ports].sort((a, b) => a - b);
}

export interface PgCluster {
  version: string;
  cluster: string;
  port: number;
  /** `online`, `down`, `online,recovery`. */
  status: string;
}

/** Parse `pg_lsclusters --no-header`. */
export function parsePgClusters(stdout: string): PgCluster[] {
  return stdout.split('\n').flatMap((line) => {
    const [version, cluster, port, status] = line.trim().split(/\s+/);
    const p = asPort(port);
    return version && cluster && p !== undefined && status ? [{ version, cluster, port: p, status }] : [];
  });
}

/** Every process's command line, one a line: the nginx masters among them name their `-c` and `-p`. */
export const processListArgv = (): string[] => ['ps', '-eo', 'args='];

/**
 * The config files of the running nginx masters (`nginx: master process /usr/sbin/nginx -p P -c C`), `-c` resolved
 * against `-p` when relative; masters without `-c` are left out (they read the compiled-in default).
 */
export function nginxMasterConfs(ps: string): string[] {
  const out: string[] = [];
  for (const line of ps.split('\n')) {
    if (!line.includes('nginx: master process')) continue;
    const conf = nginxConfOf(line);
    if (!conf) continue;
    const words = line.trim().split(/\s+/);
    const prefix = words[words.indexOf('-p') + 1] ?? '';
    out.push(conf.startsWith('/') || !words.includes('-p') ? conf : `${prefix.replace(/\/?$/, '/')}${conf}`);
  }
  return [...new Set(out)];
}
