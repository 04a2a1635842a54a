import {
  failureText,
  notInstalled
} from "./chunk-VAXYKZY2.js";
import {
  DEFAULT_NGINX_CONF
} from "./chunk-X43AC3OH.js";
import {
  COMPOSE_CANDIDATES,
  composeVersionArgv
} from "./chunk-737GUY7Q.js";
import {
  nginxConfOf
} from "./chunk-KF2DUK75.js";
import {
  NginxSyntaxError,
  parseNginx,
  walk
} from "./chunk-4YFRNVAS.js";
import {
  dockerServerVersionArgv
} from "./chunk-GYOLDUFK.js";
import {
  catArgv,
  listDirArgv
} from "./chunk-CSTC25GN.js";
import "./chunk-62JVSY2V.js";
import {
  isHost
} from "./chunk-5V6H6OVK.js";
import "./chunk-KPGNJUSS.js";
import "./chunk-WNIEMWDA.js";
import {
  ConfigError
} from "./chunk-O2HJWNJA.js";
import "./chunk-SEWDMQ6Q.js";

// src/commands/survey.ts
var userIdArgv = () => ["id", "-u"];
var userGroupsArgv = () => ["id", "-Gn"];
var dockerPsArgv = () => ["docker", "ps", "--no-trunc", "--format", "{{json .}}"];
var PORT_ENV_NAMES = ["PORT", "APP_PORT", "HTTP_PORT", "SERVER_PORT", "LISTEN_PORT"];
var SURVEY_LABELS = [
  "com.docker.compose.project",
  "com.docker.compose.service",
  "com.docker.compose.oneoff",
  "com.docker.compose.project.working_dir",
  "com.docker.compose.project.config_files",
  "com.docker.compose.project.environment_file",
  "io.runbook.app"
];
var SURVEY_TEMPLATE = [
  '{"id":{{json .Id}},"name":{{json .Name}},"image":{{json .Config.Image}},"imageId":{{json .Image}}',
  `,"labels":{{with .Config.Labels}}{${SURVEY_LABELS.map((l) => `"${l}":{{json (index . "${l}")}}`).join(",")}}{{else}}{}{{end}}`,
  // Of a HEALTHCHECK only its kind (CMD, CMD-SHELL, NONE): its command may name a password.
  ',"healthcheck":{{with index .Config "Healthcheck"}}{{with .Test}}{{json (index . 0)}}{{else}}null{{end}}{{else}}null{{end}}',
  ',"health":{{with index .State "Health"}}{{json .Status}}{{else}}null{{end}},"state":{{json .State.Status}}',
  ',"network":{{json .HostConfig.NetworkMode}},"ports":{{json (index .NetworkSettings "Ports")}}',
  ',"mounts":[{{range $i, $m := .Mounts}}{{if $i}},{{end}}{{json $m.Destination}}{{end}}]',
  ',"env":[{{range $i, $e := .Config.Env}}{{$kv := split $e "="}}{{if $i}},{{end}}[{{json (index $kv 0)}}',
  `{{if eq (index $kv 0) ${PORT_ENV_NAMES.map((n) => `"${n}"`).join(" ")}}},{{json (index $kv 1)}}{{end}}]{{end}}]}`
].join("");
var dockerInspectSurveyArgv = (ids) => [
  "docker",
  "inspect",
  "--format",
  SURVEY_TEMPLATE,
  ...ids
];
var dockerImageEnvArgv = (imageIds) => [
  "docker",
  "image",
  "inspect",
  "--format",
  '{"id":{{json .Id}},"env":[{{range $i, $e := .Config.Env}}{{if $i}},{{end}}{{json (index (split $e "=") 0)}}{{end}}]}',
  ...imageIds
];
var listeningArgv = () => ["ss", "-ltnH"];
var procNetTcpArgv = () => ["cat", "--", "/proc/net/tcp", "/proc/net/tcp6"];
var pgClustersArgv = () => ["pg_lsclusters", "--no-header"];
function parseDockerPs(stdout) {
  const ids = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line);
    if (typeof row.ID === "string" && /^[0-9a-f]{12,64}$/.test(row.ID)) ids.push(row.ID);
  }
  return ids;
}
var asPort = (v) => {
  const n = typeof v === "string" && /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  return n >= 1 && n <= 65535 ? n : void 0;
};
function parseSurveyInspect(stdout) {
  const out = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const raw = JSON.parse(line);
    const published = [];
    for (const [key, bindings] of Object.entries(raw.ports ?? {})) {
      const container = asPort(/^(\d+)\/tcp$/.exec(key)?.[1]);
      if (container === void 0) continue;
      for (const b of bindings ?? []) {
        const host = asPort(b.HostPort);
        if (host !== void 0) published.push({ container, hostIp: b.HostIp || "0.0.0.0", host });
      }
    }
    const portEnvs = raw.env.flatMap(([name, value]) => {
      const port = asPort(value);
      return port === void 0 ? [] : [{ name, port }];
    });
    out.push({
      id: raw.id,
      name: raw.name.replace(/^\//, ""),
      image: raw.image,
      imageId: raw.imageId ?? "",
      labels: Object.fromEntries(
        Object.entries(raw.labels ?? {}).flatMap(([k, v]) => typeof v === "string" && v !== "" ? [[k, v]] : [])
      ),
      healthcheck: raw.healthcheck !== null && raw.healthcheck !== "NONE",
      health: raw.health ?? void 0,
      state: raw.state,
      network: raw.network,
      published,
      mounts: raw.mounts ?? [],
      envNames: raw.env.map(([name]) => name),
      portEnv: PORT_ENV_NAMES.flatMap((n) => portEnvs.filter((p) => p.name === n))[0]
    });
  }
  return out;
}
var portOfAddress = (address) => asPort(/:(\d+)$/.exec(address)?.[1]);
function parseImageEnv(stdout) {
  const out = /* @__PURE__ */ new Map();
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line);
    out.set(row.id, row.env ?? []);
  }
  return out;
}
function parseListening(stdout) {
  const ports = /* @__PURE__ */ new Set();
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const port = fields[0] === "LISTEN" ? portOfAddress(fields[3] ?? "") : void 0;
    if (port !== void 0) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}
function parseProcNetTcp(stdout) {
  const ports = /* @__PURE__ */ new Set();
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const local = /^[0-9A-F]+:([0-9A-F]{4})$/i.exec(fields[1] ?? "");
    if (local && fields[3] === "0A") ports.add(Number.parseInt(local[1], 16));
  }
  return [...ports].sort((a, b) => a - b);
}
function parsePgClusters(stdout) {
  return stdout.split("\n").flatMap((line) => {
    const [version, cluster, port, status] = line.trim().split(/\s+/);
    const p = asPort(port);
    return version && cluster && p !== void 0 && status ? [{ version, cluster, port: p, status }] : [];
  });
}
var processListArgv = () => ["ps", "-eo", "args="];
function nginxMasterConfs(ps) {
  const out = [];
  for (const line of ps.split("\n")) {
    if (!line.includes("nginx: master process")) continue;
    const conf = nginxConfOf(line);
    if (!conf) continue;
    const words = line.trim().split(/\s+/);
    const prefix = words[words.indexOf("-p") + 1] ?? "";
    out.push(conf.startsWith("/") || !words.includes("-p") ? conf : `${prefix.replace(/\/?$/, "/")}${conf}`);
  }
  return [...new Set(out)];
}

// src/init/nginx-tree.ts
import { dirname, join } from "node:path";
var MAX_FILES = 100;
function globPattern(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[" && glob.indexOf("]", i + 2) > 0) {
      const close = glob.indexOf("]", i + 2);
      const body = glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
var hasGlob = (s) => /[*?[]/.test(s);
var why = (r) => failureText(r).replace(/^(?:cat|ls): (?:cannot (?:access|open directory) )?'?[^:']*'?: /, "");
async function readNginxTree(probe, conf, notes) {
  const trees = /* @__PURE__ */ new Map();
  const order = [];
  const expanded = /* @__PURE__ */ new Map();
  const readFile = async (path) => {
    const r = await probe(catArgv(path));
    if (r.code !== 0) {
      notes.push(`cannot read ${path}: ${why(r)}`);
      return void 0;
    }
    try {
      return parseNginx(r.stdout);
    } catch (err) {
      if (!(err instanceof NginxSyntaxError)) throw err;
      notes.push(`${path} is not nginx syntax (${err.message}): not followed`);
      return void 0;
    }
  };
  const expand = (pattern) => {
    const path = pattern.startsWith("/") ? pattern : join(dirname(conf), pattern);
    let p = expanded.get(path);
    if (!p) {
      p = (async () => {
        if (!hasGlob(path)) return [path];
        const dir = dirname(path);
        const name = path.slice(dir.length + 1);
        if (hasGlob(dir)) {
          notes.push(`include ${pattern}: a wildcard in a directory name is not followed`);
          return [];
        }
        const r = await probe(listDirArgv(dir));
        if (r.code !== 0) {
          notes.push(`cannot list ${dir} (include ${pattern}): ${why(r)}`);
          return [];
        }
        const re = globPattern(name);
        return r.stdout.split("\n").filter((n) => n !== "" && re.test(n) && (!n.startsWith(".") || name.startsWith("."))).sort().map((n) => join(dir, n));
      })();
      expanded.set(path, p);
    }
    return p;
  };
  const visit = async (path) => {
    if (trees.has(path) || order.length >= MAX_FILES) return;
    order.push(path);
    const tree = await readFile(path);
    trees.set(path, tree ?? []);
    if (!tree) return;
    for (const d of walk(tree)) {
      if (d.words[0] !== "include" || d.words[1] === void 0) continue;
      for (const file of await expand(d.words[1])) await visit(file);
    }
  };
  const main = await readFile(conf);
  if (!main) return void 0;
  trees.set(conf, main);
  order.push(conf);
  for (const d of walk(main)) {
    if (d.words[0] !== "include" || d.words[1] === void 0) continue;
    for (const file of await expand(d.words[1])) await visit(file);
  }
  if (order.length >= MAX_FILES) notes.push(`more than ${MAX_FILES} files are included: the rest were not read`);
  const upstreams = [];
  const sites = [];
  for (const file of order) {
    const tree = trees.get(file) ?? [];
    for (const d of walk(tree)) {
      if (d.words[0] === "upstream" && d.children && d.words[1]) {
        upstreams.push(await upstreamOf(d, file, expand, trees));
      }
    }
  }
  const names = new Set(upstreams.map((u) => u.name));
  for (const file of order) {
    for (const d of walk(trees.get(file) ?? [])) {
      if (d.words[0] === "server" && d.children) sites.push(...sitesOf(d, file, names));
    }
  }
  const pid = main.find((d) => d.words[0] === "pid" && !d.children)?.words[1];
  if (pid !== void 0 && !pid.startsWith("/")) notes.push(`pid ${pid} is relative to nginx's prefix: not used`);
  return { conf, pidFile: pid?.startsWith("/") ? pid : void 0, files: order, upstreams, sites };
}
async function upstreamOf(d, file, expand, trees) {
  const primary = (ds) => ds.filter((s) => s.words[0] === "server" && !s.children && !s.words.slice(2).includes("backup")).map((s) => s.words[1] ?? "");
  const servers = primary(d.children ?? []);
  let serversFile;
  for (const inc of (d.children ?? []).filter((c) => c.words[0] === "include" && c.words[1])) {
    for (const f of await expand(inc.words[1])) {
      serversFile ??= f;
      servers.push(...primary(trees.get(f) ?? []));
    }
  }
  return { name: d.words[1], file, serversFile, servers: servers.filter((s) => s !== "") };
}
function sitesOf(d, file, upstreams) {
  const children = d.children ?? [];
  const names = children.filter((c) => c.words[0] === "server_name").flatMap((c) => c.words.slice(1)).filter((n) => n !== "_" && n !== "" && !/[*~]/.test(n) && !n.startsWith("."));
  const tls = children.filter((c) => c.words[0] === "listen").some((c) => c.words.includes("ssl") || /(^|:)443$/.test(c.words[1] ?? ""));
  const targets = /* @__PURE__ */ new Set();
  for (const c of walk(children)) {
    const m = c.words[0] === "proxy_pass" ? /^https?:\/\/([A-Za-z0-9_]+)(?:[/$]|$)/.exec(c.words[1] ?? "") : null;
    if (m && upstreams.has(m[1])) targets.add(m[1]);
  }
  return [...targets].map((upstream) => ({ upstream, file, names, tls }));
}

// src/init/survey.ts
var USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
var FORM = "expected user@host or user@host:port (an IPv6 address in brackets: user@[2001:db8::5]:22)";
function parseSshAddress(text) {
  const m = /^([^@\s]+)@(?:\[([^\]]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const bare = /^([^@\s]+)@([0-9A-Fa-f:]+)$/.exec(text.trim());
  const user = m?.[1] ?? bare?.[1] ?? "";
  const host = m?.[2] ?? m?.[3] ?? bare?.[2] ?? "";
  const port = Number(m?.[4] ?? 22);
  if (!USER.test(user)) throw new ConfigError(`input "from-ssh": ${JSON.stringify(text)}: ${FORM}`);
  if (!isHost(host)) throw new ConfigError(`input "from-ssh": ${JSON.stringify(host)} is not a host name or address`);
  if (!(port >= 1 && port <= 65535)) throw new ConfigError(`input "from-ssh": port ${port} is not 1-65535`);
  return { user, host, port };
}
var INSPECT_BATCH = 50;
async function surveyServer(probe, address, o) {
  const userNotes = [];
  const dockerNotes = [];
  const composeNotes = [];
  const portNotes = [];
  const pgNotes = [];
  const nginxNotes = [];
  const survey = { address, notes: [] };
  const dockerEnv = o.dockerSocket ? { DOCKER_HOST: `unix://${o.dockerSocket}` } : void 0;
  const readUser = async () => {
    const [uid, groups] = await Promise.all([probe(userIdArgv()), probe(userGroupsArgv())]);
    if (uid.code === 0) survey.root = uid.stdout.trim() === "0";
    if (groups.code === 0) survey.groups = groups.stdout.trim().split(/\s+/).filter(Boolean);
    else userNotes.push(`id -Gn: ${failureText(groups)}`);
  };
  const readDocker = async () => {
    const version = await probe(dockerServerVersionArgv(), { env: dockerEnv });
    if (version.code !== 0) {
      survey.dockerMissing = notInstalled(version);
      survey.dockerUnreachable = !survey.dockerMissing && !/permission denied/i.test(failureText(version));
      dockerNotes.push(
        notInstalled(version) ? "docker is not installed: no containers to read" : `docker does not answer ${address.user} (${failureText(version)}): no containers read`
      );
      return;
    }
    const ps = await probe(dockerPsArgv(), { env: dockerEnv });
    if (ps.code !== 0) {
      dockerNotes.push(`docker ps: ${failureText(ps)}`);
      return;
    }
    const ids = parseDockerPs(ps.stdout);
    const containers = [];
    for (let i = 0; i < ids.length; i += INSPECT_BATCH) {
      const r = await probe(dockerInspectSurveyArgv(ids.slice(i, i + INSPECT_BATCH)), { env: dockerEnv });
      if (r.code !== 0 && r.stdout.trim() === "") dockerNotes.push(`docker inspect: ${failureText(r)}`);
      containers.push(...parseSurveyInspect(r.stdout));
    }
    const imageIds = [...new Set(containers.map((c) => c.imageId).filter((id) => id !== ""))];
    const images = imageIds.length > 0 ? await probe(dockerImageEnvArgv(imageIds), { env: dockerEnv }) : void 0;
    if (images && images.code !== 0 && images.stdout.trim() === "")
      dockerNotes.push(`docker image inspect: ${failureText(images)}`);
    const imageEnv = images ? parseImageEnv(images.stdout) : /* @__PURE__ */ new Map();
    survey.docker = { version: version.stdout.trim(), containers, imageEnv };
  };
  const readCompose = async () => {
    for (const command of COMPOSE_CANDIDATES) {
      const r = await probe(composeVersionArgv(command), { env: dockerEnv });
      const version = r.stdout.trim().replace(/^v/, "");
      if (r.code === 0 && /^\d+\.\d+/.test(version)) {
        survey.compose = { command: [...command], version };
        return;
      }
    }
    composeNotes.push("neither docker compose nor docker-compose answers");
  };
  const readListening = async () => {
    const ss = await probe(listeningArgv());
    if (ss.code === 0) {
      survey.listening = parseListening(ss.stdout);
      return;
    }
    const proc = await probe(procNetTcpArgv());
    if (proc.stdout.trim() !== "") survey.listening = parseProcNetTcp(proc.stdout);
    else portNotes.push(`listening ports unknown: ss (${failureText(ss)}) and /proc/net/tcp (${failureText(proc)})`);
  };
  const readClusters = async () => {
    const r = await probe(pgClustersArgv());
    if (r.code === 0) survey.clusters = parsePgClusters(r.stdout);
    else if (notInstalled(r)) pgNotes.push("pg_lsclusters is not installed (no Debian PostgreSQL on the host)");
    else pgNotes.push(`pg_lsclusters: ${failureText(r)}`);
  };
  const readNginx = async () => {
    let conf = o.nginxConf;
    if (conf === DEFAULT_NGINX_CONF) {
      const ps = await probe(processListArgv());
      const masters = ps.code === 0 ? nginxMasterConfs(ps.stdout) : [];
      if (masters[0] !== void 0) {
        conf = masters[0];
        nginxNotes.push(
          `nginx: the running master reads ${conf}${masters.length > 1 ? ` (also running: ${masters.slice(1).join(", ")}; choose with --input nginx-conf=PATH)` : ""}`
        );
      }
    }
    survey.nginx = await readNginxTree(probe, conf, nginxNotes);
    if (!survey.nginx) nginxNotes.push(`nginx: ${conf} could not be read, so no upstream was found`);
  };
  await Promise.all([readUser(), readDocker(), readCompose(), readListening(), readClusters(), readNginx()]);
  survey.notes.push(...userNotes, ...dockerNotes, ...composeNotes, ...nginxNotes, ...portNotes, ...pgNotes);
  return survey;
}
export {
  parseSshAddress,
  surveyServer
};
