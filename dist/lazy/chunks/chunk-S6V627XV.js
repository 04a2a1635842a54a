import {
  external_exports
} from "./chunk-NDZR3XTD.js";
import {
  BACKUP_ID
} from "./chunk-QETEGG6J.js";
import {
  check,
  writeAtomic
} from "./chunk-CNIHXAAR.js";
import {
  catFilesArgv,
  existsArgv,
  listDirArgv,
  removeFilesArgv,
  renameArgv,
  syncPathArgv
} from "./chunk-CSTC25GN.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";

// src/backup/meta.ts
var FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,250}$/;
var backupMetaSchema = external_exports.object({
  version: external_exports.literal(1),
  id: external_exports.string().regex(BACKUP_ID),
  app: external_exports.string(),
  environment: external_exports.string(),
  database: external_exports.string(),
  /** The dump's file name in the backup directory (`.bad` appended when its verify failed). */
  file: external_exports.string().regex(FILE_NAME),
  size: external_exports.number().int().nonnegative(),
  sha256: external_exports.string().regex(/^[0-9a-f]{64}$/),
  format: external_exports.enum(["custom", "plain"]),
  gzip: external_exports.boolean(),
  serverVersion: external_exports.string(),
  /** ISO time the dump started (its snapshot). */
  created: external_exports.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO time"),
  gitSha: external_exports.string().optional(),
  /** Rows per table (`schema.table`), counted in the dump's own snapshot. */
  rowCounts: external_exports.record(external_exports.string(), external_exports.number().int().nonnegative()),
  verified: external_exports.boolean(),
  verifyMethod: external_exports.enum(["restore", "list"]),
  verifiedAt: external_exports.string().optional(),
  /** Why the last verify failed. */
  error: external_exports.string().optional()
});
function parseBackupMeta(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${err.message})`);
  }
  const r = backupMetaSchema.safeParse(doc);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new Error(`not backup metadata (${why})`);
}
var serializeBackupMeta = (m) => `${JSON.stringify(m)}
`;
function utcStamp(d) {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}
function shortSha(sha) {
  return sha !== void 0 && /^[0-9a-f]{7,40}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : "manual";
}
var backupId = (app, environment, created, tag) => `${app}-${environment}-${utcStamp(created)}-${tag}`;
function dumpExtension(format, gzip) {
  if (format === "custom") return ".dump";
  return gzip ? ".sql.gz" : ".sql";
}
var metaFileName = (id) => `${id}.json`;
function isMetaFileOf(name, app, environment) {
  const prefix = `${app}-${environment}-`;
  return name.startsWith(prefix) && /^\d{8}T\d{6}Z-[A-Za-z0-9_-]+\.json$/.test(name.slice(prefix.length));
}

// src/backup/store.ts
var QUIET = { quiet: true, timeoutMs: 6e4 };
var CHUNK = 200;
var BackupStore = class {
  constructor(t, dir, app, environment) {
    this.t = t;
    this.dir = dir;
    this.app = app;
    this.environment = environment;
  }
  t;
  dir;
  app;
  environment;
  path(file) {
    return `${this.dir}/${file}`;
  }
  metaPath(id) {
    return this.path(metaFileName(id));
  }
  async exists(file) {
    return (await this.t.exec(existsArgv(this.path(file)), QUIET)).code === 0;
  }
  /** Every backup of this app and environment in the directory, oldest first. A missing directory is empty. */
  async list() {
    const ls = await this.t.exec(listDirArgv(this.dir), QUIET);
    if (ls.code !== 0) {
      if (/No such file/i.test(ls.stderr)) return { backups: [], problems: [] };
      throw new UserError(`cannot list ${this.dir} on ${this.t.name}: ${ls.stderr.trim()}`);
    }
    const names = ls.stdout.split("\n").filter((n) => isMetaFileOf(n, this.app, this.environment));
    const backups = [];
    const problems = [];
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const r = await this.t.exec(catFilesArgv(chunk.map((n) => this.path(n))), QUIET);
      const lines = r.stdout.split("\n").filter((l) => l.trim() !== "");
      for (const line of lines) {
        try {
          const meta = parseBackupMeta(line);
          if (meta.app === this.app && meta.environment === this.environment) backups.push(meta);
        } catch (err) {
          problems.push(`a metadata file in ${this.dir} is unreadable: ${err.message}`);
        }
      }
    }
    backups.sort((a, b) => Date.parse(a.created) - Date.parse(b.created) || a.id.localeCompare(b.id));
    return { backups, problems };
  }
  async find(id) {
    const { backups } = await this.list();
    const found = backups.find((b) => b.id === id);
    if (found) return found;
    const known = backups.slice(-5).map((b) => b.id);
    throw new UserError(
      `no backup ${id} in ${this.dir} on ${this.t.name}${known.length > 0 ? `; newest: ${known.join(", ")}` : " (none yet)"}`
    );
  }
  /** Write a backup's metadata (temp file, fsync, rename). */
  async save(meta) {
    await writeAtomic(this.t, this.metaPath(meta.id), serializeBackupMeta(meta));
  }
  /** Move a dump to its name in the directory and make the rename durable. */
  async moveInto(from, file) {
    check(await this.t.exec(renameArgv(from, this.path(file)), QUIET), `renaming ${from} on ${this.t.name}`);
    await this.t.exec(syncPathArgv(this.dir), QUIET).catch(() => void 0);
  }
  /** Mark a backup bad: its dump renamed `<file>.bad` (never restored by accident), its metadata unverified. */
  async markBad(meta, error, at) {
    let file = meta.file;
    if (!file.endsWith(".bad") && await this.exists(file)) {
      await this.moveInto(this.path(file), `${file}.bad`);
      file = `${file}.bad`;
    }
    const bad = { ...meta, file, verified: false, verifiedAt: at.toISOString(), error };
    await this.save(bad);
    return bad;
  }
  /** Delete a backup: its dump and its metadata. */
  async remove(meta) {
    const r = await this.t.exec(removeFilesArgv([this.path(meta.file), this.metaPath(meta.id)]), QUIET);
    check(r, `removing backup ${meta.id} on ${this.t.name}`);
  }
};

export {
  parseBackupMeta,
  shortSha,
  backupId,
  dumpExtension,
  BackupStore
};
