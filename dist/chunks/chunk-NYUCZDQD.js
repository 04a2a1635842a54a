import {
  defineAction
} from "./chunk-VXBCIWLC.js";
import {
  commonInputs
} from "./chunk-43ODFOUM.js";
import {
  zOneOf
} from "./chunk-ZU4VYLSK.js";

// src/inputs/pre-deploy-check.ts
var preDeployCheckInputs = {
  ...commonInputs,
  "fail-on": {
    description: 'Fail the step on "error" (failed checks) or on "warning" (warnings too)',
    default: "error",
    schema: zOneOf(["error", "warning"], "expected error or warning")
  }
};

// src/actions/declare/pre-deploy-check.ts
var preDeployCheckAction = defineAction({
  name: "pre-deploy-check",
  summary: "Check config, hosts (reachable, disk, docker, compose), secrets and deploy windows",
  inputs: preDeployCheckInputs,
  main: async (run) => (await import("./pre-deploy-check-MMJ5UODU.js")).runPreDeployCheck(run)
});

export {
  preDeployCheckAction
};
