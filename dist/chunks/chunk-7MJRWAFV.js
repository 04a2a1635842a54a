import {
  VERSION
} from "./chunk-S3IQQOIJ.js";
import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  backupIdInput,
  commonInputs,
  lockWaitInput
} from "./chunk-AFSPUNXI.js";
import {
  zBool,
  zPattern
} from "./chunk-EEFGFWLT.js";

// src/inputs/migrate.ts
var migrateInputs = {
  ...commonInputs,
  "backup-id": backupIdInput,
  "allow-without-backup": {
    description: "Run without a verified backup (not recommended)",
    default: "false",
    schema: zBool
  },
  version: {
    description: "The image tag to run the tool from, when migrate.service names a service of the engine driver",
    schema: zPattern(VERSION, 'expected an image tag: letters, digits, "_", "." and "-", at most 128')
  },
  "lock-wait": lockWaitInput
};

// src/actions/declare/migrate.ts
var migrateAction = defineAction({
  name: "migrate",
  summary: "Run schema migrations after a verified backup, with bounded locks (dry run: the SQL and warnings)",
  inputs: migrateInputs,
  locks: true,
  main: async (run) => (await import("./migrate-N6RISU5J.js")).runMigrate(run)
});

export {
  migrateAction
};
