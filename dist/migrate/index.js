import {
  migrateAction
} from "../chunks/chunk-FAG2RSYD.js";
import "../chunks/chunk-TD2WTOR5.js";
import "../chunks/chunk-6EBIJDNJ.js";
import "../chunks/chunk-7XU3KBJW.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-EQGOWHZM.js";
import "../chunks/chunk-FIBCOFHX.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-Q672BN7X.js";
import {
  runModule
} from "../chunks/chunk-VTTNFAOL.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KHGS3BYU.js";
import "../chunks/chunk-NSFOPU7S.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/migrate.ts
void runModule(migrateAction);
