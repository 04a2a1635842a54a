import {
  smokeTestAction
} from "../chunks/chunk-LKKLH5AR.js";
import "../chunks/chunk-OYCA3NQ4.js";
import "../chunks/chunk-C6LFNWKB.js";
import {
  runModule
} from "../chunks/chunk-LIKEEWR3.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-M4RZR5BD.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/smoke-test.ts
void runModule(smokeTestAction);
