import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  commonInputs,
  zBackupId
} from "./chunk-AFSPUNXI.js";
import {
  zText
} from "./chunk-EEFGFWLT.js";

// src/inputs/backup.ts
var backupInputs = {
  ...commonInputs,
  download: {
    description: "Also stream the backup to this path on the runner (a file, or a directory to keep its name), e.g. for actions/upload-artifact; its sha256 is checked",
    schema: zText((v) => !v.includes("\0") && !v.includes("\n"), "expected a file path")
  }
};
var backupListInputs = { ...commonInputs };
var backupVerifyInputs = {
  ...commonInputs,
  id: { description: "The backup to verify", required: true, schema: zBackupId }
};
var backupRestoreInputs = {
  ...commonInputs,
  id: { description: "The backup to restore", required: true, schema: zBackupId },
  confirm: {
    description: "The configured database name, typed again: the restore replaces its contents",
    required: true,
    schema: zText(() => true, "expected text")
  }
};

// src/actions/declare/backup.ts
var backupAction = defineAction({
  name: "backup",
  summary: "Back up the database (pg_dump), prove it restorable, record it, apply retention",
  inputs: backupInputs,
  main: async (run) => (await import("./backup-M35W4ECG.js")).runBackup(run)
});
var backupListAction = defineAction({
  name: "backup-list",
  summary: "List the backups of an environment (runbook backup list): verified, size, age",
  inputs: backupListInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli-4AEJILOC.js")).runBackupList(run)
});
var backupVerifyAction = defineAction({
  name: "backup-verify",
  summary: "Verify a backup again: runbook backup verify <id> (sha256, then restore or list)",
  inputs: backupVerifyInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli-4AEJILOC.js")).runBackupVerify(run)
});
var backupRestoreAction = defineAction({
  name: "backup-restore",
  summary: "Restore a backup over the database: runbook backup restore <id> --confirm <database>",
  inputs: backupRestoreInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli-4AEJILOC.js")).runBackupRestore(run)
});

export {
  backupAction,
  backupListAction,
  backupVerifyAction,
  backupRestoreAction
};
