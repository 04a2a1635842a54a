import {
  deployInputs
} from "./chunk-S3IQQOIJ.js";
import {
  zScope
} from "./chunk-SFG5PLTG.js";
import {
  ROLLBACK_SCOPES
} from "./chunk-WERD35OI.js";
import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  commonInputs,
  lockWaitInput,
  registryInputs
} from "./chunk-AFSPUNXI.js";
import {
  zBool,
  zOneOf
} from "./chunk-EEFGFWLT.js";

// src/inputs/pipeline.ts
var pipelineInputs = {
  ...commonInputs,
  version: deployInputs.version,
  services: deployInputs.services,
  strategy: deployInputs.strategy,
  "lock-wait": lockWaitInput,
  ...registryInputs,
  "fail-on": {
    description: 'Stop before any change when the pre-deploy check finds an "error" (or a "warning" too)',
    default: "error",
    schema: zOneOf(["error", "warning"], "expected error or warning")
  },
  rollback: {
    description: "Roll back automatically when migrate, deploy or the smoke test fails",
    default: "true",
    schema: zBool
  },
  "rollback-scope": {
    description: `What the automatic rollback restores, comma-separated (${ROLLBACK_SCOPES.join(", ")}); database also needs restore-database`,
    default: "image,migration",
    schema: zScope
  },
  "restore-database": {
    description: "Allow the automatic rollback to restore the pre-deploy backup (scope database); loses later writes",
    default: "false",
    schema: zBool
  }
};

// src/actions/declare/pipeline.ts
var pipelineAction = defineAction({
  name: "pipeline",
  summary: "The whole pipeline (the root action): check, backup, migrate, deploy, smoke test; rollback on failure",
  inputs: pipelineInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./pipeline-RMXXPQEX.js")).runPipeline(run)
});

export {
  pipelineAction
};
