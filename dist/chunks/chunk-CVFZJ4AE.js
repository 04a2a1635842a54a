import {
  backupAction,
  backupListAction,
  backupRestoreAction,
  backupVerifyAction
} from "./chunk-7J3NUB6S.js";
import {
  deployAction
} from "./chunk-NUFYJSJA.js";
import {
  migrateAction
} from "./chunk-VWSSEVKN.js";
import {
  pipelineAction
} from "./chunk-Q4EA3GS7.js";
import {
  preDeployCheckAction
} from "./chunk-NYUCZDQD.js";
import {
  rollbackAction
} from "./chunk-VKK34JUV.js";
import {
  smokeTestAction
} from "./chunk-LOSB2REF.js";
import {
  defineAction
} from "./chunk-VXBCIWLC.js";
import {
  commonInputs
} from "./chunk-43ODFOUM.js";
import {
  _minLength,
  string
} from "./chunk-ZU4VYLSK.js";

// src/inputs/status.ts
var statusInputs = { ...commonInputs };
var unlockInputs = {
  ...commonInputs,
  reason: {
    description: "Why the lock is removed (logged with the lease it removes)",
    required: true,
    schema: string().check(_minLength(3, "expected a short reason"))
  }
};

// src/actions/declare/status.ts
var statusAction = defineAction({
  name: "status",
  summary: "Show the deploy lock and the journal of an environment",
  inputs: statusInputs,
  cliOnly: true,
  main: async (run) => (await import("./status-RAJPSQGM.js")).runStatus(run)
});
var unlockAction = defineAction({
  name: "unlock",
  summary: 'Remove a stale deploy lock (--input reason="\u2026")',
  inputs: unlockInputs,
  cliOnly: true,
  main: async (run) => (await import("./status-RAJPSQGM.js")).runUnlock(run)
});

// src/actions/catalog.ts
var actionModules = [
  preDeployCheckAction,
  backupAction,
  migrateAction,
  deployAction,
  smokeTestAction,
  rollbackAction,
  pipelineAction,
  backupListAction,
  backupVerifyAction,
  backupRestoreAction,
  statusAction,
  unlockAction
];

export {
  actionModules
};
