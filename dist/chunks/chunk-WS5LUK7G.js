import {
  rollbackInputs
} from "./chunk-SFG5PLTG.js";
import {
  defineAction
} from "./chunk-7ZESD2EZ.js";

// src/actions/declare/rollback.ts
var rollbackAction = defineAction({
  name: "rollback",
  summary: "Restore a recorded release (default: the one before the live one): image, traffic, migration, database",
  inputs: rollbackInputs,
  locks: true,
  main: async (run) => (await import("./rollback-AI54RT2D.js")).runRollback(run)
});

export {
  rollbackAction
};
