import {
  VERSION
} from "./chunk-U2VVFE3Q.js";
import {
  defineAction
} from "./chunk-VXBCIWLC.js";
import {
  backupIdInput,
  commonInputs,
  lockWaitInput
} from "./chunk-43ODFOUM.js";
import {
  zBool,
  zPattern
} from "./chunk-ZU4VYLSK.js";

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
  main: async (run) => (await import("./migrate-6QXRB2FU.js")).runMigrate(run)
});

export {
  migrateAction
};
