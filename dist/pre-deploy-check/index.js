import {
  preDeployCheckAction
} from "../chunks/chunk-KPQMDQD3.js";
import {
  runModule
} from "../chunks/chunk-7ZESD2EZ.js";
import "../chunks/chunk-ZAXDUBHX.js";
import "../chunks/chunk-AFSPUNXI.js";
import "../chunks/chunk-EEFGFWLT.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-IILPN5PE.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-NSFOPU7S.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/pre-deploy-check.ts
void runModule(preDeployCheckAction);
