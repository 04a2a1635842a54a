import {
  migrateAction
} from "../chunks/chunk-P6HUBPHI.js";
import "../chunks/chunk-5QZLMGIX.js";
import "../chunks/chunk-OIKVGFIT.js";
import "../chunks/chunk-GSVFRHZU.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-EQGOWHZM.js";
import "../chunks/chunk-2F3BIGMF.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-Q672BN7X.js";
import {
  runModule
} from "../chunks/chunk-LIKEEWR3.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-M4RZR5BD.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/migrate.ts
void runModule(migrateAction);
