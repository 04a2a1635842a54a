import "../chunks/chunk-A62OTTOU.js";
import {
  ROLLBACK_SCOPES
} from "../chunks/chunk-WERD35OI.js";
import {
  selectServices,
  wrapLogger
} from "../chunks/chunk-7K7TJMIL.js";
import "../chunks/chunk-D4DYHYTW.js";
import "../chunks/chunk-HFQKBZ7N.js";
import "../chunks/chunk-NO3PKMBD.js";
import {
  backupIdInput,
  commonInputs,
  deploymentInput,
  incidentIssueInput,
  lockWaitInput,
  postStatus,
  registryInputs,
  zBackupId,
  zReason
} from "../chunks/chunk-AZJ2ORYW.js";
import "../chunks/chunk-I2HXHZA3.js";
import "../chunks/chunk-DLC2WS4V.js";
import "../chunks/chunk-5V63FDDH.js";
import "../chunks/chunk-ZB3KG7PJ.js";
import "../chunks/chunk-5OHRL654.js";
import "../chunks/chunk-RB6QVMVN.js";
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
} from "../chunks/chunk-NCLL3RXK.js";
import "../chunks/chunk-QDKZOZWX.js";
import "../chunks/chunk-D2JJZR5M.js";
import "../chunks/chunk-JZF2JHVW.js";
import "../chunks/chunk-2IS7G2IM.js";
import {
  checkEnvOverrides
} from "../chunks/chunk-EXGLFXK3.js";
import "../chunks/chunk-HEVGDBH7.js";
import "../chunks/chunk-6PYKIDPT.js";
import {
  wrapDecision
} from "../chunks/chunk-OIFOA7EI.js";
import "../chunks/chunk-7NDG7RRJ.js";
import "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import "../chunks/chunk-UXZUOFCM.js";
import "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import {
  maintenanceOn
} from "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  notifyRun
} from "../chunks/chunk-IVJAZNWL.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import {
  detailOf,
  pipelineSections,
  pipelineVerdict,
  postPlanComment,
  reportIncident,
  stagesOf,
  timelineLine
} from "../chunks/chunk-OJDE2VAN.js";
import "../chunks/chunk-5BJCLG46.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import {
  NEVER,
  _minLength
} from "../chunks/chunk-WNIEMWDA.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
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

// src/core/runner-actions.ts
var { appendFileSync, writeSync } = process.getBuiltinModule("node:fs");
var { EOL } = process.getBuiltinModule("node:os");

// src/actions/module.ts
function defineAction(m) {
  return m;
}
function prepareRun(ctx, mod, opts = {}) {
  const inputs = parseInputs(ctx.runner, ctx.log, mod.inputs);
  const report = { sections: [], outputs: {} };
  const parent = ctx.runner;
  const runner = {
    ...parent,
    appendSummary: async (markdown) => {
      report.sections.push(markdown);
    },
    setOutput: (name, value) => {
      report.outputs[name] = value;
      parent.setOutput(name, value);
    }
  };
  ctx = { ...ctx, runner };
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
    report,
    nested: opts.session !== void 0,
    session: () => {
      opened ??= open();
      return opened;
    }
  };
}

// src/actions/declare/backup.ts
var backupAction = defineAction({
  name: "backup",
  title: "Backup",
  verdicts: { ok: "backed up", failed: "failed" },
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
  title: "Backup verify",
  verdicts: { ok: "passed", failed: "failed" },
  summary: "Verify a backup again: runbook backup verify <id> (sha256, then restore or list)",
  inputs: backupVerifyInputs,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli.js")).runBackupVerify(run)
});
var backupRestoreAction = defineAction({
  name: "backup-restore",
  title: "Backup restore",
  verdicts: { ok: "restored", failed: "failed" },
  summary: "Restore a backup over the database: runbook backup restore <id> --confirm <database>",
  inputs: backupRestoreInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./backup-cli.js")).runBackupRestore(run)
});

// src/inputs/env-overrides.ts
var ENV_OVERRIDE_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
var SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
var ENV_OVERRIDE_LIMITS = { assignments: 50, value: 4096, text: 65536 };
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
var NAME_HELP = 'upper-case letters, digits and "_", not starting with a digit, at most 128';
function quoted(text) {
  const json = JSON.stringify(text);
  return json.length > 60 ? `${json.slice(0, 59)}\u2026` : json;
}
function parseEnvOverrides(text) {
  if (text.length > ENV_OVERRIDE_LIMITS.text) {
    return { problem: `expected at most ${ENV_OVERRIDE_LIMITS.text} characters, got ${text.length}` };
  }
  const overrides = [];
  const seen = /* @__PURE__ */ new Map();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "").replace(/^[ ]+/, "");
    if (line.trim() === "" || line.startsWith("#")) continue;
    const at = `line ${i + 1} (${quoted(line)})`;
    if (CONTROL.test(line))
      return { problem: `${at}: has a control character (a tab, a stray \\r \u2026); values are one plain line` };
    const eq = line.indexOf("=");
    if (eq <= 0) return { problem: `${at}: expected NAME=value or service.NAME=value` };
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const dot = key.indexOf(".");
    const service = dot < 0 ? void 0 : key.slice(0, dot);
    const name = dot < 0 ? key : key.slice(dot + 1);
    if (service !== void 0 && !SERVICE_NAME.test(service)) {
      return { problem: `${at}: ${quoted(service)} is not a service name (services.<name>: a-z, 0-9, "_", "-")` };
    }
    if (!ENV_OVERRIDE_NAME.test(name))
      return { problem: `${at}: ${quoted(name)} is not a variable name (${NAME_HELP})` };
    if (value.length > ENV_OVERRIDE_LIMITS.value) {
      return { problem: `${at}: the value has ${value.length} characters, at most ${ENV_OVERRIDE_LIMITS.value}` };
    }
    if (value !== value.trim()) {
      return { problem: `${at}: the value starts or ends with a space, which nobody sees in a workflow file` };
    }
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      return {
        problem: `${at}: the value is quoted, and the quotes would be part of it: write ${name}=${value.slice(1, -1)}`
      };
    }
    const slot = `${service ?? "*"}.${name}`;
    const before = service === void 0 ? [...seen].find(([k]) => k.endsWith(`.${name}`))?.[1] : seen.get(slot) ?? seen.get(`*.${name}`);
    if (before !== void 0) return { problem: `${at}: ${name} is already set by line ${before}; one value each` };
    seen.set(slot, i + 1);
    overrides.push({ line: i + 1, ...service === void 0 ? {} : { service }, name, value });
    if (overrides.length > ENV_OVERRIDE_LIMITS.assignments) {
      return { problem: `${at}: more than ${ENV_OVERRIDE_LIMITS.assignments} assignments` };
    }
  }
  return { overrides };
}
var zEnvOverrides = pipe(
  string(),
  transform((value, ctx) => {
    const r = parseEnvOverrides(value);
    if ("overrides" in r) return r.overrides;
    ctx.issues.push({ code: "custom", message: r.problem, input: value });
    return NEVER;
  })
);

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
  env: {
    description: "Plain environment values for this release, one NAME=value per line (every deployed service) or service.NAME=value (one service), over services.<name>.env: e.g. a feature-flag killswitch, deployed as a release of its own (same version, new containers, health-gated, journaled, rolled back like any release). NOT for secrets: the values are printed and recorded in the journal (secret-env, port-env and the version variable are refused). They stay in force for later deploys until env-reset: true",
    schema: zEnvOverrides
  },
  "env-reset": {
    description: "Drop the env values earlier releases set for the deployed services (they carry over until then): the config's env again, plus this run's env lines",
    default: "false",
    schema: zBool
  },
  "lock-wait": lockWaitInput,
  "backup-id": backupIdInput,
  deployment: deploymentInput,
  ...registryInputs
};

// src/actions/declare/deploy.ts
var deployAction = defineAction({
  name: "deploy",
  title: "Deploy",
  verdicts: { ok: "deployed", failed: "failed" },
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
  title: "Maintenance",
  verdicts: { ok: "done", failed: "failed" },
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
  title: "Migrate",
  verdicts: { ok: "migrated", failed: "failed" },
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
  "deployment-id": {
    description: "The GitHub deployment of the release rolled back from (the deploy action's deployment-id output): marked failure, and the restored release is recorded as the environment's active deployment; needs github-token with deployments: write",
    schema: zPattern(/^[1-9]\d{0,18}$/, "expected a GitHub deployment id (a positive number)")
  },
  "incident-issue": incidentIssueInput(false),
  ...registryInputs
};

// src/inputs/pipeline.ts
var pipelineInputs = {
  ...commonInputs,
  version: deployInputs.version,
  services: deployInputs.services,
  strategy: deployInputs.strategy,
  env: deployInputs.env,
  "env-reset": deployInputs["env-reset"],
  "lock-wait": lockWaitInput,
  deployment: deploymentInput,
  "incident-issue": incidentIssueInput(true),
  "pr-comment": {
    description: "On a pull request, post the pre-deploy report and the whole plan (each host's commands, the migration SQL, the upstream file as it will be) as one comment, updated in place on every run; needs github-token with pull-requests: write",
    default: "true",
    schema: zBool
  },
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
  title: "Pipeline",
  verdicts: { ok: "deployed", failed: "failed" },
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
  },
  "pending-migration": {
    description: "Show the pending migration: the SQL the migration tool's dry run prints (in the job summary) and each destructive statement as a warning; needs the database password variable",
    default: "false",
    schema: zBool
  },
  version: {
    description: "The image tag about to be deployed: needed by pending-migration when the migration runs in a one-off container of the new image (migrate.service)",
    schema: deployInputs.version.schema
  }
};

// src/actions/declare/pre-deploy-check.ts
var preDeployCheckAction = defineAction({
  name: "pre-deploy-check",
  title: "Pre-deploy check",
  verdicts: { ok: "passed", failed: "refused" },
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
  title: "Promote",
  verdicts: { ok: "promoted", failed: "failed" },
  summary: "Move an open canary on (its remaining steps, each judged) or, with decision abort, take it out",
  inputs: promoteInputs,
  locks: true,
  main: async (run) => (await import("./promote.js")).runPromote(run, run.inputs.decision)
});
var abortAction = defineAction({
  name: "abort",
  title: "Canary abort",
  verdicts: { ok: "aborted", failed: "failed" },
  summary: "Take an open canary out: the live release takes all traffic back, the canary is stopped",
  inputs: abortInputs,
  locks: true,
  cliOnly: true,
  main: async (run) => (await import("./promote.js")).runPromote(run, "abort")
});

// src/actions/declare/rollback.ts
var rollbackAction = defineAction({
  name: "rollback",
  title: "Rollback",
  verdicts: { ok: "rolled back", failed: "failed" },
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
  title: "Smoke test",
  verdicts: { ok: "passed", failed: "failed" },
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
async function runSubStep(ctx, mod, inputs, capture) {
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
  const log = capture ? teeLogger(ctx.log, capture) : ctx.log;
  const sub = { ...ctx, runner, log, onCleanup: (f) => cleanups.push(f) };
  const started = ctx.clock.now().getTime();
  let error;
  let sections = [];
  try {
    const session = await ctx.session();
    const run = prepareRun(sub, mod, { session });
    sections = run.report.sections;
    await ctx.log.group(`Step: ${name}`, () => mod.main(run));
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
  return { name, ok: error === void 0, seconds, outputs, error, sections };
}
function teeLogger(log, lines) {
  return wrapLogger(log, {
    info: (m) => {
      lines.push(log.mask(m));
      log.info(m);
    },
    warn: (m) => {
      lines.push(`warning: ${log.mask(m)}`);
      log.warn(m);
    },
    remote: (source, stream, text) => {
      if (stream === "stdout") for (const line of log.mask(text).replace(/\n$/, "").split("\n")) lines.push(line);
      log.remote(source, stream, text);
    }
  });
}

// src/actions/pipeline.ts
async function runPipeline(ctx) {
  const { log, runner, clock, inputs } = ctx;
  const session = await ctx.session();
  const { config } = session;
  if (inputs.env?.length) checkEnvOverrides(config, selectServices(config, inputs.services), inputs.env);
  const t0 = clock.now().getTime();
  const steps = [];
  const dry = inputs["dry-run"];
  const plans = /* @__PURE__ */ new Map();
  const step = async (mod, extra = {}, label = mod.name) => {
    const at = (clock.now().getTime() - t0) / 1e3;
    const capture = dry ? [] : void 0;
    if (capture) plans.set(label, capture);
    const s = { ...await runSubStep(ctx, mod, extra, capture), name: label };
    steps.push({ at, s });
    log.info(timelineLine(at, s, detailOf(s)));
    return s;
  };
  const db = config.database;
  let failed;
  let rolledBack;
  let maintenanceLeft;
  const pre = await step(preDeployCheckAction);
  let deploy;
  let smoke;
  const event = { environment: inputs.environment, version: inputs.version, url: session.environment.url };
  if (!pre.ok) failed = pre;
  else {
    if (!dry) await notifyRun(ctx, config, { ...event, kind: "start" });
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
        "deployment-id": deploy?.outputs["deployment-id"] ?? "",
        // The pipeline opens the incident issue itself, with the whole timeline.
        "incident-issue": "false",
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
    const deploymentId = Number(deploy?.outputs["deployment-id"] ?? "");
    if (deploymentId > 0 && deploy?.ok && !rolledBack?.ok && config.smoke && deploy.outputs.canary !== "paused")
      await postStatus(
        {
          token: inputs["github-token"],
          environment: inputs.environment,
          url: session.environment.url,
          runner,
          deploymentId,
          version: inputs.version,
          releaseId: deploy.outputs["release-id"] ?? ""
        },
        !smoke || smoke.ok ? "success" : "failure",
        !smoke ? `${inputs.version} deployed (${deploy.outputs["release-id"]}); no smoke test in this run` : smoke.ok ? `${inputs.version} live (${deploy.outputs["release-id"]}); smoke test passed` : `smoke test failed: ${smoke.error ?? ""}`,
        { env: runner.env, log }
      );
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
    canary: out("deploy").canary || void 0,
    // After a rollback, the deployment that records the restored release as the active one.
    "deployment-id": out("rollback")["deployment-id"] || out("deploy")["deployment-id"],
    "environment-url": session.environment.url
  };
  const paused = out("deploy").canary === "paused";
  for (const [k, v] of Object.entries(published)) if (v !== void 0) runner.setOutput(k, v);
  runner.setOutput("failed-step", failed?.name ?? "");
  runner.setOutput("rolled-back", String(rolledBack?.ok ?? false));
  const verdict = pipelineVerdict({ dry, failed, rolledBack, paused, maintenanceLeftOn: maintenanceLeft === "on" });
  ctx.report.verdict = verdict;
  ctx.report.stages = stagesOf(steps);
  ctx.report.sections.push(...pipelineSections(steps));
  const about = {
    token: inputs["github-token"],
    environment: inputs.environment,
    version: inputs.version,
    verdict,
    steps
  };
  if (dry && inputs["pr-comment"]) await postPlanComment(ctx, { ...about, plans });
  if (!dry || failed === pre) {
    const kind = failed === pre ? "refusal" : rolledBack?.ok ? "rollback" : failed ? "failure" : paused ? void 0 : "success";
    if (kind)
      await notifyRun(ctx, config, {
        ...event,
        kind,
        releaseId: out("deploy")["release-id"],
        previousVersion: out("deploy")["previous-version"],
        restoredVersion: rolledBack?.outputs["restored-version"],
        reason: verdict.detail
      });
  }
  if (rolledBack && inputs["incident-issue"]) await reportIncident(ctx, config, about);
  if (failed) {
    const after = rolledBack ? rolledBack.ok ? `; rolled back to ${rolledBack.outputs["restored-version"]} (${rolledBack.outputs["restored-release-id"]})` : `; the rollback failed too: ${rolledBack.error}` : "";
    const page = maintenanceLeft === "on" ? "; the site stays on the maintenance page (runbook maintenance off)" : "";
    throw new UserError(`${failed.name} failed: ${failed.error}${after}${page}`);
  }
  log.info(
    dry ? `plan done in ${total.toFixed(1)}s: every stage printed what it would do for ${inputs.version} on ${inputs.environment}; nothing changed` : paused ? `pipeline done in ${total.toFixed(1)}s: the canary ${inputs.version} serves its share on ${inputs.environment} until promoted (runbook promote / runbook abort)` : `pipeline done in ${total.toFixed(1)}s: ${inputs.version} is live on ${inputs.environment}`
  );
}
export {
  runPipeline
};
