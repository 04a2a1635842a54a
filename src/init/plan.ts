/**
 * From what a survey read to what the proposal says: which compose project is the app, its services (image, port,
 * health), the nginx upstream in front of it, how to deploy it, where PostgreSQL is, and what the checks expect.
 * Pure: every decision is made here from the survey; propose.ts only writes it down.
 */
import type { SurveyedContainer } from '../commands/survey.js';
import { ConfigError } from '../core/errors.js';
import {
  freeRange,
  IMAGE_REPO,
  isInfra,
  isPostgres,
  LABEL,
  localPort,
  nameFrom,
  ownEnv,
  projectsOf,
  repoOf,
  servingPort,
} from './containers.js';
import type { NginxSite, NginxUpstream } from './nginx-tree.js';
import type { ServerSurvey } from './survey.js';

export const DEFAULT_NGINX_CONF = '/etc/nginx/nginx.conf';

export interface PlannedService {
  name: string;
  /** The repository, without its tag, as the config takes it. */
  image: string;
  /** The image reference its containers run, as docker names it. */
  runs: string;
  /** The tag it runs now. */
  tag?: string;
  /** The repository it runs fits the config's `image` as it is (lowercase, a registry's name). */
  imageOk: boolean;
  containers: string[];
  replicas: number;
  /** `host`, `bridge` or a compose network's name. */
  network: string;
  /** The container port (published from it, or the port variable's value with host networking). */
  port?: number;
  /** Where the host serves it now. */
  hostPort?: number;
  /** Host networking: the variable that tells the app its port. */
  portEnv?: string;
  /** Rolling (behind an upstream): the host ports its new replicas get. */
  hostPorts?: [number, number];
  healthcheck: boolean;
  health?: string;
  /** Variables its containers set that their image does not (compose `environment:`, env files): names only. */
  ownEnv: string[];
  /** Where its containers mount volumes. */
  mounts: string[];
  /** Another service of the project that runs the same image (so this one likely has its own command). */
  sharesImageWith?: string;
}

export interface PlannedProxy {
  upstream: NginxUpstream;
  upstreamFile: string;
  service: string;
  test: string[];
  reload: string[];
  pidFile: string;
  /** From nginx.conf's `pid` directive (else the default). */
  pidFound: boolean;
  /** The server block that proxies to the upstream, with a name. */
  site?: NginxSite;
}

export type PlannedVia = { 'compose-service': string } | { container: string } | { host: string; port: number };

export interface Plan {
  app: string;
  environment: string;
  target: { name: string; host: string; port: number; user: string; dockerSocket?: string; unpinned?: boolean };
  /** The compose project proposed, with what its labels say. */
  project?: { name: string; directory?: string; files: string[]; envFile?: string };
  /** The compose command when it is not `docker compose`. */
  composeCommand?: string[];
  /**
   * compose: the project's services, rolled replica by replica behind the upstream found (`proxy`), else recreated;
   * engine: rolling behind the upstream when no label says the project's directory (no compose file to read);
   * none: no app found.
   */
  driver: 'engine' | 'compose' | 'none';
  /** The compose section is used (the compose driver, or the database as a compose service). */
  usesCompose: boolean;
  services: PlannedService[];
  proxy?: PlannedProxy;
  database?: { via: PlannedVia; found: string };
  url?: string;
  checks: { docker?: string; compose?: string | false };
  /** Facts that no section shows (other projects and upstreams, services left alone), one line each. */
  found: string[];
}

export interface PlanOptions {
  app?: string;
  /** The app name when neither `app` nor a compose project gives one. */
  fallbackApp: string;
  environment: string;
  dockerSocket?: string;
  /** The survey accepted any host key (ssh-insecure-ignore-host-key). */
  unpinned?: boolean;
  /** The compose project to propose (default: the one behind an nginx upstream, else the one with most services). */
  project?: string;
}

/** Decide the proposal from a survey. ConfigError when the `compose-project` input names no running project. */
export function planFrom(s: ServerSurvey, o: PlanOptions): Plan {
  const found: string[] = [];
  const host = s.address.host;
  const containers = s.docker?.containers ?? [];
  const ours = [...new Set(containers.flatMap((c) => c.labels['io.runbook.app'] ?? []))];
  if (ours.length > 0) found.push(`containers runbook deployed (app ${ours.join(', ')}): left as they are`);
  const projects = projectsOf(containers);
  const upstreams = s.nginx?.upstreams ?? [];
  const upstreamOf = (cs: SurveyedContainer[]) =>
    upstreams.find((u) =>
      u.servers.some((a) => cs.some((c) => !isInfra(c) && servingPort(c).hostPort === localPort(a, host))),
    );
  const size = (p: string) => (projects.get(p) ?? []).filter((c) => !isInfra(c)).length;
  const names = [...projects.keys()].sort();
  if (o.project !== undefined && !projects.has(o.project)) {
    throw new ConfigError(
      `input "compose-project": no compose project ${o.project} runs on ${host} (running: ${names.join(', ') || 'none'})`,
    );
  }
  const chosen =
    o.project ??
    names.find((p) => upstreamOf(projects.get(p) ?? [])) ??
    [...names].sort((a, b) => size(b) - size(a))[0];
  for (const p of names.filter((n) => n !== chosen)) {
    found.push(`compose project ${p}: not proposed (--input compose-project=${p} proposes it)`);
  }

  const project = chosen === undefined ? [] : (projects.get(chosen) ?? []);
  const byService = new Map<string, SurveyedContainer[]>();
  for (const c of project) {
    const name = c.labels[`${LABEL}service`] ?? c.name;
    byService.set(name, [...(byService.get(name) ?? []), c]);
  }
  const services: PlannedService[] = [];
  let dbService: string | undefined;
  for (const [name, cs] of byService) {
    const c = cs[0] as SurveyedContainer;
    if (isPostgres(c)) dbService ??= name;
    if (isInfra(c)) {
      found.push(`compose service ${name} (${c.image}): left alone by deploys`);
      continue;
    }
    const { repo, tag } = repoOf(c.image);
    const svc = nameFrom(name, /^[a-z0-9][a-z0-9_-]{0,62}$/) ?? `service${services.length + 1}`;
    // A repository the config cannot take is proposed lowercased, or as a placeholder, and marked TODO.
    const lower = repo.toLowerCase();
    services.push({
      name: svc,
      image: IMAGE_REPO.test(repo) ? repo : IMAGE_REPO.test(lower) ? lower : `registry.example.com/${svc}`,
      runs: c.image,
      tag,
      imageOk: IMAGE_REPO.test(repo),
      containers: cs.map((x) => x.name),
      replicas: cs.length,
      network: c.network,
      ...servingPort(c),
      healthcheck: c.healthcheck,
      health: c.health,
      ownEnv: ownEnv(c, s.docker?.imageEnv),
      mounts: c.mounts,
      sharesImageWith: services.find((x) => x.image === repo)?.name,
    });
  }

  // The upstream in front of the project, and the service behind it.
  const upstream = upstreamOf(project);
  let proxy: PlannedProxy | undefined;
  if (upstream && s.nginx) {
    const ports = new Set(upstream.servers.map((a) => localPort(a, host)));
    const conf = s.nginx.conf === DEFAULT_NGINX_CONF ? [] : ['-c', s.nginx.conf];
    const sudo = s.root ? [] : ['sudo', '-n'];
    proxy = {
      upstream,
      upstreamFile: upstream.serversFile ?? upstream.file,
      service: (services.find((x) => ports.has(x.hostPort)) ?? services[0])?.name ?? 'app',
      test: [...sudo, 'nginx', ...conf, '-t'],
      reload: [...sudo, 'nginx', ...conf, '-s', 'reload'],
      pidFile: s.nginx.pidFile ?? '/run/nginx.pid',
      pidFound: s.nginx.pidFile !== undefined,
      site: s.nginx.sites.find((x) => x.upstream === upstream.name && x.names.length > 0),
    };
    // New replicas get host ports above every port found, on none that something listens on.
    const seen = [
      ...services.flatMap((x) => x.hostPort ?? []),
      ...upstream.servers.flatMap((a) => localPort(a, host) ?? []),
    ];
    const taken = new Set([...(s.listening ?? []), ...seen]);
    let floor = Math.max(0, ...seen);
    for (const x of services.filter((v) => v.port !== undefined)) {
      x.hostPorts = freeRange(floor, Math.max(10, x.replicas + 1), taken);
      floor = x.hostPorts?.[1] ?? floor;
    }
  }
  for (const u of upstreams.filter((x) => x !== upstream)) {
    found.push(`nginx upstream ${u.name} in ${u.file} (${u.servers.join(', ') || 'no servers'}): not in front of it`);
  }
  const labels = project[0]?.labels ?? {};
  const dir = labels[`${LABEL}project.working_dir`];
  // Rolling replicas are made from the compose file, read in its directory: without one, the engine driver rolls.
  const driver = chosen === undefined ? 'none' : proxy && !dir?.startsWith('/') ? 'engine' : 'compose';

  // PostgreSQL: a compose service of the app, another container, a cluster of the host, or something on 5432.
  let database: Plan['database'];
  const pg = containers.find((c) => isPostgres(c) && !c.labels['io.runbook.app']);
  // A cluster that is down and whose port nothing listens on serves no app: said, not proposed.
  const serving = (s.clusters ?? []).filter((c) => c.status.startsWith('online') || s.listening?.includes(c.port));
  const cluster = serving[0];
  for (const c of (s.clusters ?? []).filter((x) => !serving.includes(x))) {
    found.push(
      `PostgreSQL ${c.version} cluster ${c.cluster} on port ${c.port} is ${c.status}: no database proposed for it`,
    );
  }
  if (dbService) {
    const image = byService.get(dbService)?.[0]?.image;
    database = { via: { 'compose-service': dbService }, found: `compose service ${dbService} of ${chosen} (${image})` };
  } else if (pg) database = { via: { container: pg.name }, found: `container ${pg.name} (${pg.image})` };
  else if (cluster) {
    const what = `PostgreSQL ${cluster.version} cluster ${cluster.cluster} on port ${cluster.port} (${cluster.status})`;
    database = { via: { host: '127.0.0.1', port: cluster.port }, found: `${what}, from pg_lsclusters` };
  } else if (s.listening?.includes(5432)) {
    database = { via: { host: '127.0.0.1', port: 5432 }, found: 'something listens on 5432, the PostgreSQL port' };
  }

  const usesCompose = driver === 'compose' || (database !== undefined && 'compose-service' in database.via);
  // Compose v2 records absolute paths; v1 paths relative to where it ran (the first file is in the working dir).
  const rel = (f: string) =>
    dir && f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f.startsWith('/') ? f : (f.split('/').at(-1) ?? f);
  const files = (labels[`${LABEL}project.config_files`] ?? '').split(',').filter(Boolean).map(rel);
  const envFile = labels[`${LABEL}project.environment_file`];
  const composeVersion = /^(\d+)\.(\d+)/.exec(s.compose?.version ?? '');
  const dockerMajor = /^(\d+)\./.exec(s.docker?.version ?? '')?.[1];
  const hostName = /[a-z]/i.test(host) && !host.includes(':') ? host.split('.')[0] : undefined;
  const site = proxy?.site;
  return {
    app: o.app ?? nameFrom((chosen ?? '').replace(/_/g, '-'), /^[a-z0-9][a-z0-9-]{0,62}$/) ?? o.fallbackApp,
    environment: o.environment,
    target: {
      name: nameFrom(hostName ?? '', /^[a-z0-9][a-z0-9_.-]{0,62}$/) ?? 'web1',
      ...s.address,
      dockerSocket: o.dockerSocket,
      unpinned: o.unpinned,
    },
    project: chosen
      ? { name: chosen, directory: dir?.startsWith('/') ? dir : undefined, files, envFile: envFile && rel(envFile) }
      : undefined,
    composeCommand: s.compose && s.compose.command[0] !== 'docker' ? s.compose.command : undefined,
    driver,
    usesCompose,
    services,
    proxy,
    database,
    url: site ? `${site.tls ? 'https' : 'http'}://${site.names[0]}` : undefined,
    checks: {
      docker: dockerMajor ? `>=${dockerMajor}` : undefined,
      compose: usesCompose ? (composeVersion ? `>=${composeVersion[1]}.${composeVersion[2]}` : undefined) : false,
    },
    found,
  };
}
