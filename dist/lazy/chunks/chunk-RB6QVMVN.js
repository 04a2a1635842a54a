import {
  ACCESS_LOG_FORMAT,
  ACCESS_LOG_FORMAT_NAME,
  ACCESS_LOG_PREFIX,
  accessLogDirective
} from "./chunk-FAX57M2F.js";
import {
  readText
} from "./chunk-H5JJLJ3Z.js";
import {
  sizeArgv,
  tailArgv,
  tailFromArgv
} from "./chunk-CSTC25GN.js";
import {
  failureText
} from "./chunk-62JVSY2V.js";
import {
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/deploy/engine/env.ts
function secretEnvVars(services) {
  return [...new Set(services.flatMap((s) => Object.values(s["secret-env"] ?? {})))].sort();
}
function secretValues(services, env, log) {
  const values = {};
  const missing = [];
  for (const name of secretEnvVars(services)) {
    const value = env[name];
    if (value === void 0 || value.trim() === "") {
      missing.push(name);
      continue;
    }
    log.addSecret(value);
    values[name] = value;
  }
  return { values, missing };
}
function missingSecretsError(missing) {
  const list = missing.join(", ");
  return new UserError(
    `secret-env needs the runner environment variable${missing.length === 1 ? "" : "s"} ${list}, which ${missing.length === 1 ? "is" : "are"} not set or empty: pass ${missing.length === 1 ? "it" : "them"} to the step, e.g. env: { ${missing[0]}: \${{ secrets.${missing[0]} }} }`
  );
}
var ENV_FILE_NAME = /^[^=\s\0]+$/;
function parseEnvFile(text, where) {
  const out = {};
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq <= 0 || !ENV_FILE_NAME.test(name)) {
      throw new UserError(
        `${where} line ${i + 1}: expected KEY=VALUE (a name without spaces, "=", then the value as it is)`
      );
    }
    out[name] = line.slice(eq + 1);
  });
  return out;
}
function maskFileValue(log, value, except) {
  const v = value.trim();
  if (v.length < 6 || /^[+-]?\d+(\.\d+)?$/.test(v) || /^(true|false|yes|no|on|off)$/i.test(v) || v === except) return;
  log.addSecret(value);
}
async function readEnvFile(transport, path, log) {
  const text = await readText(transport, path);
  if (text === void 0) throw new UserError(`env-file ${path} does not exist on ${transport.name}`);
  const entries = parseEnvFile(text, `env-file ${path} on ${transport.name}`);
  for (const value of Object.values(entries)) maskFileValue(log, value);
  return entries;
}
function containerEnv(label, s, inputs, port) {
  if (s["env-file"] !== void 0 && inputs.fileEnv === void 0) {
    throw new Error(`${label}: env-file ${s["env-file"]} was not read before the containers were created`);
  }
  const env = { ...inputs.fileEnv ?? {}, ...s.env ?? {} };
  const missing = [];
  for (const [name, from] of Object.entries(s["secret-env"] ?? {})) {
    const value = inputs.secrets?.[from];
    if (value === void 0) missing.push(from);
    else env[name] = value;
  }
  if (missing.length > 0) throw missingSecretsError(missing);
  if (s.network === "host" && port !== void 0) env[s["port-env"]] = String(port);
  return env;
}

// src/deploy/canary/weights.ts
var OWN = /^(weight=|down$|backup$)/;
function weightedServers(stable, canary, weight) {
  if (weight <= 0 || canary.length === 0) return stable.map((s) => ({ ...s }));
  if (weight >= 100 || stable.length === 0) return canary.map((s) => ({ ...s }));
  const strip = (s) => s.params === void 0 ? { address: s.address } : { address: s.address, params: s.params.filter((p) => !OWN.test(p)) };
  return [
    ...stable.map((s) => ({ ...strip(s), weight: (100 - weight) * canary.length })),
    ...canary.map((s) => ({ ...strip(s), weight: weight * stable.length }))
  ];
}
function headerVariable(header) {
  return `$http_${header.toLowerCase().replaceAll("-", "_")}`;
}
function stickyDirective(sticky) {
  if (!sticky) return void 0;
  if ("cookie" in sticky) return `hash $cookie_${sticky.cookie} consistent`;
  if ("header" in sticky) return `hash ${headerVariable(sticky.header)} consistent`;
  return "hash $remote_addr consistent";
}
function routeNames(upstream) {
  return { canary: `${upstream}_canary`, variable: `$${upstream}_pick` };
}
function routeFileText(upstream, header, servers) {
  const { canary, variable } = routeNames(upstream);
  const lines = servers.length > 0 ? servers.map((s) => `    server ${[s.address, ...s.params ?? []].join(" ")};`) : ["    server 127.0.0.1:9 down;"];
  return `# runbook-actions: requests with ${header} reach the canary of upstream ${upstream} (rewritten by each canary)
map ${headerVariable(header)} ${variable} {
    default ${upstream};
    "~." ${canary};
}
upstream ${canary} {
${lines.join("\n")}
}
`;
}

// src/canary/access-log.ts
var LINE = new RegExp(
  `^${ACCESS_LOG_PREFIX} (\\d+(?:\\.\\d+)?) (\\d{3}) (\\d+(?:\\.\\d+)?) "([^"]*)" "([^"]*)" "([^"]*)"$`
);
var ATTEMPT_SEPARATOR = /, | : /;
var listOf = (field) => field.split(ATTEMPT_SEPARATOR).map((s) => s.trim());
var secondsOf = (s) => /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : void 0;
function parseAccessLine(line) {
  const m = LINE.exec(line.trimEnd());
  if (!m) return void 0;
  const [, msec, status, requestTime, addrs, statuses, times] = m;
  const seconds = Number(requestTime);
  const entry = { atMs: Math.round(Number(msec) * 1e3), status: Number(status), seconds };
  if (addrs === "-" || addrs === "") return { ...entry, attempts: [] };
  const a = listOf(addrs);
  const s = listOf(statuses);
  const t = listOf(times);
  if (s.length !== a.length || t.length !== a.length) return void 0;
  const attempts = [];
  for (let i = 0; i < a.length; i++) {
    const st = s[i];
    if (st !== "-" && !/^\d{3}$/.test(st)) return void 0;
    const code = st === "-" ? void 0 : Number(st);
    attempts.push({
      address: a[i],
      status: code,
      seconds: secondsOf(t[i]) ?? seconds,
      error: code === void 0 || code >= 500
    });
  }
  return { ...entry, attempts };
}
function parseAccessLog(text) {
  const entries = [];
  let foreign = 0;
  let firstForeign;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const e = parseAccessLine(line);
    if (e) entries.push(e);
    else {
      foreign++;
      firstForeign ??= line.trimEnd();
    }
  }
  return firstForeign === void 0 ? { entries, foreign } : { entries, foreign, firstForeign };
}
async function accessLogSize(t, path) {
  const r = await t.exec(sizeArgv(path), { quiet: true });
  if (r.code === 0 && /^\d+\s*$/.test(r.stdout)) return Number(r.stdout.trim());
  if (/no such file/i.test(r.stderr)) return void 0;
  throw new Error(`cannot read the size of ${path} on ${t.name}: ${failureText(r)}`);
}
async function readAccessLogSince(t, path, offset) {
  const size = await accessLogSize(t, path);
  if (size === void 0) return { text: "", size: 0, rotated: offset > 0 };
  const rotated = size < offset;
  const from = rotated ? 0 : offset;
  if (size === from) return { text: "", size: from, rotated };
  const r = await t.exec(tailFromArgv(path, from), { quiet: true });
  if (r.code !== 0) throw new Error(`cannot read ${path} on ${t.name}: ${failureText(r)}`);
  const text = r.stdout.slice(0, r.stdout.lastIndexOf("\n") + 1);
  return { text, size: from + Buffer.byteLength(text), rotated };
}
var CHECK_TAIL_BYTES = 16384;
var CHECK_LINES = 50;
function howToAdd(path) {
  return `add \`${ACCESS_LOG_FORMAT}\` to nginx's http block and \`${accessLogDirective(path)}\` to the server that proxies to the upstream, then reload nginx`;
}
async function inspectAccessLog(t, path) {
  try {
    const size = await accessLogSize(t, path);
    if (size === void 0) return { status: "fail", detail: `no access log at ${path}: ${howToAdd(path)}` };
    const r = await t.exec(tailArgv(path, CHECK_TAIL_BYTES), { quiet: true });
    if (r.code !== 0) {
      return {
        status: "fail",
        detail: `${path} is not readable by the deploy user (${failureText(r)}): let it read the log (e.g. the group nginx gives its logs, often adm)`
      };
    }
    const lines = r.stdout.split("\n");
    if (size > CHECK_TAIL_BYTES) lines.shift();
    const last = lines.filter((l) => l.trim() !== "").slice(-CHECK_LINES);
    if (last.length === 0) {
      return {
        status: "warn",
        detail: `${path} is empty: nothing proves it is written as ${ACCESS_LOG_FORMAT_NAME} yet; make sure nginx has \`${ACCESS_LOG_FORMAT}\` and \`${accessLogDirective(path)}\``
      };
    }
    const parsed = parseAccessLog(last.join("\n"));
    if (parsed.foreign === 0) {
      return {
        status: "pass",
        detail: `${path}: the last ${last.length} lines are in the ${ACCESS_LOG_FORMAT_NAME} format`
      };
    }
    const first = (parsed.firstForeign ?? "").slice(0, 200);
    const counted = `${parsed.foreign} of the last ${last.length} lines of ${path} are not in the ${ACCESS_LOG_FORMAT_NAME} format (first: ${first})`;
    if (parseAccessLine(last.at(-1) ?? "") === void 0)
      return { status: "fail", detail: `${counted}: ${howToAdd(path)}` };
    return {
      status: "warn",
      detail: `${counted}; the newest is in the format (older lines written before it was set are harmless)`
    };
  } catch (err) {
    return { status: "fail", detail: errorMessage(err) };
  }
}

export {
  secretValues,
  missingSecretsError,
  maskFileValue,
  readEnvFile,
  containerEnv,
  parseAccessLog,
  accessLogSize,
  readAccessLogSince,
  inspectAccessLog,
  weightedServers,
  stickyDirective,
  routeFileText
};
