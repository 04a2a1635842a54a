import {
  PgClient,
  endpointOf
} from "./chunk-XOMS26GA.js";
import {
  secretEnvProblem
} from "./chunk-NJUICJBY.js";
import {
  composeRun
} from "./chunk-MIAGCR4I.js";
import {
  dockerRunArgv
} from "./chunk-GYOLDUFK.js";
import {
  errorLine,
  exitText
} from "./chunk-62JVSY2V.js";
import {
  ConfigError,
  UserError
} from "./chunk-O2HJWNJA.js";

// src/migrate/open.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/migrate/invoke.ts
import { randomBytes } from "node:crypto";

// src/migrate/revisions.ts
var ANSI = /\u001b\[[0-9;]*m/g;
function lines(text) {
  return text.replace(ANSI, "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
function shown(out) {
  return JSON.stringify((lines(out.stdout).at(-1) ?? errorLine(out.stderr)).slice(0, 200));
}
function unexpected(command, out) {
  return new UserError(`could not read the revision from \`${command}\`: it printed ${shown(out)}`);
}
function firstLineRevision(out) {
  return out.stdout.trim().split("\n")[0]?.trim() ?? "";
}
var ALEMBIC_LINE = /^(\S+)((?: \((?:head|effective head|current|branchpoint|mergepoint)\))*)$/;
function alembicRevision(out) {
  const revs = lines(out.stdout).map((l) => {
    const m = ALEMBIC_LINE.exec(l);
    if (!m?.[1] || m[1].includes(",")) throw unexpected("alembic current", out);
    return m[1];
  });
  return [...new Set(revs)].sort().join(",");
}
function alembicDowngrade(rev) {
  if (rev === "") return ["alembic", "downgrade", "base"];
  if (rev.includes(",")) {
    throw new UserError(
      `alembic had several heads (${rev}): downgrade each branch by hand (alembic downgrade <branch>@<revision>)`
    );
  }
  if (/[\s()]/.test(rev)) throw notARevision("alembic", rev, "alembic downgrade <revision>");
  return ["alembic", "downgrade", rev];
}
var GOOSE_VERSION = /(?:^|\s)goose: (?:db)?version (\d+)$/;
function gooseRevision(out) {
  const found = [...lines(out.stderr), ...lines(out.stdout)].map((l) => GOOSE_VERSION.exec(l)?.[1]).filter((v2) => v2 !== void 0);
  const v = found.at(-1);
  if (v === void 0) throw unexpected("goose version", out);
  return v === "0" ? "" : v;
}
function gooseDowngrade(rev) {
  if (rev === "") return ["goose", "down-to", "0"];
  if (!/^\d+$/.test(rev)) throw notARevision("goose", rev, "goose down-to <version>");
  return ["goose", "down-to", rev];
}
function railsRevision(out) {
  const found = [];
  let database;
  for (const l of lines(out.stdout)) {
    const db = /^database: (.+)$/.exec(l);
    if (db) database = db[1];
    const v = /^Current version: (\d+)$/.exec(l)?.[1];
    if (v !== void 0) {
      found.push({ database, version: v });
      database = void 0;
    }
  }
  const [only] = found;
  if (!only) throw unexpected("bin/rails db:version", out);
  if (found.length === 1) return only.version.replace(/^0+$/, "");
  return found.map((f, i) => `${f.database ?? `database${i + 1}`}=${f.version}`).join(",");
}
function railsDowngrade(rev) {
  if (rev === "") return ["bin/rails", "db:migrate", "VERSION=0"];
  if (/^\d+$/.test(rev)) return ["bin/rails", "db:migrate", `VERSION=${rev}`];
  if (rev.includes("=")) {
    const each = rev.split(",").map((p) => p.replace("=", ": ")).join(", ");
    throw new UserError(
      `rails with several databases: db:migrate VERSION=x only runs pending migrations there; downgrade each database by hand with bin/rails db:migrate:<name> VERSION=<version> (${each})`
    );
  }
  throw notARevision("rails", rev, "bin/rails db:migrate VERSION=<version>");
}
function djangoRevision(out) {
  const applied = /* @__PURE__ */ new Map();
  let app;
  for (const raw of out.stdout.replace(ANSI, "").split("\n")) {
    if (raw.trim() === "") continue;
    const entry = /^\s+\[([X\- ])\] (\S+)/.exec(raw);
    if (!/^\s/.test(raw)) {
      if (!/^[A-Za-z_][\w]*$/.test(raw.trim())) throw unexpected("manage.py showmigrations --list", out);
      app = raw.trim();
    } else if (entry && app) {
      if (entry[1] !== " " && entry[2]) applied.set(app, entry[2]);
    } else if (raw.trim() !== "(no migrations)") {
      throw unexpected("manage.py showmigrations --list", out);
    }
  }
  return [...applied].map(([a, name]) => `${a}.${name}`).join(" ");
}
function djangoState(rev) {
  const state = /* @__PURE__ */ new Map();
  for (const token of rev.split(" ").filter((t) => t !== "")) {
    const m = /^([A-Za-z_]\w*)\.(\S+)$/.exec(token);
    if (!m?.[1] || !m[2]) throw notARevision("django", rev, "python manage.py migrate <app> <migration>");
    state.set(m[1], m[2]);
  }
  return state;
}
function djangoDowngrade(rev, current) {
  const target = djangoState(rev);
  const by = (app) => `python manage.py migrate ${app} ${target.get(app) ?? "zero"}`;
  if (current === void 0) {
    throw new UserError(
      `django migrates per app: run python manage.py migrate <app> <migration|zero> by hand for each app whose migrations changed (the state to restore: ${rev || "no migration applied"})`
    );
  }
  const now = djangoState(current);
  const apps = [.../* @__PURE__ */ new Set([...target.keys(), ...now.keys()])].filter((a) => target.get(a) !== now.get(a));
  const [only] = apps;
  if (only === void 0) throw new UserError(`django is already at ${rev || "(none)"}`);
  if (apps.length > 1) {
    throw new UserError(
      `django migrations of several apps changed (${apps.join(", ")}): downgrade them by hand, newest first: ${apps.map(by).join("; ")}`
    );
  }
  return ["python", "manage.py", "migrate", only, target.get(only) ?? "zero", "--no-input"];
}
function knexRevision(out) {
  const v = lines(out.stdout).map((l) => /^Current Version: (.+)$/.exec(l)?.[1]).findLast((x) => x !== void 0);
  if (v === void 0) throw unexpected("knex migrate:currentVersion", out);
  return v === "none" ? "" : v;
}
function flywayRevision(out) {
  const v = lines(out.stdout).map((l) => /(?:^|\s)Schema version: (.+)$/.exec(l)?.[1]).findLast((x) => x !== void 0);
  if (v === void 0) throw unexpected("flyway info", out);
  return v === "<< Empty Schema >>" ? "" : v;
}
function notARevision(tool, rev, byHand) {
  return new UserError(
    `${JSON.stringify(rev)} is not a revision of ${tool} (a journal entry from an older runbook-actions?): downgrade by hand with ${byHand}`
  );
}

// src/migrate/presets.ts
var KNEX = ["npx", "--no-install", "knex"];
var PRESETS = {
  alembic: {
    upgrade: ["alembic", "upgrade", "head"],
    current: { argv: ["alembic", "current"], parse: alembicRevision },
    dryRunSql: ["alembic", "upgrade", "head", "--sql"],
    downgrade: alembicDowngrade,
    honoursPgOptions: true
  },
  django: {
    upgrade: ["python", "manage.py", "migrate", "--no-input"],
    current: { argv: ["python", "manage.py", "showmigrations", "--list"], parse: djangoRevision },
    downgrade: djangoDowngrade,
    honoursPgOptions: true,
    note: "django prints SQL per migration only (manage.py sqlmigrate <app> <name>); the dry run lists the plan"
  },
  rails: {
    upgrade: ["bin/rails", "db:migrate"],
    current: { argv: ["bin/rails", "db:version"], parse: railsRevision },
    downgrade: railsDowngrade,
    honoursPgOptions: true
  },
  goose: {
    upgrade: ["goose", "up"],
    current: { argv: ["goose", "version"], parse: gooseRevision },
    downgrade: gooseDowngrade,
    honoursPgOptions: true
  },
  knex: {
    upgrade: [...KNEX, "migrate:latest"],
    current: { argv: [...KNEX, "migrate:currentVersion"], parse: knexRevision },
    downgrade: (rev) => rev === "" ? [...KNEX, "migrate:rollback", "--all"] : [...KNEX, "migrate:rollback"],
    undoesLastRun: true,
    honoursPgOptions: false,
    note: "node-postgres ignores PGOPTIONS: set lock_timeout in the knex config (pool.afterCreate)"
  },
  prisma: {
    upgrade: ["npx", "--no-install", "prisma", "migrate", "deploy"],
    // No `current`: prisma has no revision to print, and `migrate status` exits 1 while migrations are pending.
    honoursPgOptions: false,
    note: "prisma has no down migrations; roll back with a database restore"
  },
  flyway: {
    upgrade: ["flyway", "migrate"],
    current: { argv: ["flyway", "info"], parse: flywayRevision },
    honoursPgOptions: false,
    note: "JDBC ignores PGOPTIONS: set lock_timeout with flyway.postgresql.* or in the migration"
  }
};
function toolFor(m) {
  if (m.tool !== "custom") return PRESETS[m.tool];
  const c = m.custom;
  if (!c) throw new Error("tool: custom needs custom: { upgrade: [...] }");
  return {
    upgrade: c.upgrade,
    current: c.current && { argv: c.current, parse: firstLineRevision },
    dryRunSql: c["dry-run"],
    downgrade: c.downgrade ? (rev) => c.downgrade.map((a) => a.replaceAll("{revision}", rev)) : void 0,
    honoursPgOptions: true
  };
}
function pgOptions(lockTimeoutMs, statementTimeoutMs) {
  return `-c lock_timeout=${lockTimeoutMs} -c statement_timeout=${statementTimeoutMs}`;
}

// src/migrate/invoke.ts
function toolEnvironment(db, password, app = "") {
  const m = db.migrate;
  const via = db.via;
  const [host, port] = via.kind === "host" ? [via.host, via.port] : via.kind === "compose-service" ? [via["compose-service"], 5432] : [via.container, 5432];
  const env = {
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: db.user,
    PGDATABASE: db.name,
    PGOPTIONS: pgOptions(m?.["lock-timeout"] ?? 5e3, m?.["statement-timeout"] ?? 9e5),
    ...app ? { PGAPPNAME: app } : {}
  };
  const query = app ? `?application_name=${encodeURIComponent(app)}` : "";
  const url = `postgresql://${encodeURIComponent(db.user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db.name)}${query}`;
  return { env, secretEnv: { PGPASSWORD: password, DATABASE_URL: url }, app };
}
function invocation(config, db, t, te, targetEnv, oneOff) {
  const m = db.migrate;
  if (!m) throw new ConfigError("the config has no database.migrate section");
  const compose = config.compose;
  if (m.service && !compose) {
    const service = config.services?.[m.service];
    if (!service || !oneOff) {
      throw new ConfigError(
        `database.migrate.service (${m.service}) runs the tool in a one-off container of that service: it needs services.${m.service} and the input "version" (or a compose section, or migrate.directory to run on the host)`
      );
    }
    return engineOneOff(`${service.image}:${oneOff.version}`, te, oneOff);
  }
  if (m.service && compose) {
    const names = [...Object.keys(te.env), ...Object.keys(te.secretEnv)];
    const argvFor = (argv) => ({
      argv: composeRun(compose, m.service, argv, names),
      cwd: compose.directory
    });
    return {
      describe: `compose run --rm ${m.service}`,
      argvFor,
      run: (argv, o) => {
        const { argv: full, cwd: cwd2 } = argvFor(argv);
        return t.exec(full, { ...o, cwd: cwd2, env: { ...targetEnv, ...te.env }, secretEnv: te.secretEnv });
      }
    };
  }
  const cwd = m.directory;
  return {
    describe: `${t.name}${cwd ? ` in ${cwd}` : ""}`,
    argvFor: (argv) => ({ argv, cwd }),
    run: (argv, o) => t.exec(argv, { ...o, cwd, env: { ...targetEnv, ...te.env }, secretEnv: te.secretEnv })
  };
}
function engineOneOff(image, te, o) {
  return {
    describe: `a one-off container of ${image}`,
    argvFor: (argv) => ({ argv: dockerRunArgv(image, argv, { network: "host" }) }),
    run: async (argv, opts) => {
      const id = await o.docker.createContainer({
        name: `${o.name}-${randomBytes(4).toString("hex")}`,
        image,
        cmd: argv,
        env: { ...te.env, ...te.secretEnv },
        networkMode: "host",
        restartPolicy: "no"
      });
      try {
        await o.docker.startContainer(id);
        const code = await o.docker.waitContainer(id, { timeoutMs: opts.timeoutMs, signal: opts.signal });
        const output = await o.docker.containerLogs(id);
        if (!opts.quiet && output !== "") o.log.remote(image, "stdout", output.endsWith("\n") ? output : `${output}
`);
        return { code, stdout: output, stderr: output };
      } finally {
        await o.docker.removeContainer(id, { force: true }).catch(() => void 0);
      }
    }
  };
}

// src/migrate/open.ts
function migrateSections(config) {
  const db = config.database;
  const m = db?.migrate;
  if (!db || !m) throw new ConfigError("migrations need database.migrate in the config");
  return { db, m };
}
async function openMigration(site, version) {
  const { config, log } = site;
  const { db, m } = migrateSections(config);
  const password = site.vars[db["password-env"]];
  if (!password)
    throw new ConfigError(`the database password variable ${db["password-env"]} is not set (database.password-env)`);
  log.addSecret(password);
  const unpassable = secretEnvProblem(password);
  if (unpassable) {
    throw new ConfigError(`the database password in ${db["password-env"]} (database.password-env) ${unpassable}`);
  }
  const tool = toolFor(m);
  if (!tool.honoursPgOptions && tool.note) log.warn(`${m.tool}: ${tool.note}`);
  const te = toolEnvironment(db, password, `runbook-migrate-${randomBytes2(6).toString("hex")}`);
  let oneOff;
  if (m.service && !config.compose) {
    if (!version)
      throw new ConfigError(
        `migrate.service ${m.service} runs in a one-off container: the input "version" (its image tag) is required`
      );
    oneOff = { docker: await site.engine(), version, log, name: `${config.app}-${site.environmentName}-migrate` };
  }
  const targetEnv = config.compose && version ? { ...site.targetEnv, [config.compose["version-env"]]: version } : site.targetEnv;
  const inv = invocation(config, db, site.shell, te, targetEnv, oneOff);
  const pg = new PgClient(site.shell, endpointOf(config, db), password, log, void 0, site.targetEnv);
  return { db, m, tool, te, inv, pg };
}
async function currentRevision(inv, tool, signal) {
  if (!tool.current) return "";
  const r = await inv.run(tool.current.argv, { quiet: true, timeoutMs: 12e4, signal });
  if (r.code !== 0) throw new UserError(`reading the current revision failed (${exitText(r)}): ${errorLine(r.stderr)}`);
  return tool.current.parse({ stdout: r.stdout, stderr: r.stderr });
}

export {
  openMigration,
  currentRevision
};
