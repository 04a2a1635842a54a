import {
  zMatching
} from "./chunk-5V6H6OVK.js";
import {
  zDurationIn
} from "./chunk-BOC5NVEP.js";
import {
  show
} from "./chunk-KPGNJUSS.js";
import {
  NEVER,
  _enum,
  array,
  number,
  string,
  union
} from "./chunk-WNIEMWDA.js";

// src/config/schema-fleet.ts
var ROLE_HELP = 'expected a role name like web or worker (lower-case letters, digits and "-", at most 32)';
var zRole = zMatching(/^[a-z][a-z0-9-]{0,31}$/, ROLE_HELP);
var zRoles = array(zRole, { error: `${ROLE_HELP}, in a list like [web, worker]` }).min(1, { error: "expected at least one role; leave roles out to run every service here" }).refine((roles) => new Set(roles).size === roles.length, { error: "a role is named twice" });
var COUNT_HELP = "expected a number of hosts from 1 to 1000 (like 2) or a percentage of them (like 25%)";
var zHostCount = union([number(), string()], { error: COUNT_HELP }).transform((v, ctx) => {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 1 && v <= 1e3) return { count: v };
  } else {
    const m = /^(\d{1,3})%$/.exec(v.trim());
    const p = m ? Number(m[1]) : Number.NaN;
    if (p >= 1 && p <= 100) return { percent: p };
  }
  ctx.addIssue({ code: "custom", message: `got ${show(v)}: ${COUNT_HELP}` });
  return NEVER;
});
var fleetStrategyKeys = {
  /** Hosts that deploy at once (default 1: one host after another). */
  "batch-size": zHostCount.optional(),
  /** Hosts that may be changing (out of full service) at once: the same as batch-size, said the other way. */
  "max-unavailable": zHostCount.optional(),
  /** When a host fails: roll back the hosts already switched (default), or leave every host as it is. */
  "on-failure": _enum(["rollback", "pause"], { error: "expected rollback or pause" }).default("rollback"),
  /** The longest one host may take for its part of a release, from 10s to 6h (then it counts as failed). */
  "host-timeout": zDurationIn(1e4, 6 * 36e5).default(9e5)
};
function batchSizeOf(size, hosts) {
  if (hosts <= 0) return 0;
  if (!size) return 1;
  const n = "count" in size ? size.count : Math.ceil(size.percent / 100 * hosts);
  return Math.max(1, Math.min(hosts, n));
}
function checkRoles(config, ctx) {
  for (const [envName, env] of Object.entries(config.environments)) {
    const played = new Set(env.targets.flatMap((t) => t.roles ?? []));
    const unroled = env.targets.some((t) => t.roles === void 0);
    for (const [name, service] of Object.entries(config.services ?? {})) {
      if (!service.roles || unroled || service.roles.some((r) => played.has(r))) continue;
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "roles"],
        message: `no target of environment ${envName} plays ${service.roles.join(" or ")} (its roles: ${[...played].join(", ") || "none"}), so ${name} would run nowhere there`
      });
    }
  }
}
function runsOn(target, service) {
  if (!target.roles || !service?.roles) return true;
  return service.roles.some((r) => target.roles?.includes(r));
}
function checkLoadBalancer(config, ctx) {
  for (const [envName, env] of Object.entries(config.environments)) {
    const lb = env["load-balancer"];
    if (lb === void 0) continue;
    const path = ["environments", envName, "load-balancer"];
    const target = env.targets.find((t) => t.name === lb);
    const issue = (message) => ctx.addIssue({ code: "custom", path, message });
    if (!target) issue(`unknown target ${JSON.stringify(lb)} (targets: ${env.targets.map((t) => t.name).join(", ")})`);
    else if (target.kind === "docker")
      issue(`target ${lb} is a docker: target; the load balancer's nginx needs a shell: use an ssh or local target`);
    if (config.strategy.proxy === void 0)
      issue("a load balancer moves traffic through strategy.proxy.nginx (its files on that target): set it");
    if (config.strategy.type === "canary")
      issue("strategy canary measures each host\u2019s own nginx; with load-balancer use rolling, recreate or blue-green");
    if (config.strategy.driver === "swarm")
      issue("driver swarm fronts its tasks from the manager\u2019s nginx; leave load-balancer out");
    for (const [name, service] of Object.entries(config.services ?? {})) {
      if (service["host-ports"] === void 0 || service.network === "host") continue;
      ctx.addIssue({
        code: "custom",
        path: ["services", name, "network"],
        message: `${service.network ?? "bridge"}: environment ${envName} has load-balancer ${lb}, which reaches each host's replicas at the host's address, and a bridge container's port is published on 127.0.0.1 only: use network: host with the app listening on that address (BIND: 0.0.0.0 or the address)`
      });
    }
  }
}

export {
  zRoles,
  fleetStrategyKeys,
  batchSizeOf,
  checkRoles,
  runsOn,
  checkLoadBalancer
};
