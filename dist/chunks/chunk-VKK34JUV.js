import {
  rollbackInputs
} from "./chunk-VB3YWFPH.js";
import {
  defineAction
} from "./chunk-VXBCIWLC.js";

// src/actions/declare/rollback.ts
var rollbackAction = defineAction({
  name: "rollback",
  summary: "Restore a recorded release (default: the one before the live one): image, traffic, migration, database",
  inputs: rollbackInputs,
  locks: true,
  main: async (run) => (await import("./rollback-QJJOV2BN.js")).runRollback(run)
});

export {
  rollbackAction
};
