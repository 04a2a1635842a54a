import {
  ConfigError,
  UserError
} from "./chunk-O2HJWNJA.js";

// src/deploy/env-overrides.ts
var STEERING = /^(PATH|HOME|SHELL|IFS|ENV|BASH_ENV|LD_[A-Z0-9_]*|DOCKER_[A-Z0-9_]*|COMPOSE_[A-Z0-9_]*)$/;
function refusedEnvName(config, serviceName, service, name) {
  if (service["secret-env"]?.[name] !== void 0) {
    return `${name} is in services.${serviceName}.secret-env: a secret comes from the runner's environment, never from this input, whose values are printed and journaled`;
  }
  if (name === service["port-env"]) {
    return `${name} is services.${serviceName}.port-env, which gives the app the port the toolkit assigns`;
  }
  if (config.compose && name === config.compose["version-env"]) {
    return `${name} is compose.version-env, which the version input sets`;
  }
  if (STEERING.test(name)) {
    return `${name} steers the shell or the docker and compose tools (PATH, HOME, IFS, ENV, BASH_ENV, SHELL, LD_*, DOCKER_*, COMPOSE_*), not the app`;
  }
  return void 0;
}
function checkEnvOverrides(config, services, overrides) {
  const all = Object.keys(config.services ?? {});
  for (const o of overrides) {
    const at = `input "env" line ${o.line} (${o.service ? `${o.service}.` : ""}${o.name})`;
    if (o.service !== void 0 && !all.includes(o.service)) {
      throw new ConfigError(`${at}: the config has no service ${o.service} (services: ${all.join(", ")})`);
    }
    if (o.service !== void 0 && !services.includes(o.service)) {
      throw new ConfigError(
        `${at}: this run does not deploy ${o.service} (services: ${services.join(", ")}); add it to the services input, or drop the line`
      );
    }
    for (const name of o.service === void 0 ? services : [o.service]) {
      const service = config.services?.[name];
      const why = service && refusedEnvName(config, name, service, o.name);
      if (why) throw new ConfigError(`${at}: ${why}`);
    }
  }
}
function envInForce(config, services, overrides, live, reset) {
  const out = {};
  for (const [name, values] of Object.entries(live?.env ?? {})) {
    if (!config.services?.[name] || reset && services.includes(name)) continue;
    out[name] = { ...values };
  }
  for (const o of overrides) {
    for (const name of o.service === void 0 ? services : [o.service]) {
      out[name] = { ...out[name] ?? {}, [o.name]: o.value };
    }
  }
  for (const name of services) {
    const service = config.services?.[name];
    for (const key of Object.keys(out[name] ?? {})) {
      const why = service && refusedEnvName(config, name, service, key);
      if (why) {
        throw new UserError(
          `${name}: ${key}, set by an earlier release's env input (still in force from ${live?.id ?? "the live release"}), cannot stay: ${why}; deploy with env-reset: true (and the env lines you want kept)`
        );
      }
    }
  }
  for (const [name, values] of Object.entries(out)) if (Object.keys(values).length === 0) delete out[name];
  return out;
}
function envChangesOf(config, services, before, after) {
  const changes = [];
  for (const service of [...services].sort()) {
    const base = config.services?.[service]?.env ?? {};
    const was = before?.[service] ?? {};
    const now = after[service] ?? {};
    for (const name of [.../* @__PURE__ */ new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      const from = was[name] ?? base[name];
      const to = now[name] ?? base[name];
      if (from !== to)
        changes.push({ service, name, ...from === void 0 ? {} : { from }, ...to === void 0 ? {} : { to } });
    }
  }
  return changes;
}
function shown(v) {
  return v === void 0 ? "(unset)" : v === "" ? '""' : v;
}
function envChangeText(c) {
  return `${c.service}.${c.name}: ${shown(c.from)} \u2192 ${shown(c.to)}`;
}
function envPlanLines(config, services, overrides, live, after, changes) {
  const lines = [];
  for (const service of services) {
    const values = after[service] ?? {};
    const names = Object.keys(values).sort();
    if (names.length === 0) continue;
    const base = config.services?.[service]?.env ?? {};
    const set = new Set(overrides.filter((o) => o.service === void 0 || o.service === service).map((o) => o.name));
    const parts = names.map((n) => {
      const from = set.has(n) ? "this deploy" : `carried from ${live?.id ?? "the live release"}`;
      return `${n}=${shown(values[n])} (${from}${base[n] === void 0 ? "" : `; the config says ${shown(base[n])}`})`;
    });
    lines.push(`env of ${service} (the env input, in force until env-reset: true): ${parts.join(", ")}`);
  }
  if (changes.length > 0) lines.push(`env changes: ${changes.map(envChangeText).join("; ")}`);
  return lines;
}

export {
  checkEnvOverrides,
  envInForce,
  envChangesOf,
  envChangeText,
  envPlanLines
};
