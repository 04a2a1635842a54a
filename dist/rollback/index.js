import {
  rollbackAction
} from "../chunks/chunk-NCNLBJHD.js";
import "../chunks/chunk-NN7JNOSE.js";
import "../chunks/chunk-ZSREEMWW.js";
import "../chunks/chunk-6EBIJDNJ.js";
import "../chunks/chunk-7XU3KBJW.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-EQGOWHZM.js";
import "../chunks/chunk-FIBCOFHX.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-Q672BN7X.js";
import "../chunks/chunk-ZOQSH7DU.js";
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

// src/entrypoints/rollback.ts
void runModule(rollbackAction);
