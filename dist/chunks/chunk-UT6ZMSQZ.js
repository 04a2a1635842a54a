import {
  rollbackInputs
} from "./chunk-7QHBUFXW.js";
import {
  defineAction
} from "./chunk-WZYS4BDZ.js";

// src/actions/declare/rollback.ts
var rollbackAction = defineAction({
  name: "rollback",
  summary: "Restore a recorded release (default: the one before the live one): image, traffic, migration, database",
  inputs: rollbackInputs,
  locks: true,
  main: async (run) => (await import("./rollback-OHIEIIQP.js")).runRollback(run)
});

export {
  rollbackAction
};
