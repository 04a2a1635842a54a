import {
  applyRetention,
  pinnedByJournal
} from "../chunks/chunk-U5C4WMGE.js";
import {
  createBackup,
  formatBytes
} from "../chunks/chunk-X4UYGBBN.js";
import "../chunks/chunk-4JMFLAWY.js";
import {
  backupSections,
  backupSiteOf,
  endpointOf,
  pgDumpCommand,
  runTag
} from "../chunks/chunk-XOMS26GA.js";
import "../chunks/chunk-NJUICJBY.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  buildSummary,
  inline
} from "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/backup/download.ts
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
async function downloadDestination(dest, file) {
  if (dest.endsWith("/")) return join(dest, file);
  const s = await stat(dest).catch(() => void 0);
  return s?.isDirectory() ? join(dest, file) : dest;
}
async function downloadBackup(t, remotePath, meta, dest, signal) {
  const path = await downloadDestination(dest, meta.file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    }
  });
  try {
    const source = await t.download(remotePath);
    await pipeline(source, tap, createWriteStream(tmp, { flags: "wx", mode: 384 }), { signal });
    const sha256 = hash.digest("hex");
    if (sha256 !== meta.sha256 || bytes !== meta.size) {
      throw new UserError(
        `the downloaded backup does not match its metadata (sha256 ${sha256}, ${bytes} bytes; expected ${meta.sha256}, ${meta.size} bytes)`
      );
    }
    await rename(tmp, path);
    return path;
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError(`could not download ${remotePath} from ${t.name} to ${path}: ${err.message}`);
  }
}

// src/actions/backup.ts
async function runBackup(ctx) {
  const { log, runner, clock, inputs } = ctx;
  const session = await ctx.session();
  if (inputs["dry-run"]) {
    const { config } = session;
    const { database, backup: backup2 } = backupSections(config);
    const dump = pgDumpCommand(endpointOf(config, database), `${backup2.directory}/<temp file>`, backup2);
    log.info("Plan (dry run: nothing is changed, no connection is opened):");
    log.info(`  on the first target of ${inputs.environment}: ${dump.argv.join(" ")}`);
    log.info(`  verify: ${backup2.verify}; retention: ${JSON.stringify(backup2.retention)}`);
    return;
  }
  const site = await backupSiteOf(session, ctx);
  const { pg, store, backup } = site;
  const result = await log.group(
    `Backup of ${site.database.name} on ${pg.t.name}`,
    () => createBackup(
      { pg, store, clock, onCleanup: ctx.onCleanup },
      {
        format: backup.format,
        gzip: backup.gzip,
        verify: backup.verify,
        tag: runTag(runner.env),
        gitSha: runner.env.GITHUB_SHA
      }
    )
  );
  const { meta, path } = result;
  runner.setOutput("backup-id", meta.id);
  runner.setOutput("path", path);
  runner.setOutput("sha256", meta.sha256);
  runner.setOutput("size-bytes", String(meta.size));
  runner.setOutput("verified", String(meta.verified));
  log.info(`backup ${meta.id} is verified (${meta.verifyMethod}): ${path}`);
  let downloaded;
  if (inputs.download !== void 0) {
    const dest = inputs.download;
    downloaded = await log.group("Download to the runner", () => downloadBackup(pg.t, path, meta, dest, ctx.signal));
    log.info(`downloaded to ${downloaded} (sha256 checked)`);
  }
  const decision = await log.group("Retention", async () => {
    try {
      const pinned = pinnedByJournal(await site.journal.read());
      return await applyRetention(store, backup.retention, pinned, log);
    } catch (err) {
      log.warn(`retention skipped: ${errorMessage(err)}`);
      return void 0;
    }
  });
  await runner.appendSummary(backupSummary(meta, path, downloaded, decision));
}
function backupSummary(meta, path, downloaded, decision) {
  const tables = Object.entries(meta.rowCounts);
  const rows = tables.reduce((a, [, n]) => a + n, 0);
  return buildSummary((doc) => {
    doc.heading("Backup", 3);
    doc.table(
      ["", ""],
      [
        ["id", inline.code(meta.id)],
        ["path", inline.code(path)],
        ["size", formatBytes(meta.size)],
        ["sha256", inline.code(meta.sha256)],
        ["verified", meta.verified ? `yes (${meta.verifyMethod})` : "NO"],
        ["PostgreSQL", meta.serverVersion],
        ["rows", `${rows} in ${tables.length} tables`],
        ...downloaded ? [["downloaded", inline.code(downloaded)]] : [],
        ...decision ? [["retention", `kept ${decision.keep.length}, removed ${decision.remove.length}`]] : []
      ]
    );
  });
}
export {
  backupSummary,
  runBackup
};
