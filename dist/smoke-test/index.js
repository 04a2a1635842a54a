import {
  smokeTestAction
} from "../chunks/chunk-ZOQSH7DU.js";
import "../chunks/chunk-EZ2VCDH3.js";
import "../chunks/chunk-C6LFNWKB.js";
import {
  runModule
} from "../chunks/chunk-VTTNFAOL.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KHGS3BYU.js";
import "../chunks/chunk-NSFOPU7S.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/smoke-test.ts
void runModule(smokeTestAction);
