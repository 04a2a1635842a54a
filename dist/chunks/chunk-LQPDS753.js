import {
  backupAction,
  backupListAction,
  backupRestoreAction,
  backupVerifyAction
} from "./chunk-33WOOZBP.js";
import {
  deployAction
} from "./chunk-F7UYVHZX.js";
import {
  migrateAction
} from "./chunk-7MJRWAFV.js";
import {
  pipelineAction
} from "./chunk-ZLA37E4Q.js";
import {
  preDeployCheckAction
} from "./chunk-KPQMDQD3.js";
import {
  rollbackAction
} from "./chunk-WS5LUK7G.js";
import {
  smokeTestAction
} from "./chunk-AQORQSBE.js";
import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  commonInputs
} from "./chunk-AFSPUNXI.js";
import {
  _minLength,
  string
} from "./chunk-EEFGFWLT.js";

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
