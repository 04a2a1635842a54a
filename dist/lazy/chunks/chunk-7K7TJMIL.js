import {
  upstreamPreview
} from "./chunk-D4DYHYTW.js";
import {
  mapLimit
} from "./chunk-HFQKBZ7N.js";
import {
  ReleaseDeployment,
  registryAuthOf,
  restoreRelease
} from "./chunk-AZJ2ORYW.js";
import {
  deployService
} from "./chunk-DLC2WS4V.js";
import {
  readComposeFiles
} from "./chunk-5V63FDDH.js";
import {
  ABORT_INCOMPLETE,
  abortDeadCanary,
  deadCanary,
  deploySummary,
  envPlan,
  hostsSummary,
  newCanaryState,
  planLines,
  runCanarySteps
} from "./chunk-ZB3KG7PJ.js";
import {
  removeReplicas
} from "./chunk-5OHRL654.js";
import {
  missingSecretsError,
  secretValues
} from "./chunk-RB6QVMVN.js";
import {
  stopExpiredStandby
} from "./chunk-D2JJZR5M.js";
import {
  checkEnvOverrides,
  envChangesOf,
  envInForce,
  envPlanLines
} from "./chunk-EXGLFXK3.js";
import {
  pullDecision
} from "./chunk-HEVGDBH7.js";
import {
  maintenanceDeployNote
} from "./chunk-OIFOA7EI.js";
import {
  LABEL,
  ownerLabels
} from "./chunk-EJKV34LF.js";
import {
  runsHere
} from "./chunk-TSVKQNYQ.js";
import {
  isProgressive,
  resolveStrategy
} from "./chunk-UXZUOFCM.js";
import {
  dockerImageIdArgv
} from "./chunk-GYOLDUFK.js";
import {
  adoptedRelease,
  liveRelease,
  maintenanceOn,
  markLive,
  newReleaseId,
  openCanary,
  sweepInterrupted
} from "./chunk-PDADLHLK.js";
import {
  notifyRun
} from "./chunk-IVJAZNWL.js";
import {
  batchSizeOf
} from "./chunk-ZZX7I4WI.js";
import {
  CancelledError,
  ConfigError,
  ConnectionError,
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/deploy/compose/hash.ts
import { createHash } from "node:crypto";
async function composeHash(t, c) {
  const files = await readComposeFiles(t, c);
  if (files.length === 0 || files.some((f) => f.text === void 0)) return void 0;
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.name}\0${f.text}\0`);
  return `sha256:${hash.digest("hex")}`;
}

// src/deploy/engine/retention.ts
function prunable(image) {
  return image.repoDigests.length > 0;
}
async function applyRetention(docker, owner, keep, pruneImages, log, protect = []) {
  const all = await docker.listContainers({ all: true, labels: ownerLabels(owner) });
  const releases = [...new Set(all.map((c) => c.labels[LABEL.release] ?? ""))].sort().reverse();
  const kept = new Set(protect);
  for (const r of releases) if (kept.size < keep) kept.add(r);
  const doomed = all.filter((c) => !kept.has(c.labels[LABEL.release] ?? "") && c.state !== "running");
  const keptImages = new Set(all.filter((c) => !doomed.includes(c)).map((c) => c.imageId));
  const removed = [];
  for (const c of doomed) {
    try {
      await docker.removeContainer(c.id, { force: false });
      removed.push(c.names[0] ?? c.id);
    } catch (err) {
      log.warn(`retention: could not remove ${c.names[0] ?? c.id}: ${err.message}`);
    }
  }
  for (const image of pruneImages ? new Set(doomed.map((c) => c.imageId)) : []) {
    if (keptImages.has(image)) continue;
    const info = await docker.inspectImage(image).catch(() => void 0);
    if (!info) continue;
    if (!prunable(info)) {
      log.info(
        `retention: image ${image.slice(0, 19)}\u2026 (${info.repoTags.join(", ") || "untagged"}) kept: it has no registry digest (built or loaded on the host), so no pull could give it back`
      );
      continue;
    }
    await docker.removeImage(image).catch((err) => log.debug(`retention: image ${image} kept: ${err.message}`));
  }
  if (removed.length > 0)
    log.info(`retention (${owner.service}, keep ${keep} releases): removed ${removed.join(", ")}`);
  return removed;
}

// src/core/logger-wrap.ts
function wrapLogger(log, over) {
  return {
    debug: (m) => log.debug(m),
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.error(m),
    group: (name, fn) => log.group(name, fn),
    remote: (source, stream, text) => log.remote(source, stream, text),
    addSecret: (v) => log.addSecret(v),
    mask: (t) => log.mask(t),
    ...over
  };
}

// src/deploy/fleet/rollout.ts
function isLostConnection(err) {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ConnectionError) return true;
  return false;
}
function batchesOf(hosts, size) {
  const out = [];
  for (let i = 0; i < hosts.length; i += Math.max(1, size)) out.push(hosts.slice(i, i + Math.max(1, size)));
  return out;
}
async function rollOut(plan, work, deps) {
  const outcomes = deps.outcomes ?? {};
  for (const host of plan.batches.flat()) outcomes[host.name] = { state: "not started" };
  let failed;
  const total = plan.batches.length;
  for (const [i, batch] of plan.batches.entries()) {
    deps.signal.throwIfAborted();
    if (total > 1 || batch.length > 1) deps.log.info(`batch ${i + 1}/${total}: ${namesOf(batch)}`);
    const stop = new AbortController();
    await Promise.all(
      batch.map(async (host) => {
        const started = deps.clock.now().getTime();
        const timeout = new AbortController();
        const timer = setTimeout(
          () => timeout.abort(new UserError(`${host.name} took longer than host-timeout`)),
          plan.hostTimeoutMs
        );
        timer.unref();
        const signal = AbortSignal.any([deps.signal, stop.signal, timeout.signal]);
        const seconds = () => Math.round((deps.clock.now().getTime() - started) / 100) / 10;
        const abandoned = { value: false };
        const grace = Math.min(STOP_GRACE_MS, plan.hostTimeoutMs / 2);
        try {
          await abortable(work(host, signal), signal, abandoned, grace, () => {
            const hung = abandoned.value ? ` and did not stop within ${grace / 1e3}s of being told to (its connection hangs?): what it runs now is not known` : "";
            return timeout.signal.aborted ? new UserError(`${host.name} took longer than host-timeout (${plan.hostTimeoutMs / 1e3}s)${hung}`) : new CancelledError(`${host.name}: cancelled${hung}`);
          });
          outcomes[host.name] = { state: "live", seconds: seconds() };
          deps.log.info(`${host.name}: done in ${seconds()}s`);
        } catch (err) {
          const byOther = stop.signal.aborted && !timeout.signal.aborted && !deps.signal.aborted;
          outcomes[host.name] = {
            state: byOther || deps.signal.aborted ? "cancelled" : "failed",
            error: errorMessage(err),
            seconds: seconds(),
            ...abandoned.value ? { abandoned: true } : {},
            ...!abandoned.value && isLostConnection(err) ? { lost: true } : {}
          };
          if (abandoned.value) deps.onAbandon?.(host);
          if (!byOther && !deps.signal.aborted && !failed) {
            failed = { host: host.name, error: err };
            deps.log.warn(`${host.name} failed after ${seconds()}s: ${errorMessage(err)}; stopping the rollout`);
            stop.abort(new CancelledError(`another host (${host.name}) failed`));
          }
        } finally {
          clearTimeout(timer);
        }
      })
    );
    deps.signal.throwIfAborted();
    if (failed) break;
  }
  return { outcomes, failed };
}
function namesOf(hosts, shown = 10) {
  const names = hosts.map((h) => typeof h === "string" ? h : h.name);
  if (names.length <= shown + 1) return names.join(", ");
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
var STOP_GRACE_MS = 3e4;
function abortable(p, signal, abandoned, graceMs, reason) {
  return new Promise((resolve, reject) => {
    let timer;
    const onAbort = () => {
      timer = setTimeout(() => {
        abandoned.value = true;
        reject(reason());
      }, graceMs);
      timer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? reason() : e);
      }
    );
  });
}

// src/deploy/fleet/deploy.ts
function servicesOn(req, target) {
  const { config, environmentName } = req.session;
  const environment = config.environments[environmentName];
  const host = environment?.targets.find((t) => t.name === target);
  return req.services.filter((name) => !host || !environment || runsHere(environment, host, config.services?.[name]));
}
function hostLogger(log, host) {
  const named = (m) => m.startsWith(host) ? m : `[${host}] ${m}`;
  return wrapLogger(log, {
    info: (m) => log.info(named(m)),
    warn: (m) => log.warn(named(m)),
    error: (m) => log.error(named(m)),
    group: async (name, fn) => {
      log.info(`[${host}] \u25B6 ${name}`);
      const r = await fn();
      log.info(`[${host}] \u25C0 ${name}`);
      return r;
    }
  });
}
function standing(hosts, release, previous) {
  const was = previous ? previous.version : "nothing";
  const groups = /* @__PURE__ */ new Map();
  for (const [host, o] of Object.entries(hosts)) {
    const runs = o.abandoned ? `${was} or ${release.version}: it stopped answering` : o.lost ? `${was} or ${release.version}: its connection was lost` : o.state === "live" || o.state === "left switched" ? release.version : was;
    const key = `${o.state} (runs ${runs})`;
    const group = groups.get(key);
    if (group) group.push(host);
    else groups.set(key, [host]);
  }
  return [...groups].map(([key, names]) => `${namesOf(names)} ${key}`).join("; ");
}
async function deployFleet(deps, req, release, previous, deployHost) {
  const { config } = req.session;
  const { log, journal } = deps;
  const strategy = config.strategy;
  const progressive = isProgressive(req.strategy);
  const configured = strategy["batch-size"] ?? strategy["max-unavailable"];
  const hosts = deps.targets.filter((t) => servicesOn(req, t.name).length > 0);
  const size = progressive ? 1 : batchSizeOf(configured, hosts.length);
  if (progressive && configured)
    log.info(`${req.strategy}: hosts are prepared one after another (batch-size applies to rolling and recreate)`);
  const batches = batchesOf(hosts, size);
  const parallel = size > 1;
  const outcomes = {};
  release.hosts = outcomes;
  const result = await rollOut(
    { batches, hostTimeoutMs: strategy["host-timeout"] },
    (target, signal) => deployHost(target, { ...deps, signal, log: parallel ? hostLogger(log, target.name) : log }),
    {
      log,
      clock: deps.clock,
      signal: deps.signal ?? new AbortController().signal,
      outcomes,
      // Its work may still end later (a hung connection that comes back): it must not touch the load balancer then.
      onAbandon: (target) => {
        if (target.balancer) target.balancer.closed = true;
      }
    }
  ).catch(async (err) => {
    for (const [host2, o] of Object.entries(outcomes))
      if (o.state === "live") outcomes[host2] = { ...o, state: "left switched" };
    await journal.upsert(release);
    throw err instanceof CancelledError ? new CancelledError(`${errorMessage(err)}; the rollout stopped: ${standing(outcomes, release, previous)}`) : err;
  });
  await journal.upsert(release);
  if (!result.failed) return;
  const { host, error } = result.failed;
  const switched = hosts.filter((t) => outcomes[t.name]?.state === "live");
  const undo = deps.undoHosts;
  let undone = "";
  if (switched.length > 0 && strategy["on-failure"] === "rollback" && previous && undo) {
    log.warn(`putting ${previous.version} (${previous.id}) back on ${namesOf(switched)}`);
    const failures = /* @__PURE__ */ new Map();
    for (const group of batchesOf(switched, size)) {
      await Promise.all(
        group.map(async (t) => {
          const o = outcomes[t.name];
          try {
            await undo([t], release, previous, switched.length > 1 ? hostLogger(log, t.name) : log);
            outcomes[t.name] = { ...o, state: "rolled back" };
          } catch (err) {
            const why2 = log.mask(errorMessage(err));
            failures.set(t.name, why2);
            outcomes[t.name] = {
              ...o,
              state: "left switched",
              error: `putting ${previous.version} back failed: ${why2}`
            };
          }
        })
      );
    }
    const [first] = switched.filter((t) => failures.has(t.name));
    if (first) {
      const others = failures.size > 1 ? ` (and on ${failures.size - 1} more host${failures.size > 2 ? "s" : ""})` : "";
      undone = `; putting ${previous.version} back on ${first.name} failed: ${failures.get(first.name)}${others}`;
    }
  } else {
    for (const t of switched) outcomes[t.name] = { ...outcomes[t.name], state: "left switched" };
  }
  await journal.upsert(release);
  const why = strategy["on-failure"] === "pause" ? " (on-failure: pause)" : "";
  const noPrevious = switched.length > 0 && !previous ? " (no release was live before: nothing to put back)" : "";
  throw new UserError(
    `${host} failed: ${errorMessage(error)}; the rollout stopped${why}${noPrevious}: ${standing(outcomes, release, previous)}${undone}. The next deploy or rollback brings every host to one release`
  );
}

// src/deploy/release.ts
var HOSTS_AT_ONCE = 50;
async function deployRelease(deps, req) {
  const { clock, log, journal } = deps;
  const { config, environmentName, who } = req.session;
  let dead;
  const before = await journal.update((j) => {
    dead = structuredClone(deadCanary(j.releases));
    for (const r of sweepInterrupted(j)) {
      log.warn(`release ${r.id} (${r.version}) was left in progress by a run that died; marked failed`);
    }
  });
  if (dead) await abortDeadCanary(req.session, dead, journal, deps);
  if (deps.maintenance && isProgressive(req.strategy)) {
    throw new UserError(
      `maintenance mode is on, so traffic stays on the maintenance page: a ${req.strategy} deploy, which exists to move traffic, cannot run now; \`runbook maintenance off\` first, or deploy with strategy rolling`
    );
  }
  const open = openCanary(before);
  if (open) {
    throw new UserError(
      `canary ${open.id} (${open.version}) serves ${open.canary?.weight}% beside the live release: \`runbook promote\` or \`runbook abort\` it before another deploy`
    );
  }
  const previous = liveRelease(before);
  const overrides = req.env?.overrides ?? [];
  const env = envInForce(config, req.services, overrides, previous, req.env?.reset ?? false);
  const envChanges = envChangesOf(config, req.services, previous?.env, env);
  await stopExpiredStandby(config, environmentName, previous, deps);
  const release = {
    id: newReleaseId(clock.now(), req.version),
    version: req.version,
    status: "in-progress",
    strategy: req.strategy,
    driver: req.driver,
    services: {},
    previous: previous?.id,
    actor: who.actor,
    runUrl: who.runUrl,
    gitSha: req.gitSha,
    backupId: req.backupId,
    startedAt: clock.now().toISOString(),
    ...req.strategy === "blue-green" ? { slot: previous?.slot === "green" ? "blue" : "green" } : {},
    ...Object.keys(env).length > 0 ? { env } : {},
    ...envChanges.length > 0 ? { envChanges } : {}
  };
  await journal.upsert(release);
  deps.onStart?.(release, previous);
  log.info(
    `release ${release.id}: ${req.version} (${req.strategy}) to ${deps.targets.map((t) => t.name).join(", ")}; previous: ${previous ? `${previous.id} (${previous.version})` : "none"}`
  );
  for (const line of envPlanLines(config, req.services, overrides, previous, env, envChanges)) log.info(line);
  const taken = {};
  const sites = [];
  const timeline = [];
  const standby = [];
  let stepsBegan = false;
  try {
    if (deps.targets.length > 1) await assertNeverPulledImages(deps, req);
    const deployHost = async (target, hostDeps) => {
      for (const name of servicesOn(req, target.name)) {
        const done = await deployService(hostDeps, req, target, name, release, previous);
        if (done.canary) sites.push(done.canary);
        timeline.push(...(done.events ?? []).map((e) => ({ ...e, what: `${target.name}/${name}: ${e.what}` })));
        standby.push(...(done.standby ?? []).map((r) => r.name));
        for (const s of done.adopted ?? []) {
          const list = taken[name] ?? [];
          list.push({ target: target.name, address: s.address, params: [...s.params ?? []] });
          taken[name] = list;
        }
        const entry = release.services[name] ?? {
          image: done.image,
          imageId: done.imageId,
          repoDigests: done.repoDigests,
          replicas: [],
          ...done.swarm ? { swarm: done.swarm } : {}
        };
        entry.replicas.push(...done.replicas);
        release.services[name] = entry;
      }
    };
    if (deps.targets.length === 1) {
      const [only] = deps.targets;
      if (only) await deployHost(only, deps);
    } else {
      await deployFleet(deps, req, release, previous, deployHost);
    }
    const fronted = sites[0]?.d.name;
    if (fronted) {
      release.canary = newCanaryState(fronted, sites, config.strategy.canary ?? { steps: [] });
      await journal.upsert(release);
      stepsBegan = true;
      const outcome = await runCanarySteps(
        { sites, release, journal, clock, log, signal: deps.signal, actor: who.actor },
        0
      );
      if (outcome === "paused") return { release, previous, paused: true };
    }
  } catch (err) {
    if (!stepsBegan) for (const s of sites) await removeReplicas(s.d, s.canary);
    if (release.status === "failed") throw err;
    if (release.canary?.reason?.startsWith(ABORT_INCOMPLETE)) {
      release.status = "canary";
      await journal.upsert(release);
      throw err;
    }
    release.status = "failed";
    release.error = log.mask(errorMessage(err));
    release.finishedAt = clock.now().toISOString();
    await journal.upsert(release);
    throw err;
  }
  const first = deps.targets[0];
  if (req.driver === "compose" && config.compose && first) {
    release.composeHash = await composeHash(first.transport, config.compose);
  }
  release.status = "live";
  release.finishedAt = clock.now().toISOString();
  if (req.strategy === "blue-green" && previous && standby.length > 0) {
    const until = new Date(clock.now().getTime() + config.strategy["blue-green"].standby).toISOString();
    release.standby = { release: previous.id, until };
    log.info(
      `standby: ${previous.id} (${previous.version}) keeps running out of traffic until ${until} for an instant switch back`
    );
  }
  const adopted = Object.keys(taken).length > 0 && !previous ? adoptedRelease(release, taken) : void 0;
  if (adopted) {
    release.previous = adopted.id;
    log.info(
      `took the site over: what served before is recorded as release ${adopted.id}; "rollback" puts it back (it was left running)`
    );
  } else if (Object.keys(taken).length > 0 && previous?.origin === "adopted") {
    log.info(`what served before the take-over (release ${previous.id}) was drained again and left running`);
  } else if (Object.keys(taken).length > 0) {
    log.warn(
      `the upstream also served ${Object.values(taken).flat().map((s) => `${s.target}:${s.address}`).join(", ")}, which no release of the journal started (added by hand?); drained and left running`
    );
  }
  await journal.update((j) => {
    const at = j.releases.findIndex((r) => r.id === release.id);
    if (adopted) j.releases.splice(at < 0 ? j.releases.length : at, 0, adopted);
    markLive(j, release);
  });
  await mapLimit(deps.targets, HOSTS_AT_ONCE, async (target) => {
    if (!target.docker) return;
    for (const name of req.services) {
      const owner = { app: config.app, env: environmentName, service: name };
      await applyRetention(
        target.docker,
        owner,
        config.strategy["keep-releases"],
        config.strategy["prune-images"],
        log,
        // What a rollback of this release returns to stays, however old its id (it may have been rolled back to).
        [release.id, ...adopted ?? previous ? [(adopted ?? previous)?.id ?? ""] : []]
      ).catch((err) => log.warn(`retention on ${target.name} failed: ${err.message}`));
    }
  });
  return { release, previous: adopted ?? previous, timeline };
}
async function assertNeverPulledImages(deps, req) {
  const { config } = req.session;
  const missing = [];
  for (const name of req.services) {
    const service = config.services?.[name];
    if (!service) continue;
    const pull = pullDecision(name, service, req.driver === "compose" ? config.compose?.pull : void 0);
    if (pull.policy !== "never") continue;
    const image = `${service.image}:${req.version}`;
    const running = deps.targets.filter((t) => servicesOn(req, t.name).includes(name));
    const present = await mapLimit(
      running,
      HOSTS_AT_ONCE,
      async (target) => target.docker ? await target.docker.inspectImage(image) !== void 0 : (await target.transport.exec(dockerImageIdArgv(image), { quiet: true, env: target.env })).code === 0
    );
    running.forEach((t, i) => {
      if (!present[i]) missing.push(`${t.name}: ${image}`);
    });
  }
  if (missing.length > 0) {
    throw new UserError(
      `pull is never, and ${missing.length === 1 ? "this image is" : "these images are"} not on the target: ${missing.join("; ")}; nothing was changed on any target: load or build ${missing.length === 1 ? "it" : "them"} there first, or set pull: missing`
    );
  }
}

// src/actions/deploy.ts
function selectServices(config, only) {
  const all = Object.keys(config.services ?? {});
  if (all.length === 0) throw new ConfigError("the config defines no services to deploy (services:)");
  const order = [...config.strategy.order ?? [], ...all.filter((s) => !config.strategy.order?.includes(s))];
  const unknown = (only ?? []).filter((s) => !all.includes(s));
  if (unknown.length > 0)
    throw new ConfigError(`input "services": unknown ${unknown.join(", ")}; the config defines: ${all.join(", ")}`);
  return only && only.length > 0 ? order.filter((s) => only.includes(s)) : order;
}
function serviceSecrets(config, services, env, log) {
  const configured = services.flatMap((n) => config.services?.[n] ?? []);
  const { values, missing } = secretValues(configured, env, log);
  if (missing.length > 0) throw missingSecretsError(missing);
  return values;
}
async function runDeploy(run) {
  const { log, runner, clock, inputs } = run;
  const session = await run.session();
  const { config, environmentName, environment } = session;
  const services = selectServices(config, inputs.services);
  const { strategy, driver } = resolveStrategy(config, inputs.strategy);
  const balancer = environment["load-balancer"];
  if (strategy === "canary" && balancer !== void 0) {
    throw new ConfigError(
      `strategy canary measures each host's own nginx; environment ${environmentName} has load-balancer ${balancer}: use rolling, recreate or blue-green`
    );
  }
  const env = { overrides: inputs.env ?? [], reset: inputs["env-reset"] };
  checkEnvOverrides(config, services, env.overrides);
  if (inputs["dry-run"]) {
    await log.group("Plan (dry run: nothing is changed)", async () => {
      const planned = envPlan(config, services, env, await (await session.journal()).read());
      for (const line of planLines(
        config,
        environmentName,
        environment,
        services,
        strategy,
        inputs.version,
        driver,
        planned.values
      ))
        log.info(line);
      for (const line of planned.lines) log.info(line);
      if (driver !== "compose") {
        const configured = services.flatMap((n) => config.services?.[n] ?? []);
        const { missing } = secretValues(configured, runner.env, log);
        if (missing.length > 0)
          log.info(`secret-env not set in this run (the deploy would stop before any change): ${missing.join(", ")}`);
      }
      for (const line of await upstreamPreview(session, services, driver, strategy, clock, log)) log.info(line);
    });
    return;
  }
  const secrets = driver !== "compose" ? serviceSecrets(config, services, runner.env, log) : void 0;
  await session.lock(run, inputs["lock-wait"]);
  runner.setOutput("environment-url", environment.url ?? "");
  const github = inputs.deployment ? await ReleaseDeployment.open(
    { token: inputs["github-token"], environment: environmentName, url: environment.url, runner },
    // Not the run's signal: a cancelled release still gets its final status (each call bounded by the client).
    { env: runner.env, log }
  ) : void 0;
  const journal = await session.journal();
  const maintenance = maintenanceOn(await journal.read());
  if (maintenance) log.info(maintenanceDeployNote(maintenance));
  const targets = await session.deployTargets(driver, strategy);
  const event = { environment: environmentName, version: inputs.version, url: environment.url };
  if (!run.nested) await notifyRun(run, config, { ...event, kind: "start" });
  let started;
  const deployed = deployRelease(
    {
      targets,
      journal,
      clock,
      log,
      signal: run.signal,
      maintenance: maintenance !== void 0,
      // Set first, so a rollback job can read them from a deploy that failed or was cancelled.
      // A fleet stopped at a failed host: the hosts already switched go back to the live release's containers.
      undoHosts: async (hosts, from, to, hostLog) => {
        await restoreRelease(
          { targets: hosts, clock, log: hostLog, signal: run.signal, maintenance: maintenance !== void 0 },
          { session, to, from, mode: "image", registryAuth: registryAuthOf(inputs), secrets }
        );
      },
      onStart: (r, prev) => {
        started = r;
        runner.setOutput("release-id", r.id);
        runner.setOutput("previous-release-id", prev?.id ?? "");
        runner.setOutput("previous-version", prev?.version ?? "");
        github?.start({ releaseId: r.id, version: r.version });
      }
    },
    {
      session,
      version: inputs.version,
      services,
      strategy,
      driver,
      gitSha: runner.env.GITHUB_SHA,
      backupId: inputs["backup-id"],
      registryAuth: registryAuthOf(inputs),
      secrets,
      env
    }
  );
  const { release, previous, paused, timeline } = await deployed.catch(async (err) => {
    if (started?.hosts) await runner.appendSummary(hostsSummary(started));
    await github?.finish(ReleaseDeployment.stateOf(err), `failed: ${errorMessage(err)}`);
    if (!run.nested) await notifyRun(run, config, { ...event, kind: "failure", reason: errorMessage(err) });
    throw err;
  });
  const smokeNext = run.nested && config.smoke !== void 0 && !paused;
  await github?.finish(
    paused || smokeNext ? "in_progress" : "success",
    paused ? `canary ${release.version} at ${release.canary?.weight}% until promoted` : smokeNext ? `${release.version} deployed (${release.id}); smoke test next` : `${release.version} live (${release.id})`
  );
  if (!run.nested && !paused)
    await notifyRun(run, config, {
      ...event,
      kind: "success",
      releaseId: release.id,
      previousVersion: previous?.version
    });
  runner.setOutput("previous-release-id", previous?.id ?? "");
  runner.setOutput("previous-version", previous?.version ?? "");
  await runner.appendSummary(deploySummary(config.app, environmentName, release, previous, { timeline }));
  runner.setOutput("canary", paused ? "paused" : release.canary ? "promoted" : "");
  if (paused)
    run.report.verdict = {
      outcome: "paused",
      detail: `The canary ${release.version} serves ${release.canary?.weight}% beside the live release until promoted (runbook promote / the promote action).`
    };
  if (paused) {
    log.info(
      `canary ${release.id} (${release.version}) serves ${release.canary?.weight}% beside the live release until promoted`
    );
    return;
  }
  log.info(
    `release ${release.id} (${release.version}) is live${maintenance ? ' (traffic stays on the maintenance page until "runbook maintenance off")' : ""}`
  );
}

export {
  wrapLogger,
  selectServices,
  serviceSecrets,
  runDeploy
};
