import {
  SSH_KEY_INPUT,
  SSH_PASSPHRASE_INPUT
} from "./chunk-I2HXHZA3.js";
import {
  checkComposeEnv,
  composeReplicaDeploy,
  prepareComposeSite
} from "./chunk-KOL4NMNN.js";
import {
  allocatePort,
  allocatePortOrReuse,
  gate,
  rolling,
  runningReplicas,
  smokeSlot,
  startCanary,
  startReplica,
  stopReplica,
  toJournal,
  undo,
  upstreamOf,
  withEnvFile
} from "./chunk-IBLZYMIS.js";
import {
  refine,
  string,
  zBool,
  zDurationInput,
  zPattern,
  zText
} from "./chunk-NCLL3RXK.js";
import {
  composeDeployOf,
  composeRecreate,
  engineDeployOf,
  namesRegistryHost,
  pullDecision,
  serviceSite
} from "./chunk-3XEHNSI7.js";
import {
  upstreamBefore
} from "./chunk-U6I3JZGW.js";
import {
  BACKUP_ID
} from "./chunk-QETEGG6J.js";
import {
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  githubFor
} from "./chunk-4ZS2QMJE.js";
import {
  runLinks
} from "./chunk-Q7OLK7WB.js";
import {
  _maxLength
} from "./chunk-WNIEMWDA.js";
import {
  CancelledError,
  UserError,
  errorMessage,
  isUserError
} from "./chunk-O2HJWNJA.js";

// src/github/deployments.ts
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
      deps.log.warn(`no GitHub deployment recorded for ${facts.environment}: ${errorMessage(err)}`);
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
      this.deps.log.warn(`GitHub deployment ${this.id}: the ${state} status was not recorded: ${errorMessage(err)}`);
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
    if ("missing" in seam) deps.log.debug(`no GitHub deployment recorded: ${seam.missing}`);
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

// src/deploy/engine/blue-green.ts
var addressOf = (r) => `127.0.0.1:${r.port}`;
async function blueGreen(d, slot) {
  const label = `${d.target.name}/${d.name}`;
  const proxy = d.proxy;
  if (!proxy) throw new Error(`${label}: blue-green needs the nginx proxy in front of the service`);
  if (!d.service["host-ports"]) {
    throw new UserError(
      `${label}: blue-green runs both slots side by side, each replica on its own port: set services.${d.name}.host-ports (at least 2 \xD7 replicas ports)`
    );
  }
  const events = [];
  const mark = (what) => events.push({ at: d.clock.now().toISOString(), what });
  const before = await upstreamBefore(d);
  const running = await runningReplicas(d);
  const active = running.filter((r) => r.port !== void 0 && before?.serving.has(addressOf(r)));
  const idle = running.filter((r) => !active.includes(r));
  mark(`${slot} slot: ${d.release}`);
  for (const r of idle) {
    d.log.info(`${label}: the ${slot} slot holds ${r.name} (${r.release}, out of traffic): stopped (kept)`);
    await stopReplica(d, r);
  }
  const used = new Set(running.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  const nextPort = () => allocatePortOrReuse(d, used, idle, "both slots' (the new slot takes the stopped one's)");
  const fresh = [];
  try {
    for (let i = 0; i < d.service.replicas; i++) fresh.push(await startReplica(d, i, await nextPort()));
    mark(`started ${fresh.length} replica(s) on ${fresh.map((r) => r.port).join(", ")}`);
    await gate(d, fresh);
    mark("health gate passed");
    await smokeSlot(d, fresh);
    mark("smoked on its own ports");
    await proxy.set(upstreamOf(fresh), `switch to the ${slot} slot (${d.release})`);
    mark(`upstream switched to ${slot}`);
  } catch (err) {
    await undo(d, before, idle, fresh);
    throw err;
  }
  try {
    await verifyThroughProxy(d);
    mark("verified through nginx");
  } catch (err) {
    d.log.warn(
      `${label}: ${err instanceof CancelledError ? "cancelled right after the switch" : "the switch did not verify through nginx"}; switching back at once`
    );
    await proxy.restore(before?.text, "switch back").catch((e) => d.log.warn(`could not switch back: ${e.message}`));
    await undo(d, before, idle, fresh);
    throw err;
  }
  const standby = active;
  if (standby.length > 0) {
    d.log.info(
      `${label}: ${standby.map((r) => r.name).join(", ")} keep running out of traffic (standby for an instant switch back)`
    );
  }
  return { replicas: fresh, adopted: before?.foreign ?? [], standby, events };
}
async function verifyThroughProxy(d) {
  const count = d.config.strategy["blue-green"].verify;
  const base = d.config.environments[d.environment]?.url;
  if (count === 0) return;
  if (!base) {
    d.log.info(
      `${d.target.name}/${d.name}: no environments.${d.environment}.url, so the switch is not verified through nginx`
    );
    return;
  }
  const url = new URL(d.service.health?.http?.path ?? "/", base).toString();
  const client = httpClient({ keepAlive: false });
  try {
    for (let i = 0; i < count; i++) {
      const r = await client.request(url, { timeoutMs: 5e3, signal: d.signal });
      if (!r.ok || r.status >= 500) {
        throw new UserError(
          `${d.target.name}/${d.name}: after the switch, GET ${url} through nginx ${r.ok ? `answered ${r.status}` : `failed: ${r.error}`}`
        );
      }
    }
    d.log.info(`${d.target.name}/${d.name}: ${count} request(s) through nginx answered after the switch`);
  } finally {
    await client.close();
  }
}

// src/deploy/engine/recreate.ts
async function recreate(d) {
  const before = await upstreamBefore(d);
  const original = await runningReplicas(d);
  const ports = original.flatMap((r) => r.port === void 0 ? [] : [r.port]);
  const used = new Set(ports);
  const portFor = async (slot) => ports[slot] ?? await allocatePort(d, used);
  const fresh = [];
  try {
    for (const r of original) await stopReplica(d, r);
    for (let slot = 0; slot < d.service.replicas; slot++) fresh.push(await startReplica(d, slot, await portFor(slot)));
    await gate(d, fresh);
    if (d.proxy) await d.proxy.set(upstreamOf(fresh), "recreate");
    return { replicas: fresh, adopted: before?.foreign ?? [] };
  } catch (err) {
    await undo(d, before, original, fresh);
    throw err;
  }
}

// src/deploy/service-step.ts
function registryOf(image) {
  return namesRegistryHost(image) ? image.split("/")[0] ?? "" : "https://index.docker.io/v1/";
}
function pullAuth(creds, image) {
  return creds && { ...creds, serveraddress: registryOf(image.slice(0, image.lastIndexOf(":"))) };
}
function describeImage(image, info) {
  const repo = image.slice(0, image.lastIndexOf(":"));
  const digest = info.repoDigests.find((r) => r.startsWith(`${repo}@`)) ?? info.repoDigests[0];
  return `${image} \u2192 ${info.id.slice(0, 19)}\u2026 (${digest ?? "no registry digest: built or loaded on the host"})`;
}
async function ensureImage(d, creds, pull) {
  const label = `${d.target.name}/${d.name}`;
  const have = await d.docker.inspectImage(d.image);
  if (pull.policy === "never" && !have) {
    throw new UserError(
      `${label}: image ${d.image} is not on the target and pull is never (${pull.why}): load or build it there first, or set services.${d.name}.pull: missing`
    );
  }
  if (have && pull.policy !== "always") {
    d.log.info(`${label}: ${d.image} is on the target, not pulled (pull: ${pull.policy}, ${pull.why})`);
    return have;
  }
  const auth = pullAuth(creds, d.image);
  d.log.info(`pulling ${d.image}${auth ? ` as ${auth.username}` : ""} (pull: ${pull.policy}, ${pull.why})`);
  await d.docker.pullImage(d.image, { auth, signal: d.signal });
  const pulled = await d.docker.inspectImage(d.image);
  if (!pulled) throw new Error(`${d.image} is missing right after its pull`);
  if (have && have.id !== pulled.id) {
    d.log.info(`${label}: ${d.image} was pushed again: ${have.id.slice(0, 19)}\u2026 \u2192 ${pulled.id.slice(0, 19)}\u2026`);
  }
  return pulled;
}
async function deployService(deps, req, target, name, release, previous) {
  const { log } = deps;
  const site = serviceSite(req.session, req.services, target, name, deps, release.env?.[name]);
  const compose = req.session.config.compose;
  if (req.driver === "compose" && req.strategy === "recreate") {
    if (!compose) throw new Error("the compose driver needs a compose section");
    const image2 = `${site.service.image}:${req.version}`;
    await checkComposeEnv(site, compose, req.version);
    const done2 = await log.group(
      `${target.name}: ${name} \u2192 ${image2} (compose recreate)`,
      () => composeRecreate(composeDeployOf(site, compose, req.version, previous))
    );
    return { image: image2, imageId: done2.imageId, repoDigests: done2.repoDigests, replicas: done2.replicas };
  }
  if (!target.docker) throw new Error(`${target.name}: rolling replicas need the target's Engine API`);
  const composed = req.driver === "compose" && compose ? await composeReplicaDeploy(site, target.docker, compose, req.version, release.id) : void 0;
  const d = composed ?? await withEnvFile(
    engineDeployOf(site, target.docker, release.id, `${site.service.image}:${req.version}`, req.secrets)
  );
  const image = d.image;
  const info = await ensureImage(d, req.registryAuth, pullDecision(name, site.service, composed && compose?.pull));
  log.info(`${target.name}: ${name} starts ${describeImage(image, info)}`);
  if (composed && compose) await prepareComposeSite(composed, compose, req.version);
  const title = `${target.name}: ${name} \u2192 ${image} (${d.proxy || req.strategy === "recreate" ? req.strategy : "rolling: not behind the proxy"}${req.driver === "compose" ? ", compose service" : ""})`;
  const described = { image, imageId: info.id, repoDigests: info.repoDigests };
  if (req.strategy === "canary" && d.proxy) {
    const site2 = await log.group(title, () => startCanary(d));
    return { ...described, replicas: site2.canary.map((r) => toJournal(target.name, r)), canary: site2 };
  }
  if (req.strategy === "blue-green" && d.proxy) {
    const bg = await log.group(title, () => blueGreen(d, release.slot ?? "green"));
    return {
      ...described,
      replicas: bg.replicas.map((r) => toJournal(target.name, r)),
      adopted: bg.adopted,
      standby: bg.standby.map((r) => toJournal(target.name, r)),
      events: bg.events
    };
  }
  const done = await log.group(title, () => req.strategy === "recreate" ? recreate(d) : rolling(d));
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: done.replicas.map((r) => toJournal(target.name, r)),
    adopted: done.adopted
  };
}

export {
  pullAuth,
  deployService,
  ReleaseDeployment,
  recordRollback,
  commonInputs,
  deploymentInput,
  incidentIssueInput,
  lockWaitInput,
  zBackupId,
  backupIdInput,
  registryInputs,
  registryAuthOf,
  zReason
};
