import {
  restoreBackup,
  reverifyBackup
} from "../chunks/chunk-XO6OEBEV.js";
import {
  pinnedByJournal
} from "../chunks/chunk-U5C4WMGE.js";
import {
  formatBytes
} from "../chunks/chunk-X4UYGBBN.js";
import "../chunks/chunk-4JMFLAWY.js";
import {
  backupSiteOf
} from "../chunks/chunk-XOMS26GA.js";
import "../chunks/chunk-NJUICJBY.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  formatDuration
} from "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  ConfigError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/backup-cli.ts
function backupTable(backups, now, pinned) {
  const header = `${"ID".padEnd(52)} ${"VERIFIED".padEnd(16)} ${"SIZE".padStart(10)}  ${"AGE".padEnd(8)} NOTE`;
  return [
    header,
    ...backups.map((b) => {
      const verified = b.verified ? `yes (${b.verifyMethod})` : "NO";
      const age = formatDuration(now.getTime() - Date.parse(b.created));
      const release = pinned.get(b.id);
      const note = [release ? `kept: named by ${release}` : "", b.error ?? ""].filter((x) => x).join("; ");
      return `${b.id.padEnd(52)} ${verified.padEnd(16)} ${formatBytes(b.size).padStart(10)}  ${age.padEnd(8)} ${note}`;
    })
  ];
}
async function runBackupList(ctx) {
  const site = await backupSiteOf(await ctx.session(), ctx);
  const { backups, problems } = await site.store.list();
  for (const p of problems) ctx.log.warn(p);
  const pinned = await site.journal.read().then(pinnedByJournal, (err) => {
    ctx.log.warn(`cannot read the journal: ${errorMessage(err)}`);
    return /* @__PURE__ */ new Map();
  });
  ctx.log.info(
    `${backups.length} backup${backups.length === 1 ? "" : "s"} of ${site.config.app}/${site.environment} in ${site.store.dir}:`
  );
  for (const line of backupTable(backups, ctx.clock.now(), pinned)) ctx.log.info(line);
  ctx.runner.setOutput("backups", JSON.stringify(backups));
}
async function runBackupVerify(ctx) {
  const { inputs } = ctx;
  const site = await backupSiteOf(await ctx.session(), ctx);
  const meta = await site.store.find(inputs.id);
  const method = site.backup.verify;
  const good = await ctx.log.group(
    `Verify ${meta.id} (${method})`,
    () => reverifyBackup({ pg: site.pg, store: site.store, clock: ctx.clock }, meta, method)
  );
  ctx.log.info(`backup ${good.id} is verified (${method})`);
  ctx.runner.setOutput("verified", "true");
}
async function runBackupRestore(ctx) {
  const { inputs } = ctx;
  const site = await backupSiteOf(await ctx.session(), ctx);
  const database = site.database.name;
  if (inputs.confirm !== database) {
    throw new ConfigError(
      `refusing to restore: the restore replaces the contents of database ${database}; confirm with --confirm ${database}`
    );
  }
  const meta = await site.store.find(inputs.id);
  await (await ctx.session()).lock(ctx, inputs["lock-wait"]);
  const { pg, store, backup } = site;
  const result = await restoreBackup({ pg, store, clock: ctx.clock, onCleanup: ctx.onCleanup }, meta, {
    format: backup.format,
    gzip: backup.gzip,
    verify: backup.verify,
    tag: "pre-restore",
    gitSha: ctx.runner.env.GITHUB_SHA
  });
  for (const d of result.differences) ctx.log.warn(`after the restore: ${d}`);
  ctx.log.info(`restored ${meta.id} into ${database}; the state before is in ${result.safety.meta.id}`);
  ctx.runner.setOutput("restored-id", meta.id);
  ctx.runner.setOutput("safety-backup-id", result.safety.meta.id);
}
export {
  backupTable,
  runBackupList,
  runBackupRestore,
  runBackupVerify
};
