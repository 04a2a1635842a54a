import {
  containerEnv,
  inspectAccessLog,
  readEnvFile,
  routeFileText,
  stickyDirective,
  weightedServers
} from "./chunk-RB6QVMVN.js";
import {
  runChecks
} from "./chunk-QDKZOZWX.js";
import {
  waitHealthy
} from "./chunk-HEVGDBH7.js";
import {
  upstreamBefore
} from "./chunk-7NDG7RRJ.js";
import {
  LABEL,
  acceptsTcp,
  containerName,
  ownerLabels,
  ownerOf,
  portOf,
  replicaLabels
} from "./chunk-EJKV34LF.js";
import {
  atHost,
  readUpstreamFile
} from "./chunk-FAX57M2F.js";
import {
  probeOf
} from "./chunk-TSVKQNYQ.js";
import {
  readText,
  writeConfigFile
} from "./chunk-H5JJLJ3Z.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  systemElapsedMs
} from "./chunk-VA52T2SJ.js";
import {
  SMOKE_REQUEST_TIMEOUT_MS,
  envReferences
} from "./chunk-FDIJ72KF.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

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
function probedFrom(d, port) {
  const seat = d.target.balancer;
  if (!seat || seat.target.name === d.target.name) return "";
  return `, probed from ${seat.target.name} at ${atHost({ address: `127.0.0.1:${port}` }, seat.address).address}`;
}
function subject(d, r) {
  return {
    label: `${d.target.name}/${d.name}#${r.slot}${r.port === void 0 ? "" : ` (port ${r.port}${probedFrom(d, r.port)})`}`,
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
  const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal };
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
function gateNow(d, batch) {
  const health = d.service.health;
  return gate({ ...d, service: { ...d.service, health: health && { ...health, stable: 0 } } }, batch);
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
async function allocatePortOrReuse(d, used, spare, why) {
  try {
    return await allocatePort(d, used);
  } catch (err) {
    const ports = spare.flatMap((r) => r.port !== void 0 && used.has(r.port) ? [r.port] : []);
    if (ports.length === 0) throw err;
    for (const p of ports) used.delete(p);
    d.log.info(`${d.target.name}/${d.name}: host-ports has no port beyond ${why}; reusing ${ports.join(", ")}`);
    return allocatePort(d, used);
  }
}
function upstreamOf(rs) {
  return rs.filter((r) => r.port !== void 0).map((r) => ({ address: `127.0.0.1:${r.port}` }));
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
  const nextPort = () => allocatePortOrReuse(d, used, retired, "the retired replicas' (a rollback will start new containers)");
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
          { transport: probeOf(d.target), clock: d.clock, log: d.log },
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

// src/deploy/engine/slot-smoke.ts
async function smokeSlot(d, slot) {
  const smoke = d.config.smoke;
  if (!smoke) return;
  const local = smoke.checks.filter(
    (c) => c.url.startsWith("/") && Object.values(c.headers ?? {}).every((v) => envReferences(v).length === 0)
  );
  const label = `${d.target.name}/${d.name}`;
  if (local.length < smoke.checks.length) {
    d.log.info(
      `${label}: ${smoke.checks.length - local.length} smoke check(s) need the public URL or a secret header; they run after the switch`
    );
  }
  if (local.length === 0) return;
  const client = httpClient({ via: probeOf(d.target), keepAlive: false });
  try {
    for (const r of slot) {
      if (r.port === void 0) continue;
      const ctx = {
        base: `http://127.0.0.1:${r.port}`,
        headersFor: (c) => ({ ...c.headers ?? {} }),
        clientFor: () => client,
        request: { timeoutMs: SMOKE_REQUEST_TIMEOUT_MS, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, signal: d.signal },
        clock: d.clock,
        elapsedMs: systemElapsedMs,
        log: d.log
      };
      const outcomes = await runChecks(
        ctx,
        { ...smoke, checks: local, sample: void 0 },
        d.service.health?.deadline ?? 3e4
      );
      const failed = outcomes.filter((o) => !o.passed);
      if (failed.length > 0) {
        throw new UserError(
          `${label}: ${r.name} (port ${r.port}) failed its smoke checks before any traffic moved: ${failed.map((f) => `${f.name}: ${f.problems.join("; ")}`).join(" | ")}`
        );
      }
      d.log.info(`${label}: ${r.name} passed ${outcomes.length} smoke check(s) on its own port`);
    }
  } finally {
    await client.close();
  }
}

// src/deploy/canary/site.ts
async function startCanary(d) {
  const log = d.config.strategy.canary?.["access-log"];
  if (log) {
    const found = await inspectAccessLog(d.target.transport, log);
    if (found.status === "fail")
      throw new UserError(`${d.target.name}: the canary could not be judged: ${found.detail}`);
    if (found.status === "warn") d.log.warn(`${d.target.name}: ${found.detail}`);
  }
  const before = await upstreamBefore(d);
  if (!before || !d.proxy) throw new Error(`${d.target.name}/${d.name}: a canary needs the nginx proxy in front`);
  const { file } = await d.proxy.read();
  const method = /^[ \t]*(least_conn|ip_hash|hash|random|least_time)\b(?!.*runbook-actions)/m.exec(
    before.text ?? ""
  )?.[1];
  if (method) {
    d.log.warn(
      `${d.target.name}/${d.name}: the upstream balances with ${method}, so the canary's share follows it rather than exactly each step's weight (round-robin, nginx's default, gives exact shares)`
    );
  }
  const running = await runningReplicas(d);
  const ours = new Set(running.flatMap((r) => r.port === void 0 ? [] : [`127.0.0.1:${r.port}`]));
  const foreign = new Set(before.foreign.map((s) => s.address));
  const stable = file.servers.filter((s) => ours.has(s.address) || foreign.has(s.address));
  const dropped = [...before.serving].filter((a) => !stable.some((s) => s.address === a));
  if (dropped.length > 0) {
    d.log.warn(
      `${d.target.name}/${d.name}: the upstream lists ${dropped.join(", ")}, where no replica of ours runs: left out of the stable servers`
    );
  }
  const used = new Set(running.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  for (const a of before.serving) {
    const m = /^127\.0\.0\.1:(\d+)$/.exec(a);
    if (m) used.add(Number(m[1]));
  }
  const canary = [];
  try {
    for (let i = 0; i < d.service.replicas; i++) canary.push(await startReplica(d, i, await allocatePort(d, used)));
    await gate(d, canary);
    await smokeSlot(d, canary);
  } catch (err) {
    await undo(d, before, [], canary);
    throw err;
  }
  const c = d.config.strategy.canary;
  return { d, canary, stable, before: before.text, foreign: before.foreign, route: c?.route, sticky: c?.sticky };
}
function resumeSite(d, state, replicas) {
  const before = state.upstreamBefore[d.target.name] ?? void 0;
  const nginx = d.config.strategy.proxy?.nginx;
  const addresses = new Set(state.stable[d.target.name] ?? []);
  const servers = nginx ? readUpstreamFile(before, nginx.upstream, nginx["upstream-file"]).servers : [];
  return {
    d,
    canary: replicas.filter((r) => r.target === d.target.name).map((r, i) => ({ id: r.id, name: r.name, slot: i, port: r.port, release: d.release })),
    stable: servers.filter((s) => addresses.has(s.address)),
    before,
    foreign: [],
    route: state.route,
    sticky: state.plan ? state.plan.sticky : d.config.strategy.canary?.sticky
  };
}
async function writeRoute(s, servers, why) {
  const route = s.route;
  const nginx = s.d.config.strategy.proxy?.nginx;
  if (!route || !nginx || !s.d.proxy) return;
  const t = s.d.target.transport;
  const old = await readText(t, route.file);
  const text = routeFileText(nginx.upstream, route.header, servers);
  if (old === text) return;
  await writeConfigFile(t, route.file, text);
  await s.d.proxy.reloadAfter(route.file, old, why);
}
async function setWeight(s, weight) {
  const proxy = s.d.proxy;
  if (!proxy) return;
  await writeRoute(s, upstreamOf(s.canary), `route ${s.route?.header ?? ""} to the canary`);
  const sticky = weight > 0 && weight < 100 ? stickyDirective(s.sticky) : void 0;
  await proxy.set(weightedServers(s.stable, upstreamOf(s.canary), weight), `canary at ${weight}%`, { sticky });
}
async function promoteSite(s) {
  const { d } = s;
  const servers = upstreamOf(s.canary);
  await d.proxy?.set(servers, `promote ${d.release}`);
  await writeRoute(s, servers, "route to the promoted release");
  const old = await runningReplicas(d);
  if (old.length > 0) await d.clock.sleep(d.config.strategy.drain, d.signal);
  for (const r of old) await stopReplica(d, r);
}
async function abortSite(s, why) {
  const { d } = s;
  const failed = await d.proxy?.restore(s.before, why).then(
    () => void 0,
    (err) => `${d.target.name}: could not put the upstream back (${err.message}); the canary keeps serving its share there`
  );
  if (failed) {
    d.log.warn(failed);
    return failed;
  }
  await writeRoute(s, s.stable, "route back to the stable release").catch(
    (err) => d.log.warn(`could not rewrite the route file: ${err.message}`)
  );
  for (const r of s.canary) {
    await stopReplica(d, r).catch((err) => d.log.warn(`could not stop ${r.name}: ${err.message}`));
  }
  return void 0;
}

export {
  withEnvFile,
  toJournal,
  replicaFromLabels,
  startReplica,
  gate,
  gateNow,
  stopReplica,
  removeReplicas,
  portBusy,
  allocatePort,
  allocatePortOrReuse,
  upstreamOf,
  runningReplicas,
  rolling,
  undo,
  smokeSlot,
  startCanary,
  resumeSite,
  setWeight,
  promoteSite,
  abortSite
};
