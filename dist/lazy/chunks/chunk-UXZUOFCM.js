import {
  ConfigError
} from "./chunk-O2HJWNJA.js";

// src/deploy/swarm/config-check.ts
function portsNeeded(replicas) {
  return 2 * replicas;
}
function swarmConfigProblems(config, strategy) {
  const out = [];
  if (strategy !== "rolling") {
    out.push(
      `strategy ${strategy} with strategy.driver swarm: Swarm replaces a service's tasks itself, in a rolling update (strategy.swarm.order start-first or stop-first, parallelism, delay); use strategy.type rolling`
    );
  }
  const nginx = config.strategy.proxy?.nginx;
  const names = Object.keys(config.services ?? {});
  const fronted = nginx ? nginx.service ?? names[0] : void 0;
  for (const [name, s] of Object.entries(config.services ?? {})) {
    const key = `services.${name}`;
    if (s.network !== "host") {
      out.push(
        `${key}.network is ${s.network}: the swarm driver runs every task on the host network, each on its own port from host-ports (told in ${s["port-env"]}), so nginx reaches each task directly; set network: host`
      );
    }
    const range = s["host-ports"];
    if (!range && (name === fronted || s.health?.http)) {
      out.push(
        `${key}.host-ports is not set: ${name === fronted ? "the service behind nginx" : "an HTTP health check"} needs each task's port; set a range of at least ${portsNeeded(s.replicas)} ports (2 \xD7 replicas), like 18000-${18e3 + portsNeeded(s.replicas) - 1}`
      );
    } else if (range && range[1] - range[0] + 1 < portsNeeded(s.replicas)) {
      out.push(
        `${key}.host-ports ${range[0]}-${range[1]} has ${range[1] - range[0] + 1} ports; with ${s.replicas} replicas the swarm driver needs at least ${portsNeeded(s.replicas)} (2 \xD7 replicas): an update starts its tasks on ports the running ones do not hold`
      );
    }
    for (const h of s["extra-hosts"] ?? []) {
      if (h.endsWith(":host-gateway")) {
        out.push(
          `${key}.extra-hosts ${h}: host-gateway is the bridge's gateway, and swarm tasks run on the host network (the host is 127.0.0.1 there); give an address`
        );
      }
    }
    for (const v of Object.keys(s["secret-env"] ?? {})) {
      if (s.env?.[`${v}_FILE`] !== void 0) {
        out.push(
          `${key}.env.${v}_FILE is set, but the swarm driver sets it to /run/secrets/${v} (the Swarm secret of secret-env ${v}); remove it from env`
        );
      }
    }
  }
  return out;
}

// src/deploy/strategy.ts
function isProgressive(strategy) {
  return strategy === "blue-green" || strategy === "canary";
}
function driverOf(config) {
  return config.strategy.driver ?? (config.compose ? "compose" : "engine");
}
function resolveStrategy(config, input) {
  const strategy = input ?? config.strategy.type;
  if (isProgressive(strategy) && !config.strategy.proxy) {
    throw new ConfigError(`strategy ${strategy} switches traffic, so it needs strategy.proxy: { nginx: \u2026 }`);
  }
  if (strategy === "canary" && !config.strategy.canary) {
    throw new ConfigError(
      "strategy canary needs strategy.canary: { access-log: \u2026, steps: [\u2026], gates: {\u2026} } (at least what measures it)"
    );
  }
  const driver = driverOf(config);
  if (driver === "swarm") {
    const problems = swarmConfigProblems(config, strategy);
    if (problems.length > 0) throw new ConfigError(problems.join("; "));
  }
  if (driver === "compose" && !config.compose) {
    throw new ConfigError(
      "strategy.driver compose runs the compose CLI, so it needs a compose section: compose: { directory: \u2026 }"
    );
  }
  if (driver === "compose") {
    const ignored = Object.entries(config.services ?? {}).flatMap(
      ([name, service]) => ENGINE_ONLY.filter((key) => service[key] !== void 0).map((key) => `services.${name}.${key}`)
    );
    if (ignored.length > 0) {
      throw new ConfigError(
        `${ignored.join(", ")} ${ignored.length > 1 ? "are" : "is"} for the engine driver, which creates the containers itself; with the compose driver the compose file says how its containers run: write it there, or use strategy.driver: engine`
      );
    }
  }
  return { strategy, driver };
}
var ENGINE_ONLY = [
  "secret-env",
  "env-file",
  "volumes",
  "networks",
  "labels",
  "user",
  "memory",
  "cpus",
  "log",
  "extra-hosts"
];
function usesEngine(driver, strategy) {
  return driver !== "compose" || strategy !== void 0 && strategy !== "recreate";
}

export {
  isProgressive,
  driverOf,
  resolveStrategy,
  usesEngine
};
