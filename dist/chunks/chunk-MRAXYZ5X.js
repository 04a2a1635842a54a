import {
  createBackup,
  formatBytes
} from "./chunk-NN7JNOSE.js";
import {
  backupSections,
  backupSiteOf,
  endpointOf,
  pgDumpCommand,
  runTag
} from "./chunk-7XU3KBJW.js";
import {
  commonInputs,
  defineAction,
  external_exports,
  zBackupId
} from "./chunk-VTTNFAOL.js";
import {
  UserError,
  errorMessage
} from "./chunk-NSFOPU7S.js";

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

// src/backup/retention.ts
var dayKey = (d) => d.toISOString().slice(0, 10);
var monthKey = (d) => d.toISOString().slice(0, 7);
function weekKey(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  const week = Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 864e5 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
function selectRetention(backups, policy, pinned) {
  const newestFirst = [...backups].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  const verified = newestFirst.filter((b) => b.verified);
  const reasons = /* @__PURE__ */ new Map();
  const keep = (id, why) => {
    reasons.set(id, [...reasons.get(id) ?? [], why]);
  };
  const newest = verified[0];
  if (newest === void 0)
    return { keep: newestFirst.map((b) => ({ id: b.id, reasons: ["no verified backup yet"] })), remove: [] };
  keep(newest.id, "newest verified");
  const tiers = [
    ["daily", policy.daily, dayKey],
    ["weekly", policy.weekly, weekKey],
    ["monthly", policy.monthly, monthKey]
  ];
  for (const [tier, count, key] of tiers) {
    const seen = /* @__PURE__ */ new Set();
    for (const b of verified) {
      if (seen.size >= count) break;
      const k = key(new Date(b.created));
      if (seen.has(k)) continue;
      seen.add(k);
      keep(b.id, `${tier} ${k}`);
    }
  }
  for (const b of newestFirst) {
    const release = pinned.get(b.id);
    if (release !== void 0) keep(b.id, `named by ${release} in the journal`);
    if (!b.verified && Date.parse(b.created) > Date.parse(newest.created)) keep(b.id, "newer than the newest verified");
  }
  const decision = { keep: [], remove: [] };
  for (const b of newestFirst) {
    const why = reasons.get(b.id);
    if (why !== void 0) decision.keep.push({ id: b.id, reasons: why });
    else decision.remove.push({ id: b.id, why: b.verified ? "outside retention" : "failed its verify" });
  }
  return decision;
}
function pinnedByJournal(j) {
  const pinned = /* @__PURE__ */ new Map();
  for (const r of j.releases) if (r.backupId) pinned.set(r.backupId, `release ${r.id}`);
  for (const m of j.migrations ?? [])
    if (m.backupId && !pinned.has(m.backupId)) pinned.set(m.backupId, `migration ${m.id}`);
  return pinned;
}
async function applyRetention(store, policy, pinned, log) {
  const { backups } = await store.list();
  const decision = selectRetention(backups, policy, pinned);
  const byId = new Map(backups.map((b) => [b.id, b]));
  for (const { id, why } of decision.remove) {
    const meta = byId.get(id);
    if (meta === void 0) continue;
    try {
      await store.remove(meta);
      log.info(`retention: removed ${id} (${why})`);
    } catch (err) {
      log.warn(`retention: could not remove ${id}: ${errorMessage(err)}`);
    }
  }
  log.info(`retention: kept ${decision.keep.length}, removed ${decision.remove.length}`);
  return decision;
}

// src/inputs/backup.ts
var backupInputs = {
  ...commonInputs,
  download: {
    description: "Also stream the backup to this path on the runner (a file, or a directory to keep its name), e.g. for actions/upload-artifact; its sha256 is checked",
    schema: external_exports.string().refine((v) => !v.includes("\0") && !v.includes("\n"), "expected a file path")
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
    schema: external_exports.string()
  }
};

// src/actions/backup.ts
var backupAction = defineAction({
  name: "backup",
  summary: "Back up the database (pg_dump), prove it restorable, record it, apply retention",
  inputs: backupInputs,
  main: runBackup
});
async function runBackup(ctx) {
  const { log, host, clock, inputs } = ctx;
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
        tag: runTag(host.env),
        gitSha: host.env.GITHUB_SHA
      }
    )
  );
  const { meta, path } = result;
  host.setOutput("backup-id", meta.id);
  host.setOutput("path", path);
  host.setOutput("sha256", meta.sha256);
  host.setOutput("size-bytes", String(meta.size));
  host.setOutput("verified", String(meta.verified));
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
  await host.appendSummary(backupSummary(meta, path, downloaded, decision));
}
function backupSummary(meta, path, downloaded, decision) {
  const tables = Object.entries(meta.rowCounts);
  const rows = tables.reduce((a, [, n]) => a + n, 0);
  return [
    `### Backup ${meta.id}`,
    "",
    "| | |",
    "|---|---|",
    `| path | \`${path}\` |`,
    `| size | ${formatBytes(meta.size)} |`,
    `| sha256 | \`${meta.sha256}\` |`,
    `| verified | ${meta.verified ? `yes (${meta.verifyMethod})` : "NO"} |`,
    `| PostgreSQL | ${meta.serverVersion} |`,
    `| rows | ${rows} in ${tables.length} tables |`,
    ...downloaded ? [`| downloaded | \`${downloaded}\` |`] : [],
    ...decision ? [`| retention | kept ${decision.keep.length}, removed ${decision.remove.length} |`] : [],
    ""
  ].join("\n");
}

export {
  pinnedByJournal,
  backupListInputs,
  backupVerifyInputs,
  backupRestoreInputs,
  backupAction
};
