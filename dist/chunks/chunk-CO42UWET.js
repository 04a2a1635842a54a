import {
  deployInputs
} from "./chunk-BN22XYZ6.js";
import {
  defineAction
} from "./chunk-WZYS4BDZ.js";

// src/actions/declare/deploy.ts
var deployAction = defineAction({
  name: "deploy",
  summary: "Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time",
  inputs: deployInputs,
  locks: true,
  main: async (run) => (await import("./deploy-5ZINJPL2.js")).runDeploy(run)
});

export {
  deployAction
};
