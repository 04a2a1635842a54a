import {
  require_dist
} from "./chunk-YGCRCGPR.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";
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
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var strList = (v) => v === void 0 || v === null ? void 0 : typeof v === "string" ? [v] : v.map(String);
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
function networkOf(svc, top, project, where) {
  if (typeof svc.network_mode === "string") {
    if (svc.network_mode.startsWith("service:") || svc.network_mode.startsWith("container:")) {
      throw new UserError(
        `${where}.network_mode ${svc.network_mode}: replicas sharing one container's network cannot each have a port`
      );
    }
    return { mode: svc.network_mode };
  }
  const keys = svc.networks === void 0 ? ["default"] : Array.isArray(svc.networks) ? svc.networks.map(String) : Object.keys(svc.networks);
  if (keys.length > 1) {
    throw new UserError(
      `${where}.networks: ${keys.join(", ")}: rolling replicas join one network; keep one, or use strategy recreate`
    );
  }
  const key = keys[0] ?? "default";
  const network = { key, ...realName(top.networks, key, project) };
  return { mode: network.name, network };
}
function unescapeDollars(v) {
  if (typeof v === "string") return v.replaceAll("$$", "$");
  if (Array.isArray(v)) return v.map(unescapeDollars);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescapeDollars(x)]));
  return v;
}
function composeServiceOf(configText, name, projectHint) {
  const doc = unescapeDollars((0, import_yaml.parse)(configText, { merge: true }));
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
  const net = networkOf(svc, doc, project, where);
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
    network: net.network,
    replaced: Object.keys(svc).filter((k) => REPLACED.has(k))
  };
}

export {
  composeServiceOf
};
