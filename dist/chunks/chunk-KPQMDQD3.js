import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  commonInputs
} from "./chunk-AFSPUNXI.js";
import {
  zOneOf
} from "./chunk-EEFGFWLT.js";

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
