import {
  rollbackAction
} from "../chunks/chunk-WS5LUK7G.js";
import "../chunks/chunk-SFG5PLTG.js";
import "../chunks/chunk-WERD35OI.js";
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

// src/entrypoints/rollback.ts
void runModule(rollbackAction);
