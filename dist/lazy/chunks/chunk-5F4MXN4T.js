function require(id) {
  require.made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url);
  return require.made(id);
}
import {
  checkSwarmTargets,
  swarmSchema
} from "./chunk-U7XPOYSJ.js";
import {
  healthSchema,
  require_dist,
  smokeSchema,
  zJsonPath,
  zJsonScalar,
  zStatusCode
} from "./chunk-FDIJ72KF.js";
import {
  checkLoadBalancer,
  checkRoles,
  fleetStrategyKeys,
  runsOn,
  zRoles
} from "./chunk-ZZX7I4WI.js";
import {
  checkNotificationEnvironments,
  notificationsSchema
} from "./chunk-4SK5LWOK.js";
import {
  clockMinutes,
  dateKey,
  exactlyOne,
  isHost,
  reservedKeyPaths,
  reservedKeyProblem,
  uniqueBy,
  zAbsPath,
  zAppName,
  zArgs,
  zArgv,
  zClockTime,
  zDateOrDateTime,
  zEnvVarName,
  zEnvironmentName,
  zFilePath,
  zFraction,
  zHost,
  zHttpUrl,
  zInt,
  zMatching,
  zPort,
  zServiceName,
  zTargetName,
  zTimeZone,
  zUser
} from "./chunk-5V6H6OVK.js";
import {
  zDiskThreshold,
  zDurationIn,
  zSize
} from "./chunk-BOC5NVEP.js";
import {
  closest,
  didYouMean,
  formatPath,
  show
} from "./chunk-KPGNJUSS.js";
import {
  NEVER,
  _enum,
  array,
  boolean,
  literal,
  number,
  record,
  strictObject,
  string,
  union
} from "./chunk-WNIEMWDA.js";
import {
  ConfigError,
  UserError
} from "./chunk-O2HJWNJA.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// src/config/loader.ts
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";

// src/config/issues.ts
var NO_MESSAGE = "\0";
var TYPE_NAMES = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  null: "nothing"
};
function toProblems(issues, source, file, schema) {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        const hint = didYouMean(key, allowed);
        const list = hint === "" && allowed.length > 0 ? `; allowed keys: ${allowed.join(", ")}` : "";
        return problem(file, source, path, `unknown key ${show(key)}${hint}${list}`, true);
      });
    }
    if (issue.code === "invalid_key") {
      const key = issue.path[issue.path.length - 1];
      const inner = issue.issues[0];
      const why = inner === void 0 || inner.message === NO_MESSAGE ? "not allowed" : inner.message;
      return [problem(file, source, issue.path, `invalid name ${show(key)}, ${why}`, true)];
    }
    return [problem(file, source, issue.path, describe(issue, valueAt(source.data, issue.path)), false)];
  });
}
function problem(file, source, path, message, key) {
  return { file, ...source.locate(path, key), path: formatPath(path), message };
}
function describe(issue, value) {
  const custom = issue.message !== NO_MESSAGE ? issue.message : void 0;
  if (issue.code === "custom") {
    return custom?.startsWith("expected") ? `${got(value)}, ${custom}` : custom ?? "is invalid";
  }
  const expected = custom ?? expectation(issue);
  if (value === void 0 && issue.code === "invalid_type") return `missing required key; ${expected}`;
  const hint = issue.code === "invalid_value" && typeof value === "string" ? didYouMean(
    value,
    issue.values.filter((v) => typeof v === "string")
  ) : "";
  return `${got(value)}, ${expected}${hint}`;
}
function got(value) {
  return value === null ? "got an empty value" : `got ${show(value)}`;
}
function expectation(issue) {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_value": {
      const values = issue.values.map((v) => typeof v === "string" ? v : show(v));
      return values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(", ")}`;
    }
    case "too_small":
    case "too_big":
      return bound(issue);
    case "invalid_format":
      return issue.format === "regex" ? `expected a string matching ${issue.pattern}` : `expected a valid ${issue.format}`;
    case "not_multiple_of":
      return `expected a multiple of ${issue.divisor}`;
    case "invalid_union":
      return "expected one of the allowed forms";
    default:
      return "is not allowed here";
  }
}
function bound(issue) {
  const small = issue.code === "too_small";
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "array" || issue.origin === "set") {
    return `expected ${small ? "at least" : "at most"} ${limit} item${limit === 1 ? "" : "s"}`;
  }
  if (issue.origin === "string") {
    if (small && limit === 1) return "expected a non-empty string";
    return `expected ${small ? "at least" : "at most"} ${limit} characters`;
  }
  const op = small ? issue.inclusive === false ? ">" : "\u2265" : issue.inclusive === false ? "<" : "\u2264";
  return `expected a number ${op} ${limit}`;
}
function valueAt(data, path) {
  let value = data;
  for (const seg of path) {
    if (value === null || typeof value !== "object") return void 0;
    if (!Object.hasOwn(value, seg)) return void 0;
    value = value[seg];
  }
  return value;
}
var WRAPPERS = /* @__PURE__ */ new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);
function unwrap(schema) {
  let current = schema;
  for (let depth = 0; current !== void 0 && depth < 32; depth++) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else if (def.type === "lazy") current = def.getter?.();
    else return def;
  }
  return void 0;
}
function allowedKeys(schema, path) {
  let def = unwrap(schema);
  for (const seg of path) {
    if (def === void 0) return [];
    if (def.type === "object") def = unwrap(def.shape?.[String(seg)]);
    else if (def.type === "record") def = unwrap(def.valueType);
    else if (def.type === "array") def = unwrap(def.element);
    else if (def.type === "union")
      def = unwrap(objectOptions(def).find((d) => d.shape?.[String(seg)])?.shape?.[String(seg)]);
    else return [];
  }
  if (def?.type === "union") def = objectOptions(def)[0];
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}
function objectOptions(union2) {
  return (union2.options ?? []).map(unwrap).filter((d) => d?.type === "object");
}

// src/config/problems.ts
var MAX_SHOWN_PROBLEMS = 10;
function formatProblem(p) {
  const where = p.line === void 0 ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  return p.path === void 0 || p.path === "" ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}
var ConfigFileError = class extends ConfigError {
  problems;
  constructor(file, problems) {
    const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    super(render(file, sorted));
    this.problems = sorted;
  }
};
function render(file, problems) {
  const [only] = problems;
  if (problems.length === 1 && only !== void 0) return formatProblem(only);
  const lines = [`${file}: ${problems.length} problems`, ...problems.slice(0, MAX_SHOWN_PROBLEMS).map(formatProblem)];
  if (problems.length > MAX_SHOWN_PROBLEMS) lines.push(`\u2026 and ${problems.length - MAX_SHOWN_PROBLEMS} more`);
  return lines.join("\n");
}

// src/config/version.ts
var CONSTRAINT = /^(>=|>|=)\s*v?(\d{1,9}(?:\.\d{1,9}){0,2})$/;
var CONSTRAINT_HELP = 'expected a version constraint like ">=24", ">=20.10.5", ">2" or "=2.29" (quote it)';
function constraintProblem(input) {
  const match = CONSTRAINT.exec(input.trim());
  if (match === null) return CONSTRAINT_HELP;
  return { op: match[1], version: (match[2] ?? "").split(".").map(Number), raw: input.trim() };
}
function parseConstraint(input) {
  const result = constraintProblem(input);
  if (typeof result === "string") throw new ConfigError(`invalid version constraint ${show(input)}: ${result}`);
  return result;
}
function parseVersion(text) {
  const match = /(?:^|[^0-9A-Za-z.])v?(\d{1,9}(?:\.\d{1,9}){0,2})/.exec(text.trim());
  return match?.[1]?.split(".").map(Number);
}
function compareParts(actual, wanted) {
  for (let i = 0; i < wanted.length; i++) {
    const a = actual[i] ?? 0;
    const w = wanted[i] ?? 0;
    if (a !== w) return a < w ? -1 : 1;
  }
  return 0;
}
function satisfies(actual, constraint) {
  const c = typeof constraint === "string" ? parseConstraint(constraint) : constraint;
  const version = parseVersion(actual);
  if (version === void 0) throw new UserError(`could not find a version number in ${show(actual)}`);
  const cmp = compareParts(version, c.version);
  switch (c.op) {
    case ">=":
      return cmp >= 0;
    case ">":
      return cmp > 0;
    case "=":
      return cmp === 0;
  }
}
var zVersionConstraint = union([string(), literal(false)], { error: `${CONSTRAINT_HELP}, or false to skip the check` }).transform((input, ctx) => {
  if (input === false) return false;
  const result = constraintProblem(input);
  if (typeof result !== "string") return result;
  ctx.addIssue({ code: "custom", message: `got ${show(input)}, ${result}, or false to skip the check` });
  return NEVER;
});

// src/config/schema-checks.ts
var WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
var windowSchema = strictObject({
  days: array(_enum(WEEKDAYS), { error: "expected a list of days like [mon, tue, wed]" }).min(1, { error: "expected at least one day" }).superRefine((days, ctx) => uniqueBy(days, (d) => d, "day", ctx)),
  from: zClockTime,
  to: zClockTime,
  tz: zTimeZone
}).superRefine((w, ctx) => {
  if (clockMinutes(w.from) >= clockMinutes(w.to)) {
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `the window must end after it starts (from ${w.from} to ${w.to}); split an overnight window in two`
    });
  }
});
var freezeSchema = strictObject({
  from: zDateOrDateTime,
  to: zDateOrDateTime,
  tz: zTimeZone.default("UTC"),
  reason: string({ error: "expected a short text" }).optional()
}).superRefine((f, ctx) => {
  if (dateKey(f.from, "start") > dateKey(f.to, "end")) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `the freeze ends (${f.to}) before it starts (${f.from})` });
  }
});
var LABEL_HELP = "expected a GitHub label name (1 to 50 characters)";
var CONTEXT_HELP = "expected the name of a check run or commit status context, as GitHub shows it (1 to 255 characters)";
var zContext = string({ error: CONTEXT_HELP }).min(1, { error: CONTEXT_HELP }).max(255, { error: CONTEXT_HELP });
var ciSchema = strictObject({
  /** Contexts that must have reported success; default: every check run and status on the commit. */
  required: array(zContext, { error: "expected a list of check or status names" }).min(1, { error: "expected at least one name; leave required out to require every check on the commit" }).superRefine((names, ctx) => uniqueBy(names, (n) => n, "context", ctx)).optional(),
  /** Checks and statuses never waited for nor counted (a nightly job, an optional linter). */
  ignore: array(zContext, { error: "expected a list of check or status names" }).optional(),
  /** How long pending checks are waited for, then the check fails: from 0s (no wait) to 6h. */
  wait: zDurationIn(0, 6 * 36e5).default(6e5),
  /** How often GitHub is asked again while checks are pending: from 5s to 5m. */
  poll: zDurationIn(5e3, 3e5).default(15e3)
});
var checksOverrideSchema = strictObject({
  /** Minimum free space on each of `disk-paths`: a percentage (`20%`) or a size (`5GiB`). */
  "min-free-disk": zDiskThreshold.optional(),
  "disk-paths": array(zAbsPath, { error: "expected a list of absolute paths like [/var/lib/docker, /backups]" }).min(1, { error: "expected at least one path" }).optional(),
  /** Minimum Docker Engine version, or false to skip. */
  docker: zVersionConstraint.optional(),
  /** Minimum Docker Compose version, or false to skip. */
  compose: zVersionConstraint.optional(),
  /** Environment variables that must be set and non-empty. */
  "required-secrets": array(zEnvVarName, { error: "expected a list of environment variable names" }).optional(),
  /** The newest backup must be younger than this. */
  "backup-max-age": zDurationIn(6e4, 366 * 864e5).optional(),
  /** An open issue with this label blocks deploys. */
  "incident-label": string({ error: LABEL_HELP }).min(1, { error: LABEL_HELP }).max(50, { error: LABEL_HELP }).optional(),
  ci: ciSchema.optional(),
  windows: array(windowSchema, { error: "expected a list of deploy windows" }).optional(),
  freeze: array(freezeSchema, { error: "expected a list of freezes" }).optional()
});
function applyCheckDefaults(checks) {
  return {
    ...checks,
    "min-free-disk": checks["min-free-disk"] ?? { kind: "percent", percent: 20 },
    "disk-paths": checks["disk-paths"] ?? ["/"],
    docker: checks.docker ?? parseConstraint(">=24"),
    compose: checks.compose ?? parseConstraint(">=2.20"),
    "required-secrets": checks["required-secrets"] ?? []
  };
}
function mergeChecks(base, override) {
  if (override === void 0) return base;
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) if (value !== void 0) merged[key] = value;
  return merged;
}
var checksSchema = checksOverrideSchema.transform(applyCheckDefaults);

// src/config/schema-database.ts
var VIA_KINDS = ["compose-service", "container", "host"];
var viaSchema = strictObject({
  "compose-service": zServiceName.optional(),
  container: zMatching(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'expected a container name (letters, digits, "_", ".", "-")'
  ).optional(),
  host: zHost.optional(),
  port: zPort.optional()
}).superRefine((v, ctx) => {
  exactlyOne(v, VIA_KINDS, "via", [...VIA_KINDS, "port"], ctx);
  if (v.port !== void 0 && v.host === void 0) {
    ctx.addIssue({ code: "custom", path: ["port"], message: "port is only allowed together with host" });
  }
}).transform((v) => {
  if (v["compose-service"] !== void 0) return { kind: "compose-service", "compose-service": v["compose-service"] };
  if (v.container !== void 0) return { kind: "container", container: v.container };
  return { kind: "host", host: v.host ?? "", port: v.port ?? 5432 };
});
var backupSchema = strictObject({
  directory: zAbsPath,
  format: _enum(["custom", "plain"]).default("custom"),
  /** Compress plain-format dumps (custom format is already compressed). */
  gzip: boolean({ error: "expected true or false" }).default(false),
  /** `restore` restores into a scratch database; `list` only reads the archive's table of contents. */
  verify: _enum(["restore", "list"]).default("restore"),
  retention: strictObject({
    /** The newest N verified backups are kept whatever their days (a second backup today keeps the first). */
    "keep-last": zInt(0, 1e3).default(3),
    daily: zInt(0, 1e3).default(7),
    weekly: zInt(0, 1e3).default(4),
    monthly: zInt(0, 1e3).default(3)
  }).prefault({})
}).superRefine((b, ctx) => {
  if (b.gzip && b.format === "custom") {
    ctx.addIssue({
      code: "custom",
      path: ["gzip"],
      message: "gzip applies to format: plain only (custom is already compressed)"
    });
  }
});
var MIGRATION_TOOLS = ["alembic", "prisma", "knex", "django", "rails", "goose", "flyway", "custom"];
var migrateSchema = strictObject({
  tool: _enum(MIGRATION_TOOLS),
  /** Compose service to run the tool in (`compose run --rm <service> …`); with the engine driver, a one-off
   * container of that service's image at the deployed version. */
  service: zServiceName.optional(),
  /** Without a service: run the tool on the primary target's shell, in this directory. */
  directory: zAbsPath.optional(),
  /** At least 10ms: PostgreSQL reads 0 as "wait for ever". */
  "lock-timeout": zDurationIn(10, 10 * 6e4).default(5e3),
  /** At least 1s: PostgreSQL reads 0 as "no limit". */
  "statement-timeout": zDurationIn(1e3, 864e5).default(15 * 6e4),
  custom: strictObject({
    upgrade: zArgv,
    current: zArgv.optional(),
    "dry-run": zArgv.optional(),
    downgrade: zArgv.optional()
  }).optional()
}).superRefine((m, ctx) => {
  if (m.tool === "custom" && m.custom === void 0) {
    ctx.addIssue({ code: "custom", message: "tool: custom needs custom: { upgrade: [...] }" });
  }
  if (m.tool !== "custom" && m.custom !== void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["custom"],
      message: `custom commands are only used with tool: custom (tool is ${m.tool})`
    });
  }
});
var DB_IDENTIFIER = zMatching(
  /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/,
  'expected a PostgreSQL name (letters, digits, "_", "$", "-")'
);
var databaseSchema = strictObject({
  engine: literal("postgres", { error: "expected postgres (the only engine supported)" }),
  via: viaSchema,
  name: DB_IDENTIFIER,
  user: DB_IDENTIFIER,
  "password-env": zEnvVarName,
  backup: backupSchema.optional(),
  migrate: migrateSchema.optional()
}).superRefine((d, ctx) => {
  if (d.migrate !== void 0 && d.backup === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["migrate"],
      message: "migrations run only after a verified backup: add database.backup"
    });
  }
});

// src/config/schema-docker-targets.ts
function checkDockerTargets(config, ctx) {
  const driver = config.strategy.driver ?? (config.compose === void 0 ? "engine" : "compose");
  for (const [envName, env] of Object.entries(config.environments)) {
    env.targets.forEach((t, i) => {
      if (t.kind !== "docker") return;
      const path = ["environments", envName, "targets", i, "docker"];
      const what = `target ${t.name} is a docker: target (${t.docker?.host ?? "its Engine API"}, no shell)`;
      if (driver === "compose") {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${what}, and the compose driver${config.strategy.driver === void 0 ? " (chosen because the config has a compose section)" : ""} runs the compose CLI on the host: set strategy.driver: engine (services with image:), or make ${t.name} an ssh target with docker-socket`
        });
      }
      if (config.strategy.proxy !== void 0 && env["load-balancer"] === void 0) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${what}, so no nginx of its own can be switched there: with strategy.proxy, set environments.${envName}.load-balancer to the ssh or local target whose nginx fronts every host`
        });
      }
    });
  }
  for (const [name, service] of Object.entries(config.services ?? {})) {
    const file = service["env-file"];
    if (file === void 0) continue;
    const on = Object.entries(config.environments).flatMap(
      ([envName, env]) => env.targets.filter((t) => t.kind === "docker" && runsOn(t, service)).map((t) => ({ envName, t }))
    )[0];
    if (!on) continue;
    ctx.addIssue({
      code: "custom",
      path: ["services", name, "env-file"],
      message: `got ${file}, a file read on the target, and ${name} runs on ${on.t.name} of environment ${on.envName}, a docker: target with no file system to read it from: use env (plain values) or secret-env (from the runner's environment) instead`
    });
  }
}

// src/config/schema-container.ts
import { isIP } from "node:net";
var SECRET_ENV_HELP = "expected a list of runner environment variable NAMES like [DATABASE_URL, SECRET_KEY], or a mapping of container variable to runner variable like { DATABASE_URL: SHOP_DB_URL }";
var zSecretEnv = union([array(zEnvVarName).min(1, { error: SECRET_ENV_HELP }), record(zEnvVarName, zEnvVarName)], {
  error: SECRET_ENV_HELP
}).superRefine((v, ctx) => {
  if (Array.isArray(v)) uniqueBy(v, (n) => n, "variable", ctx);
}).transform((v) => Array.isArray(v) ? Object.fromEntries(v.map((n) => [n, n])) : v);
var VOLUME_HELP = "expected SOURCE:CONTAINER-PATH[:ro|rw], like data:/var/lib/app (a named volume) or /srv/uploads:/app/uploads:ro (a host directory)";
var VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
var NO_CONTROL = /^[^\p{Cc}]*$/u;
var isAbsPath = (p) => p.startsWith("/") && p.length > 1 && NO_CONTROL.test(p) && !p.split("/").includes("..") && !p.includes(",");
function volumeProblem(parts) {
  const [source = "", target = "", mode] = parts;
  if (parts.length < 2 || parts.length > 3) return 'expected two or three parts separated by ":"';
  if (!(VOLUME_NAME.test(source) || isAbsPath(source)))
    return `the source ${show(source)} is neither a volume name (letters, digits, "_", ".", "-") nor an absolute host path`;
  if (!isAbsPath(target)) return `the container path ${show(target)} must be absolute (starting with "/", no "..")`;
  if (mode !== void 0 && mode !== "ro" && mode !== "rw") return `the mode ${show(mode)} must be ro or rw`;
  return void 0;
}
var zVolume = string({ error: VOLUME_HELP }).transform((text, ctx) => {
  const parts = text.split(":");
  const problem2 = volumeProblem(parts);
  if (problem2 !== void 0) {
    ctx.addIssue({ code: "custom", message: `got ${show(text)}: ${problem2}; ${VOLUME_HELP}` });
    return NEVER;
  }
  return { source: parts[0] ?? "", target: parts[1] ?? "", readOnly: parts[2] === "ro" };
});
var NETWORK_NAME_HELP = 'expected the name of an existing Docker network (letters, digits, "_", ".", "-")';
var zNetworkName = zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, NETWORK_NAME_HELP).refine(
  (n) => !["host", "bridge", "none", "default"].includes(n),
  { error: "host, bridge, none and default are network modes, not networks to join: use the network key" }
);
var LABEL_KEY_HELP = 'expected a label name like com.example.team (no spaces, "=" or control characters)';
var zLabels = record(
  string().regex(/^[^\s=\p{Cc}]+$/u, { error: LABEL_KEY_HELP }),
  string({ error: "expected a text value" }).regex(NO_CONTROL, { error: "expected a value without control characters" }),
  { error: "expected a mapping of label name to value, like { com.example.team: shop }" }
).superRefine((labels, ctx) => {
  for (const key of Object.keys(labels)) {
    if (!key.toLowerCase().startsWith("io.runbook.")) continue;
    ctx.addIssue({
      code: "custom",
      path: [key],
      message: "labels under io.runbook. are the toolkit's own (they tie containers to releases); use another prefix"
    });
  }
});
var RESTART_HELP = "expected no, on-failure, on-failure:N (at most N restarts), always or unless-stopped";
var zRestart = string({ error: RESTART_HELP }).transform((text, ctx) => {
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d{1,4}))?$/.exec(text);
  const name = m?.[1];
  if (!m || name === void 0 || m[2] !== void 0 && name !== "on-failure") {
    ctx.addIssue({ code: "custom", message: `got ${show(text)}, ${RESTART_HELP}` });
    return NEVER;
  }
  return m[2] === void 0 ? { name } : { name, maxRetries: Number(m[2]) };
});
var NAME_OR_ID = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}";
var zContainerUser = zMatching(
  new RegExp(`^${NAME_OR_ID}(?::${NAME_OR_ID})?$`),
  "expected a user like app, 1000 or 1000:1000 (a name or uid, optionally :group or :gid)"
);
var MIN_MEMORY = 6 * 2 ** 20;
var CPUS_HELP = "expected a number of CPUs from 0.01 to 256, like 0.5 or 2";
var zCpus = number({ error: CPUS_HELP }).min(0.01, { error: CPUS_HELP }).max(256, { error: CPUS_HELP });
var logSchema = strictObject({
  driver: zMatching(
    /^[a-zA-Z0-9][a-zA-Z0-9_./:-]*$/,
    "expected a logging driver name like json-file, local, journald or syslog"
  ),
  options: record(
    zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected an option name like max-size"),
    string({ error: 'expected a text value (quote numbers: "3")' }).regex(NO_CONTROL, { error: "expected a value without control characters" }),
    { error: 'expected a mapping of option to value, like { max-size: 10m, max-file: "3" }' }
  ).optional()
});
var EXTRA_HOST_HELP = "expected NAME:ADDRESS, like db.internal:10.0.0.7 or host.docker.internal:host-gateway";
var zExtraHost = string({ error: EXTRA_HOST_HELP }).superRefine((text, ctx) => {
  const at = text.indexOf(":");
  const name = at < 0 ? text : text.slice(0, at);
  const address = at < 0 ? "" : text.slice(at + 1);
  if (at < 0 || !isHost(name) || isIP(name) !== 0 || !(address === "host-gateway" || isIP(address) !== 0)) {
    ctx.addIssue({ code: "custom", message: `got ${show(text)}, ${EXTRA_HOST_HELP}` });
  }
});

// src/config/schema-maintenance.ts
import { isIP as isIP2 } from "node:net";
var SERVER_HELP = "expected an nginx server address: host:port (127.0.0.1:8099, [::1]:8099, maint.internal:80) or unix:/path";
var MAX_BODY = 8e3;
var RETRY_AFTER = { min: 1e3, max: 864e5 };
var DEFAULT_BODY = "The site is down for maintenance and will be back shortly.\n";
var DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
var DEFAULT_RETRY_AFTER_MS = 12e4;
function isServerAddress(s) {
  if (s.startsWith("unix:/")) return /^unix:\/[^\s;{}"'\\$#]*$/.test(s) && !s.split("/").includes("..");
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(s);
  if (!m) return false;
  const host = m[1] ?? "";
  const port = Number(m[2]);
  const hostOk = host.startsWith("[") ? isIP2(host.slice(1, -1)) === 6 : isHost(host);
  return hostOk && port >= 1 && port <= 65535;
}
var zServerAddress = string({ error: SERVER_HELP }).refine(isServerAddress, { error: SERVER_HELP });
var BODY_HELP = `expected the page's text: at most ${MAX_BODY} characters, no "$" (nginx reads it as a variable) and no control characters but newlines and tabs`;
var zBody = string({ error: BODY_HELP }).superRefine((body, ctx) => {
  const bad = body.length === 0 || body.length > MAX_BODY ? `got ${body.length} characters` : body.includes("$") ? 'got a "$"' : /[^\P{Cc}\n\t]/u.test(body) ? "got a control character" : void 0;
  if (bad) ctx.addIssue({ code: "custom", message: `${bad} (${show(body, 30)}), ${BODY_HELP}` });
});
var zContentType = zMatching(
  /^[a-z]+\/[a-z0-9.+-]+(?:; ?charset=[A-Za-z0-9_-]+)?$/,
  "expected a media type like text/html; charset=utf-8"
);
var FORM_KEYS = ["server", "file"];
var FILE_ONLY = ["listen", "retry-after", "body", "content-type"];
var maintenanceSchema = strictObject({
  /** A server the team runs that answers during maintenance. */
  server: zServerAddress.optional(),
  /** The file the toolkit writes the page's server block into (nginx includes it at http level). */
  file: zAbsPath.optional(),
  listen: zPort.optional(),
  "retry-after": zDurationIn(RETRY_AFTER.min, RETRY_AFTER.max).optional(),
  body: zBody.optional(),
  "content-type": zContentType.optional()
}).superRefine((m, ctx) => {
  exactlyOne(m, FORM_KEYS, "maintenance", [...FORM_KEYS, ...FILE_ONLY], ctx);
  if (m.file !== void 0 && m.listen === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["listen"],
      message: "file needs listen: the port on 127.0.0.1 the page answers on, like 8099"
    });
  }
  if (m.server !== void 0) {
    for (const key of FILE_ONLY.filter((k) => m[k] !== void 0)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `${key} describes the page the toolkit writes (with file); a server of your own answers for itself`
      });
    }
  }
}).transform((m) => {
  if (m.server !== void 0) return { kind: "server", server: m.server };
  return {
    kind: "file",
    file: m.file ?? "",
    listen: m.listen ?? 0,
    "retry-after": m["retry-after"] ?? DEFAULT_RETRY_AFTER_MS,
    body: m.body ?? DEFAULT_BODY,
    "content-type": m["content-type"] ?? DEFAULT_CONTENT_TYPE
  };
});

// src/config/schema-progressive.ts
var DEFAULT_CANARY_STEPS = [1, 5, 25, 50, 100].map((weight) => ({ weight, pause: 3e5 }));
var PAUSE_HELP = "expected a duration from 0s to 1d, or until-promoted";
var zPause = union([literal("until-promoted"), zDurationIn(0, 864e5)], { error: PAUSE_HELP });
var zUrlPath = zMatching(/^\/[^\s\p{Cc}]*$/u, 'expected a URL path starting with "/", like /health');
var zHeaderName = zMatching(/^[A-Za-z0-9-]{1,64}$/, "expected an HTTP header name like X-Canary");
var zCookieName = zMatching(/^[A-Za-z0-9_]{1,64}$/, 'expected a cookie name (letters, digits, "_")');
var blueGreenSchema = strictObject({
  /** How long the old slot keeps running (out of traffic) for an instant switch back; the next deploy stops it after. */
  standby: zDurationIn(0, 7 * 864e5).default(18e5),
  /** Requests sent through nginx after the switch (each must pass the service's health expectation). */
  verify: zInt(0, 1e3).default(5)
});
var gatesSchema = strictObject({
  /** The canary's maximum share of failed requests (default 1 %: a gate that cannot fail would pass anything). */
  "error-rate": zFraction.default(0.01),
  p95: zDurationIn(1, 6e4).optional(),
  p99: zDurationIn(1, 6e4).optional(),
  /** The canary's error rate may exceed the stable version's by at most this (both over the same window). */
  "max-increase": zFraction.optional(),
  /** Requests each version must have served in a step's window before it is judged; fewer is inconclusive. */
  "min-samples": zInt(1, 1e6).default(50),
  /** Too few samples: keep the step open for `inconclusive-wait` more (wait), or fail at once (fail). */
  inconclusive: _enum(["wait", "fail"], { error: "expected wait or fail" }).default("fail"),
  "inconclusive-wait": zDurationIn(0, 864e5).default(3e5)
});
var probesSchema = strictObject({
  /** A path on the environment's url, through nginx. */
  path: zUrlPath,
  every: zDurationIn(50, 6e4).default(1e3),
  expect: strictObject({
    status: union([zStatusCode, array(zStatusCode).min(1)]).optional(),
    json: record(zJsonPath, zJsonScalar, { error: "expected a mapping like { status: ok }" }).optional()
  }).optional()
});
var prometheusSchema = strictObject({
  url: zHttpUrl,
  /** Each query's single value is compared with max and/or min; `{{version}}` and `{{window}}` are filled in. */
  queries: array(
    strictObject({
      name: zMatching(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a short name (letters, digits, "_", ".", "-")'),
      query: string({ error: "expected a PromQL query" }).min(1).max(4e3),
      max: number({ error: "expected a number" }).optional(),
      min: number({ error: "expected a number" }).optional()
    }).refine((q) => q.max !== void 0 || q.min !== void 0, { error: "a query needs max, min or both" })
  ).min(1)
});
var stickySchema = union(
  [
    strictObject({ cookie: zCookieName }),
    strictObject({ header: zHeaderName }),
    strictObject({ address: literal(true) })
  ],
  { error: "expected one of { cookie: NAME }, { header: NAME }, { address: true }" }
);
var canarySchema = strictObject({
  steps: array(strictObject({ weight: zInt(1, 100), pause: zPause }), {
    error: "expected a list of steps like [{ weight: 5, pause: 10m }]"
  }).min(1, { error: "expected at least one step" }).max(20).superRefine((steps, ctx) => {
    steps.forEach((step, i) => {
      const prev = steps[i - 1];
      if (prev !== void 0 && step.weight < prev.weight) {
        ctx.addIssue({
          code: "custom",
          path: [i, "weight"],
          message: `weights must not decrease (${prev.weight} then ${step.weight})`
        });
      }
    });
  }).default(DEFAULT_CANARY_STEPS),
  gates: gatesSchema.default(gatesSchema.parse({})),
  /** The nginx access log (log_format runbook_canary) of the server that proxies to the upstream, on the target. */
  "access-log": zAbsPath.optional(),
  probes: probesSchema.optional(),
  prometheus: prometheusSchema.optional(),
  sticky: stickySchema.optional(),
  /** Requests with this header (any value) always reach the canary: an http-level file with a map and an upstream. */
  route: strictObject({ header: zHeaderName, file: zAbsPath }).optional()
}).superRefine((c, ctx) => {
  if (c["access-log"] === void 0 && c.probes === void 0 && c.prometheus === void 0) {
    ctx.addIssue({
      code: "custom",
      message: "a canary is judged on measurements: give access-log (each version\u2019s real traffic), probes or prometheus"
    });
  }
});

// src/config/schema-services.ts
var composeSchema = strictObject({
  /** `[docker, compose]` (default) or `[docker-compose]`; any argv whose program does not start with "-". */
  command: zArgv.default(["docker", "compose"]),
  directory: zAbsPath,
  files: array(zFilePath, { error: "expected a list of compose files" }).min(1).optional(),
  project: zMatching(
    /^[a-z0-9][a-z0-9_-]*$/,
    'expected a compose project name (lowercase letters, digits, "_", "-")'
  ).optional(),
  "env-file": zFilePath.optional(),
  /** The variable the compose file reads the image tag from, e.g. `image: acme/api:${APP_VERSION}`. */
  "version-env": zEnvVarName.default("APP_VERSION"),
  /** Deprecated for `services.<name>.pull`: true reads as `always`, false as `missing` (when the service sets none). */
  pull: boolean({ error: "expected true or false" }).optional()
});
var MAX_MEMORY = 4 * 2 ** 40;
var IMAGE = /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
var IMAGE_HELP = "expected an image repository without a tag, like ghcr.io/acme/shop-api (the deploy's version input is the tag)";
var PORT_RANGE_HELP = "expected a host port range like 18000-18009";
var zPortRange = string({ error: PORT_RANGE_HELP }).transform((text, ctx) => {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const [lo, hi] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || lo < 1 || hi > 65535 || lo > hi) {
    ctx.addIssue({ code: "custom", message: `got ${JSON.stringify(text)}, ${PORT_RANGE_HELP} (low \u2264 high \u2264 65535)` });
    return NEVER;
  }
  return [lo, hi];
});
var serviceSchema = strictObject({
  image: zMatching(IMAGE, IMAGE_HELP),
  replicas: zInt(1, 100).default(1),
  /** Container port; host ports are assigned per replica/slot by the toolkit. */
  port: zPort.optional(),
  /** Host ports for replicas; each replica gets its own (host networking, or published to `port`). */
  "host-ports": zPortRange.optional(),
  /** `host`: the container shares the host's network and listens on its assigned port (told via `port-env`). */
  network: _enum(["host", "bridge"], { error: "expected host or bridge" }).default("bridge"),
  /** With host networking, the variable that tells the app which port to listen on. */
  "port-env": zEnvVarName.default("PORT"),
  env: record(zEnvVarName, string({ error: "expected a text value" })).optional(),
  command: zArgs.optional(),
  /** Runner environment variables whose values go into the container (masked, never written): name → runner name. */
  "secret-env": zSecretEnv.optional(),
  /** A file ON THE TARGET in docker's --env-file format, read at deploy time; its values are masked. */
  "env-file": zAbsPath.optional(),
  volumes: array(zVolume, { error: `${VOLUME_HELP}, in a list` }).superRefine((vs, ctx) => uniqueBy(vs, (v) => v.target, "container path", ctx)).optional(),
  /**
   * Existing Docker networks the containers join instead of the default bridge (network: bridge only), answering
   * to the service's name on each.
   */
  networks: array(zNetworkName, { error: "expected a list of network names, like [shop-internal]" }).min(1, { error: "expected at least one network name" }).max(10, { error: "expected at most 10 networks" }).superRefine((ns, ctx) => uniqueBy(ns, (n) => n, "network", ctx)).optional(),
  labels: zLabels.optional(),
  restart: zRestart.default({ name: "unless-stopped" }),
  user: zContainerUser.optional(),
  /** Memory limit, in bytes once parsed. */
  memory: zSize.refine((b) => b >= MIN_MEMORY && b <= MAX_MEMORY, {
    error: "expected at least 6MiB (Docker's minimum) and at most 4TiB"
  }).optional(),
  cpus: zCpus.optional(),
  log: logSchema.optional(),
  "extra-hosts": array(zExtraHost, { error: `${EXTRA_HOST_HELP}, in a list` }).optional(),
  health: healthSchema.optional(),
  /** The roles of the hosts this service runs on (targets' roles); default: every host. */
  roles: zRoles.optional(),
  /** Time a container gets between SIGTERM and SIGKILL when it is stopped. */
  "stop-grace": zDurationIn(0, 36e5).default(1e4),
  /** When the image is pulled: always, missing or never (default: by whether the image names a registry host). */
  pull: _enum(["always", "missing", "never"], { error: "expected always, missing or never" }).optional()
}).superRefine((s, ctx) => {
  if (s.network === "bridge" && s["host-ports"] !== void 0 && s.port === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["port"],
      message: "host-ports are published to the container port: set port"
    });
  }
  if (s.networks !== void 0 && s.network !== "bridge") {
    ctx.addIssue({
      code: "custom",
      path: ["networks"],
      message: "networks apply to network: bridge (a container on the host network joins no other network)"
    });
  }
  for (const name of Object.keys(s["secret-env"] ?? {})) {
    if (s.env?.[name] !== void 0) {
      ctx.addIssue({ code: "custom", path: ["secret-env", name], message: `${name} is also in env: keep one` });
    } else if (s.network === "host" && name === s["port-env"]) {
      ctx.addIssue({
        code: "custom",
        path: ["secret-env", name],
        message: `${name} is the port-env variable, which the toolkit sets to each replica's port`
      });
    }
  }
});
var STRATEGY_TYPES = ["recreate", "rolling", "blue-green", "canary"];
var nginxProxySchema = strictObject({
  "upstream-file": zAbsPath,
  /** `runbook maintenance on|off`: where the upstream points while the site is in maintenance (schema-maintenance.ts). */
  maintenance: maintenanceSchema.optional(),
  upstream: zMatching(/^[A-Za-z0-9_]+$/, 'expected an nginx upstream name (letters, digits, "_")'),
  test: zArgv.default(["nginx", "-t"]),
  reload: zArgv.default(["nginx", "-s", "reload"]),
  /** nginx's pid file: a switch is done only when workers started after the reload are serving. */
  "pid-file": zAbsPath.default("/run/nginx.pid"),
  /** The service behind this upstream (default: the first service deployed). */
  service: zServiceName.optional(),
  /**
   * nginx runs in this container (name or id) on the target: `test` and `reload` are run in it through the Engine
   * API, its main process is the master (pid-file is not used), and upstream-file is the host path of the file it
   * reads (mount its directory, not the file: an atomic replace of a file mounted alone is not seen inside).
   */
  container: zMatching(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
    'expected a container name or id (letters, digits, "_", ".", "-")'
  ).optional()
});
var strategySchema = strictObject({
  type: _enum(STRATEGY_TYPES).default("rolling"),
  /** Service deploy order; every name must be a key of `services`. */
  order: array(zServiceName, { error: "expected a list of service names" }).superRefine((names, ctx) => uniqueBy(names, (n) => n, "service", ctx)).optional(),
  "max-surge": zInt(0, 100).default(1),
  ...fleetStrategyKeys,
  drain: zDurationIn(0, 36e5).default(1e4),
  /** Releases kept for instant rollback (the current one included), at least 2. */
  "keep-releases": zInt(2, 100).default(3),
  /** Remove the images of releases that retention removes (never one a kept release uses). */
  "prune-images": boolean({ error: "expected true or false" }).default(true),
  proxy: strictObject({ nginx: nginxProxySchema }).optional(),
  /** engine: containers through the Docker API; compose: the compose CLI on the host; swarm: a Docker Swarm service
   * per config service, updated by Swarm. Default: compose when a compose section exists, else engine. */
  driver: _enum(["engine", "compose", "swarm"], { error: "expected engine, compose or swarm" }).optional(),
  /** driver swarm: the service's update (and rollback) config, and how long a deploy waits for convergence. */
  swarm: swarmSchema.optional(),
  "blue-green": blueGreenSchema.default(blueGreenSchema.parse({})),
  canary: canarySchema.optional()
}).superRefine((s, ctx) => {
  if ((s.type === "blue-green" || s.type === "canary") && s.proxy === void 0) {
    ctx.addIssue({ code: "custom", message: `strategy ${s.type} switches traffic, so it needs proxy: { nginx: \u2026 }` });
  }
  if (s["batch-size"] !== void 0 && s["max-unavailable"] !== void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["max-unavailable"],
      message: "batch-size and max-unavailable say the same (hosts changed at once): set one of them"
    });
  }
  if (s.type === "canary" && s.canary === void 0) {
    ctx.addIssue({
      code: "custom",
      message: "strategy canary needs canary: { access-log: \u2026, steps: [\u2026], gates: {\u2026} } (at least what measures it)"
    });
  }
});

// src/config/schema-targets.ts
var jumpHostSchema = strictObject({
  host: zHost,
  port: zPort.default(22),
  user: zUser
});
var sshSchema = strictObject({
  host: zHost,
  port: zPort.default(22),
  user: zUser,
  jump: jumpHostSchema.optional(),
  "connect-timeout": zDurationIn(1e3, 10 * 6e4).default(2e4),
  "keepalive-interval": zDurationIn(100, 10 * 6e4).default(15e3)
});
var DOCKER_HOST_HELP = "expected unix:///path/to/docker.sock or tcp://host:port (a socket over SSH: an ssh target with docker-socket)";
var SOCKET_PATH = /^\/[A-Za-z0-9._/-]*$/;
function sshDockerHost(value) {
  const m = /^ssh:\/\/([^@/]+)@(\[[^\]]+\]|[^:/[\]]+)(?::(\d{1,5}))?(\/.*)?$/.exec(value);
  if (!m) return void 0;
  return { user: m[1] ?? "", host: m[2] ?? "", ...m[3] ? { port: m[3] } : {}, ...m[4] ? { path: m[4] } : {} };
}
function isDockerHost(value) {
  const unix = /^unix:\/\/(\/.*)$/.exec(value);
  if (unix !== null) return SOCKET_PATH.test(unix[1] ?? "") && !(unix[1] ?? "").split("/").includes("..");
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/[\]]+):(\d{1,5})$/.exec(value);
  if (tcp !== null) return hostPart(tcp[1]) && portPart(tcp[2]);
  const ssh = sshDockerHost(value);
  if (ssh === void 0) return false;
  const { user, host, port, path } = ssh;
  return /^[a-z_][a-z0-9_.-]{0,31}$/i.test(user) && hostPart(host) && (port === void 0 || portPart(port)) && (path === void 0 || SOCKET_PATH.test(path) && !path.split("/").includes(".."));
}
function hostPart(host) {
  if (host === void 0) return false;
  return host.startsWith("[") ? host.endsWith("]") && isHost(host.slice(1, -1)) && host.includes(":") : isHost(host);
}
function portPart(port) {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
var ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
var zEnvName = string({ error: "expected an environment variable name like DOCKER_TLS_KEY" }).regex(ENV_NAME, { error: "expected an environment variable name like DOCKER_TLS_KEY (A-Z, 0-9, _)" });
var dockerSchema = strictObject({
  host: string({ error: DOCKER_HOST_HELP }).refine(isDockerHost, { error: DOCKER_HOST_HELP }),
  /** Mutual TLS for tcp:// hosts: the environment variables holding the PEM texts (kept in memory, key masked). */
  tls: strictObject({ "ca-env": zEnvName, "cert-env": zEnvName, "key-env": zEnvName }).optional(),
  /** Allow `tcp://` without mutual TLS. The transport refuses plain TCP unless this is true. */
  "allow-plain-tcp": boolean({ error: "expected true or false" }).default(false)
}).superRefine((d, ctx) => {
  const ssh = sshDockerHost(d.host);
  if (ssh) {
    const { user, host, port, path: socket } = ssh;
    ctx.addIssue({
      code: "custom",
      path: ["host"],
      message: `${d.host}: a Docker socket over SSH is reached as an ssh target (pinned host key, the socket tunnelled through it): { name: \u2026, ssh: { host: ${host}, user: ${user}${port ? `, port: ${port}` : ""} }, docker-socket: ${socket ?? "/var/run/docker.sock"} }`
    });
  }
  if (d.tls && !d.host.startsWith("tcp://")) {
    ctx.addIssue({ code: "custom", path: ["tls"], message: "tls applies to tcp:// hosts only" });
  }
});
var TARGET_KINDS = ["ssh", "local", "docker"];
var targetSchema = strictObject({
  name: zTargetName,
  ssh: sshSchema.optional(),
  local: literal(true, { error: "expected true (local: true runs on the runner itself); remove the key otherwise" }).optional(),
  docker: dockerSchema.optional(),
  "docker-socket": zAbsPath.optional(),
  /** The roles this host plays (web, worker …): it runs the services naming one of them. Default: every service. */
  roles: zRoles.optional(),
  /**
   * Where the environment's load balancer reaches this host's replicas (IP or host name). Default: the ssh host,
   * the host of a tcp:// or ssh:// docker endpoint, 127.0.0.1 for local targets and the load balancer itself.
   */
  address: zHost.optional(),
  env: record(zEnvVarName, string({ error: "expected a text value" }), {
    error: "expected a mapping like { DOCKER_HOST: unix:///run/docker.sock }"
  }).optional()
}).superRefine((t, ctx) => {
  exactlyOne(t, TARGET_KINDS, "a target", ["name", ...TARGET_KINDS, "docker-socket", "env", "roles", "address"], ctx);
  for (const key of ["docker-socket", "env"]) {
    if (t.docker !== void 0 && t[key] !== void 0) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `${key} applies to ssh and local targets, not docker ones`
      });
    }
  }
}).transform((t) => {
  const roles = { ...t.roles ? { roles: t.roles } : {}, ...t.address ? { address: t.address } : {} };
  const extras = { "docker-socket": t["docker-socket"] ?? "/var/run/docker.sock", env: t.env ?? {}, ...roles };
  if (t.ssh !== void 0) return { name: t.name, kind: "ssh", ssh: t.ssh, ...extras };
  if (t.docker !== void 0) return { name: t.name, kind: "docker", docker: t.docker, ...roles };
  return { name: t.name, kind: "local", local: true, ...extras };
});
var environmentSchema = strictObject({
  /** Public URL: the deployment's environment_url and the base for relative smoke-check URLs. */
  url: zHttpUrl.optional(),
  targets: array(targetSchema, {
    error: "expected a list of targets like [{ name: web1, ssh: { host: 10.0.0.5, user: deploy } }]"
  }).min(1, { error: "expected at least one target" }).superRefine((targets, ctx) => uniqueBy(targets, (t) => t.name, "target name", ctx, "name")),
  /** Journal and lock directory on the primary (first) target. Defaults to /var/lib/runbook/<app>. */
  "state-dir": zAbsPath.optional(),
  /**
   * The target whose nginx fronts every host of the environment (strategy.proxy.nginx's files are on it): its
   * upstream lists each host's replicas at the host's `address`. Default: each host's own nginx fronts its replicas.
   */
  "load-balancer": zTargetName.optional(),
  /** Overrides of the top-level `checks:` for this environment (keys given here win). */
  checks: checksOverrideSchema.optional()
});

// src/config/schema.ts
var rootSchema = strictObject({
  /** Used in names: locks, journal, backups, labels. */
  app: zAppName,
  environments: record(zEnvironmentName, environmentSchema, { error: "expected a mapping of environment names to environments" }).refine((envs) => Object.keys(envs).length > 0, { error: "expected at least one environment, like production:" }),
  compose: composeSchema.optional(),
  services: record(zServiceName, serviceSchema, { error: "expected a mapping of service names to services" }).optional(),
  strategy: strategySchema.prefault({}),
  database: databaseSchema.optional(),
  checks: checksSchema.prefault({}),
  smoke: smokeSchema.optional(),
  notifications: notificationsSchema.default([])
});
function crossCheck(config, ctx) {
  const services = Object.keys(config.services ?? {});
  const known = services.length === 0 ? "no services are defined" : `defined services: ${services.join(", ")}`;
  config.strategy.order?.forEach((name, i) => {
    if (!services.includes(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["strategy", "order", i],
        message: `unknown service ${show(name)} (${known})`
      });
    }
  });
  const migrateService = config.database?.migrate?.service;
  if (migrateService !== void 0 && !services.includes(migrateService)) {
    ctx.addIssue({
      code: "custom",
      path: ["database", "migrate", "service"],
      message: `unknown service ${show(migrateService)} (${known})`
    });
  }
  checkNotificationEnvironments(config, ctx);
  checkRoles(config, ctx);
  checkLoadBalancer(config, ctx);
  checkSwarmTargets(config, ctx);
  checkDockerTargets(config, ctx);
}
var configSchema = rootSchema.superRefine(crossCheck).transform((config) => ({
  ...config,
  environments: Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [
      name,
      { ...env, "state-dir": env["state-dir"] ?? `/var/lib/runbook/${config.app}` }
    ])
  )
}));

// src/config/yaml-source.ts
var import_yaml = __toESM(require_dist(), 1);
var MAX_CONFIG_BYTES = 1024 * 1024;
var MAX_ALIAS_COUNT = 64;
var FRIENDLY = {
  TAB_AS_INDENT: "tab character used for indentation: YAML indents with spaces only",
  MULTIPLE_DOCS: "the file holds several YAML documents (---); put everything in one"
};
function readYaml(text, file) {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    throw new ConfigFileError(file, [{ file, message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }]);
  }
  const lineCounter = new import_yaml.LineCounter();
  let doc;
  try {
    doc = (0, import_yaml.parseDocument)(text, {
      lineCounter,
      uniqueKeys: true,
      version: "1.2",
      schema: "core",
      merge: false,
      prettyErrors: false,
      strict: true,
      stringKeys: true
    });
  } catch (err) {
    throw new ConfigFileError(file, [{ file, message: `could not parse the file as YAML: ${String(err)}` }]);
  }
  const at = (offset) => lineCounter.linePos(offset);
  const [firstSyntax] = doc.errors.filter((e) => e.code !== "DUPLICATE_KEY");
  const reported = [...doc.errors.filter((e) => e === firstSyntax || e.code === "DUPLICATE_KEY"), ...doc.warnings];
  const problems = reported.map((e) => ({
    file,
    ...at(e.pos[0]),
    message: describeYamlError(e.code, e.message, text, e.pos[0])
  }));
  if (problems.length === 0) problems.push(...checkAliases(doc, file, at));
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  if (doc.contents === null) {
    throw new ConfigFileError(file, [{ file, message: "the file is empty: it needs at least app: and environments:" }]);
  }
  if (!(0, import_yaml.isMap)(doc.contents)) {
    const kind = (0, import_yaml.isSeq)(doc.contents) ? "a list" : `the value ${show((0, import_yaml.isScalar)(doc.contents) ? doc.contents.value : "")}`;
    const pos = at(doc.contents.range?.[0] ?? 0);
    throw new ConfigFileError(file, [
      { file, ...pos, message: `the top level must be a mapping with keys like app: and environments:, not ${kind}` }
    ]);
  }
  let data;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof ReferenceError ? `anchors and aliases expand too much (limit ${MAX_ALIAS_COUNT} expansions): refusing a possible alias bomb` : `could not read the YAML: ${String(err)}`;
    throw new ConfigFileError(file, [{ file, message }]);
  }
  const locate = (path, preferKey = false) => at(offsetOf(doc, path, preferKey));
  const reserved = reservedKeyPaths(data).map((path) => ({
    file,
    ...locate(path, true),
    path: formatPath(path),
    message: reservedKeyProblem(String(path[path.length - 1])) ?? "reserved key"
  }));
  if (reserved.length > 0) throw new ConfigFileError(file, reserved);
  return { data, locate };
}
function describeYamlError(code, message, text, offset) {
  if (code === "DUPLICATE_KEY") {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:,{}[\]#\n]+?)\s*:/.exec(text.slice(offset, offset + 200))?.[1];
    return key === void 0 ? "duplicate key" : `duplicate key ${show(key.replace(/^["']|["']$/g, ""))}`;
  }
  if (/call stack/i.test(message)) return "the YAML is nested too deeply";
  return FRIENDLY[code] ?? message.split("\n")[0] ?? message;
}
function checkAliases(doc, file, at) {
  const problems = [];
  const anchors = /* @__PURE__ */ new Map();
  (0, import_yaml.visit)(doc, {
    Node(_key, node, path) {
      if ((0, import_yaml.isAlias)(node)) {
        const target = anchors.get(node.source);
        const pos = at(node.range?.[0] ?? 0);
        if (target === void 0)
          problems.push({ file, ...pos, message: `alias *${node.source} has no anchor &${node.source} before it` });
        else if (path.includes(target))
          problems.push({ file, ...pos, message: `alias *${node.source} refers to a node containing itself` });
        return;
      }
      if (node.anchor !== void 0) anchors.set(node.anchor, node);
    }
  });
  return problems;
}
function offsetOf(doc, path, preferKey) {
  let node = doc.contents;
  let offset = 0;
  for (const [i, seg] of path.entries()) {
    if ((0, import_yaml.isAlias)(node)) node = node.resolve(doc);
    const start = node?.range?.[0];
    if (start !== void 0) offset = start;
    if ((0, import_yaml.isMap)(node)) {
      const pair = node.items.find((p) => (0, import_yaml.isScalar)(p.key) && String(p.key.value) === String(seg));
      if (pair === void 0) return offset;
      const keyStart = pair.key.range?.[0] ?? offset;
      const value = pair.value;
      const last = i === path.length - 1;
      if (last && (preferKey || value === null || (0, import_yaml.isScalar)(value) && value.value === null)) return keyStart;
      offset = keyStart;
      node = value;
    } else if ((0, import_yaml.isSeq)(node)) {
      const item = node.items[Number(seg)];
      if (item === void 0) return offset;
      node = item;
    } else {
      return offset;
    }
  }
  if ((0, import_yaml.isAlias)(node)) return node.range?.[0] ?? offset;
  return node?.range?.[0] ?? offset;
}

// src/config/loader.ts
function parseConfig(text, fileName) {
  const source = readYaml(text, fileName);
  const result = configSchema.safeParse(source.data, { error: () => NO_MESSAGE });
  if (result.success) return result.data;
  throw new ConfigFileError(fileName, toProblems(result.error.issues, source, fileName, configSchema));
}
function kindOf(st) {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
function notRegular(path, st) {
  return new ConfigError(`config path ${path} is ${kindOf(st)}, not a regular file: give the path of runbook.yml`);
}
async function readBounded(fh, cap) {
  const buf = Buffer.alloc(cap + 1);
  let length = 0;
  while (length < buf.length) {
    const { bytesRead } = await fh.read(buf, length, buf.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buf.subarray(0, length);
}
async function readConfigText(path) {
  let fh;
  try {
    const before = await stat(path);
    if (!before.isFile()) throw notRegular(path, before);
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(path, st);
    const bytes = await readBounded(fh, MAX_CONFIG_BYTES);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new ConfigFileError(path, [{ file: path, message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }]);
    }
    return bytes.toString("utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = err.code;
    if (code === "ENOENT") {
      throw new ConfigError(`config file not found: ${path} (set its path with the action's \`config\` input)`);
    }
    throw new ConfigError(`cannot read config file ${path}: ${err.message}`);
  } finally {
    await fh?.close();
  }
}
async function loadConfig(path) {
  return parseConfig(await readConfigText(path), path);
}
function environmentOf(config, name) {
  const env = Object.hasOwn(config.environments, name) ? config.environments[name] : void 0;
  if (env !== void 0) return env;
  const known = Object.keys(config.environments);
  const guess = closest(name, known);
  const hint = guess === void 0 ? "" : ` (did you mean ${JSON.stringify(guess)}?)`;
  throw new ConfigError(`unknown environment ${JSON.stringify(name)}${hint}; the config defines: ${known.join(", ")}`);
}
function checksFor(config, name) {
  return mergeChecks(config.checks, environmentOf(config, name).checks);
}

export {
  satisfies,
  parseConfig,
  loadConfig,
  environmentOf,
  checksFor
};
