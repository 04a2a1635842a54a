import {
  checkComposeEnv,
  composeReplicaDeploy,
  prepareComposeSite
} from "./chunk-5V63FDDH.js";
import {
  allocatePort,
  allocatePortOrReuse,
  gate,
  portBusy,
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
} from "./chunk-5OHRL654.js";
import {
  missingSecretsError
} from "./chunk-RB6QVMVN.js";
import {
  PORTS_LABEL,
  alive,
  buildServiceSpec,
  choosePorts,
  describeTask,
  parsePortsLabel,
  progressText,
  readConvergence,
  swarmEngineOf,
  swarmManager,
  swarmServiceName,
  taskHost,
  taskView
} from "./chunk-JZF2JHVW.js";
import {
  HealthGateError,
  composeDeployOf,
  composeRecreate,
  engineDeployOf,
  namesRegistryHost,
  pullDecision,
  serviceSite,
  waitHealthy
} from "./chunk-HEVGDBH7.js";
import {
  upstreamBefore
} from "./chunk-7NDG7RRJ.js";
import {
  LABEL,
  ownerLabels,
  ownerOf
} from "./chunk-EJKV34LF.js";
import {
  isPlaceholder
} from "./chunk-FAX57M2F.js";
import {
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  swarmSettings
} from "./chunk-U7XPOYSJ.js";
import {
  CancelledError,
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

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
  if (req.driver === "swarm") {
    const { deploySwarmService: deploySwarmService2 } = await import("./deploy-LPOOP2KJ.js");
    return deploySwarmService2(deps, req, target, name, release);
  }
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

// src/deploy/swarm/secrets.ts
import { createHmac } from "node:crypto";
var SECRET_VAR_LABEL = "io.runbook.secret-env";
function secretName(o, variable, value, clusterId) {
  const hash = createHmac("sha256", `runbook-secret:${clusterId}`).update(value, "utf8").digest("hex").slice(0, 8);
  return `${o.app}-${o.env}-${variable}-${hash}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}
async function ensureSecrets(api, owner, secretEnv, values, clusterId, log) {
  const missing = Object.values(secretEnv).filter((from) => values?.[from] === void 0);
  if (missing.length > 0) throw missingSecretsError([...new Set(missing)]);
  const existing = await api.listSecrets({ [LABEL.app]: owner.app, [LABEL.env]: owner.env });
  const out = [];
  for (const [name, from] of Object.entries(secretEnv)) {
    const value = values?.[from] ?? "";
    const wanted = secretName(owner, name, value, clusterId);
    const found = existing.find((s) => s.name === wanted);
    const secretId = found?.id ?? await api.createSecret(wanted, value, {
      [LABEL.app]: owner.app,
      [LABEL.env]: owner.env,
      [SECRET_VAR_LABEL]: name
    });
    if (!found) log.info(`swarm: secret ${wanted} made for ${name} (${owner.service}: /run/secrets/${name})`);
    out.push({ name, secretId, secretName: wanted });
  }
  return out;
}
async function pruneSecrets(api, owner, log) {
  const scope = { [LABEL.app]: owner.app, [LABEL.env]: owner.env };
  const services = await api.listServices(scope);
  const used = new Set(
    services.flatMap(
      (svc) => [svc.spec, svc.previousSpec].flatMap(
        (spec) => (spec?.TaskTemplate?.ContainerSpec?.Secrets ?? []).map((s) => s.SecretID)
      )
    )
  );
  const removed = [];
  for (const s of await api.listSecrets(scope)) {
    if (used.has(s.id) || s.labels[SECRET_VAR_LABEL] === void 0) continue;
    try {
      await api.removeSecret(s.id);
      removed.push(s.name);
    } catch (err) {
      log.warn(`swarm: secret ${s.name} not removed: ${err.message}`);
    }
  }
  if (removed.length > 0) log.info(`swarm: removed secrets no service uses any more: ${removed.join(", ")}`);
  return removed;
}

// src/deploy/swarm/task-gate.ts
function subjectOf(w, t, host, latest) {
  const local = t.node === "" || t.node === w.localNode;
  return {
    label: `${w.target.name}/${w.name} task ${w.serviceName}.${t.slot}${t.port === void 0 ? "" : local ? ` (port ${t.port})` : ` (${host}:${t.port}, node ${t.node.slice(0, 12)})`}`,
    host,
    port: t.port,
    acceptPort: t.port,
    state: async () => {
      if (!local) {
        const now = latest();
        return { running: now?.state === "running" && now.desiredState === "running", exitCode: now?.exitCode ?? -1 };
      }
      const info = await w.api.inspectContainer(t.containerId);
      return {
        running: info.state.running,
        exitCode: info.state.exitCode,
        health: info.state.health?.status,
        startedAt: info.state.startedAt
      };
    },
    logsTail: () => local ? w.api.containerLogs(t.containerId, { tail: 20 }) : Promise.resolve("")
  };
}
function taskHealth(h) {
  return h && { ...h, stable: 0 };
}

// src/deploy/swarm/upstream-follow.ts
function nextUpstream(served, c, tasks, s) {
  const byAddress = /* @__PURE__ */ new Map();
  for (const t of tasks) {
    const a = s.addressOf(t);
    if (a !== void 0) byAddress.set(a, [...byAddress.get(a) ?? [], t]);
  }
  const next = /* @__PURE__ */ new Map();
  for (const t of c.running) {
    const a = s.addressOf(t);
    if (a !== void 0 && s.ready.has(t.id)) next.set(a, { address: a, task: t.id });
  }
  const fresh = next.size;
  for (const [address, entry] of served) {
    if (next.has(address)) continue;
    const at = byAddress.get(address);
    if (at) {
      const live = at.some((x) => x.release !== s.target && x.state === "running" && x.desiredState === "running");
      if (live && !s.final) next.set(address, entry);
      continue;
    }
    if (!(s.final && fresh > 0)) next.set(address, entry);
  }
  if (next.size === 0) return void 0;
  const added = [...next.keys()].filter((a) => !served.has(a));
  const removed = [...served.keys()].filter((a) => !next.has(a));
  if (added.length === 0 && removed.length === 0) return void 0;
  return { next, added, removed };
}

// src/deploy/swarm/watch.ts
var POLL_MS = 500;
var PROGRESS_MS = 5e3;
var SwarmUpdateError = class extends UserError {
  name = "SwarmUpdateError";
};
async function watchConvergence(w, req) {
  const log = w.log;
  const started = w.clock.now().getTime();
  const elapsed = () => `${((w.clock.now().getTime() - started) / 1e3).toFixed(0)}s`;
  const served = /* @__PURE__ */ new Map();
  if (w.proxy) {
    const { file } = await w.proxy.read();
    for (const s of file.servers) if (!isPlaceholder(s)) served.set(s.address, { ...s });
  }
  const ready = /* @__PURE__ */ new Set();
  const gating = /* @__PURE__ */ new Map();
  const watchEnd = new AbortController();
  const gateSignal = w.signal ? AbortSignal.any([w.signal, watchEnd.signal]) : watchEnd.signal;
  const health = /* @__PURE__ */ new Map();
  let gateFailure;
  let target = req.release;
  let change = req.change;
  let failure;
  let askedBack = false;
  let lastLine = "";
  let lastLineAt = 0;
  const deadline = started + req.timeoutMs;
  let rescueDeadline = 0;
  const askRollback = async (why) => {
    failure ??= why;
    if (askedBack || change === "create") return;
    askedBack = true;
    const svc = await w.api.inspectService(w.serviceId);
    if (!svc) return;
    const st = svc.updateStatus?.state;
    if (st === "rollback_started" || st === "rollback_completed" || !svc.previousSpec) return;
    log.warn(`swarm ${w.serviceName}: asking Swarm to roll back to the previous spec (${why})`);
    await w.api.updateService(svc.id, svc.version, svc.spec, { rollback: true });
  };
  const nodes = /* @__PURE__ */ new Map();
  const latest = /* @__PURE__ */ new Map();
  const addressOf2 = (t) => {
    const host = taskHost(t, w.localNode, nodes);
    return host === void 0 || t.port === void 0 ? void 0 : `${host}:${t.port}`;
  };
  const startGate = (t) => {
    const host = taskHost(t, w.localNode, nodes);
    if (host === void 0) return;
    const p = waitHealthy(
      { transport: w.target.transport, clock: w.clock, log, signal: gateSignal },
      taskHealth(w.service.health),
      subjectOf(w, t, host, () => latest.get(t.id))
    ).then(() => {
      ready.add(t.id);
    }).catch(async (err) => {
      if (gateSignal.aborted) return;
      const still = (await w.api.listTasks(w.serviceId).catch(() => [])).map(taskView).find((x) => x.id === t.id);
      if (!still || !alive(still)) return;
      gateFailure ??= err instanceof HealthGateError ? err.message : `the health gate of task ${t.id.slice(0, 12)} failed: ${errorMessage(err)}`;
    }).finally(() => gating.delete(t.id));
    gating.set(t.id, p);
  };
  const follow = async (c, tasks, final) => {
    if (!w.proxy) return;
    const change2 = nextUpstream(served, c, tasks, { ready, addressOf: addressOf2, target, final });
    if (!change2) return;
    const { next, added, removed } = change2;
    const why = [
      added.length > 0 ? `add ${added.join(", ")}` : "",
      removed.length > 0 ? `drain ${removed.join(", ")}` : ""
    ].filter(Boolean).join("; ");
    await w.proxy.set(
      [...next.values()].map(({ task: _task, ...server }) => server),
      `${w.serviceName}: ${why}`
    );
    served.clear();
    for (const [a, e] of next) served.set(a, e);
    if (removed.length > 0 && final) await w.clock.sleep(w.config.strategy.drain);
  };
  try {
    return await loop();
  } finally {
    watchEnd.abort();
  }
  async function loop() {
    for (; ; ) {
      const service = await w.api.inspectService(w.serviceId);
      if (!service) throw new UserError(`swarm service ${w.serviceName} (${w.serviceId}) is gone`);
      const raw = await w.api.listTasks(w.serviceId);
      const tasks = raw.map(taskView);
      for (const t of tasks) latest.set(t.id, t);
      if (tasks.some((t) => t.node !== "" && t.node !== w.localNode && !nodes.has(t.node))) {
        for (const n of await w.api.listNodes()) nodes.set(n.id, n.addr);
      }
      let c = readConvergence(service, raw, target, change, req.before);
      if ((c.phase === "rolling-back" || c.phase === "rolled-back") && failure === void 0) {
        const named = c.failed ? `; ${describeTask(c.failed)}${healthNote(health, c.failed)}` : "";
        failure = `Swarm rolled the update of ${w.serviceName} back: ${c.update?.message ?? "rollback"}${named}`;
      }
      if (failure !== void 0 && target === req.release && req.fallback !== void 0) {
        log.warn(`swarm ${w.serviceName}: ${failure}`);
        log.info(`swarm ${w.serviceName}: following Swarm back to release ${req.fallback}`);
        target = req.fallback;
        change = "rollback";
        rescueDeadline = w.clock.now().getTime() + req.timeoutMs;
        c = readConvergence(service, raw, target, change, req.before);
      }
      if (c.phase === "paused") {
        const named = c.failed ? `; ${describeTask(c.failed)}${healthNote(health, c.failed)}` : "";
        throw new SwarmUpdateError(
          `${failure ?? `Swarm paused the update of ${w.serviceName}`}: ${c.update?.message ?? "paused"}${named}; the service runs as Swarm left it (strategy.swarm.failure-action is pause): \`runbook rollback\`, or deploy again`
        );
      }
      for (const t of c.running) if (served.has(addressOf2(t) ?? "")) ready.add(t.id);
      for (const t of c.wanted) {
        if (t.state === "running" && !ready.has(t.id) && !gating.has(t.id)) startGate(t);
        if (t.state === "starting" && t.containerId && (t.node === "" || t.node === w.localNode)) {
          const info = await w.api.inspectContainer(t.containerId).catch(() => void 0);
          const last = info?.state.health?.log.at(-1);
          if (info?.state.health) {
            health.set(t.id, `${info.state.health.status}${last?.output ? `, last probe: ${last.output.trim()}` : ""}`);
          }
        }
      }
      const line = `${progressText(c, target)}; ${[...served.keys()].length} in the upstream`;
      const now = w.clock.now().getTime();
      if (line !== lastLine || now - lastLineAt >= PROGRESS_MS) {
        log.info(`swarm ${w.serviceName}: ${line} [${elapsed()}]`);
        lastLine = line;
        lastLineAt = now;
      }
      const done = c.phase === "converged" && c.running.every((t) => ready.has(t.id));
      await follow(c, tasks, done);
      if (done) {
        if (failure !== void 0) {
          throw new SwarmUpdateError(`${failure}; release ${target} serves again`);
        }
        const addresses = Object.fromEntries(
          c.running.flatMap((t) => {
            const a = addressOf2(t);
            return a === void 0 ? [] : [[t.id, a]];
          })
        );
        return { service, tasks: c.running, addresses };
      }
      if (gateFailure !== void 0 && failure === void 0) {
        const why = gateFailure;
        if (change === "create") throw new SwarmUpdateError(`${w.serviceName}: ${why}`);
        await askRollback(why);
      }
      if (w.signal?.aborted && failure === void 0) {
        if (change === "create") throw new CancelledError(`deploy of ${w.serviceName} cancelled`);
        await askRollback(`the deploy was cancelled: ${errorMessage(w.signal.reason)}`);
      }
      if (failure === void 0 && now >= deadline) {
        const why = `not converged within ${req.timeoutMs / 1e3}s (strategy.swarm.converge-timeout): ${progressText(c, target)}`;
        if (change === "create" || req.fallback === void 0) throw new SwarmUpdateError(`${w.serviceName}: ${why}`);
        await askRollback(why);
      }
      if (rescueDeadline > 0 && now >= rescueDeadline) {
        throw new SwarmUpdateError(
          `${failure}; and the service did not get back to release ${target} within ${req.timeoutMs / 1e3}s either (${progressText(c, target)})`
        );
      }
      await w.clock.sleep(POLL_MS);
    }
  }
}
function healthNote(health, t) {
  const h = health.get(t.id);
  return h ? `; its health check: ${h}` : "";
}

// src/deploy/swarm/deploy.ts
function pinnedImage(image, info) {
  const repo = image.slice(0, image.lastIndexOf(":"));
  const digest = info.repoDigests.find((r) => r.startsWith(`${repo}@`));
  return digest ? `${image}@${digest.slice(digest.indexOf("@") + 1)}` : image;
}
function taskReplicas(target, serviceName, tasks) {
  return tasks.map((t) => ({ target, id: t.id, name: `${serviceName}.${t.slot}`, port: t.port }));
}
function serviceRecord(name, image, converged) {
  return {
    id: converged.service.id,
    name,
    version: converged.service.version,
    image,
    tasks: converged.tasks.map((t) => ({
      id: t.id,
      slot: t.slot,
      node: t.node,
      address: converged.addresses[t.id] ?? ""
    }))
  };
}
function assertOurs(serviceName, labels, owner) {
  const mine = ownerLabels(owner);
  const foreign = Object.entries(mine).filter(([k, v]) => labels?.[k] !== v);
  if (foreign.length > 0) {
    throw new UserError(
      `a Swarm service named ${serviceName} exists, but it is not ${owner.app}/${owner.env}/${owner.service}'s (its labels ${foreign.map(([k]) => k).join(", ")} differ): the swarm driver never takes over a service it did not create; remove or rename it`
    );
  }
}
async function applySpec(input, info) {
  const { d, api } = input;
  const owner = ownerOf(d);
  const name = swarmServiceName(owner);
  const label = `${d.target.name}/${d.name}`;
  const existing = await api.inspectService(name);
  if (existing) assertOurs(name, existing.spec.Labels, owner);
  const running = existing ? await api.listTasks(existing.id) : [];
  const avoid = new Set(
    parsePortsLabel(existing?.spec.TaskTemplate.ContainerSpec.Labels?.[PORTS_LABEL]).values()
  );
  for (const t of running) {
    if (t.state === "running" || t.desiredState === "running") {
      for (const p of parsePortsLabel(t.labels[PORTS_LABEL]).values()) avoid.add(p);
    }
  }
  const range = d.service["host-ports"];
  const ports = range ? await choosePorts(label, range, d.service.replicas, avoid, (p) => portBusy(d, p)) : [];
  const secrets = await ensureSecrets(
    api,
    owner,
    d.service["secret-env"] ?? {},
    d.secrets,
    info.clusterId,
    d.log
  );
  const spec = buildServiceSpec({
    owner,
    release: input.release,
    image: input.image,
    service: d.service,
    fileEnv: d.fileEnv,
    ports,
    secrets,
    swarm: swarmSettings(d.config.strategy)
  });
  const auth = pullAuth(input.creds, input.imageRef);
  const timeoutMs = swarmSettings(d.config.strategy)["converge-timeout"];
  const site = { ...d, api, serviceName: name, localNode: info.nodeId };
  const where = ports.length > 0 ? ` on ports ${ports.join(", ")}` : "";
  let converged;
  if (!existing) {
    const upstreamText = d.proxy ? await d.proxy.current() : void 0;
    const id = await api.createService(spec, { auth });
    d.log.info(`swarm: created service ${name} (${id.slice(0, 12)}): ${d.service.replicas} \xD7 ${input.image}${where}`);
    try {
      converged = await watchConvergence(
        { ...site, serviceId: id },
        { release: input.release, change: "create", timeoutMs }
      );
    } catch (err) {
      d.log.warn(`swarm: ${name} did not converge; removing the new service, the upstream file back as it was`);
      await api.removeService(id).catch((e) => d.log.warn(`could not remove service ${name}: ${e.message}`));
      if (d.proxy) await d.proxy.restore(upstreamText, "the deploy failed").catch((e) => d.log.warn(e.message));
      throw err;
    }
  } else {
    const fallback = existing.spec.Labels?.[LABEL.release];
    await api.updateService(existing.id, existing.version, spec, { auth });
    d.log.info(
      `swarm: updating service ${name} (version ${existing.version}): ${d.service.replicas} \xD7 ${input.image}${where}, ${swarmSettings(d.config.strategy).order}, ${swarmSettings(d.config.strategy).parallelism} at a time`
    );
    converged = await watchConvergence(
      { ...site, serviceId: existing.id },
      {
        release: input.release,
        change: "update",
        before: existing.updateStatus?.startedAt,
        ...fallback ? { fallback } : {},
        timeoutMs
      }
    );
  }
  const record = serviceRecord(name, input.image, converged);
  return { converged, record, replicas: taskReplicas(d.target.name, name, converged.tasks) };
}
async function deploySwarmService(deps, req, target, name, release) {
  const { log } = deps;
  if (deps.targets.length > 1) {
    throw new UserError(
      `the swarm driver deploys through one swarm manager, and environments.${req.session.environmentName}.targets has ${deps.targets.length}: give the manager alone (Swarm places the tasks on its nodes)`
    );
  }
  const site = serviceSite(req.session, req.services, target, name, deps, release.env?.[name]);
  const api = swarmEngineOf(target.name, target.docker);
  const info = await swarmManager(api, target.name);
  const imageRef = `${site.service.image}:${req.version}`;
  const d = await withEnvFile(engineDeployOf(site, api, release.id, imageRef, req.secrets));
  const image = await ensureImage(d, req.registryAuth, pullDecision(name, site.service));
  log.info(`${target.name}: ${name} runs ${describeImage(imageRef, image)}`);
  const pinned = pinnedImage(imageRef, image);
  if (pinned === imageRef) {
    log.warn(
      `${target.name}/${name}: ${imageRef} has no registry digest (built or loaded on the host), so Swarm runs it by tag${info.nodes > 1 ? ", and every node must have it" : ""}`
    );
  }
  const done = await log.group(
    `${target.name}: ${name} \u2192 ${imageRef} (swarm service, ${swarmSettings(site.config.strategy).order})`,
    async () => {
      try {
        return await applySpec({ d, api, image: pinned, release: release.id, creds: req.registryAuth, imageRef }, info);
      } finally {
        await pruneSecrets(api, ownerOf(d), log).catch(
          (e) => log.warn(`swarm: secrets not pruned: ${e.message}`)
        );
      }
    }
  );
  return {
    image: imageRef,
    imageId: image.id,
    repoDigests: image.repoDigests,
    replicas: done.replicas,
    swarm: done.record
  };
}

export {
  pruneSecrets,
  watchConvergence,
  pinnedImage,
  taskReplicas,
  serviceRecord,
  assertOurs,
  applySpec,
  deploySwarmService,
  pullAuth,
  deployService
};
