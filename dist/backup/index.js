import {
  backupAction
} from "../chunks/chunk-7J3NUB6S.js";
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

// src/entrypoints/backup.ts
void runModule(backupAction);
