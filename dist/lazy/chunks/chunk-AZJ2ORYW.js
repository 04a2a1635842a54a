import {
  SSH_KEY_INPUT,
  SSH_PASSPHRASE_INPUT
} from "./chunk-I2HXHZA3.js";
import {
  applySpec,
  assertOurs,
  pruneSecrets,
  pullAuth,
  serviceRecord,
  taskReplicas,
  watchConvergence
} from "./chunk-DLC2WS4V.js";
import {
  checkComposeEnv,
  composeReplicaDeploy,
  prepareComposeSite
} from "./chunk-5V63FDDH.js";
import {
  allocatePort,
  gate,
  gateNow,
  portBusy,
  removeReplicas,
  replicaFromLabels,
  startReplica,
  stopReplica,
  toJournal,
  upstreamOf,
  withEnvFile
} from "./chunk-5OHRL654.js";
import {
  refine,
  string,
  zBool,
  zDurationInput,
  zPattern,
  zText
} from "./chunk-NCLL3RXK.js";
import {
  swarmEngineOf,
  swarmManager,
  swarmServiceName
} from "./chunk-JZF2JHVW.js";
import {
  composeDeployOf,
  composeRecreate,
  containerIds,
  engineDeployOf,
  runningImages,
  serviceSite,
  waitHealthy
} from "./chunk-HEVGDBH7.js";
import {
  acceptsConnections
} from "./chunk-7NDG7RRJ.js";
import {
  LABEL,
  ownerLabels,
  ownerOf
} from "./chunk-EJKV34LF.js";
import {
  hostPortOf
} from "./chunk-FAX57M2F.js";
import {
  probeOf
} from "./chunk-TSVKQNYQ.js";
import {
  usesEngine
} from "./chunk-UXZUOFCM.js";
import {
  BACKUP_ID
} from "./chunk-QETEGG6J.js";
import {
  githubFor
} from "./chunk-RPP53YNZ.js";
import {
  apiError,
  apiErrorText
} from "./chunk-VQFM3CCE.js";
import {
  swarmSettings
} from "./chunk-U7XPOYSJ.js";
import {
  runLinks
} from "./chunk-Q7OLK7WB.js";
import {
  _maxLength
} from "./chunk-WNIEMWDA.js";
import {
  CancelledError,
  ConfigError,
  UserError,
  isUserError
} from "./chunk-O2HJWNJA.js";

// src/github/deployments.ts
var permissionHint = (err) => [403, 404].includes(apiError(err).status ?? 0) ? " (the job's permissions need deployments: write)" : "";
var description = (text) => text.length > 140 ? `${text.slice(0, 139)}\u2026` : text;
var GitHubDeployment = class _GitHubDeployment {
  constructor(github, id, facts, deps) {
    this.github = github;
    this.id = id;
    this.facts = facts;
    this.deps = deps;
  }
  github;
  id;
  facts;
  deps;
  /** Create the deployment (no GitHub merge, no GitHub-side context check: pre-deploy-check does that). */
  static async create(github, facts, deps) {
    const ref = facts.ref ?? github.context.sha;
    if (!ref) {
      deps.log.warn("no GitHub deployment recorded: the run has no commit (GITHUB_SHA)");
      return void 0;
    }
    try {
      const { data } = await github.octokit.rest.repos.createDeployment({
        owner: github.owner,
        repo: github.repo,
        ref,
        environment: facts.environment,
        auto_merge: false,
        required_contexts: [],
        description: description(
          facts.rollbackOf ? `rollback of ${facts.rollbackOf}: ${facts.version} (${facts.releaseId})` : `${facts.version} (${facts.releaseId})`
        ),
        payload: {
          tool: "runbook-actions",
          release: facts.releaseId,
          version: facts.version,
          ...facts.rollbackOf ? { rollback_of: facts.rollbackOf } : {}
        },
        production_environment: facts.production,
        transient_environment: false
      });
      if (!("id" in data)) {
        deps.log.warn(`no GitHub deployment recorded: GitHub answered "${data.message ?? "no deployment"}"`);
        return void 0;
      }
      deps.log.info(`GitHub deployment ${data.id} (${facts.environment}, ${facts.version})`);
      return new _GitHubDeployment(github, data.id, facts, deps);
    } catch (err) {
      deps.log.warn(
        `no GitHub deployment recorded for ${facts.environment}: ${apiErrorText(err)}${permissionHint(err)}`
      );
      return void 0;
    }
  }
  /** A deployment this run did not create (the deploy step's `deployment-id`), to post statuses on. */
  static existing(github, id, facts, deps) {
    return new _GitHubDeployment(github, id, facts, deps);
  }
  /** Post a status; false (and a warning) when GitHub refuses it. */
  async status(state, text) {
    const links = runLinks(this.github.context, this.facts.environment);
    try {
      await this.github.octokit.rest.repos.createDeploymentStatus({
        owner: this.github.owner,
        repo: this.github.repo,
        deployment_id: this.id,
        state,
        description: description(text),
        environment: this.facts.environment,
        ...this.facts.url ? { environment_url: this.facts.url } : {},
        ...links.run ? { log_url: links.run } : {},
        auto_inactive: true
      });
      return true;
    } catch (err) {
      this.deps.log.warn(
        `GitHub deployment ${this.id}: the ${state} status was not recorded: ${apiErrorText(err)}${permissionHint(err)}`
      );
      return false;
    }
  }
};

// src/github/release-deployment.ts
var ReleaseDeployment = class _ReleaseDeployment {
  constructor(github, o, deps) {
    this.github = github;
    this.o = o;
    this.deps = deps;
  }
  github;
  o;
  deps;
  made;
  /** A tracker; without a token or a repository, one that records nothing (and says so at debug level). */
  static async open(o, deps) {
    const seam = await githubFor(o.token, deps);
    if ("missing" in seam) deps.log.info(`no GitHub deployment recorded: ${seam.missing}`);
    return new _ReleaseDeployment("github" in seam ? seam.github : void 0, o, deps);
  }
  /** Create the deployment and its in_progress status (in the background; `finish` waits for it). */
  start(facts) {
    const github = this.github;
    if (!github || this.made) return;
    this.made = (async () => {
      const d = await GitHubDeployment.create(
        github,
        { ...facts, environment: this.o.environment, url: this.o.url },
        this.deps
      );
      if (!d) return void 0;
      this.o.runner.setOutput("deployment-id", String(d.id));
      await d.status("in_progress", `deploying ${facts.version} (${facts.releaseId})`);
      return d;
    })();
  }
  /** The deployment's final status for this step (or a further in_progress, e.g. a canary left paused). */
  async finish(state, text) {
    const d = await this.made;
    if (!d) return void 0;
    await d.status(state, text);
    return d.id;
  }
  /** The status an error ends a release with: failure for what the deploy refused or found, error otherwise. */
  static stateOf(err) {
    return isUserError(err) && !(err instanceof CancelledError) ? "failure" : "error";
  }
};
async function recordRollback(o, deps) {
  const seam = await githubFor(o.token, deps);
  if ("missing" in seam) {
    if (o.deploymentId) deps.log.warn(`GitHub deployment ${o.deploymentId} not marked failed: ${seam.missing}`);
    return void 0;
  }
  const { github } = seam;
  const facts = { environment: o.environment, url: o.url };
  if (o.deploymentId) {
    await GitHubDeployment.existing(
      github,
      o.deploymentId,
      { ...facts, version: o.failed.version ?? "", releaseId: o.failed.releaseId },
      deps
    ).status("failure", `rolled back to ${o.restored.version} (${o.restored.releaseId})`);
  }
  const restored = await GitHubDeployment.create(
    github,
    {
      ...facts,
      version: o.restored.version,
      releaseId: o.restored.releaseId,
      rollbackOf: o.failed.releaseId,
      ref: o.restored.gitSha
    },
    deps
  );
  if (!restored) return void 0;
  await restored.status("success", `restored ${o.restored.version} (${o.restored.releaseId}) after a rollback`);
  o.runner.setOutput("deployment-id", String(restored.id));
  return restored.id;
}
async function postStatus(o, state, text, deps) {
  const seam = await githubFor(o.token, deps);
  if ("missing" in seam) return;
  await GitHubDeployment.existing(
    seam.github,
    o.deploymentId,
    { environment: o.environment, url: o.url, version: o.version, releaseId: o.releaseId },
    deps
  ).status(state, text);
}

// src/inputs/common.ts
var ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
var anyText = zText(() => true, "expected text");
var commonInputs = {
  config: {
    description: "Path of the runbook config file",
    default: "runbook.yml",
    schema: zText((v) => !v.includes("\0") && !v.includes("\n"), "expected a file path")
  },
  environment: {
    description: "Environment name from the config (environments.<name>)",
    required: true,
    schema: zPattern(
      ENV_NAME,
      'expected an environment name: letters, digits, "_" and "-", starting with a letter or digit'
    )
  },
  "dry-run": {
    description: "Print what would run on each host and change nothing",
    default: "false",
    schema: zBool
  },
  [SSH_KEY_INPUT]: {
    description: "Private key for SSH targets (OpenSSH or PEM); kept in memory only",
    secret: true,
    schema: zText((v) => v.includes("PRIVATE KEY"), "expected an OpenSSH, PEM or PKCS#8 private key")
  },
  [SSH_PASSPHRASE_INPUT]: {
    description: `Passphrase of ${SSH_KEY_INPUT}, when it is encrypted`,
    secret: true,
    schema: anyText
  },
  "ssh-known-hosts": {
    description: "known_hosts lines pinning every SSH host key (hashed entries and [host]:port accepted)",
    schema: anyText
  },
  "ssh-insecure-ignore-host-key": {
    description: "Accept any SSH host key (insecure; prints a warning)",
    default: "false",
    schema: zBool
  },
  "github-token": {
    description: "Token for GitHub API calls (deployments, summaries)",
    secret: true,
    schema: anyText
  }
};
var deploymentInput = {
  description: "Record the release as one GitHub deployment (statuses in_progress, then success, failure or error, with the environment url and the run as log_url); needs github-token with deployments: write. Without a token nothing is recorded",
  default: "true",
  schema: zBool
};
var incidentIssueInput = (byDefault) => ({
  description: 'After an automatic rollback, open (or comment on) an issue labelled with checks.incident-label (default "incident") with the timeline and the run link, so the next pre-deploy-check blocks until a person closes it; needs github-token with issues: write',
  default: String(byDefault),
  schema: zBool
});
var lockWaitInput = {
  description: "How long to wait for another deploy, migration or rollback of the same environment to finish",
  default: "10m",
  schema: zDurationInput
};
var zBackupId = zPattern(
  BACKUP_ID,
  "expected a backup id like shop-production-20261123T131500Z-1a2b3c4 (see: runbook backup list)"
);
var backupIdInput = {
  description: "The verified backup taken before this change (the backup action's backup-id): recorded in the journal, kept by retention, restored by rollback scope database",
  schema: zBackupId
};
var registryInputs = {
  "registry-username": { description: "Registry user for pulling images", schema: anyText },
  "registry-password": { description: "Registry password or token (masked)", secret: true, schema: anyText }
};
function registryAuthOf(inputs) {
  const username = inputs["registry-username"];
  const password = inputs["registry-password"];
  return username && password ? { username, password } : void 0;
}
var zReason = string().check(
  _maxLength(500, "expected at most 500 characters"),
  refine((v) => !/[\0\r\n]/.test(v), "expected one line")
);

// src/deploy/swarm/restore.ts
function rollbackWay(service, to, rec, from) {
  const current = service.spec.Labels?.[LABEL.release];
  if (current === to.id) return "already";
  const prev = service.previousSpec;
  const matches = prev?.Labels?.[LABEL.release] === to.id && (rec.swarm === void 0 || prev.TaskTemplate.ContainerSpec.Image === rec.swarm.image) && (from === void 0 || current === from.id);
  return matches ? "previous-spec" : "recorded-spec";
}
async function recordedRef(site, rec) {
  const ref = rec.swarm?.image ?? rec.image;
  if (ref.includes("@")) return ref;
  const now = await site.docker.inspectImage(rec.image);
  if (now && (!rec.imageId || now.id === rec.imageId)) return rec.image;
  throw new UserError(
    `${site.target.name}/${site.name}: release ${rec.image} ran an image without a registry digest (${rec.imageId?.slice(0, 19) ?? "unknown id"}), and ${rec.image} ${now ? `is now ${now.id.slice(0, 19)}` : "is gone"}: Swarm runs images by reference, so it cannot run that one again; push images to a registry to roll back by digest`
  );
}
async function restoreSwarmService(site, rec, req) {
  const { to, from } = req;
  if (req.mode === "traffic") {
    throw new UserError(
      `${site.target.name}/${site.name}: scope traffic needs the release's containers still running beside the live ones, and a Swarm service runs one release's tasks; roll back with scope image (Swarm's rollback, or the recorded spec)`
    );
  }
  const api = swarmEngineOf(site.target.name, site.target.docker);
  const info = await swarmManager(api, site.target.name);
  const owner = ownerOf(site);
  const name = swarmServiceName(owner);
  const service = await api.inspectService(name);
  if (service) assertOurs(name, service.spec.Labels, owner);
  const timeoutMs = swarmSettings(site.config.strategy)["converge-timeout"];
  const watchSite = { ...site, api, serviceName: name, localNode: info.nodeId };
  const way = service ? rollbackWay(service, to, rec, from) : "recorded-spec";
  const restored = (done) => ({
    replicas: taskReplicas(site.target.name, name, done.tasks),
    record: serviceRecord(name, done.service.spec.TaskTemplate.ContainerSpec.Image, done)
  });
  try {
    if (service && way === "already") {
      site.log.info(`swarm: ${name} already runs the spec of ${to.id}; waiting for it to converge`);
      const done2 = await watchConvergence(
        { ...watchSite, serviceId: service.id },
        // Nothing to wait for from Swarm (its last update is older): converged once the tasks run and pass the gate.
        { release: to.id, change: "create", before: service.updateStatus?.startedAt, timeoutMs }
      );
      return restored(done2);
    }
    if (service && way === "previous-spec") {
      site.log.info(
        `swarm: ${name}'s previous spec is release ${to.id}: Swarm's rollback (version ${service.version} \u2192 the previous spec)`
      );
      await api.updateService(service.id, service.version, service.spec, { rollback: true });
      const done2 = await watchConvergence(
        { ...watchSite, serviceId: service.id },
        {
          release: to.id,
          change: "rollback",
          before: service.updateStatus?.startedAt,
          ...service.spec.Labels?.[LABEL.release] ? { fallback: service.spec.Labels[LABEL.release] } : {},
          timeoutMs
        }
      );
      return restored(done2);
    }
    site.log.info(
      `swarm: ${name}: ${service ? `its previous spec is not release ${to.id}'s` : "the service is gone"}; ${service ? "updating it" : "creating it"} to the recorded spec (${rec.swarm?.image ?? rec.image}, the release's env values)`
    );
    const d = await withEnvFile(engineDeployOf(site, api, to.id, rec.image, req.secrets));
    const image = await recordedRef(d, rec);
    const done = await applySpec({ d, api, image, release: to.id, creds: req.registryAuth, imageRef: rec.image }, info);
    return { replicas: done.replicas, record: done.record };
  } finally {
    await pruneSecrets(api, owner, site.log).catch(
      (e) => site.log.warn(`swarm: secrets not pruned: ${e.message}`)
    );
  }
}

// src/rollback/adopted.ts
async function restoreAdopted(d, rec, mode) {
  const label = `${d.target.name}/${d.name}`;
  const servers = (rec.servers ?? []).filter((s) => s.target === d.target.name).map((s) => ({ address: s.address, params: s.params }));
  if (servers.length === 0) {
    if (d.target.balancer && d.proxy && (rec.servers ?? []).length > 0)
      await leave(d, [], mode, "rollback to the site as it was taken over (this host served nothing then)");
    return;
  }
  if (!d.proxy) throw new UserError(`${label}: the site was taken over through nginx, and the config has no proxy now`);
  const down = [];
  for (const s of servers) if (!await acceptsConnections(probeOf(d.target), s.address)) down.push(s.address);
  if (down.length > 0) {
    throw new UserError(
      `${label}: what served before the take-over no longer answers on ${down.join(", ")}; start it again (it is not the toolkit's to start), then roll back`
    );
  }
  const http = d.service.health?.http ? d.service.health : void 0;
  if (http) {
    const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal: d.signal };
    for (const s of servers) {
      const at = hostPortOf(s.address);
      if (!at) continue;
      await waitHealthy(
        ctx,
        { ...http, stable: 0 },
        {
          label: `${label} ${s.address} (as taken over)`,
          host: at.host,
          port: at.port,
          state: async () => ({ running: true, exitCode: 0 }),
          logsTail: async () => ""
        }
      );
    }
  }
  await leave(d, servers, mode, "rollback to the site as it was taken over");
}
async function leave(d, servers, mode, why) {
  const serving = (await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) })).filter((c) => c.state === "running").map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels));
  await d.proxy?.set(servers, why);
  if (mode === "traffic" || serving.length === 0) return;
  await d.clock.sleep(d.config.strategy.drain, d.signal);
  for (const r of serving)
    await stopReplica(d, r).catch((e) => d.log.warn(`could not stop ${r.name}: ${e.message}`));
}

// src/rollback/compose.ts
async function restoreComposeService(d, rec, from) {
  const env = d.envOverrides ?? {};
  await checkComposeEnv(d, d.compose, d.version);
  const ids = await containerIds(d, d.version);
  if (rec.imageId && ids.length > 0 && sameEnv(env, from ? from.env?.[d.name] ?? {} : env)) {
    const images = await runningImages(d, ids);
    if (images.every((i) => i === rec.imageId)) {
      d.log.info(`${d.target.name}/${d.name}: already running ${rec.imageId.slice(0, 19)} (${d.version})`);
      return {
        replicas: ids.map((id) => ({ target: d.target.name, id, name: id.slice(0, 12), port: d.service.port })),
        imageId: rec.imageId
      };
    }
  }
  return composeRecreate(d, {
    version: d.version,
    image: rec.image,
    imageId: rec.imageId,
    repoDigests: rec.repoDigests,
    env
  });
}
function sameEnv(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

// src/rollback/kept.ts
async function reuseObstacle(d, mine, rec, held, freed = /* @__PURE__ */ new Set()) {
  if (mine.length === 0) return "no kept container of this release";
  if (mine.length < d.service.replicas) return `only ${mine.length} of ${d.service.replicas} kept containers`;
  for (const r of mine) {
    if (rec.imageId && r.imageId !== rec.imageId) return `${r.name} does not run the recorded image`;
    if (r.running || r.port === void 0) continue;
    if (held.has(r.port)) return `port ${r.port} of ${r.name} is held by a serving replica`;
    if (!freed.has(r.port) && await portBusy(d, r.port))
      return `port ${r.port} of ${r.name} is taken by something else`;
  }
  return void 0;
}
async function bringBack(d, mine, obstacle, ports, used, attempt) {
  const label = `${d.target.name}/${d.name}`;
  if (!obstacle) {
    for (const r of mine.filter((m) => !m.running)) {
      await d.docker.startContainer(r.id);
      attempt.started.push(r);
      d.log.info(`${label}: started the kept ${r.name}${r.port === void 0 ? "" : ` on port ${r.port}`}`);
    }
    if (attempt.started.length === 0) d.log.info(`${label}: ${d.release} is already running`);
    return [...mine];
  }
  d.log.info(`${label}: ${obstacle}; starting new containers of ${d.image.slice(0, 19)}`);
  await removeReplicas(d, mine);
  attempt.created = true;
  for (let slot = 0; slot < d.service.replicas; slot++) {
    attempt.started.push(await startReplica(d, slot, ports[slot] ?? await allocatePort(d, used)));
  }
  return [...attempt.started];
}
async function takeBack(d, attempt) {
  if (attempt.created) await removeReplicas(d, attempt.started);
  else for (const r of attempt.started) await stopReplica(d, r).catch((e) => d.log.warn(e.message));
}

// src/rollback/in-place.ts
async function restoreInPlace(d, mine, serving, rec) {
  const label = `${d.target.name}/${d.name}`;
  const freed = new Set(serving.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  const obstacle = await reuseObstacle(d, mine, rec, /* @__PURE__ */ new Set(), freed);
  d.log.info(
    `${label}: no proxy in front: stopping ${serving.map((r) => r.name).join(", ")} and starting ${d.release} again (a brief gap, as in recreate)`
  );
  for (const r of serving) await stopReplica(d, r);
  const attempt = { started: [], created: false };
  const ports = [...freed];
  try {
    const restored = await bringBack(d, mine, obstacle, ports, new Set(ports), attempt);
    await gate(d, restored);
    return restored;
  } catch (err) {
    d.log.warn(`${label}: rollback failed; starting what was serving again`);
    await takeBack(d, attempt);
    for (const r of serving) {
      await d.docker.startContainer(r.id).catch((e) => d.log.warn(`could not restart ${r.name}: ${e.message}`));
    }
    throw err;
  }
}

// src/rollback/engine.ts
async function recordedImage(d, rec, creds) {
  if (rec.imageId && await d.docker.inspectImage(rec.imageId)) return rec.imageId;
  const auth = pullAuth(creds, rec.image);
  for (const ref of rec.repoDigests ?? []) {
    d.log.info(`${d.target.name}/${d.name}: ${rec.image} is gone from the target; pulling ${ref}`);
    await d.docker.pullImage(ref, { auth, signal: d.signal });
    const info = await d.docker.inspectImage(ref);
    if (info && (!rec.imageId || info.id === rec.imageId)) return info.id;
  }
  if (!rec.imageId && await d.docker.inspectImage(rec.image)) return rec.image;
  throw new UserError(
    `${d.target.name}/${d.name}: the image release ${d.release} ran (${rec.image}${rec.imageId ? `, ${rec.imageId.slice(0, 19)}` : ""}) is no longer on the target and has no registry digest to pull it by`
  );
}
async function restoreEngineService(d, rec) {
  const all = await d.docker.listContainers({ all: true, labels: ownerLabels(ownerOf(d)) });
  const mine = all.filter((c) => c.labels[LABEL.release] === d.release).map((c) => ({
    ...replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels),
    running: c.state === "running",
    imageId: c.imageId
  })).sort((a, b) => a.slot - b.slot);
  const serving = all.filter((c) => c.state === "running" && c.labels[LABEL.release] !== d.release).map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels)).sort((a, b) => a.slot - b.slot);
  const held = new Set(serving.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  const label = `${d.target.name}/${d.name}`;
  if (!d.proxy && serving.length > 0) return restoreInPlace(d, mine, serving, rec);
  const obstacle = await reuseObstacle(d, mine, rec, held);
  const upstreamText = d.proxy ? await d.proxy.current() : void 0;
  const attempt = { started: [], created: false };
  let restored;
  try {
    restored = await bringBack(d, mine, obstacle, [], new Set(held), attempt);
    await gate(d, restored);
    if (d.proxy && serving.length > 0) {
      await d.proxy.set(upstreamOf([...serving, ...restored]), `add the restored ${d.release}`);
    }
    if (d.proxy) await d.proxy.set(upstreamOf(restored), `rollback to ${d.release}`);
  } catch (err) {
    d.log.warn(`${label}: rollback failed; putting back what was serving`);
    await d.proxy?.restore(upstreamText, "rollback failed").catch((e) => d.log.warn(e.message));
    await takeBack(d, attempt);
    throw err;
  }
  if (serving.length > 0) {
    if (d.proxy) await d.clock.sleep(d.config.strategy.drain, d.signal);
    await Promise.all(
      serving.map((r) => stopReplica(d, r).catch((e) => d.log.warn(`could not stop ${r.name}: ${e.message}`)))
    );
  }
  return restored;
}

// src/rollback/release.ts
function servicesOf(config, to) {
  const recorded = Object.keys(to.services);
  const order = config.strategy.order ?? [];
  const sorted = [...order.filter((s) => recorded.includes(s)), ...recorded.filter((s) => !order.includes(s))];
  const missing = sorted.filter((s) => !config.services?.[s]);
  if (missing.length > 0) {
    throw new ConfigError(`release ${to.id} ran ${missing.join(", ")}, which the config no longer defines (services:)`);
  }
  return sorted;
}
async function restoreRelease(deps, req) {
  const { log } = deps;
  const { to } = req;
  const { config } = req.session;
  const names = servicesOf(config, to);
  const out = {};
  const swarm = {};
  const add = (service, rs) => {
    out[service] = [...out[service] ?? [], ...rs];
  };
  for (const target of deps.targets) {
    for (const name of names) {
      const rec = to.services[name];
      const service = config.services?.[name];
      if (!rec || !service) continue;
      if (to.origin === "adopted") {
        if (!target.docker)
          throw new ConfigError(`${target.name}: rolling back a site taken over needs the engine driver`);
        const d = engineDeployOf(serviceSite(req.session, names, target, name, deps), target.docker, to.id, rec.image);
        await log.group(
          `${target.name}: ${name} \u2192 the site as it was taken over (${req.mode})`,
          () => restoreAdopted(d, rec, req.mode)
        );
        continue;
      }
      if (!rec.replicas.some((r) => r.target === target.name)) {
        log.info(`${target.name}/${name}: release ${to.id} had no replica here; left as it is`);
        continue;
      }
      const site = serviceSite(req.session, names, target, name, deps, to.env?.[name]);
      const proxy = site.proxy;
      const title = `${target.name}: ${name} \u2192 ${to.version} (${req.mode === "image" ? "rollback" : "traffic only"})`;
      if (to.driver === "swarm") {
        const opts = { to, from: req.from, mode: req.mode, registryAuth: req.registryAuth, secrets: req.secrets };
        const done = await log.group(title, () => restoreSwarmService(site, rec, opts));
        add(name, done.replicas);
        swarm[name] = done.record;
        continue;
      }
      if (!usesEngine(to.driver, to.strategy) || !target.docker) {
        const compose2 = config.compose;
        if (!compose2)
          throw new ConfigError(`release ${to.id} was deployed with compose; the config has no compose section`);
        if (req.mode === "traffic") {
          if (proxy && service.port !== void 0) await proxy.set([{ address: `127.0.0.1:${service.port}` }], title);
          continue;
        }
        const done = await log.group(
          title,
          () => restoreComposeService(composeDeployOf(site, compose2, to.version, req.from), rec, req.from)
        );
        add(name, done.replicas);
        continue;
      }
      const docker = target.docker;
      const compose = to.driver === "compose" ? config.compose : void 0;
      if (to.driver === "compose" && !compose)
        throw new ConfigError(`release ${to.id} was deployed with compose; the config has no compose section`);
      const restored = await log.group(title, async () => {
        if (req.mode === "traffic") return trafficOnly(engineDeployOf(site, docker, to.id, rec.image));
        if (compose) {
          const composed = await composeReplicaDeploy(site, docker, compose, to.version, to.id).catch((err) => {
            log.warn(
              `${target.name}/${name}: the compose file does not resolve at ${to.version} (${err.message}); only the release's kept containers can come back`
            );
            return { ...engineDeployOf(site, docker, to.id, rec.image), unresolved: err };
          });
          const image2 = await recordedImage(composed, rec, req.registryAuth);
          if ("composeService" in composed) await prepareComposeSite(composed, compose, to.version);
          return restoreEngineService({ ...composed, image: image2 }, rec);
        }
        const d = engineDeployOf(site, docker, to.id, rec.image, req.secrets);
        const withFile = await withEnvFile(d);
        const image = await recordedImage(withFile, rec, req.registryAuth);
        return restoreEngineService({ ...withFile, image }, rec);
      });
      add(
        name,
        restored.map((r) => toJournal(target.name, r))
      );
    }
  }
  return { replicas: out, swarm };
}
async function trafficOnly(d) {
  const running = (await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) })).filter((c) => c.state === "running" && c.labels[LABEL.release] === d.release).map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels));
  if (running.length === 0) {
    throw new UserError(
      `${d.target.name}/${d.name}: no container of ${d.release} is running, so traffic alone cannot go back to it; add image to the scope`
    );
  }
  await gateNow(d, running).catch((err) => {
    throw new UserError(
      `${d.target.name}/${d.name}: the containers of ${d.release} still run but are not healthy (${err.message}), so traffic is not switched back to them; nothing changed: roll back with scope image to start them anew`
    );
  });
  if (d.proxy) await d.proxy.set(upstreamOf(running), `traffic back to ${d.release}`);
  return running;
}

export {
  ReleaseDeployment,
  recordRollback,
  postStatus,
  commonInputs,
  deploymentInput,
  incidentIssueInput,
  lockWaitInput,
  zBackupId,
  backupIdInput,
  registryInputs,
  registryAuthOf,
  zReason,
  restoreRelease
};
