import "./chunk-LQPDS753.js";
import {
  backupAction
} from "./chunk-33WOOZBP.js";
import {
  deployAction
} from "./chunk-F7UYVHZX.js";
import {
  migrateAction
} from "./chunk-7MJRWAFV.js";
import "./chunk-ZLA37E4Q.js";
import "./chunk-S3IQQOIJ.js";
import {
  preDeployCheckAction
} from "./chunk-KPQMDQD3.js";
import {
  rollbackAction
} from "./chunk-WS5LUK7G.js";
import "./chunk-SFG5PLTG.js";
import "./chunk-WERD35OI.js";
import {
  smokeTestAction
} from "./chunk-AQORQSBE.js";
import {
  prepareRun
} from "./chunk-7ZESD2EZ.js";
import "./chunk-ZAXDUBHX.js";
import "./chunk-AFSPUNXI.js";
import "./chunk-EEFGFWLT.js";
import "./chunk-VA52T2SJ.js";
import "./chunk-IILPN5PE.js";
import "./chunk-QETEGG6J.js";
import {
  UserError,
  errorMessage
} from "./chunk-NSFOPU7S.js";
import "./chunk-SEWDMQ6Q.js";

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
  const step = async (mod, extra = {}) => {
    const at = (clock.now().getTime() - t0) / 1e3;
    const s = await runSubStep(ctx, mod, extra);
    steps.push({ at, s });
    log.info(timelineLine(at, s, detailOf(s)));
    return s;
  };
  const db = config.database;
  const dry = inputs["dry-run"];
  let failed;
  let rolledBack;
  const pre = await step(preDeployCheckAction);
  let deploy;
  if (!pre.ok) failed = pre;
  else {
    if (!dry) await session.lock(ctx, inputs["lock-wait"]);
    const backup = db?.backup && !dry ? await step(backupAction) : void 0;
    if (backup && !backup.ok) failed = backup;
    const migrate = !failed && db?.migrate ? await step(migrateAction, { "backup-id": backup?.outputs["backup-id"] ?? "" }) : void 0;
    if (migrate && !migrate.ok) failed = migrate;
    if (!failed) {
      deploy = await step(deployAction, { "backup-id": backup?.outputs["backup-id"] ?? "" });
      if (!deploy.ok) failed = deploy;
    }
    if (!failed && config.smoke) {
      const smoke = await step(smokeTestAction);
      if (!smoke.ok) failed = smoke;
    }
    const previous = deploy?.outputs["previous-release-id"];
    if (failed && !dry && inputs.rollback && deploy?.outputs["release-id"]) {
      if (previous) {
        rolledBack = await step(rollbackAction, {
          "release-id": previous,
          scope: inputs["rollback-scope"].join(","),
          "restore-database": String(inputs["restore-database"]),
          reason: `${failed.name} failed`
        });
      } else log.warn("the failed release was the first of this environment: there is nothing to roll back to");
    }
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
    "restored-release-id": out("rollback")["restored-release-id"]
  };
  for (const [k, v] of Object.entries(published)) if (v !== void 0) runner.setOutput(k, v);
  runner.setOutput("failed-step", failed?.name ?? "");
  runner.setOutput("rolled-back", String(rolledBack?.ok ?? false));
  await runner.appendSummary(
    [
      `### Pipeline: ${failed ? `${failed.name} failed${rolledBack?.ok ? ", rolled back" : ""}` : "deployed"} (${inputs.environment}, ${inputs.version})`,
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
    throw new UserError(`${failed.name} failed: ${failed.error}${after}`);
  }
  log.info(`pipeline done in ${total.toFixed(1)}s: ${inputs.version} is live on ${inputs.environment}`);
}
export {
  runPipeline,
  timelineLine
};
