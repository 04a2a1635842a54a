import {
  abortCanary,
  deploySummary,
  resumeSite,
  runCanarySteps
} from "./chunk-AMXIWUDY.js";
import {
  engineDeployOf,
  serviceSite
} from "./chunk-UNUR6LEU.js";
import {
  liveRelease,
  markLive,
  openCanary
} from "./chunk-4CE7LG3X.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";

// src/actions/promote.ts
async function resumeCanary(run, release, journal) {
  const { clock, log } = run;
  const session = await run.session();
  const state = release.canary;
  const service = release.services[state.service];
  if (!service)
    throw new UserError(`the journal's canary ${release.id} names service ${state.service} but records none`);
  const targets = await session.deployTargets(release.driver, "canary");
  const sites = targets.map((t) => {
    if (!t.docker) throw new UserError(`${t.name}: a canary needs the target's Engine API`);
    const site = serviceSite(session, [state.service], t, state.service, { clock, log, signal: run.signal });
    return resumeSite(engineDeployOf(site, t.docker, release.id, service.image), state, service.replicas);
  });
  return { sites, release, journal, clock, log, signal: run.signal, actor: session.who.actor };
}
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
  const canaryRun = await resumeCanary(run, release, journal);
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
  resumeCanary,
  runPromote
};
