import {
  defineAction
} from "./chunk-WZYS4BDZ.js";
import {
  commonInputs
} from "./chunk-LRJ3BEBI.js";
import {
  zOneOf
} from "./chunk-Y2KLBDD2.js";

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
  main: async (run) => (await import("./pre-deploy-check-5HJT3EWR.js")).runPreDeployCheck(run)
});

export {
  preDeployCheckAction
};
