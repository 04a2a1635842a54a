import {
  preDeployCheckAction
} from "../chunks/chunk-6NKED5HQ.js";
import "../chunks/chunk-FF5JMVUH.js";
import "../chunks/chunk-2F3BIGMF.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-Q672BN7X.js";
import "../chunks/chunk-C6LFNWKB.js";
import {
  runModule
} from "../chunks/chunk-LIKEEWR3.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-M4RZR5BD.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/entrypoints/pre-deploy-check.ts
void runModule(preDeployCheckAction);
