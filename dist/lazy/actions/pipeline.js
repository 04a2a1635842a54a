import {
  ROLLBACK_SCOPES
} from "../chunks/chunk-WERD35OI.js";
import "../chunks/chunk-A62OTTOU.js";
import {
  backupIdInput,
  commonInputs,
  lockWaitInput,
  registryInputs,
  zBackupId,
  zReason
} from "../chunks/chunk-NHD6ZXYZ.js";
import "../chunks/chunk-I2HXHZA3.js";
import {
  parseInputs,
  pipe,
  refine,
  string,
  transform,
  url,
  zBool,
  zDurationInput,
  zList,
  zOneOf,
  zPattern,
  zText
} from "../chunks/chunk-EJRZIOAP.js";
import {
  wrapDecision
} from "../chunks/chunk-OIFOA7EI.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-QETEGG6J.js";
import {
  NEVER,
  _minLength
} from "../chunks/chunk-PDEXDIYD.js";
import {
  maintenanceOn
} from "../chunks/chunk-EK5O6WXV.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

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
  },
  "lock-wait": lockWaitInput
};

// src/core/untrusted.ts
var DOTNET_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
var LEADING_SPACE = new RegExp(`^[${DOTNET_SPACE}]+`);

// src/core/runner-actions.ts
var { appendFileSync, writeSync } = process.getBuiltinModule("node:fs");
var { EOL } = process.getBuiltinModule("node:os");

// src/actions/module.ts
function defineAction(m) {
  return m;
}
function prepareRun(ctx, mod, opts = {}) {
  const inputs = parseInputs(ctx.runner, ctx.log, mod.inputs);
  let opened = opts.session && Promise.resolve(opts.session);
  const open = async () => {
    const common = inputs;
    const [{ EnvironmentSession }, { liveConnector }] = await Promise.all([
      import("../session/session.js"),
      import("../session/connector.js")
    ]);
    const connector = opts.connector ?? liveConnector(
      {
        privateKey: common["ssh-private-key"],
        passphrase: common["ssh-private-key-passphrase"],
        knownHosts: common["ssh-known-hosts"],
        insecureIgnoreHostKey: common["ssh-insecure-ignore-host-key"]
      },
      ctx.log,
      ctx.signal,
      ctx.clock,
      ctx.runner.env
    );
    const session = await EnvironmentSession.open(ctx, common, connector);
    ctx.onCleanup(() => session.close());
    return session;
  };
  return {
    ...ctx,
    inputs,
    session: () => {
      opened ??= open();
      return opened;
    }
  };
}

// src/actions/declare/backup.ts
var backupAction = defineAction({
  name: "backup",
  summary: "Back up the database (pg_dump), prove it restorable, record it, apply retention",
  inputs: backupInputs,
  main: async (run) => (await import("./backup.js")).runBackup(run)
});
var backupListAction = defineAction({
  name: "backup-list",
  summary: "List the backups of an environment (runbook backup list): verified, size, age",
  inputs: backupListInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli.js")).runBackupList(run)
});
var backupVerifyAction = defineAction({
  name: "backup-verify",
  summary: "Verify a backup again: runbook backup verify <id> (sha256, then restore or list)",
  inputs: backupVerifyInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli.js")).runBackupVerify(run)
});
var backupRestoreAction = defineAction({
  name: "backup-restore",
  summary: "Restore a backup over the database: runbook backup restore <id> --confirm <database>",
  inputs: backupRestoreInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli.js")).runBackupRestore(run)
});

// src/inputs/deploy.ts
var VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var zServices = zList((s) => /^[a-z0-9][a-z0-9_-]{0,62}$/.test(s), "expected service names separated by commas");
var deployInputs = {
  ...commonInputs,
  version: {
    description: 'The image tag to deploy (letters, digits, "_", ".", "-"; at most 128 characters)',
    required: true,
    schema: zPattern(
      VERSION,
      'expected an image tag: letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"'
    )
  },
  services: {
    description: "Deploy only these services (comma-separated); default: every service",
    schema: zServices
  },
  strategy: {
    description: "Override strategy.type for this run: recreate, rolling, blue-green or canary",
    schema: zOneOf(["recreate", "rolling", "blue-green", "canary"], "expected recreate, rolling, blue-green or canary")
  },
  "lock-wait": lockWaitInput,
  "backup-id": backupIdInput,
  ...registryInputs
};

// src/actions/declare/deploy.ts
var deployAction = defineAction({
  name: "deploy",
  summary: "Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time",
  inputs: deployInputs,
  locks: true,
  main: async (run) => (await import("./deploy.js")).runDeploy(run)
});

// src/actions/declare/init.ts
var absPath = zText(
  (v) => v.startsWith("/") && !/[\p{Cc}]/u.test(v) && !v.split("/").includes(".."),
  'expected an absolute path (starting with "/", no ".." or control characters)'
);
var initInputs = {
  path: {
    description: "Where to write the config (the starter, or the proposal with from-ssh)",
    default: "runbook.yml",
    schema: zText((v) => !v.includes("\0") && !v.includes("\n"), "expected a file path")
  },
  force: {
    description: "Overwrite the file when it exists",
    default: "false",
    schema: zBool
  },
  app: {
    description: "The app's name in the starter (default: the name of the file's directory; with from-ssh, the compose project's)",
    schema: zPattern(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'expected lowercase letters, digits and "-" (at most 63, like "shop")'
    )
  },
  environment: {
    description: "The name of the environment the config describes",
    default: "production",
    schema: commonInputs.environment.schema
  },
  "from-ssh": {
    description: "Propose the config of a server set up by hand, read over SSH as user@host[:port] (read only: nothing changes)",
    schema: zPattern(/^[^@\s]+@\S+$/, "expected user@host or user@host:port")
  },
  "ssh-private-key": commonInputs["ssh-private-key"],
  "ssh-private-key-passphrase": commonInputs["ssh-private-key-passphrase"],
  "ssh-known-hosts": commonInputs["ssh-known-hosts"],
  "ssh-insecure-ignore-host-key": commonInputs["ssh-insecure-ignore-host-key"],
  "nginx-conf": {
    description: "With from-ssh: the nginx.conf to read (and the files it includes)",
    default: "/etc/nginx/nginx.conf",
    schema: absPath
  },
  "docker-socket": {
    description: "With from-ssh: the Docker socket on the server, when it is not /var/run/docker.sock",
    schema: absPath
  },
  "compose-project": {
    description: "With from-ssh: the compose project to propose (default: the one behind an nginx upstream)",
    schema: zPattern(/^[a-z0-9][a-z0-9_-]*$/, 'expected a compose project name (lowercase letters, digits, "_", "-")')
  }
};
var initAction = defineAction({
  name: "init",
  summary: "Write a commented starter runbook.yml (--path FILE, --app NAME, --force to overwrite), or propose one from a server set up by hand (--from-ssh user@host[:port])",
  inputs: initInputs,
  cliOnly: true,
  main: async (run) => (await import("./init.js")).runInit(run)
});

// src/inputs/maintenance.ts
var maintenanceInputs = {
  ...commonInputs,
  mode: {
    description: "on: point the nginx upstream at the maintenance page (strategy.proxy.nginx.maintenance) and record it in the journal; off: put the upstream back (as it was, or the live release when a deploy ran meanwhile). Both can run twice",
    required: true,
    schema: zOneOf(["on", "off"], "expected on or off")
  },
  reason: {
    description: 'Why (recorded in the journal with "on", shown by status and in the summary), e.g. "schema change"',
    schema: zReason
  },
  "lock-wait": lockWaitInput
};

// src/actions/declare/maintenance.ts
var maintenanceAction = defineAction({
  name: "maintenance",
  summary: "Maintenance mode: runbook maintenance on|off points the nginx upstream at a 503 page and back",
  inputs: maintenanceInputs,
  locks: true,
  main: async (run) => (await import("./maintenance.js")).runMaintenance(run)
});

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
  main: async (run) => (await import("./migrate.js")).runMigrate(run)
});

// src/inputs/rollback.ts
var RELEASE_ID = /^\d{8}T\d{6}Z-[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var zScope = pipe(
  string(),
  transform((v, ctx) => {
    const list = v.split(/[\s,]+/).filter((s) => s !== "");
    const fail = (message) => {
      ctx.issues.push({ code: "custom", message, input: v });
      return NEVER;
    };
    if (list.length === 0) return fail(`expected one or more of ${ROLLBACK_SCOPES.join(", ")}`);
    if (!list.every((s) => ROLLBACK_SCOPES.includes(s)))
      return fail(`expected a comma-separated list of ${ROLLBACK_SCOPES.join(", ")}`);
    return list;
  })
);
var rollbackInputs = {
  ...commonInputs,
  "release-id": {
    description: "The release to restore (e.g. the deploy action's previous-release-id output); default: the release that was live before the live one",
    schema: zPattern(RELEASE_ID, "expected a release id like 20261123T131500Z-v2 (see: runbook status)")
  },
  scope: {
    description: "What to roll back, comma-separated: image (containers and nginx upstream), traffic (the upstream only), migration (downgrade to the revision before), database (restore the pre-deploy backup; needs restore-database)",
    default: "image",
    schema: zScope
  },
  "restore-database": {
    description: "Confirms the database scope: restore the pre-deploy backup (after a safety backup); every write since that backup is lost",
    default: "false",
    schema: zBool
  },
  smoke: {
    description: "Run the smoke checks (smoke: in the config) against the restored release",
    default: "true",
    schema: zBool
  },
  reason: {
    description: 'Why (recorded in the journal), e.g. "smoke test failed"',
    schema: zReason
  },
  "lock-wait": lockWaitInput,
  ...registryInputs
};

// src/inputs/pipeline.ts
var pipelineInputs = {
  ...commonInputs,
  version: deployInputs.version,
  services: deployInputs.services,
  strategy: deployInputs.strategy,
  "lock-wait": lockWaitInput,
  ...registryInputs,
  "fail-on": {
    description: 'Stop before any change when the pre-deploy check finds an "error" (or a "warning" too)',
    default: "error",
    schema: zOneOf(["error", "warning"], "expected error or warning")
  },
  rollback: {
    description: "Roll back automatically when the deploy or the smoke test fails (a failed migration in one transaction changed nothing)",
    default: "true",
    schema: zBool
  },
  "rollback-scope": {
    description: `What the automatic rollback restores, comma-separated (${ROLLBACK_SCOPES.join(", ")}); database also needs restore-database`,
    default: "image,migration",
    schema: zScope
  },
  maintenance: {
    description: "Wrap migrate and deploy in maintenance mode (strategy.proxy.nginx.maintenance): auto when the pending migration has destructive statements (its dry-run SQL; a tool that cannot print it is not wrapped), always, or never. Wrapped: maintenance on, migrate, deploy, maintenance off, then the smoke test through the live site. A failed migration or a deploy not rolled back still turns it off; a failed deploy is rolled back while the page still answers (no request reaches the old release before its schema is back), then off; if that rollback fails, maintenance stays on (fix, then runbook maintenance off). Already on before the run: the run stays inside it, leaves it on and runs no smoke test",
    default: "auto",
    schema: zOneOf(["auto", "always", "never"], "expected auto, always or never")
  },
  "restore-database": {
    description: "Allow the automatic rollback to restore the pre-deploy backup (scope database); loses later writes",
    default: "false",
    schema: zBool
  }
};

// src/actions/declare/pipeline.ts
var pipelineAction = defineAction({
  name: "pipeline",
  summary: "The whole pipeline (the root action): check, backup, migrate, deploy, smoke test; rollback on failure",
  inputs: pipelineInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./pipeline.js")).runPipeline(run)
});

// src/inputs/pre-deploy-check.ts
var preDeployCheckInputs = {
  ...commonInputs,
  "fail-on": {
    description: 'Fail the step on "error" (failed checks) or on "warning" (warnings too)',
    default: "error",
    schema: zOneOf(["error", "warning"], "expected error or warning")
  }
};

// src/actions/declare/pre-deploy-check.ts
var preDeployCheckAction = defineAction({
  name: "pre-deploy-check",
  summary: "Check config, hosts (reachable, disk, docker, compose), secrets and deploy windows",
  inputs: preDeployCheckInputs,
  main: async (run) => (await import("./pre-deploy-check.js")).runPreDeployCheck(run)
});

// src/inputs/promote.ts
var promoteInputs = {
  ...commonInputs,
  decision: {
    description: "promote: run the canary's remaining steps (each judged) and make it the live release; abort: the live release takes all traffic back, the canary is stopped",
    default: "promote",
    schema: zOneOf(["promote", "abort"], "expected promote or abort")
  },
  reason: {
    description: "Why (recorded in the journal)",
    schema: zReason
  },
  "lock-wait": lockWaitInput
};
var { decision: _decision, ...abortOnly } = promoteInputs;
var abortInputs = abortOnly;

// src/actions/declare/promote.ts
var promoteAction = defineAction({
  name: "promote",
  summary: "Move an open canary on (its remaining steps, each judged) or, with decision abort, take it out",
  inputs: promoteInputs,
  locks: true,
  main: async (run) => (await import("./promote.js")).runPromote(run, run.inputs.decision)
});
var abortAction = defineAction({
  name: "abort",
  summary: "Take an open canary out: the live release takes all traffic back, the canary is stopped",
  inputs: abortInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./promote.js")).runPromote(run, "abort")
});

// src/actions/declare/rollback.ts
var rollbackAction = defineAction({
  name: "rollback",
  summary: "Restore a recorded release (default: the one before the live one): image, traffic, migration, database",
  inputs: rollbackInputs,
  locks: true,
  main: async (run) => (await import("./rollback.js")).runRollback(run)
});

// src/inputs/smoke.ts
var smokeInputs = {
  ...commonInputs,
  url: {
    description: "Base URL for relative check URLs (default: the environment url from the config)",
    // As the config's URLs (config/fields.ts zHttpUrl): no `user:password@`, which would be printed and sent.
    schema: url({ protocol: /^https?$/, error: "expected an http(s) URL" }).check(
      refine(
        (s) => !URL.canParse(s) || new URL(s).username === "" && new URL(s).password === "",
        "a URL must not contain credentials: pass secrets through environment variables"
      )
    )
  },
  wait: {
    description: "Retry failing checks for this long before giving up (default: smoke.wait, else 0s)",
    schema: zDurationInput
  },
  checks: {
    description: `Checks as YAML, the shape of smoke.checks (e.g. "- { name: ready, url: /health, expect: { json: { status: ok } } }"); replaces the config's checks`,
    schema: zText(() => true, "expected YAML text")
  }
};

// src/actions/declare/smoke-test.ts
var smokeTestAction = defineAction({
  name: "smoke-test",
  summary: "Check the live release: HTTP checks with JSON assertions, retried until smoke.wait; a latency sample",
  inputs: smokeInputs,
  main: async (run) => (await import("./smoke-test.js")).runSmokeTest(run)
});

// src/inputs/status.ts
var statusInputs = { ...commonInputs };
var unlockInputs = {
  ...commonInputs,
  reason: {
    description: "Why the lock is removed (logged with the lease it removes)",
    required: true,
    schema: string().check(_minLength(3, "expected a short reason"))
  }
};

// src/actions/declare/status.ts
var statusAction = defineAction({
  name: "status",
  summary: "Show the deploy lock and the journal of an environment",
  inputs: statusInputs,
  cliOnly: true,
  main: async (run) => (await import("./status.js")).runStatus(run)
});
var unlockAction = defineAction({
  name: "unlock",
  summary: 'Remove a stale deploy lock (--input reason="\u2026")',
  inputs: unlockInputs,
  cliOnly: true,
  main: async (run) => (await import("./status.js")).runUnlock(run)
});

// src/actions/sub-step.ts
async function runSubStep(ctx, mod, inputs) {
  const { name } = mod;
  const outputs = {};
  const runner = {
    ...ctx.runner,
    getInput: (n) => inputs[n] ?? ctx.runner.getInput(n),
    setOutput: (n, v) => {
      outputs[n] = v;
    },
    setFailed: () => void 0
  };
  const cleanups = [];
  const sub = { ...ctx, runner, onCleanup: (f) => cleanups.push(f) };
  const started = ctx.clock.now().getTime();
  let error;
  try {
    const session = await ctx.session();
    await ctx.log.group(`Step: ${name}`, () => mod.main(prepareRun(sub, mod, { session })));
  } catch (err) {
    error = errorMessage(err);
  } finally {
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()?.();
      } catch (err) {
        ctx.log.warn(`${name}: cleanup failed: ${errorMessage(err)}`);
      }
    }
  }
  const seconds = (ctx.clock.now().getTime() - started) / 1e3;
  return { name, ok: error === void 0, seconds, outputs, error };
}

// src/actions/pipeline.ts
function timelineLine(at, s, detail) {
  return `${`+${at.toFixed(1)}s`.padStart(8)}  ${s.name.padEnd(18)} ${(s.ok ? "ok" : "FAILED").padEnd(7)} ${`${s.seconds.toFixed(1)}s`.padStart(7)}  ${detail}`;
}
function detailOf(s) {
  const o = s.outputs;
  if (!s.ok) return s.error ?? "";
  switch (s.name) {
    case "backup":
      return `${o["backup-id"]} (verified ${o.verified})`;
    case "migrate":
      return `schema ${o["revision-before"] || "(none)"} \u2192 ${o["revision-after"] || "(none)"}`;
    case "deploy":
      return `release ${o["release-id"]} live${o["previous-version"] ? ` (was ${o["previous-version"]})` : ""}`;
    case "rollback":
      return `restored ${o["restored-version"]} (${o["restored-release-id"]})${o["migration-revision"] ? `, schema ${o["migration-revision"]}` : ""}`;
    case "migrate plan":
      return `${o["destructive-statements"] ?? "unknown"} destructive statement(s)`;
    case "maintenance on":
      return o.address ? `traffic \u2192 the maintenance page (${o.address})` : "planned";
    case "maintenance off":
      return "traffic back to the live release";
    default:
      return o.passed ? `passed=${o.passed}` : "";
  }
}
async function runPipeline(ctx) {
  const { log, runner, clock, inputs } = ctx;
  const session = await ctx.session();
  const { config } = session;
  const t0 = clock.now().getTime();
  const steps = [];
  const step = async (mod, extra = {}, label = mod.name) => {
    const at = (clock.now().getTime() - t0) / 1e3;
    const s = { ...await runSubStep(ctx, mod, extra), name: label };
    steps.push({ at, s });
    log.info(timelineLine(at, s, detailOf(s)));
    return s;
  };
  const db = config.database;
  const dry = inputs["dry-run"];
  let failed;
  let rolledBack;
  let maintenanceLeft;
  const pre = await step(preDeployCheckAction);
  let deploy;
  let smoke;
  if (!pre.ok) failed = pre;
  else {
    if (!dry) await session.lock(ctx, inputs["lock-wait"]);
    const backupId = { "backup-id": "" };
    const backup = db?.backup && !dry ? await step(backupAction) : void 0;
    if (backup && !backup.ok) failed = backup;
    backupId["backup-id"] = backup?.outputs["backup-id"] ?? "";
    const held = maintenanceOn(await (await session.journal()).read());
    const configured = config.strategy.proxy?.nginx.maintenance !== void 0;
    const planned = !failed && !held && inputs.maintenance === "auto" && configured && db?.migrate ? await step(migrateAction, { ...backupId, "dry-run": "true" }, "migrate plan") : void 0;
    const destructive = planned?.outputs["destructive-statements"];
    const wrap = held ? { wrap: false, why: `it is already on, since ${held.since}: this run stays inside it and leaves it on` } : wrapDecision({
      mode: inputs.maintenance,
      configured,
      migrates: Boolean(db?.migrate),
      destructive: destructive === void 0 ? void 0 : Number(destructive)
    });
    if (!failed && (wrap.wrap || held || inputs.maintenance !== "auto" || configured))
      log.info(
        `maintenance: ${wrap.wrap ? "migrate and deploy run on the maintenance page" : "not used"} (${wrap.why})`
      );
    if (!failed && wrap.wrap) {
      const on = await step(
        maintenanceAction,
        { mode: "on", reason: `pipeline ${inputs.version}: ${wrap.why}` },
        "maintenance on"
      );
      if (!on.ok) failed = on;
      else if (!dry) maintenanceLeft = "on";
    }
    const migrate = !failed && db?.migrate ? dry && planned ? planned : await step(migrateAction, backupId) : void 0;
    if (migrate && !migrate.ok) failed = migrate;
    if (!failed) {
      deploy = await step(deployAction, backupId);
      if (!deploy.ok) failed = deploy;
    }
    const previous = deploy?.outputs["previous-release-id"];
    const rollBack = async (extra = {}) => {
      if (!failed || dry || !inputs.rollback || !deploy?.outputs["release-id"]) return void 0;
      if (!previous) {
        log.warn("the failed release was the first of this environment: there is nothing to roll back to");
        return void 0;
      }
      return step(rollbackAction, {
        "release-id": previous,
        scope: inputs["rollback-scope"].join(","),
        "restore-database": String(inputs["restore-database"]),
        reason: `${failed.name} failed`,
        ...extra
      });
    };
    if (maintenanceLeft === "on") {
      if (failed === deploy) rolledBack = await rollBack({ smoke: "false" });
      if (rolledBack && !rolledBack.ok) {
        log.warn(
          'the rollback failed, so the site stays on the maintenance page: fix it, then "runbook maintenance off"'
        );
      } else {
        if (failed)
          log.info(`${failed.name} failed${rolledBack ? " and was rolled back" : ""}: turning maintenance off`);
        const off = await step(maintenanceAction, { mode: "off" }, "maintenance off");
        if (off.ok) maintenanceLeft = "off";
        else {
          log.warn('maintenance off failed: the site stays on the maintenance page; run "runbook maintenance off"');
          failed ??= off;
        }
      }
      if (rolledBack?.ok && maintenanceLeft === "off" && config.smoke) {
        const restored = await step(smokeTestAction, {}, "smoke (restored)");
        if (!restored.ok) log.warn(`the restored release fails its smoke test: ${restored.error}`);
      }
    }
    if (!failed && config.smoke && held)
      log.info('the smoke test waits for "runbook maintenance off": the site is on the maintenance page');
    else if (!failed && config.smoke) {
      smoke = await step(smokeTestAction);
      if (!smoke.ok) failed = smoke;
    }
    if (held) maintenanceLeft = "on";
    if (!rolledBack && (failed === deploy || failed === smoke)) rolledBack = await rollBack();
  }
  const last = steps.at(-1);
  const total = last ? last.at + last.s.seconds : 0;
  const out = (name) => steps.find(({ s }) => s.name === name)?.s.outputs ?? {};
  const published = {
    "release-id": out("deploy")["release-id"],
    "previous-release-id": out("deploy")["previous-release-id"],
    "previous-version": out("deploy")["previous-version"],
    "backup-id": out("backup")["backup-id"],
    "revision-before": out("migrate")["revision-before"],
    "revision-after": out("migrate")["revision-after"],
    "smoke-passed": out("smoke-test").passed,
    "restored-release-id": out("rollback")["restored-release-id"],
    maintenance: maintenanceLeft,
    canary: out("deploy").canary || void 0
  };
  const paused = out("deploy").canary === "paused";
  for (const [k, v] of Object.entries(published)) if (v !== void 0) runner.setOutput(k, v);
  runner.setOutput("failed-step", failed?.name ?? "");
  runner.setOutput("rolled-back", String(rolledBack?.ok ?? false));
  await runner.appendSummary(
    [
      `### Pipeline: ${failed ? `${failed.name} failed${rolledBack?.ok ? ", rolled back" : ""}` : paused ? "canary paused until promoted" : "deployed"} (${inputs.environment}, ${inputs.version})${maintenanceLeft === "on" ? " \u2014 the site is still on the maintenance page" : ""}`,
      "",
      "| at | step | result | took | detail |",
      "| ---: | --- | --- | ---: | --- |",
      ...steps.map(
        ({ at, s }) => `| +${at.toFixed(1)}s | ${s.name} | ${s.ok ? "\u2705" : "\u274C"} | ${s.seconds.toFixed(1)}s | ${detailOf(s).replaceAll("|", "\\|")} |`
      ),
      ""
    ].join("\n")
  );
  if (failed) {
    const after = rolledBack ? rolledBack.ok ? `; rolled back to ${rolledBack.outputs["restored-version"]} (${rolledBack.outputs["restored-release-id"]})` : `; the rollback failed too: ${rolledBack.error}` : "";
    const page = maintenanceLeft === "on" ? "; the site stays on the maintenance page (runbook maintenance off)" : "";
    throw new UserError(`${failed.name} failed: ${failed.error}${after}${page}`);
  }
  log.info(
    paused ? `pipeline done in ${total.toFixed(1)}s: the canary ${inputs.version} serves its share on ${inputs.environment} until promoted (runbook promote / runbook abort)` : `pipeline done in ${total.toFixed(1)}s: ${inputs.version} is live on ${inputs.environment}`
  );
}
export {
  runPipeline,
  timelineLine
};
