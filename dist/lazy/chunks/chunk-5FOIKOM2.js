import {
  readText
} from "./chunk-CNIHXAAR.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";

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

export {
  secretValues,
  missingSecretsError,
  maskFileValue,
  readEnvFile,
  containerEnv
};
