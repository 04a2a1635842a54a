import {
  deployInputs
} from "./chunk-U2VVFE3Q.js";
import {
  defineAction
} from "./chunk-VXBCIWLC.js";

// src/actions/declare/deploy.ts
var deployAction = defineAction({
  name: "deploy",
  summary: "Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time",
  inputs: deployInputs,
  locks: true,
  main: async (run) => (await import("./deploy-76OXSE2Z.js")).runDeploy(run)
});

export {
  deployAction
};
