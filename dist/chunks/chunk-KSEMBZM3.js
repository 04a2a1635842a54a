import {
  backupAction,
  backupListAction,
  backupRestoreAction,
  backupVerifyAction
} from "./chunk-JZKBKGXD.js";
import {
  deployAction
} from "./chunk-CO42UWET.js";
import {
  migrateAction
} from "./chunk-3ZYQI2W7.js";
import {
  pipelineAction
} from "./chunk-HKGKQLT4.js";
import {
  preDeployCheckAction
} from "./chunk-CGXDC7KI.js";
import {
  rollbackAction
} from "./chunk-UT6ZMSQZ.js";
import {
  smokeTestAction
} from "./chunk-TLWOIYHB.js";
import {
  defineAction
} from "./chunk-WZYS4BDZ.js";
import {
  commonInputs
} from "./chunk-LRJ3BEBI.js";
import {
  _minLength,
  string
} from "./chunk-Y2KLBDD2.js";

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
  main: async (run) => (await import("./status-OHLSPBA5.js")).runStatus(run)
});
var unlockAction = defineAction({
  name: "unlock",
  summary: 'Remove a stale deploy lock (--input reason="\u2026")',
  inputs: unlockInputs,
  cliOnly: true,
  main: async (run) => (await import("./status-OHLSPBA5.js")).runUnlock(run)
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
