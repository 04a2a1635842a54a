import {
  ConfigError
} from "./chunk-O2HJWNJA.js";

// src/init/containers.ts
var LABEL = "com.docker.compose.";
var IMAGE_REPO = /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
var POSTGRES = /^(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector)$/;
var INFRA = /^(redis|valkey|keydb|memcached|mysql|mariadb|mongo|rabbitmq|nats|kafka|elasticsearch|opensearch|nginx|traefik|caddy|haproxy|envoy)$/;
var LOOPBACK = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"]);
function repoOf(image) {
  const ref = image.split("@")[0];
  const m = /^(.*?)(?::([\w][\w.-]{0,127}))?$/.exec(ref);
  return { repo: m?.[1] ?? ref, tag: m?.[2] };
}
var baseName = (image) => repoOf(image).repo.split("/").at(-1) ?? "";
var isPostgres = (c) => POSTGRES.test(baseName(c.image));
var isInfra = (c) => isPostgres(c) || INFRA.test(baseName(c.image));
function servingPort(c) {
  const local = (ip) => Number(ip === "127.0.0.1");
  const p = [...c.published].sort((a, b) => local(b.hostIp) - local(a.hostIp))[0];
  if (p) return { port: p.container, hostPort: p.host };
  if (c.network === "host" && c.portEnv)
    return { port: c.portEnv.port, hostPort: c.portEnv.port, portEnv: c.portEnv.name };
  return {};
}
function ownEnv(c, imageEnv) {
  const image = imageEnv?.get(c.imageId);
  if (!image) return [];
  const port = c.network === "host" ? c.portEnv?.name : void 0;
  return c.envNames.filter((n) => !image.includes(n) && n !== port);
}
function localPort(server, host) {
  const m = /^(.*):(\d+)$/.exec(server);
  return m && (LOOPBACK.has(m[1]) || m[1] === host) ? Number(m[2]) : void 0;
}
function nameFrom(s, re) {
  const n = s.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|[-_]+$/g, "").slice(0, 63);
  return re.test(n) ? n : void 0;
}
function freeRange(floor, count, taken) {
  let lo = floor + 1;
  while (lo + count - 1 <= 65535) {
    const clash = [...Array(count).keys()].map((i) => lo + i).findLast((p) => taken.has(p));
    if (clash === void 0) {
      for (let p = lo; p < lo + count; p++) taken.add(p);
      return [lo, lo + count - 1];
    }
    lo = clash + 1;
  }
  return void 0;
}
function projectsOf(containers) {
  const projects = /* @__PURE__ */ new Map();
  for (const c of containers) {
    const project = c.labels[`${LABEL}project`];
    if (!project || c.labels[`${LABEL}oneoff`] === "True" || c.labels["io.runbook.app"]) continue;
    projects.set(project, [...projects.get(project) ?? [], c]);
  }
  return projects;
}

// src/init/plan.ts
var DEFAULT_NGINX_CONF = "/etc/nginx/nginx.conf";
function planFrom(s, o) {
  const found = [];
  const host = s.address.host;
  const containers = s.docker?.containers ?? [];
  const ours = [...new Set(containers.flatMap((c) => c.labels["io.runbook.app"] ?? []))];
  if (ours.length > 0) found.push(`containers runbook deployed (app ${ours.join(", ")}): left as they are`);
  const projects = projectsOf(containers);
  const upstreams = s.nginx?.upstreams ?? [];
  const upstreamOf = (cs) => upstreams.find(
    (u) => u.servers.some((a) => cs.some((c) => !isInfra(c) && servingPort(c).hostPort === localPort(a, host)))
  );
  const size = (p) => (projects.get(p) ?? []).filter((c) => !isInfra(c)).length;
  const names = [...projects.keys()].sort();
  if (o.project !== void 0 && !projects.has(o.project)) {
    throw new ConfigError(
      `input "compose-project": no compose project ${o.project} runs on ${host} (running: ${names.join(", ") || "none"})`
    );
  }
  const chosen = o.project ?? names.find((p) => upstreamOf(projects.get(p) ?? [])) ?? [...names].sort((a, b) => size(b) - size(a))[0];
  for (const p of names.filter((n) => n !== chosen)) {
    found.push(`compose project ${p}: not proposed (--input compose-project=${p} proposes it)`);
  }
  const project = chosen === void 0 ? [] : projects.get(chosen) ?? [];
  const byService = /* @__PURE__ */ new Map();
  for (const c of project) {
    const name = c.labels[`${LABEL}service`] ?? c.name;
    byService.set(name, [...byService.get(name) ?? [], c]);
  }
  const services = [];
  let dbService;
  for (const [name, cs] of byService) {
    const c = cs[0];
    if (isPostgres(c)) dbService ??= name;
    if (isInfra(c)) {
      found.push(`compose service ${name} (${c.image}): left alone by deploys`);
      continue;
    }
    const { repo, tag } = repoOf(c.image);
    const svc = nameFrom(name, /^[a-z0-9][a-z0-9_-]{0,62}$/) ?? `service${services.length + 1}`;
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
      sharesImageWith: services.find((x) => x.image === repo)?.name
    });
  }
  const upstream = upstreamOf(project);
  let proxy;
  if (upstream && s.nginx) {
    const ports = new Set(upstream.servers.map((a) => localPort(a, host)));
    const conf = s.nginx.conf === DEFAULT_NGINX_CONF ? [] : ["-c", s.nginx.conf];
    const sudo = s.root ? [] : ["sudo", "-n"];
    proxy = {
      upstream,
      upstreamFile: upstream.serversFile ?? upstream.file,
      service: (services.find((x) => ports.has(x.hostPort)) ?? services[0])?.name ?? "app",
      test: [...sudo, "nginx", ...conf, "-t"],
      reload: [...sudo, "nginx", ...conf, "-s", "reload"],
      pidFile: s.nginx.pidFile ?? "/run/nginx.pid",
      pidFound: s.nginx.pidFile !== void 0,
      site: s.nginx.sites.find((x) => x.upstream === upstream.name && x.names.length > 0)
    };
    const seen = [
      ...services.flatMap((x) => x.hostPort ?? []),
      ...upstream.servers.flatMap((a) => localPort(a, host) ?? [])
    ];
    const taken = /* @__PURE__ */ new Set([...s.listening ?? [], ...seen]);
    let floor = Math.max(0, ...seen);
    for (const x of services.filter((v) => v.port !== void 0)) {
      x.hostPorts = freeRange(floor, Math.max(10, x.replicas + 1), taken);
      floor = x.hostPorts?.[1] ?? floor;
    }
  }
  for (const u of upstreams.filter((x) => x !== upstream)) {
    found.push(`nginx upstream ${u.name} in ${u.file} (${u.servers.join(", ") || "no servers"}): not in front of it`);
  }
  const labels = project[0]?.labels ?? {};
  const dir = labels[`${LABEL}project.working_dir`];
  const driver = chosen === void 0 ? "none" : proxy && !dir?.startsWith("/") ? "engine" : "compose";
  let database;
  const pg = containers.find((c) => isPostgres(c) && !c.labels["io.runbook.app"]);
  const serving = (s.clusters ?? []).filter((c) => c.status.startsWith("online") || s.listening?.includes(c.port));
  const cluster = serving[0];
  for (const c of (s.clusters ?? []).filter((x) => !serving.includes(x))) {
    found.push(
      `PostgreSQL ${c.version} cluster ${c.cluster} on port ${c.port} is ${c.status}: no database proposed for it`
    );
  }
  if (dbService) {
    const image = byService.get(dbService)?.[0]?.image;
    database = { via: { "compose-service": dbService }, found: `compose service ${dbService} of ${chosen} (${image})` };
  } else if (pg) database = { via: { container: pg.name }, found: `container ${pg.name} (${pg.image})` };
  else if (cluster) {
    const what = `PostgreSQL ${cluster.version} cluster ${cluster.cluster} on port ${cluster.port} (${cluster.status})`;
    database = { via: { host: "127.0.0.1", port: cluster.port }, found: `${what}, from pg_lsclusters` };
  } else if (s.listening?.includes(5432)) {
    database = { via: { host: "127.0.0.1", port: 5432 }, found: "something listens on 5432, the PostgreSQL port" };
  }
  const usesCompose = driver === "compose" || database !== void 0 && "compose-service" in database.via;
  const rel = (f) => dir && f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f.startsWith("/") ? f : f.split("/").at(-1) ?? f;
  const files = (labels[`${LABEL}project.config_files`] ?? "").split(",").filter(Boolean).map(rel);
  const envFile = labels[`${LABEL}project.environment_file`];
  const composeVersion = /^(\d+)\.(\d+)/.exec(s.compose?.version ?? "");
  const dockerMajor = /^(\d+)\./.exec(s.docker?.version ?? "")?.[1];
  const hostName = /[a-z]/i.test(host) && !host.includes(":") ? host.split(".")[0] : void 0;
  const site = proxy?.site;
  return {
    app: o.app ?? nameFrom((chosen ?? "").replace(/_/g, "-"), /^[a-z0-9][a-z0-9-]{0,62}$/) ?? o.fallbackApp,
    environment: o.environment,
    target: {
      name: nameFrom(hostName ?? "", /^[a-z0-9][a-z0-9_.-]{0,62}$/) ?? "web1",
      ...s.address,
      dockerSocket: o.dockerSocket,
      unpinned: o.unpinned
    },
    project: chosen ? { name: chosen, directory: dir?.startsWith("/") ? dir : void 0, files, envFile: envFile && rel(envFile) } : void 0,
    composeCommand: s.compose && s.compose.command[0] !== "docker" ? s.compose.command : void 0,
    driver,
    usesCompose,
    services,
    proxy,
    database,
    url: site ? `${site.tls ? "https" : "http"}://${site.names[0]}` : void 0,
    checks: {
      docker: dockerMajor ? `>=${dockerMajor}` : void 0,
      compose: usesCompose ? composeVersion ? `>=${composeVersion[1]}.${composeVersion[2]}` : void 0 : false
    },
    found
  };
}

export {
  DEFAULT_NGINX_CONF,
  planFrom
};
