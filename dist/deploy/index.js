import {
  deployAction
} from "../chunks/chunk-NUFYJSJA.js";
import "../chunks/chunk-U2VVFE3Q.js";
import {
  runModule
} from "../chunks/chunk-VXBCIWLC.js";
import "../chunks/chunk-NI7KQQKF.js";
import "../chunks/chunk-43ODFOUM.js";
import "../chunks/chunk-ZU4VYLSK.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-IILPN5PE.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-NSFOPU7S.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/deploy.ts
void runModule(deployAction);
