import {
  rollbackAction
} from "../chunks/chunk-UT6ZMSQZ.js";
import "../chunks/chunk-7QHBUFXW.js";
import "../chunks/chunk-WERD35OI.js";
import {
  runModule
} from "../chunks/chunk-WZYS4BDZ.js";
import "../chunks/chunk-ZAXDUBHX.js";
import "../chunks/chunk-LRJ3BEBI.js";
import "../chunks/chunk-Y2KLBDD2.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-IILPN5PE.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-NSFOPU7S.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/rollback.ts
void runModule(rollbackAction);
