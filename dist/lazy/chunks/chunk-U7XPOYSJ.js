import {
  zFraction,
  zInt
} from "./chunk-5V6H6OVK.js";
import {
  zDurationIn
} from "./chunk-BOC5NVEP.js";
import {
  _enum,
  strictObject
} from "./chunk-WNIEMWDA.js";

// src/config/schema-swarm.ts
var swarmSchema = strictObject({
  /** Tasks replaced at once (Swarm's update parallelism). */
  parallelism: zInt(1, 100).default(1),
  /** Pause between two batches of tasks. */
  delay: zDurationIn(0, 36e5).default(5e3),
  /** start-first: the new task runs (healthy) before the old one stops; stop-first: the old one stops first. */
  order: _enum(["start-first", "stop-first"], { error: "expected start-first or stop-first" }).default("start-first"),
  /** When a task of the update fails: rollback (Swarm goes back to the previous spec) or pause (it stops there). */
  "failure-action": _enum(["rollback", "pause"], { error: "expected rollback or pause" }).default("rollback"),
  /** How long Swarm watches each updated task for a failure before it counts the task as updated. */
  monitor: zDurationIn(1e3, 36e5).default(15e3),
  /** The share of failed tasks an update tolerates (0: the first failure is enough). */
  "max-failure-ratio": zFraction.default(0),
  /** The longest the deploy waits for the service to converge (every task of the release running and healthy). */
  "converge-timeout": zDurationIn(1e4, 6 * 36e5).default(6e5)
});
function swarmSettings(strategy) {
  return strategy.swarm ?? swarmSchema.parse({});
}
function checkSwarmTargets(config, ctx) {
  if (config.strategy.driver !== "swarm") return;
  for (const [envName, env] of Object.entries(config.environments)) {
    if (env.targets.length <= 1) continue;
    ctx.addIssue({
      code: "custom",
      path: ["environments", envName, "targets"],
      message: `got ${env.targets.length} targets (${env.targets.map((t) => t.name).join(", ")}) with strategy.driver swarm, expected one: the swarm manager (Swarm places the tasks on its nodes); give the manager alone`
    });
  }
}

export {
  swarmSchema,
  swarmSettings,
  checkSwarmTargets
};
