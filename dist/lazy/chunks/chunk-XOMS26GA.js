import {
  secretEnvProblem
} from "./chunk-NJUICJBY.js";
import {
  BACKUP_ID
} from "./chunk-QETEGG6J.js";
import {
  composeBase
} from "./chunk-MIAGCR4I.js";
import {
  dockerExecArgv
} from "./chunk-GYOLDUFK.js";
import {
  check,
  writeAtomic
} from "./chunk-H5JJLJ3Z.js";
import {
  catFilesArgv,
  existsArgv,
  listDirArgv,
  removeFilesArgv,
  renameArgv,
  syncPathArgv
} from "./chunk-CSTC25GN.js";
import {
  external_exports
} from "./chunk-WNIEMWDA.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/commands/postgres.ts
function connectionArgs(e) {
  const host = e.via.kind === "host" ? ["-h", e.via.host, "-p", String(e.via.port)] : [];
  return [...host, "-U", e.user, "-w"];
}
function viaArgv(e, argv) {
  switch (e.via.kind) {
    case "host":
      return { argv };
    case "container":
      return { argv: dockerExecArgv(e.via.container, argv, { stdin: true, envNames: ["PGPASSWORD"] }) };
    case "compose-service": {
      if (!e.compose) throw new Error("database.via.compose-service needs the compose: section");
      const exec = [...composeBase(e.compose), "exec", "-T", "-e", "PGPASSWORD", e.via["compose-service"]];
      return { argv: [...exec, ...argv], cwd: e.compose.directory };
    }
  }
}
var TO_FILE_SCRIPT = 'umask 077; out=$1; shift; exec "$@" > "$out"';
var FROM_FILE_SCRIPT = 'in=$1; shift; exec "$@" < "$in"';
var FROM_GZIP_SCRIPT = 'in=$1; shift; gzip -t -- "$in" && gzip -dc -- "$in" | "$@"';
var toFileArgv = (file, argv) => ["sh", "-c", TO_FILE_SCRIPT, "sh", file, ...argv];
var fromFileArgv = (file, argv) => ["sh", "-c", FROM_FILE_SCRIPT, "sh", file, ...argv];
var fromGzipArgv = (file, argv) => ["sh", "-c", FROM_GZIP_SCRIPT, "sh", file, ...argv];
function pgDumpCommand(e, file, o) {
  const args = ["pg_dump", ...connectionArgs(e), "-d", e.database];
  if (o.format === "custom") args.push("-Fc");
  else args.push("-Fp", "--clean", "--if-exists", ...o.gzip ? ["-Z", "6"] : []);
  if (o.snapshot !== void 0) args.push(`--snapshot=${o.snapshot}`);
  const inner = viaArgv(e, args);
  return { argv: toFileArgv(file, inner.argv), cwd: inner.cwd };
}
function restoreCommand(e, database, file, o) {
  const target = { ...e, database };
  if (o.format === "custom") {
    const args2 = ["pg_restore", ...connectionArgs(e), "-d", database, "--single-transaction", "--exit-on-error"];
    args2.push("--no-owner", ...o.clean ? ["--clean", "--if-exists"] : []);
    if (e.via.kind === "host") return viaArgv(target, [...args2, file]);
    const inner2 = viaArgv(target, args2);
    return { argv: fromFileArgv(file, inner2.argv), cwd: inner2.cwd };
  }
  const psql = ["psql", ...connectionArgs(e), "-d", database, "-X", "-q", "-v", "ON_ERROR_STOP=1"];
  const args = [...psql, "--single-transaction", "-o", "/dev/null", "-f", "-"];
  const inner = viaArgv(target, args);
  return { argv: (o.gzip ? fromGzipArgv : fromFileArgv)(file, inner.argv), cwd: inner.cwd };
}
function listArchiveCommand(e, file) {
  if (e.via.kind === "host") return viaArgv(e, ["pg_restore", "-l", file]);
  const inner = viaArgv(e, ["pg_restore", "-l"]);
  return { argv: fromFileArgv(file, inner.argv), cwd: inner.cwd };
}
function psqlCommand(e, database, sql) {
  const args = ["psql", ...connectionArgs(e), "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"];
  return viaArgv(e, sql === void 0 ? args : [...args, "-c", sql]);
}
var createDbCommand = (e, name) => viaArgv(e, ["createdb", ...connectionArgs(e), `--maintenance-db=${e.database}`, "-T", "template0", name]);
var dropDbCommand = (e, name) => viaArgv(e, ["dropdb", ...connectionArgs(e), `--maintenance-db=${e.database}`, "--if-exists", name]);
var COUNTS_SQL = `SELECT json_build_object(
  'server_version', current_setting('server_version'),
  'counts', coalesce(json_object_agg(t.name, t.n ORDER BY t.name), '{}'::json))
FROM (
  SELECT format('%I.%I', n.nspname, c.relname) AS name,
         (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM ONLY %I.%I', n.nspname, c.relname),
           false, true, '')))[1]::text::bigint AS n
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname !~ '^pg_(toast|temp_)'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
) AS t`;
var snapshotSessionSql = (snapshotFile) => [
  "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;",
  // psql's \g takes the file name up to the end of the line; a newline in it is refused by the caller.
  `SELECT pg_export_snapshot() \\g ${snapshotFile}`,
  `${COUNTS_SQL};`,
  ""
].join("\n");
var SESSION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
function endSessionsSql(name, waitMs) {
  if (!SESSION_NAME.test(name)) throw new Error(`not a session name of ours: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(waitMs) || waitMs < 0) throw new Error(`waitMs must be a whole number, got ${waitMs}`);
  const ours = `application_name = '${name}' AND pid <> pg_backend_pid()`;
  return [
    `SELECT count(*) FROM pg_stat_activity WHERE ${ours};`,
    ...terminateLoopSql(ours, waitMs),
    `SELECT count(*) FROM pg_stat_activity WHERE ${ours};`,
    ""
  ].join("\n");
}
function terminateLoopSql(where, waitMs) {
  return [
    "DO $end$",
    `DECLARE deadline timestamptz := clock_timestamp() + interval '${Math.max(0, Math.trunc(waitMs))} milliseconds';`,
    "BEGIN",
    "  LOOP",
    // pg_stat_activity is read once per transaction unless the snapshot is cleared.
    "    PERFORM pg_stat_clear_snapshot();",
    `    EXIT WHEN NOT EXISTS (SELECT FROM pg_stat_activity WHERE ${where}) OR clock_timestamp() > deadline;`,
    `    PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${where};`,
    "    PERFORM pg_sleep(0.05);",
    "  END LOOP;",
    "END $end$;"
  ];
}
function endDatabaseSessionsSql(database, waitMs) {
  const on = `datname = '${database.replace(/'/g, "''")}' AND pid <> pg_backend_pid()`;
  return [...terminateLoopSql(on, waitMs), ""].join("\n");
}

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

// src/backup/pg.ts
import { randomBytes } from "node:crypto";
function parseCounts(stdout) {
  const line = stdout.split("\n").map((l) => l.trim()).findLast((l) => l.startsWith("{"));
  if (line === void 0) throw new UserError(`psql printed no row counts (output: ${stdout.slice(0, 200)})`);
  const doc = JSON.parse(line);
  const counts = {};
  for (const [table, n] of Object.entries(doc.counts ?? {})) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new UserError(`psql reported a row count that is not a count for ${table}: ${String(n)}`);
    }
    counts[table] = n;
  }
  return { serverVersion: String(doc.server_version ?? "unknown"), counts };
}
function firstError(r) {
  const lines = r.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const line = lines.find((l) => /error|fatal|fail|no space|killed|denied|not found/i.test(l)) ?? lines[0];
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  return line === void 0 ? how : `${how}: ${line}`;
}
var PgClient = class {
  constructor(t, endpoint, password, log, signal, env = {}) {
    this.t = t;
    this.endpoint = endpoint;
    this.password = password;
    this.log = log;
    this.signal = signal;
    this.env = env;
    const problem = secretEnvProblem(password);
    if (problem) throw new UserError(`the database password (the variable database.password-env names) ${problem}`);
  }
  t;
  endpoint;
  password;
  log;
  signal;
  env;
  /** Run a client program (or a helper like cat in the container) with PGPASSWORD delivered as a secret. */
  exec(cmd, opts = {}) {
    this.log.debug(`${this.t.name}: ${cmd.argv.map((a) => a.length > 120 ? `${a.slice(0, 60)}\u2026` : a).join(" ")}`);
    return this.t.exec(cmd.argv, {
      quiet: true,
      signal: this.signal,
      ...opts,
      env: this.env,
      cwd: cmd.cwd,
      secretEnv: { PGPASSWORD: this.password }
    });
  }
  /** Run and fail with a UserError naming `what` when the command exits non-zero. */
  async must(cmd, what, opts = {}) {
    const r = await this.exec(cmd, opts);
    if (r.code !== 0) throw new UserError(`${what} failed on ${this.t.name} (${firstError(r)})`);
    return r;
  }
  async counts(database) {
    const r = await this.must(psqlCommand(this.endpoint, database, COUNTS_SQL), `counting rows in ${database}`);
    return parseCounts(r.stdout);
  }
  /** A fresh empty database named after the configured one, for a verify restore. */
  async createScratch(purpose) {
    const name = `${this.endpoint.database.slice(0, 40)}_${purpose}_${randomBytes(4).toString("hex")}`;
    await this.must(createDbCommand(this.endpoint, name), `creating the scratch database ${name} (CREATEDB needed)`);
    return name;
  }
  /**
   * Drop a scratch database; a failure is logged, never thrown (it must not hide the verify's own result). Runs even
   * after a cancel (its own deadlines, not the run's signal): sessions still in it (a restore whose client was killed
   * keeps running on the server) are ended first, or dropdb would refuse.
   */
  async dropScratch(name) {
    const end = psqlCommand(this.endpoint, this.endpoint.database);
    await this.exec(end, { signal: void 0, timeoutMs: 3e4, stdin: endDatabaseSessionsSql(name, 1e4) }).catch(
      () => void 0
    );
    const r = await this.exec(dropDbCommand(this.endpoint, name), { signal: void 0, timeoutMs: 12e4 }).catch(
      (err) => ({ code: -1, stdout: "", stderr: errorMessage(err) })
    );
    if (r.code !== 0) this.log.warn(`could not drop the scratch database ${name}: ${firstError(r)}; drop it by hand`);
  }
  /**
   * End every session named `app` (application_name) on the configured database and wait up to `waitMs` ms for them
   * to go; not bound to the run's signal (it is what a cancel runs). Resolves with how many there were and how many
   * are left; rejects (UserError) when psql cannot run or its output is not two counts.
   */
  async endSessions(app, waitMs) {
    const cmd = psqlCommand(this.endpoint, this.endpoint.database);
    const r = await this.must(cmd, `ending the database sessions named ${app}`, {
      signal: void 0,
      timeoutMs: waitMs + 3e4,
      stdin: endSessionsSql(app, waitMs)
    });
    const [found, remaining] = r.stdout.split("\n").map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number);
    if (found === void 0 || remaining === void 0) {
      throw new UserError(`psql printed no session counts (output: ${r.stdout.slice(0, 200)})`);
    }
    return { found, remaining };
  }
};

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

// src/backup/site.ts
function backupSections(config) {
  const database = config.database;
  if (!database) throw new ConfigError("the config has no database: section (see database: in the docs)");
  if (!database.backup) throw new ConfigError("the config has no database.backup: section (directory: \u2026 at least)");
  if (database.via.kind === "compose-service" && !config.compose) {
    throw new ConfigError("database.via.compose-service needs the compose: section (command, directory, files)");
  }
  return { database, backup: database.backup };
}
function endpointOf(config, database) {
  return { via: database.via, database: database.name, user: database.user, compose: config.compose };
}
var runTag = (env) => shortSha(env.GITHUB_SHA);
function databasePassword(config, vars, log) {
  const { database } = backupSections(config);
  const password = vars[database["password-env"]];
  if (password === void 0 || password === "") {
    throw new ConfigError(
      `the database password is missing: set the environment variable ${database["password-env"]} (database.password-env), e.g. from a secret`
    );
  }
  log.addSecret(password);
  const unpassable = secretEnvProblem(password);
  if (unpassable) {
    throw new ConfigError(`the database password in ${database["password-env"]} (database.password-env) ${unpassable}`);
  }
  return password;
}
function backupSite(p) {
  const { config } = p;
  const { database, backup } = backupSections(config);
  const { password } = p;
  const pg = new PgClient(p.shell, endpointOf(config, database), password, p.log, p.signal, p.targetEnv);
  return {
    config,
    environment: p.environmentName,
    database,
    backup,
    pg,
    store: new BackupStore(p.shell, backup.directory, config.app, p.environmentName),
    journal: p.journal
  };
}

// src/session/sites.ts
async function backupSiteOf(session, ctx) {
  const password = databasePassword(session.config, ctx.runner.env, ctx.log);
  return backupSite({
    config: session.config,
    environmentName: session.environmentName,
    shell: await session.primary(),
    targetEnv: session.primaryTarget.env,
    journal: await session.journal(),
    password,
    log: ctx.log,
    signal: ctx.signal
  });
}
async function migrationSiteOf(session, ctx) {
  const primary = session.primaryTarget;
  return {
    config: session.config,
    environmentName: session.environmentName,
    shell: await session.shell(primary),
    targetEnv: primary.env,
    engine: () => session.engine(primary),
    vars: ctx.runner.env,
    log: ctx.log
  };
}

export {
  viaArgv,
  pgDumpCommand,
  restoreCommand,
  listArchiveCommand,
  psqlCommand,
  snapshotSessionSql,
  parseCounts,
  firstError,
  PgClient,
  parseBackupMeta,
  backupId,
  dumpExtension,
  BackupStore,
  backupSections,
  endpointOf,
  runTag,
  backupSiteOf,
  migrationSiteOf
};
