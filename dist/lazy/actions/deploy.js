import {
  upstreamPreview
} from "../chunks/chunk-SPD5BNDH.js";
import "../chunks/chunk-PRI3AX7Q.js";
import {
  deployService
} from "../chunks/chunk-ANPFEBHH.js";
import {
  registryAuthOf
} from "../chunks/chunk-MXNVC7SZ.js";
import "../chunks/chunk-I2HXHZA3.js";
import "../chunks/chunk-EJRZIOAP.js";
import {
  missingSecretsError,
  readComposeFiles,
  secretValues
} from "../chunks/chunk-GYNUU25G.js";
import {
  LABEL,
  ownerLabels,
  pullDecision
} from "../chunks/chunk-LLLGRHC3.js";
import "../chunks/chunk-HDIEMM7V.js";
import "../chunks/chunk-POU7XZB2.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-NC2UZVB4.js";
import "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-YGCRCGPR.js";
import {
  resolveStrategy
} from "../chunks/chunk-7ZK5JIZF.js";
import {
  toRemoteCommand
} from "../chunks/chunk-HFIWHNBU.js";
import {
  adoptedRelease,
  liveRelease,
  markLive,
  newReleaseId,
  sweepInterrupted
} from "../chunks/chunk-NO33E2BQ.js";
import "../chunks/chunk-LW4MLOGN.js";
import {
  composeConfig,
  composePull,
  composeUp
} from "../chunks/chunk-MIAGCR4I.js";
import "../chunks/chunk-FBRJFBTB.js";
import {
  dockerImageIdArgv
} from "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-2DLXAMSM.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-PDEXDIYD.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

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

// src/deploy/release.ts
async function deployRelease(deps, req) {
  const { clock, log, journal } = deps;
  const { config, environmentName, who } = req.session;
  const before = await journal.update((j) => {
    for (const r of sweepInterrupted(j)) {
      log.warn(`release ${r.id} (${r.version}) was left in progress by a run that died; marked failed`);
    }
  });
  const previous = liveRelease(before);
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
    startedAt: clock.now().toISOString()
  };
  await journal.upsert(release);
  deps.onStart?.(release, previous);
  log.info(
    `release ${release.id}: ${req.version} (${req.strategy}) to ${deps.targets.map((t) => t.name).join(", ")}; previous: ${previous ? `${previous.id} (${previous.version})` : "none"}`
  );
  const taken = {};
  try {
    if (deps.targets.length > 1) await assertNeverPulledImages(deps, req);
    for (const target of deps.targets) {
      for (const name of req.services) {
        const done = await deployService(deps, req, target, name, release, previous);
        for (const s of done.adopted ?? []) {
          const list = taken[name] ?? [];
          list.push({ target: target.name, address: s.address, params: [...s.params ?? []] });
          taken[name] = list;
        }
        const entry = release.services[name] ?? {
          image: done.image,
          imageId: done.imageId,
          repoDigests: done.repoDigests,
          replicas: []
        };
        entry.replicas.push(...done.replicas);
        release.services[name] = entry;
      }
    }
  } catch (err) {
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
  for (const target of deps.targets) {
    if (!target.docker) continue;
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
  }
  return { release, previous: adopted ?? previous };
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
    for (const target of deps.targets) {
      const present = target.docker ? await target.docker.inspectImage(image) !== void 0 : (await target.transport.exec(dockerImageIdArgv(image), { quiet: true, env: target.env })).code === 0;
      if (!present) missing.push(`${target.name}: ${image}`);
    }
  }
  if (missing.length > 0) {
    throw new UserError(
      `pull is never, and ${missing.length === 1 ? "this image is" : "these images are"} not on the target: ${missing.join("; ")}; nothing was changed on any target: load or build ${missing.length === 1 ? "it" : "them"} there first, or set pull: missing`
    );
  }
}

// src/actions/deploy-report.ts
function planLines(config, environmentName, environment, services, strategy, version, driver) {
  const targets = environment.targets.map((t) => t.name).join(", ");
  const lines = [
    `${config.app}/${environmentName}: deploy ${version} with ${strategy} (${driver} driver) to ${targets}`
  ];
  const nginx = config.strategy.proxy?.nginx;
  for (const t of environment.targets) {
    lines.push(`${t.name}:`);
    for (const name of services) {
      const s = config.services?.[name];
      if (!s) continue;
      const ports = s["host-ports"] ? ` on ports ${s["host-ports"][0]}-${s["host-ports"][1]}` : "";
      lines.push(
        `  ${name}: ${s.replicas} \xD7 ${s.image}:${version}${ports} (${s.network} network), health: ${s.health?.http ? `GET ${s.health.http.path}` : s.health?.container ? "container HEALTHCHECK" : "running"}`
      );
      const compose = config.compose;
      if (driver === "compose" && compose && strategy === "rolling") {
        const cmdEnv = { [compose["version-env"]]: version, ..."env" in t ? t.env : {} };
        lines.push(`    $ ${toRemoteCommand(composeConfig(compose), { cwd: compose.directory, env: cmdEnv })}`);
        lines.push(
          `    Docker API: create ${s.replicas} \xD7 compose service ${name} as the file resolves it (environment, volumes, network, healthcheck), each on its own port, start, health-gate, add to the upstream, then drain and stop the previous replicas (kept)`
        );
      } else if (driver === "compose" && compose) {
        const cmdEnv = { [compose["version-env"]]: version, ..."env" in t ? t.env : {} };
        const cmds = [
          ...pullDecision(name, s, compose.pull).policy === "always" ? [composePull(compose, [name])] : [],
          composeUp(compose, [name], { forceRecreate: true, scale: { [name]: s.replicas } })
        ];
        for (const argv of cmds) lines.push(`    $ ${toRemoteCommand(argv, { cwd: compose.directory, env: cmdEnv })}`);
      } else {
        lines.push(
          `    Docker API: create ${s.replicas} \xD7 ${s.image}:${version}, start, health-gate, then stop the previous replicas (kept)`
        );
      }
      if (nginx && (nginx.service ?? services[0]) === name) {
        lines.push(
          `    nginx upstream ${nginx.upstream} in ${nginx["upstream-file"]}, then: ${nginx.test.join(" ")}; ${nginx.reload.join(" ")}`
        );
      }
    }
  }
  return lines;
}
function deploySummary(app, environmentName, r, previous) {
  const rows = Object.entries(r.services).flatMap(
    ([name, s]) => s.replicas.map(
      (x) => `| ${name} | ${x.target} | ${x.name} | ${x.port ?? ""} | \`${(s.imageId ?? "").slice(0, 19)}\` |`
    )
  );
  return [
    `### Deploy ${app}/${environmentName}: ${r.version} is live`,
    "",
    `Release \`${r.id}\` (${r.strategy}); previous: ${previous ? `\`${previous.id}\` (${previous.version})` : "none"}`,
    "",
    "| service | target | container | port | image |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    ""
  ].join("\n");
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
  if (inputs["dry-run"]) {
    await log.group("Plan (dry run: nothing is changed)", async () => {
      for (const line of planLines(config, environmentName, environment, services, strategy, inputs.version, driver))
        log.info(line);
      if (driver === "engine") {
        const configured = services.flatMap((n) => config.services?.[n] ?? []);
        const { missing } = secretValues(configured, runner.env, log);
        if (missing.length > 0)
          log.info(`secret-env not set in this run (the deploy would stop before any change): ${missing.join(", ")}`);
      }
      for (const line of await upstreamPreview(session, services, driver, strategy, clock, log)) log.info(line);
    });
    return;
  }
  const secrets = driver === "engine" ? serviceSecrets(config, services, runner.env, log) : void 0;
  await session.lock(run, inputs["lock-wait"]);
  const journal = await session.journal();
  const targets = await session.deployTargets(driver, strategy);
  const { release, previous } = await deployRelease(
    {
      targets,
      journal,
      clock,
      log,
      signal: run.signal,
      // Set first, so a rollback job can read them from a deploy that failed or was cancelled.
      onStart: (r, prev) => {
        runner.setOutput("release-id", r.id);
        runner.setOutput("previous-release-id", prev?.id ?? "");
        runner.setOutput("previous-version", prev?.version ?? "");
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
      secrets
    }
  );
  runner.setOutput("previous-release-id", previous?.id ?? "");
  runner.setOutput("previous-version", previous?.version ?? "");
  await runner.appendSummary(deploySummary(config.app, environmentName, release, previous));
  log.info(`release ${release.id} (${release.version}) is live`);
}
export {
  runDeploy,
  selectServices,
  serviceSecrets
};
