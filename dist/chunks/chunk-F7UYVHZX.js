import {
  deployInputs
} from "./chunk-S3IQQOIJ.js";
import {
  defineAction
} from "./chunk-7ZESD2EZ.js";

// src/actions/declare/deploy.ts
var deployAction = defineAction({
  name: "deploy",
  summary: "Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time",
  inputs: deployInputs,
  locks: true,
  main: async (run) => (await import("./deploy-DG2S2QCU.js")).runDeploy(run)
});

export {
  deployAction
};
