import {
  errorLine
} from "./chunk-LW4MLOGN.js";
import {
  composeRun
} from "./chunk-EQGOWHZM.js";
import {
  dockerRunArgv
} from "./chunk-Q672BN7X.js";
import {
  ConfigError,
  UserError
} from "./chunk-NSFOPU7S.js";

// src/migrate/invoke.ts
import { randomBytes } from "node:crypto";

// src/migrate/presets.ts
var PRESETS = {
  alembic: {
    upgrade: ["alembic", "upgrade", "head"],
    current: ["alembic", "current"],
    dryRunSql: ["alembic", "upgrade", "head", "--sql"],
    downgrade: (rev) => ["alembic", "downgrade", rev],
    honoursPgOptions: true
  },
  django: {
    upgrade: ["python", "manage.py", "migrate", "--no-input"],
    current: ["python", "manage.py", "showmigrations", "--plan"],
    downgrade: (rev) => ["python", "manage.py", "migrate", ...rev.split(" ")],
    honoursPgOptions: true,
    note: "django prints SQL per migration only (manage.py sqlmigrate <app> <name>); the dry run lists the plan"
  },
  rails: {
    upgrade: ["bin/rails", "db:migrate"],
    current: ["bin/rails", "db:version"],
    downgrade: (rev) => ["bin/rails", "db:migrate:down", `VERSION=${rev}`],
    honoursPgOptions: true
  },
  goose: {
    upgrade: ["goose", "up"],
    current: ["goose", "version"],
    downgrade: (rev) => ["goose", "down-to", rev],
    honoursPgOptions: true
  },
  knex: {
    upgrade: ["npx", "--no-install", "knex", "migrate:latest"],
    current: ["npx", "--no-install", "knex", "migrate:currentVersion"],
    downgrade: () => ["npx", "--no-install", "knex", "migrate:rollback"],
    honoursPgOptions: false,
    note: "node-postgres ignores PGOPTIONS: set lock_timeout in the knex config (pool.afterCreate)"
  },
  prisma: {
    upgrade: ["npx", "--no-install", "prisma", "migrate", "deploy"],
    current: ["npx", "--no-install", "prisma", "migrate", "status"],
    honoursPgOptions: false,
    note: "prisma has no down migrations; roll back with a database restore"
  },
  flyway: {
    upgrade: ["flyway", "migrate"],
    current: ["flyway", "info"],
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
    current: c.current,
    dryRunSql: c["dry-run"],
    downgrade: c.downgrade ? (rev) => c.downgrade.map((a) => a.replaceAll("{revision}", rev)) : void 0,
    honoursPgOptions: true
  };
}
function pgOptions(lockTimeoutMs, statementTimeoutMs) {
  return `-c lock_timeout=${lockTimeoutMs} -c statement_timeout=${statementTimeoutMs}`;
}

// src/migrate/invoke.ts
function toolEnvironment(db, password) {
  const m = db.migrate;
  const via = db.via;
  const [host, port] = via.kind === "host" ? [via.host, via.port] : via.kind === "compose-service" ? [via["compose-service"], 5432] : [via.container, 5432];
  const env = {
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: db.user,
    PGDATABASE: db.name,
    PGOPTIONS: pgOptions(m?.["lock-timeout"] ?? 5e3, m?.["statement-timeout"] ?? 9e5)
  };
  const url = `postgresql://${encodeURIComponent(db.user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db.name)}`;
  return { env, secretEnv: { PGPASSWORD: password, DATABASE_URL: url } };
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
  const tool = toolFor(m);
  if (!tool.honoursPgOptions && tool.note) log.warn(`${m.tool}: ${tool.note}`);
  const te = toolEnvironment(db, password);
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
  return { db, m, tool, te, inv };
}
async function currentRevision(inv, tool, signal) {
  if (!tool.current) return "";
  const r = await inv.run(tool.current, { quiet: true, timeoutMs: 12e4, signal });
  if (r.code !== 0) throw new UserError(`reading the current revision failed (exit ${r.code}): ${errorLine(r.stderr)}`);
  return r.stdout.trim().split("\n")[0]?.trim() ?? "";
}

export {
  openMigration,
  currentRevision
};
