import {
  maskFileValue
} from "./chunk-RB6QVMVN.js";
import {
  composeExecOptions,
  composeProjectHint
} from "./chunk-HEVGDBH7.js";
import {
  composeConfig,
  composeUp
} from "./chunk-MIAGCR4I.js";
import {
  check,
  readText
} from "./chunk-H5JJLJ3Z.js";
import {
  require_dist
} from "./chunk-FDIJ72KF.js";
import {
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// node_modules/shlex/shlex.js
var Shlexer = class {
  constructor(string) {
    this.i = 0;
    this.string = string;
    this.whitespace = " 	\r\n";
    this.quotes = `'"`;
    this.escapes = "\\";
    this.escapedQuotes = '"';
    this.ansiCQuotes = true;
    this.localeQuotes = true;
    this.debug = false;
  }
  readChar() {
    return this.string.charAt(this.i++);
  }
  processEscapes(string, quote, isAnsiCQuote) {
    if (!isAnsiCQuote && !this.escapedQuotes.includes(quote)) {
      return string;
    }
    const anyEscape = "[" + this.escapes.replace(/(.)/g, "\\$1") + "]";
    if (!isAnsiCQuote && this.escapedQuotes.includes(quote)) {
      const re = new RegExp(
        anyEscape + "(" + anyEscape + "|\\" + quote + ")",
        "g"
      );
      return string.replace(re, "$1");
    }
    if (isAnsiCQuote) {
      const patterns = {
        // Literal characters
        "([\\\\'\"?])": (x) => x,
        // Non-printable ASCII characters
        "a": () => "\x07",
        "b": () => "\b",
        "e|E": () => "\x1B",
        "f": () => "\f",
        "n": () => "\n",
        "r": () => "\r",
        "t": () => "	",
        "v": () => "\v",
        // Octal bytes
        "([0-7]{1,3})": (x) => String.fromCharCode(parseInt(x, 8)),
        // Hexadecimal bytes
        "x([0-9a-fA-F]{1,2})": (x) => String.fromCharCode(parseInt(x, 16)),
        // Unicode code units
        "u([0-9a-fA-F]{1,4})": (x) => String.fromCharCode(parseInt(x, 16)),
        "U([0-9a-fA-F]{1,8})": (x) => String.fromCharCode(parseInt(x, 16)),
        // Control characters
        // https://en.wikipedia.org/wiki/Control_character#How_control_characters_map_to_keyboards
        "c(.)": (x) => {
          if (x === "?") {
            return "\x7F";
          } else if (x === "@") {
            return "\0";
          } else {
            return String.fromCharCode(x.charCodeAt(0) & 31);
          }
        }
      };
      const re = new RegExp(
        anyEscape + "(" + Object.keys(patterns).join("|") + ")",
        "g"
      );
      return string.replace(re, function(m, p1) {
        for (const matched in patterns) {
          const mm = new RegExp("^" + matched + "$").exec(p1);
          if (mm === null) {
            continue;
          }
          return patterns[matched].apply(null, mm.slice(1));
        }
      });
    }
    return void 0;
  }
  *[Symbol.iterator]() {
    let inQuote = false;
    let inDollarQuote = false;
    let escaped = false;
    let lastDollar = -2;
    let token;
    if (this.debug) {
      console.log("full input:", ">" + this.string + "<");
    }
    while (true) {
      const pos = this.i;
      const char = this.readChar();
      if (this.debug) {
        console.log(
          "position:",
          pos,
          "input:",
          ">" + char + "<",
          "accumulated:",
          token,
          "inQuote:",
          inQuote,
          "inDollarQuote:",
          inDollarQuote,
          "lastDollar:",
          lastDollar,
          "escaped:",
          escaped
        );
      }
      if (char === "") {
        if (inQuote) {
          throw new Error("Got EOF while in a quoted string");
        }
        if (escaped) {
          throw new Error("Got EOF while in an escape sequence");
        }
        if (token !== void 0) {
          yield token;
        }
        return;
      }
      if (escaped) {
        if (char === "\n") {
        } else if (inQuote) {
          token = (token || "") + escaped + char;
        } else {
          token = (token || "") + char;
        }
        escaped = false;
        continue;
      }
      if (this.escapes.includes(char)) {
        if (!inQuote || inDollarQuote !== false || this.escapedQuotes.includes(inQuote)) {
          escaped = char;
          continue;
        } else {
        }
      }
      if (inQuote !== false) {
        if (char === inQuote) {
          token = this.processEscapes(token, inQuote, inDollarQuote === "'");
          inQuote = false;
          inDollarQuote = false;
          continue;
        }
        token = (token || "") + char;
        continue;
      }
      if (this.quotes.includes(char)) {
        inQuote = char;
        if (lastDollar === pos - 1) {
          if (char === "'" && !this.ansiCQuotes) {
          } else if (char === '"' && !this.localeQuotes) {
          } else {
            inDollarQuote = char;
          }
        }
        token = token || "";
        if (inDollarQuote !== false) {
          token = token.slice(0, -1);
        }
        continue;
      }
      if (inQuote === false && char === "$") {
        lastDollar = pos;
      }
      if (this.whitespace.includes(char)) {
        if (token !== void 0) {
          yield token;
        }
        token = void 0;
        continue;
      }
      token = (token || "") + char;
    }
  }
};
function split(s) {
  return Array.from(new Shlexer(s));
}

// src/deploy/compose/template.ts
var import_yaml = __toESM(require_dist(), 1);

// src/deploy/compose/attachments.ts
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var strList = (v) => v === void 0 || v === null ? void 0 : typeof v === "string" ? [v] : v.map(String);
function realName(top, key, project) {
  const def = isObj(top) ? top[key] : void 0;
  const d = isObj(def) ? def : {};
  const ext = d.external;
  const external = ext === true || isObj(ext);
  const extName = isObj(ext) && typeof ext.name === "string" ? ext.name : void 0;
  const name = typeof d.name === "string" ? d.name : extName ?? (external ? key : `${project}_${key}`);
  return { name, external };
}
function volumesOf(svc, top, project, where) {
  const binds = [];
  const named = [];
  for (const v of svc.volumes ?? []) {
    let source;
    let target;
    let ro = false;
    let type;
    if (typeof v === "string") {
      const [s = "", t, mode] = v.split(":");
      if (t === void 0)
        throw new UserError(
          `${where}.volumes: ${JSON.stringify(v)} has no source (anonymous volumes are per container)`
        );
      [source, target, ro] = [s, t, (mode ?? "").split(",").includes("ro")];
      type = s.startsWith("/") || s.startsWith(".") || s.startsWith("~") ? "bind" : "volume";
    } else if (isObj(v)) {
      [source, target, ro, type] = [
        String(v.source ?? ""),
        String(v.target ?? ""),
        v.read_only === true,
        String(v.type ?? "volume")
      ];
    } else continue;
    if (type === "volume" && source !== "") {
      const real = realName(top.volumes, source, project);
      named.push({ key: source, ...real });
      source = real.name;
    } else if (type !== "bind" || source === "") {
      throw new UserError(
        `${where}.volumes: ${type} mount of ${target} is not carried into rolling replicas (bind mounts and named volumes are)`
      );
    }
    binds.push(`${source}:${target}${ro ? ":ro" : ""}`);
  }
  return { binds, named };
}
function networkOf(svc, top, project, name, where) {
  if (typeof svc.network_mode === "string") {
    if (svc.network_mode.startsWith("service:") || svc.network_mode.startsWith("container:")) {
      throw new UserError(
        `${where}.network_mode ${svc.network_mode}: replicas sharing one container's network cannot each have a port`
      );
    }
    return { mode: svc.network_mode, networks: [] };
  }
  const given = svc.networks;
  const keys = given === void 0 ? ["default"] : Array.isArray(given) ? given.map(String) : Object.keys(given);
  const aliases = /* @__PURE__ */ new Set([name]);
  if (isObj(given)) {
    for (const def of Object.values(given)) {
      if (isObj(def)) for (const a of strList(def.aliases) ?? []) aliases.add(a);
    }
  }
  const networks = keys.map((key) => ({ key, ...realName(top.networks, key, project) }));
  return { mode: networks[0]?.name, networks, aliases: [...aliases] };
}

// src/deploy/compose/template.ts
var CARRIED = /* @__PURE__ */ new Set([
  "image",
  "command",
  "entrypoint",
  "environment",
  "volumes",
  "network_mode",
  "networks",
  "healthcheck",
  "labels",
  "restart",
  "user",
  "working_dir",
  "extra_hosts",
  "logging",
  "mem_limit",
  "cpus",
  "stop_grace_period",
  "cap_add",
  "cap_drop",
  "init",
  "depends_on",
  "deploy"
]);
var REPLACED = /* @__PURE__ */ new Set([
  "ports",
  "expose",
  "container_name",
  "scale",
  "build",
  "pull_policy",
  "profiles",
  "hostname"
]);
function projectName(name) {
  return name.toLowerCase().replace(/[^-_a-z0-9]/g, "");
}
var UNIT_MS = { ns: 1e-6, us: 1e-3, \u00B5s: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function goDurationMs(v, where) {
  if (typeof v === "number") return v * 1e3;
  const text = String(v);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new UserError(`${where}: ${JSON.stringify(text)} is not a duration (like 10s, 1m30s or 500ms)`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNIT_MS[p[2] ?? "s"] ?? 0), 0);
}
function byteSize(v, where) {
  if (typeof v === "number") return v;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(v));
  if (!m) throw new UserError(`${where}: ${JSON.stringify(v)} is not a size (like 512m or 1g)`);
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? "").toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}
function healthcheckOf(v, where) {
  if (!isObj(v)) return void 0;
  if (v.disable === true) return { test: ["NONE"], intervalMs: 0, timeoutMs: 0, retries: 0 };
  const test = typeof v.test === "string" ? ["CMD-SHELL", v.test] : strList(v.test);
  if (!test) return void 0;
  const ms = (key, dflt) => v[key] === void 0 ? dflt : goDurationMs(v[key], `${where}.${key}`);
  return {
    test,
    intervalMs: ms("interval", 3e4),
    timeoutMs: ms("timeout", 3e4),
    retries: v.retries === void 0 ? 3 : Number(v.retries),
    startPeriodMs: v.start_period === void 0 ? void 0 : ms("start_period", 0)
  };
}
function restartOf(v, where) {
  if (v === void 0) return {};
  const [name = "", max] = String(v).split(":");
  if (!["no", "always", "unless-stopped", "on-failure"].includes(name)) {
    throw new UserError(`${where}: restart ${JSON.stringify(v)} is not one of no, always, unless-stopped, on-failure`);
  }
  return { restartPolicy: name, restartMaxRetries: max === void 0 ? void 0 : Number(max) };
}
function argvOf(v) {
  return typeof v === "string" ? split(v) : strList(v);
}
function mapOf(v) {
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? "" : String(x)]));
  const out = {};
  for (const e of strList(v) ?? []) {
    const eq = e.indexOf("=");
    out[eq < 0 ? e : e.slice(0, eq)] = eq < 0 ? "" : e.slice(eq + 1);
  }
  return out;
}
function unescapeDollars(v) {
  if (typeof v === "string") return v.replaceAll("$$", "$");
  if (Array.isArray(v)) return v.map(unescapeDollars);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescapeDollars(x)]));
  return v;
}
function composeServiceEnv(configText, name) {
  let parsed;
  try {
    parsed = (0, import_yaml.parse)(configText, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`compose config printed text that is not YAML: ${errorMessage(err).split("\n")[0]}`);
  }
  const doc = unescapeDollars(parsed);
  const svc = isObj(doc) && isObj(doc.services) ? doc.services[name] : void 0;
  return isObj(svc) ? mapOf(svc.environment) : void 0;
}
function composeServiceOf(configText, name, projectHint) {
  let parsed;
  try {
    parsed = (0, import_yaml.parse)(configText, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`compose config printed text that is not YAML: ${errorMessage(err).split("\n")[0]}`);
  }
  const doc = unescapeDollars(parsed);
  if (!isObj(doc) || !isObj(doc.services)) throw new UserError("compose config printed no services");
  const svc = doc.services[name];
  if (!isObj(svc)) {
    throw new UserError(
      `the compose files have no service ${name} (they have: ${Object.keys(doc.services).join(", ")})`
    );
  }
  const where = `compose service ${name}`;
  const unknown = Object.keys(svc).filter((k) => !CARRIED.has(k) && !REPLACED.has(k));
  if (unknown.length > 0) {
    throw new UserError(
      `${where}: ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not carried into rolling replicas (carried: ${[...CARRIED].join(", ")}); remove ${unknown.length > 1 ? "them" : "it"} or use strategy recreate`
    );
  }
  if (typeof svc.image !== "string") throw new UserError(`${where} has no image: rolling replicas run an image`);
  const project = projectName(typeof doc.name === "string" ? doc.name : projectHint);
  const { binds, named } = volumesOf(svc, doc, project, where);
  const net = networkOf(svc, doc, project, name, where);
  const limits = isObj(svc.deploy) && isObj(svc.deploy.resources) && isObj(svc.deploy.resources.limits) ? svc.deploy.resources.limits : {};
  const mem = svc.mem_limit ?? limits.memory;
  const cpus = svc.cpus ?? limits.cpus;
  const logging = isObj(svc.logging) ? svc.logging : void 0;
  const depends = svc.depends_on === void 0 ? [] : Array.isArray(svc.depends_on) ? svc.depends_on.map(String) : Object.keys(svc.depends_on);
  const extraHosts = strList(
    isObj(svc.extra_hosts) ? Object.entries(svc.extra_hosts).map(([h, a]) => `${h}:${a}`) : svc.extra_hosts
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
      extraNetworks: net.networks.length > 1 ? net.networks.slice(1).map((n) => n.name) : void 0,
      networkAliases: net.aliases,
      ...restartOf(svc.restart, `${where}.restart`),
      stopTimeoutSeconds: svc.stop_grace_period === void 0 ? void 0 : Math.ceil(goDurationMs(svc.stop_grace_period, `${where}.stop_grace_period`) / 1e3),
      healthcheck: healthcheckOf(svc.healthcheck, `${where}.healthcheck`),
      binds: binds.length > 0 ? binds : void 0,
      extraHosts: extraHosts?.map((h) => h.replace("=", ":")),
      user: svc.user === void 0 ? void 0 : String(svc.user),
      workingDir: svc.working_dir === void 0 ? void 0 : String(svc.working_dir),
      memoryBytes: mem === void 0 ? void 0 : byteSize(mem, `${where}.mem_limit`),
      nanoCpus: cpus === void 0 ? void 0 : Math.round(Number(cpus) * 1e9),
      log: logging && typeof logging.driver === "string" ? { driver: logging.driver, options: mapOf(logging.options) } : void 0,
      capAdd: strList(svc.cap_add),
      capDrop: strList(svc.cap_drop),
      init: svc.init === void 0 ? void 0 : svc.init === true
    },
    dependsOn: depends,
    volumes: named,
    networks: net.networks,
    replaced: Object.keys(svc).filter((k) => REPLACED.has(k))
  };
}

// src/deploy/compose/env.ts
function composeEnvMisses(resolved, overrides) {
  return Object.entries(overrides).filter(([name, value]) => resolved[name] !== value).map(
    ([name]) => resolved[name] === void 0 ? `${name} (the service does not name it)` : `${name} (the file sets it otherwise: a literal, or an env_file entry)`
  );
}
function composeEnvError(label, service, misses) {
  const first = misses[0]?.split(" ")[0] ?? "NAME";
  return new UserError(
    `${label}: the compose file does not give ${service} the env value${misses.length > 1 ? "s" : ""} of this release: ${misses.join(", ")}. Compose passes a value on only where the service's environment interpolates it or passes it through: write ${first}: \${${first}} (or - ${first}) under services.${service}.environment in the compose file, or leave it out of the env input (env-reset: true drops one carried over)`
  );
}
async function checkComposeEnv(site, compose, version) {
  const overrides = site.envOverrides ?? {};
  if (Object.keys(overrides).length === 0) return;
  const { transport, name } = site.target;
  const r = check(
    await transport.exec(composeConfig(compose), composeExecOptions(site, compose, version)),
    `compose config on ${name}`
  );
  const resolved = composeServiceEnv(r.stdout, site.name);
  if (!resolved) throw new UserError(`${name}/${site.name}: the compose files have no service ${site.name}`);
  const misses = composeEnvMisses(resolved, overrides);
  if (misses.length > 0) throw composeEnvError(`${name}/${site.name}`, site.name, misses);
}

// src/deploy/compose/secret-keys.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { posix as posix2 } from "node:path";

// src/deploy/compose/files.ts
import { posix } from "node:path";
var DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
async function readComposeFiles(t, c) {
  const at = (name) => posix.resolve(c.directory, name);
  if (c.files)
    return Promise.all(c.files.map(async (name) => ({ name, path: at(name), text: await readText(t, at(name)) })));
  for (const name of DEFAULT_FILES) {
    const text = await readText(t, at(name));
    if (text === void 0) continue;
    const override = name.replace(/\.(ya?ml)$/, ".override.$1");
    const overrideText = await readText(t, at(override));
    const found = [{ name, path: at(name), text }];
    return overrideText === void 0 ? found : [...found, { name: override, path: at(override), text: overrideText }];
  }
  return [];
}

// src/deploy/compose/secret-keys.ts
function envFilePaths(svc) {
  const raw = svc.env_file;
  const list = raw === void 0 || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  return list.flatMap((e) => typeof e === "string" ? [e] : isObj(e) && typeof e.path === "string" ? [e.path] : []);
}
function interpolatedKeys(svc) {
  const env = svc.environment;
  if (isObj(env)) {
    return Object.entries(env).flatMap(
      ([k, v]) => v === null || v === void 0 || String(v).includes("$") ? [k] : []
    );
  }
  if (!Array.isArray(env)) return [];
  return env.flatMap((e) => {
    const text = String(e);
    const eq = text.indexOf("=");
    return eq < 0 ? [text] : text.slice(eq + 1).includes("$") ? [text.slice(0, eq)] : [];
  });
}
function envFileKeys(text) {
  return text.split("\n").flatMap((raw) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return [];
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).replace(/^export\s+/, "").trim();
    return key === "" ? [] : [key];
  });
}
function composeYaml(text, path) {
  try {
    return (0, import_yaml2.parse)(text, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`${path} is not YAML compose could read: ${errorMessage(err).split("\n")[0]}`);
  }
}
async function composeSecretKeys(t, compose, name) {
  const files = await readComposeFiles(t, compose);
  const keys = /* @__PURE__ */ new Set();
  const base = posix2.dirname(files[0]?.path ?? compose.directory);
  for (const file of files) {
    const doc = composeYaml(file.text ?? "", file.path);
    const svc = isObj(doc) && isObj(doc.services) ? doc.services[name] : void 0;
    if (!isObj(svc)) continue;
    for (const k of interpolatedKeys(svc)) keys.add(k);
    for (const p of envFilePaths(svc)) {
      if (p.includes("$")) continue;
      const env = await readText(t, posix2.isAbsolute(p) ? p : posix2.join(base, p)).catch(() => void 0);
      for (const k of envFileKeys(env ?? "")) keys.add(k);
    }
  }
  return keys;
}

// src/deploy/compose/replicas.ts
function composeMismatch(name, s, svc) {
  const host = svc.template.networkMode === "host";
  if (host !== (s.network === "host")) {
    return `the compose file runs ${name} ${host ? "with network_mode: host" : `on network ${svc.template.networkMode}`}, so services.${name}.network must be ${host ? "host (each replica gets its port in port-env)" : "bridge (each replica publishes port on 127.0.0.1)"}`;
  }
  if (s.containerHealth && svc.template.healthcheck?.test[0] === "NONE") {
    return `the compose file disables the healthcheck of ${name} (healthcheck: disable: true), and services.${name}.health.container waits for it: enable it there, or configure health.http`;
  }
  return void 0;
}
async function resolveComposeService(site, compose, version) {
  const { transport, name } = site.target;
  const secretKeys = await composeSecretKeys(transport, compose, site.name);
  const r = check(
    await transport.exec(composeConfig(compose), composeExecOptions(site, compose, version)),
    `compose config on ${name}`
  );
  const svc = composeServiceOf(r.stdout, site.name, composeProjectHint(compose));
  for (const key of secretKeys) {
    const value = svc.template.env?.[key];
    if (value) maskFileValue(site.log, value, version);
  }
  return svc;
}
async function composeReplicaDeploy(site, docker, compose, version, release) {
  const svc = await resolveComposeService(site, compose, version);
  const label = `${site.target.name}/${site.name}`;
  const mismatch = composeMismatch(site.name, composeReplicaOf(site.service), svc);
  if (mismatch) throw new UserError(`${label}: ${mismatch}`);
  const misses = composeEnvMisses(svc.template.env ?? {}, site.envOverrides ?? {});
  if (misses.length > 0) throw composeEnvError(label, site.name, misses);
  const portEnv = site.service["port-env"];
  if (svc.template.networkMode === "host" && svc.template.env?.[portEnv] !== void 0) {
    site.log.info(`${label}: ${portEnv} of the compose file is set per replica to its host port`);
  }
  const range = site.service["host-ports"];
  if (svc.replaced.length > 0) {
    site.log.info(
      `${label}: ${svc.replaced.join(", ")} of the compose file ${svc.replaced.length > 1 ? "are" : "is"} replaced per replica${range ? ` (each replica gets its own port from host-ports ${range[0]}-${range[1]})` : ""}`
    );
  }
  return { ...site, docker, release, image: svc.image, template: svc.template, composeService: svc };
}
function composeReplicaOf(s) {
  return { network: s.network, containerHealth: s.health?.container === true };
}
async function prepareComposeSite(d, compose, version) {
  const { project } = d.composeService;
  const label = `${d.target.name}/${d.name}`;
  const missing = [
    ...await Promise.all(
      d.composeService.volumes.filter((v) => v.external).map(async (v) => await d.docker.hasVolume(v.name) ? [] : [`volume ${v.name}`])
    ),
    ...await Promise.all(
      d.composeService.networks.filter((n) => n.external).map(async (n) => await d.docker.hasNetwork(n.name) ? [] : [`network ${n.name}`])
    )
  ].flat();
  if (missing.length > 0) {
    throw new UserError(
      `${label}: the compose file declares ${missing.join(", ")} external, and ${missing.length > 1 ? "they do" : "it does"} not exist on ${d.target.name}: create ${missing.length > 1 ? "them" : "it"} first (docker volume create / docker network create), or let compose make ${missing.length > 1 ? "them" : "it"} (remove external)`
    );
  }
  for (const v of d.composeService.volumes) {
    if (v.external) continue;
    const labels = { "com.docker.compose.project": project, "com.docker.compose.volume": v.key };
    if (await d.docker.ensureVolume(v.name, labels)) d.log.info(`${label}: created volume ${v.name}`);
  }
  for (const net of d.composeService.networks) {
    if (net.external) continue;
    const labels = { "com.docker.compose.project": project, "com.docker.compose.network": net.key };
    if (await d.docker.ensureNetwork(net.name, labels)) d.log.info(`${label}: created network ${net.name}`);
  }
  if (d.composeService.dependsOn.length > 0) {
    d.log.info(`${label}: starting its dependencies if they are not running: ${d.composeService.dependsOn.join(", ")}`);
    const argv = composeUp(compose, d.composeService.dependsOn, { noRecreate: true, withDependencies: true });
    check(
      await d.target.transport.exec(argv, { ...composeExecOptions(d, compose, version), quiet: false }),
      `compose up on ${d.target.name}`
    );
  }
}

export {
  readComposeFiles,
  composeServiceOf,
  checkComposeEnv,
  composeMismatch,
  composeReplicaDeploy,
  composeReplicaOf,
  prepareComposeSite
};
