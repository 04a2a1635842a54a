import {
  ABORT_INCOMPLETE,
  abortCanary,
  deploySummary,
  resumeCanary,
  runCanarySteps
} from "./chunk-ZB3KG7PJ.js";
import {
  liveRelease,
  maintenanceOn,
  markLive,
  openCanary
} from "./chunk-PDADLHLK.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/actions/promote.ts
async function resumeCanary2(run, release, journal) {
  const session = await run.session();
  const targets = await session.deployTargets(release.driver, "canary");
  return resumeCanary(session, release, journal, { targets, clock: run.clock, log: run.log, signal: run.signal });
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
  const page = maintenanceOn(j);
  if (page) {
    throw new UserError(
      `maintenance mode is on (since ${page.since}): the upstream points at the maintenance page, and ${decision === "promote" ? "a promote" : "an abort"} would move it; \`runbook maintenance off\` first`
    );
  }
  if (decision === "promote" && !config.strategy.canary) {
    throw new UserError(
      `the config has no strategy.canary, whose steps the promote goes on with: use the config the canary was deployed with (abort needs none)`
    );
  }
  if (decision === "promote" && state.reason?.startsWith(ABORT_INCOMPLETE)) {
    throw new UserError(
      `canary ${release.id} (${release.version}) was being taken out (${state.reason}): run \`runbook abort\` again`
    );
  }
  if (release.status === "in-progress" && decision === "promote") {
    throw new UserError(
      `canary ${release.id} (${release.version}) was left at ${state.weight}% by a run that died mid-step, so that step was never judged: \`runbook abort\` takes it out (or deploy again)`
    );
  }
  const previous = liveRelease(j);
  const canaryRun = await resumeCanary2(run, release, journal);
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
  if (state.plan && JSON.stringify(config.strategy.canary?.steps) !== JSON.stringify(state.plan.steps)) {
    log.warn(
      `strategy.canary.steps in this config differ from the plan canary ${release.version} started with: that plan goes on (${state.plan.steps.map((x) => `${x.weight}%`).join(" \u2192 ")})`
    );
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
  resumeCanary2 as resumeCanary,
  runPromote
};
