import {
  ConfigError
} from "./chunk-O2HJWNJA.js";

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
  return driver === "engine" || strategy !== void 0 && strategy !== "recreate";
}

export {
  isProgressive,
  driverOf,
  resolveStrategy,
  usesEngine
};
