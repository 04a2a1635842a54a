import {
  VERSION
} from "./chunk-BN22XYZ6.js";
import {
  defineAction
} from "./chunk-WZYS4BDZ.js";
import {
  backupIdInput,
  commonInputs,
  lockWaitInput
} from "./chunk-LRJ3BEBI.js";
import {
  zBool,
  zPattern
} from "./chunk-Y2KLBDD2.js";

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
