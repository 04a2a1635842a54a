import {
  abortCanary,
  deploySummary,
  runCanarySteps
} from "../chunks/chunk-DQ6E7Y6W.js";
import {
  resumeSite
} from "../chunks/chunk-7L6QIXQ5.js";
import "../chunks/chunk-TKHLF5PM.js";
import "../chunks/chunk-7LH2DG6S.js";
import "../chunks/chunk-RVOBTA6C.js";
import "../chunks/chunk-5FOIKOM2.js";
import {
  engineDeployOf,
  serviceSite
} from "../chunks/chunk-IMYSP3KR.js";
import "../chunks/chunk-3VOSUCEG.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-DJOGEIUA.js";
import "../chunks/chunk-7DXSFZAX.js";
import "../chunks/chunk-PRVHMAC4.js";
import "../chunks/chunk-IVA3R43S.js";
import "../chunks/chunk-HDIEMM7V.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-BF2RMSMW.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-HFIWHNBU.js";
import "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-PDEXDIYD.js";
import {
  liveRelease,
  markLive,
  openCanary
} from "../chunks/chunk-4CE7LG3X.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  UserError
} from "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/promote.ts
async function runPromote(run, decision) {
  const { log, runner, clock, inputs } = run;
  const session = await run.session();
  const { config, environmentName, who } = session;
  await session.lock(run, inputs["lock-wait"]);
  const journal = await session.journal();
  const j = await journal.read();
  const release = openCanary(j);
  const state = release?.canary;
  if (!release || !state) {
    const newest = j.releases.at(-1);
    throw new UserError(
      `no canary is open in ${config.app}/${environmentName}${newest ? ` (the newest release, ${newest.id}, is ${newest.status})` : ""}: nothing to ${decision}`
    );
  }
  const service = release.services[state.service];
  if (!service)
    throw new UserError(`the journal's canary ${release.id} names service ${state.service} but records none`);
  const previous = liveRelease(j);
  const targets = await session.deployTargets(release.driver, "canary");
  const sites = targets.map((t) => {
    if (!t.docker) throw new UserError(`${t.name}: a canary needs the target's Engine API`);
    const site = serviceSite(session, [state.service], t, state.service, { clock, log, signal: run.signal });
    return resumeSite(engineDeployOf(site, t.docker, release.id, service.image), state, service.replicas);
  });
  const canaryRun = { sites, release, journal, clock, log, signal: run.signal, actor: who.actor };
  const reason = inputs.reason ? `: ${inputs.reason}` : "";
  if (decision === "abort") {
    await abortCanary(canaryRun, `aborted by ${who.actor} at ${state.weight}%${reason}`);
    await runner.appendSummary(deploySummary(config.app, environmentName, release, previous));
    log.info(
      `canary ${release.id} (${release.version}) aborted; ${previous ? `${previous.version} takes all traffic` : "the upstream is as it was"}`
    );
    return;
  }
  const held = state.steps.at(-1);
  if (held?.verdict === "paused") {
    held.verdict = "pass";
    held.endedAt = clock.now().toISOString();
    held.reasons = [`promoted by ${who.actor}${reason}`];
  }
  const outcome = await runCanarySteps(canaryRun, state.step + 1);
  if (outcome === "promoted") {
    release.status = "live";
    release.finishedAt = clock.now().toISOString();
    await journal.update((x) => markLive(x, release));
    log.info(`release ${release.id} (${release.version}) is live`);
  }
  runner.setOutput("release-id", release.id);
  runner.setOutput("canary", outcome);
  await runner.appendSummary(deploySummary(config.app, environmentName, release, previous));
}
export {
  runPromote
};
