import {
  backupAction
} from "../chunks/chunk-6NKMO2RQ.js";
import "../chunks/chunk-NGCOOPYN.js";
import "../chunks/chunk-GSVFRHZU.js";
import "../chunks/chunk-EQGOWHZM.js";
import "../chunks/chunk-2F3BIGMF.js";
import "../chunks/chunk-Q672BN7X.js";
import {
  runModule
} from "../chunks/chunk-LIKEEWR3.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-M4RZR5BD.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/backup.ts
void runModule(backupAction);
