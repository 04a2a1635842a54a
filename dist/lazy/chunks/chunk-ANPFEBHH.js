import {
  composeReplicaDeploy,
  containerEnv,
  prepareComposeSite,
  readEnvFile
} from "./chunk-GYNUU25G.js";
import {
  LABEL,
  acceptsTcp,
  composeDeployOf,
  composeRecreate,
  containerName,
  engineDeployOf,
  namesRegistryHost,
  ownerLabels,
  ownerOf,
  portOf,
  pullDecision,
  replicaLabels,
  serviceSite,
  waitHealthy
} from "./chunk-LLLGRHC3.js";
import {
  hostPortOf,
  isPlaceholder
} from "./chunk-NC2UZVB4.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";

// src/deploy/engine/replicas.ts
async function withEnvFile(d) {
  const path = d.service["env-file"];
  if (path === void 0 || d.fileEnv !== void 0) return d;
  return { ...d, fileEnv: await readEnvFile(d.target.transport, path, d.log) };
}
function toJournal(target, r) {
  return { target, id: r.id, name: r.name, port: r.port };
}
function replicaFromLabels(id, name, labels) {
  return {
    id,
    name,
    slot: Number(labels[LABEL.slot] ?? 0),
    port: portOf(labels),
    release: labels[LABEL.release] ?? ""
  };
}
function composedSpec(d, t, slot, port) {
  const s = d.service;
  const owner = ownerOf(d);
  const host = t.networkMode === "host";
  return {
    ...t,
    name: containerName(owner, d.release, slot),
    image: d.image,
    env: host && port !== void 0 ? { ...t.env, [s["port-env"]]: String(port) } : t.env,
    labels: { ...t.labels ?? {}, ...replicaLabels(owner, d.release, slot, port) },
    portBindings: !host && port !== void 0 && s.port !== void 0 ? [{ containerPort: s.port, hostPort: port, hostIp: "127.0.0.1" }] : void 0,
    stopTimeoutSeconds: t.stopTimeoutSeconds ?? Math.ceil(s["stop-grace"] / 1e3)
  };
}
function spec(d, slot, port) {
  if (d.unresolved) throw d.unresolved;
  if (d.template) return composedSpec(d, d.template, slot, port);
  const s = d.service;
  const owner = ownerOf(d);
  return {
    name: containerName(owner, d.release, slot),
    image: d.image,
    env: containerEnv(`${d.target.name}/${d.name}`, s, d, port),
    // The toolkit's labels last: they tie the container to its release (the schema refuses io.runbook.* anyway).
    labels: { ...s.labels ?? {}, ...replicaLabels(owner, d.release, slot, port) },
    cmd: s.command,
    networkMode: s.network === "bridge" && s.networks?.[0] !== void 0 ? s.networks[0] : s.network,
    // On its own networks a replica answers to the service's name, as a compose service's containers do.
    extraNetworks: s.network === "bridge" && s.networks && s.networks.length > 1 ? s.networks.slice(1) : void 0,
    networkAliases: s.network === "bridge" && s.networks ? [d.name] : void 0,
    portBindings: s.network === "bridge" && port !== void 0 && s.port !== void 0 ? [{ containerPort: s.port, hostPort: port, hostIp: "127.0.0.1" }] : void 0,
    restartPolicy: s.restart.name,
    restartMaxRetries: s.restart.maxRetries,
    stopTimeoutSeconds: Math.ceil(s["stop-grace"] / 1e3),
    binds: s.volumes?.map((v) => `${v.source}:${v.target}${v.readOnly ? ":ro" : ""}`),
    extraHosts: s["extra-hosts"],
    user: s.user,
    memoryBytes: s.memory,
    nanoCpus: s.cpus === void 0 ? void 0 : Math.round(s.cpus * 1e9),
    log: s.log
  };
}
async function startReplica(d, slot, port) {
  const s = spec(d, slot, port);
  const id = await d.docker.createContainer(s);
  try {
    for (const network of s.extraNetworks ?? []) await d.docker.connectNetwork(network, id, s.networkAliases);
    await d.docker.startContainer(id);
  } catch (err) {
    await d.docker.removeContainer(id, { force: true }).catch(() => void 0);
    throw err;
  }
  d.log.info(`${d.target.name}/${d.name}: started ${s.name}${port === void 0 ? "" : ` on port ${port}`}`);
  return { id, name: s.name, slot, port, release: d.release };
}
function subject(d, r) {
  return {
    label: `${d.target.name}/${d.name}#${r.slot}${r.port === void 0 ? "" : ` (port ${r.port})`}`,
    host: "127.0.0.1",
    port: r.port,
    acceptPort: r.port,
    image: d.image,
    state: async () => {
      const info = await d.docker.inspectContainer(r.id);
      return {
        running: info.state.running,
        exitCode: info.state.exitCode,
        health: info.state.health?.status,
        startedAt: info.state.startedAt
      };
    },
    logsTail: () => d.docker.containerLogs(r.id, { tail: 20 })
  };
}
async function gate(d, batch) {
  const batchEnd = new AbortController();
  const signal = d.signal ? AbortSignal.any([d.signal, batchEnd.signal]) : batchEnd.signal;
  const ctx = { transport: d.target.transport, clock: d.clock, log: d.log, signal };
  try {
    await Promise.all(
      batch.map(
        (r) => waitHealthy(ctx, d.service.health, subject(d, r)).catch((err) => {
          batchEnd.abort(err);
          throw err;
        })
      )
    );
  } finally {
    batchEnd.abort();
  }
}
async function stopReplica(d, r) {
  await d.docker.stopContainer(r.id, d.template?.stopTimeoutSeconds ?? Math.ceil(d.service["stop-grace"] / 1e3));
  d.log.info(`${d.target.name}/${d.name}: stopped ${r.name} (kept for rollback)`);
}
async function removeReplicas(d, rs) {
  for (const r of rs) {
    await d.docker.removeContainer(r.id, { force: true }).catch((err) => {
      d.log.warn(`could not remove ${r.name}: ${err.message}`);
    });
  }
}
function portBusy(d, port) {
  return acceptsTcp(d.target.transport, "127.0.0.1", port);
}
async function allocatePort(d, used) {
  const range = d.service["host-ports"];
  if (!range) return void 0;
  for (let port = range[0]; port <= range[1]; port++) {
    if (used.has(port)) continue;
    if (await portBusy(d, port)) {
      d.log.info(`${d.target.name}: port ${port} is taken by something else; skipping it`);
      continue;
    }
    used.add(port);
    return port;
  }
  throw new UserError(
    `${d.target.name}/${d.name}: no free port in host-ports ${range[0]}-${range[1]} (ours: ${[...used].join(", ") || "none"}); the range needs at least replicas + max-surge free ports`
  );
}
function upstreamOf(rs) {
  return rs.filter((r) => r.port !== void 0).map((r) => ({ address: `127.0.0.1:${r.port}` }));
}

// src/deploy/takeover.ts
async function acceptsConnections(t, address) {
  const at = hostPortOf(address);
  return at === void 0 || acceptsTcp(t, at.host, at.port);
}
async function upstreamBefore(d) {
  if (!d.proxy) return void 0;
  const { text, file } = await d.proxy.read();
  await d.proxy.assertWritable();
  const all = await d.docker.listContainers({ all: true, labels: ownerLabels(ownerOf(d)) });
  const ours = new Set(all.flatMap((c) => portOf(c.labels) === void 0 ? [] : [`127.0.0.1:${portOf(c.labels)}`]));
  const others = file.servers.filter((s) => !isPlaceholder(s) && !ours.has(s.address));
  const foreign = [];
  for (const s of others) {
    if (await acceptsConnections(d.target.transport, s.address)) foreign.push(s);
    else
      d.log.info(
        `${d.target.name}/${d.name}: the upstream lists ${s.address}, where nothing accepts connections: it serves nothing, so the first switch drops it`
      );
  }
  if (foreign.length > d.service.replicas) {
    d.log.warn(
      `${d.target.name}/${d.name}: ${foreign.length} servers serve now and the service runs ${d.service.replicas} replica(s): capacity drops after the switch unless services.${d.name}.replicas is raised`
    );
  }
  if (foreign.length > 0) {
    const releases = new Set(all.map((c) => c.labels[LABEL.release]));
    const what = releases.size === 0 ? "a site this toolkit has not deployed yet" : "servers this toolkit did not start";
    d.log.info(
      `${d.target.name}/${d.name}: the upstream serves ${foreign.map((s) => s.address).join(", ")} (${what}); they keep serving until the new release is healthy and switched in`
    );
  }
  const serving = new Set(file.servers.filter((s) => !isPlaceholder(s)).map((s) => s.address));
  return { text, foreign, serving };
}

// src/deploy/engine/rolling.ts
async function runningReplicas(d) {
  const list = await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) });
  return list.filter((c) => c.state === "running").map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels)).filter((r) => r.release !== d.release).sort((a, b) => a.slot - b.slot);
}
async function rolling(d) {
  const before = await upstreamBefore(d);
  const running = await runningReplicas(d);
  const original = before ? running.filter((r) => r.port === void 0 || before.serving.has(`127.0.0.1:${r.port}`)) : running;
  const idle = running.filter((r) => !original.includes(r));
  for (const r of idle) {
    d.log.info(
      `${d.target.name}/${d.name}: ${r.name} runs but is not in the upstream; stopped once the new release serves`
    );
  }
  const used = new Set(original.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  const fresh = [];
  const retired = [];
  let oldServing = [...original];
  let adopted = [...before?.foreign ?? []];
  const servers = () => [...adopted, ...upstreamOf([...oldServing, ...fresh])];
  const retire = async (r) => {
    oldServing = oldServing.filter((o) => o.id !== r.id);
    if (d.proxy) {
      await d.proxy.set(servers(), `drain ${r.name}`);
      await d.clock.sleep(d.config.strategy.drain, d.signal);
    }
    retired.push(r);
    await stopReplica(d, r);
  };
  const retireAdopted = async (s) => {
    adopted = adopted.filter((a) => a !== s);
    await d.proxy?.set(servers(), `drain ${s.address} (taken over; left running)`);
    await d.clock.sleep(d.config.strategy.drain, d.signal);
  };
  const retireNext = async () => {
    if (adopted[0]) await retireAdopted(adopted[0]);
    else if (oldServing[0]) await retire(oldServing[0]);
  };
  const nextPort = async () => {
    try {
      return await allocatePort(d, used);
    } catch (err) {
      const spare = retired.flatMap((r) => r.port !== void 0 && used.has(r.port) ? [r.port] : []);
      if (spare.length === 0) throw err;
      for (const p of spare) used.delete(p);
      d.log.info(
        `${d.target.name}/${d.name}: host-ports has no port beyond the retired replicas'; reusing ${spare.join(", ")} (a rollback will start new containers)`
      );
      return allocatePort(d, used);
    }
  };
  try {
    while (fresh.length < d.service.replicas) {
      const surge = d.config.strategy["max-surge"];
      if (surge === 0 && oldServing[0]) await retire(oldServing[0]);
      const n = Math.max(1, Math.min(surge || 1, d.service.replicas - fresh.length));
      const batch = [];
      for (let i = 0; i < n; i++) batch.push(await startReplica(d, fresh.length + i, await nextPort()));
      try {
        await gate(d, batch);
      } catch (err) {
        await removeReplicas(d, batch);
        throw err;
      }
      fresh.push(...batch);
      if (d.proxy) await d.proxy.set(servers(), `add ${batch.map((b) => b.name).join(", ")}`);
      for (let i = 0; i < n && (adopted[0] || oldServing[0]); i++) await retireNext();
    }
    while (adopted[0] || oldServing[0]) await retireNext();
    for (const r of idle)
      await stopReplica(d, r).catch((e) => d.log.warn(`could not stop ${r.name}: ${e.message}`));
    return { replicas: fresh, adopted: before?.foreign ?? [] };
  } catch (err) {
    await undo(d, before, retired, fresh);
    throw err;
  }
}
async function undo(d, before, stopped, fresh) {
  d.log.warn(`${d.target.name}/${d.name}: deploy failed; putting back what served before`);
  const health = d.service.health;
  const stoppedPorts = new Set(stopped.map((r) => r.port));
  const clashing = fresh.filter((r) => r.port !== void 0 && stoppedPorts.has(r.port));
  await removeReplicas(d, clashing);
  for (const r of stopped) {
    try {
      await d.docker.startContainer(r.id);
      if (health)
        await waitHealthy(
          { transport: d.target.transport, clock: d.clock, log: d.log },
          { ...health, stable: 0 },
          subject(d, r)
        );
    } catch (err) {
      d.log.warn(`could not restart ${r.name}: ${err.message}`);
    }
  }
  if (d.proxy && before) {
    await d.proxy.restore(before.text, "the deploy failed").catch((err) => {
      d.log.warn(`could not restore the upstream: ${err.message}`);
    });
  }
  await removeReplicas(
    d,
    fresh.filter((r) => !clashing.includes(r))
  );
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
  const site = serviceSite(req.session, req.services, target, name, deps);
  const compose = req.session.config.compose;
  if (req.driver === "compose" && req.strategy === "recreate") {
    if (!compose) throw new Error("the compose driver needs a compose section");
    const image2 = `${site.service.image}:${req.version}`;
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
  const done = await log.group(
    `${target.name}: ${name} \u2192 ${image} (${req.strategy}${req.driver === "compose" ? ", compose service" : ""})`,
    () => req.strategy === "recreate" ? recreate(d) : rolling(d)
  );
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: done.replicas.map((r) => toJournal(target.name, r)),
    adopted: done.adopted
  };
}

export {
  acceptsConnections,
  withEnvFile,
  toJournal,
  replicaFromLabels,
  startReplica,
  gate,
  stopReplica,
  removeReplicas,
  portBusy,
  allocatePort,
  upstreamOf,
  pullAuth,
  deployService
};
