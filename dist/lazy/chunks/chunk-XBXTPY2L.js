import {
  errorLine
} from "./chunk-LW4MLOGN.js";
import {
  composePs,
  composePull,
  composeUp
} from "./chunk-EQGOWHZM.js";
import {
  dockerImageIdArgv,
  dockerInspectImageIdArgv,
  dockerInspectStateArgv,
  dockerLogsArgv,
  dockerTagArgv
} from "./chunk-Q672BN7X.js";
import {
  check,
  readText,
  writeAtomic
} from "./chunk-4LVJ3BVZ.js";
import {
  removeFilesArgv
} from "./chunk-XVE5HBAN.js";
import {
  requestOnce,
  unmet
} from "./chunk-ICV3KIV6.js";
import {
  UserError
} from "./chunk-HCRHB4A5.js";

// src/deploy/engine/labels.ts
var LABEL = {
  app: "io.runbook.app",
  env: "io.runbook.env",
  service: "io.runbook.service",
  release: "io.runbook.release",
  slot: "io.runbook.slot",
  port: "io.runbook.port"
};
function ownerOf(s) {
  return { app: s.config.app, env: s.environment, service: s.name };
}
function ownerLabels(o) {
  return { [LABEL.app]: o.app, [LABEL.env]: o.env, [LABEL.service]: o.service };
}
function replicaLabels(o, release, slot, port) {
  const labels = { ...ownerLabels(o), [LABEL.release]: release, [LABEL.slot]: String(slot) };
  return port === void 0 ? labels : { ...labels, [LABEL.port]: String(port) };
}
function containerName(o, release, slot) {
  return `${o.app}-${o.env}-${o.service}-${release}-${slot}`.replace(/[^a-zA-Z0-9_.-]/g, "_");
}
function portOf(labels) {
  const p = Number(labels[LABEL.port]);
  return Number.isInteger(p) && p > 0 ? p : void 0;
}

// src/deploy/health.ts
var HealthGateError = class extends UserError {
  name = "HealthGateError";
};
var PROGRESS_MS = 5e3;
var HEALTH_MAX_BODY_BYTES = 64 * 1024;
async function look(ctx, h, s, started) {
  const st = await s.state();
  if (!st.running) throw new HealthGateError(`${s.label} exited (code ${st.exitCode}) while starting`);
  started.at ??= st.startedAt;
  if (st.startedAt !== void 0 && st.startedAt !== started.at) {
    throw new HealthGateError(`${s.label} crashed and was restarted (started ${started.at}, again ${st.startedAt})`);
  }
  if (h.container) {
    const verdict = st.health ?? "no HEALTHCHECK in the image";
    return { healthy: verdict === "healthy", answer: `container health: ${verdict}` };
  }
  const http = h.http;
  if (!http || s.port === void 0) throw new HealthGateError(`${s.label}: no port to probe for health`);
  const host = s.host.includes(":") ? `[${s.host}]` : s.host;
  const r = await requestOnce(`http://${host}:${s.port}${http.path}`, {
    via: ctx.transport,
    timeoutMs: h.timeout,
    maxBodyBytes: HEALTH_MAX_BODY_BYTES,
    signal: ctx.signal
  });
  if (!r.ok) return { healthy: false, answer: r.error };
  const problems = unmet(http.expect, r.status, r.body);
  const body = r.body.replace(/\s+/g, " ").slice(0, 120);
  return {
    healthy: problems.length === 0,
    answer: problems.length === 0 ? `${r.status} ${body}` : `${problems.join("; ")} (${r.status} ${body})`
  };
}
async function waitHealthy(ctx, h, s) {
  const start = ctx.clock.now().getTime();
  let attempt = 0;
  let lastAnswer = "";
  let lastProgress = start;
  let healthySince;
  const started = {};
  try {
    for (; ; ) {
      attempt++;
      const { healthy, answer } = await look(ctx, h, s, started);
      const now = ctx.clock.now().getTime();
      const elapsed = ((now - start) / 1e3).toFixed(1);
      if (healthy) {
        healthySince ??= now;
        if (now - healthySince >= h.stable) {
          ctx.log.info(`${s.label} healthy after ${elapsed}s (attempt ${attempt}): ${answer}`);
          return;
        }
      } else if (healthySince !== void 0) {
        throw new HealthGateError(
          `${s.label} became unhealthy ${((now - healthySince) / 1e3).toFixed(1)}s after passing: ${answer}`
        );
      }
      if (answer !== lastAnswer || now - lastProgress >= PROGRESS_MS) {
        const phase = healthy ? `healthy, watching for ${h.stable / 1e3}s` : "waiting";
        ctx.log.info(`${s.label}: ${phase} \u2014 ${elapsed}s, attempt ${attempt}: ${answer}`);
        lastAnswer = answer;
        lastProgress = now;
      }
      if (now - start >= h.deadline && healthySince === void 0) {
        throw new HealthGateError(
          `${s.label} not healthy within ${h.deadline / 1e3}s (deadline) after ${attempt} attempts; last answer: ${answer}`
        );
      }
      await ctx.clock.sleep(h.interval, ctx.signal);
    }
  } catch (err) {
    if (err instanceof HealthGateError) {
      const logs = await s.logsTail().catch(() => "");
      if (logs.trim() !== "") {
        ctx.log.info(`last log lines of ${s.label}:`);
        ctx.log.remote(s.label, "stdout", `${logs.trimEnd()}
`);
      }
    }
    throw err;
  }
}

// src/deploy/engine/replicas.ts
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
function spec(d, slot, port) {
  const s = d.service;
  const env = { ...s.env ?? {} };
  if (s.network === "host" && port !== void 0) env[s["port-env"]] = String(port);
  return {
    name: containerName(ownerOf(d), d.release, slot),
    image: d.image,
    env,
    labels: replicaLabels(ownerOf(d), d.release, slot, port),
    cmd: s.command,
    networkMode: s.network,
    portBindings: s.network === "bridge" && port !== void 0 && s.port !== void 0 ? [{ containerPort: s.port, hostPort: port, hostIp: "127.0.0.1" }] : void 0,
    restartPolicy: "unless-stopped",
    stopTimeoutSeconds: Math.ceil(s["stop-grace"] / 1e3)
  };
}
async function startReplica(d, slot, port) {
  const s = spec(d, slot, port);
  const id = await d.docker.createContainer(s);
  try {
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
  const health = d.service.health ?? {
    container: true,
    interval: 1e3,
    timeout: 3e3,
    deadline: 3e4,
    stable: 3e3
  };
  if (!d.service.health) {
    await d.clock.sleep(health.stable, d.signal);
    for (const r of batch) {
      const st = await subject(d, r).state();
      if (!st.running) throw new UserError(`${d.target.name}/${d.name}#${r.slot} exited (code ${st.exitCode})`);
    }
    return;
  }
  const batchEnd = new AbortController();
  const signal = d.signal ? AbortSignal.any([d.signal, batchEnd.signal]) : batchEnd.signal;
  const ctx = { transport: d.target.transport, clock: d.clock, log: d.log, signal };
  try {
    await Promise.all(
      batch.map(
        (r) => waitHealthy(ctx, health, subject(d, r)).catch((err) => {
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
  await d.docker.stopContainer(r.id, Math.ceil(d.service["stop-grace"] / 1e3));
  d.log.info(`${d.target.name}/${d.name}: stopped ${r.name} (kept for rollback)`);
}
async function removeReplicas(d, rs) {
  for (const r of rs) {
    await d.docker.removeContainer(r.id, { force: true }).catch((err) => {
      d.log.warn(`could not remove ${r.name}: ${err.message}`);
    });
  }
}
async function portBusy(d, port) {
  try {
    const socket = await d.target.transport.connectTcp("127.0.0.1", port);
    socket.destroy();
    return true;
  } catch {
    return false;
  }
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
  return rs.filter((r) => r.port !== void 0).map((r) => ({ host: "127.0.0.1", port: r.port }));
}

// src/commands/nginx.ts
function renderUpstream(name, servers) {
  const lines = servers.map((s) => `server ${s.host}:${s.port} max_fails=1 fail_timeout=2s;`);
  if (lines.length === 0) lines.push("server 127.0.0.1:9 down;");
  return `# upstream ${name}: written by runbook-actions; do not edit by hand
${lines.join("\n")}
`;
}
var workersArgv = (masterPid) => ["ps", "-o", "pid=", "--ppid", String(masterPid)];
function parsePids(stdout) {
  return stdout.split("\n").map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

// src/proxy/nginx.ts
var QUIET = { quiet: true, timeoutMs: 3e4 };
var RELOAD_DEADLINE_MS = 15e3;
var OLD_WORKERS_GRACE_MS = 1e4;
var NginxUpstream = class {
  constructor(t, cfg, clock, log) {
    this.t = t;
    this.cfg = cfg;
    this.clock = clock;
    this.log = log;
  }
  t;
  cfg;
  clock;
  log;
  async current() {
    return readText(this.t, this.cfg["upstream-file"]);
  }
  async set(servers, why) {
    const file = this.cfg["upstream-file"];
    const next = renderUpstream(this.cfg.upstream, servers);
    const before = await this.current();
    if (before === next) return;
    await writeAtomic(this.t, file, next);
    const test = await this.t.exec(this.cfg.test, QUIET);
    if (test.code !== 0) {
      if (before === void 0) await this.t.exec(removeFilesArgv([file]), QUIET);
      else await writeAtomic(this.t, file, before);
      throw new UserError(`nginx rejected the new upstream (${why}); the old file is back: ${errorLine(test.stderr)}`);
    }
    const master = await this.masterPid();
    const oldWorkers = new Set(master ? await this.workers(master) : []);
    const reload = await this.t.exec(this.cfg.reload, QUIET);
    if (reload.code !== 0) throw new UserError(`nginx reload failed (${why}): ${reload.stderr.trim()}`);
    if (master) await this.waitForNewWorkers(master, oldWorkers);
    this.log.info(
      `nginx ${this.cfg.upstream} \u2192 ${servers.map((s) => `${s.host}:${s.port}`).join(", ") || "(none)"} (${why})`
    );
  }
  async masterPid() {
    const text = await readText(this.t, this.cfg["pid-file"]);
    const pid = Number(text?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : void 0;
  }
  async workers(master) {
    const r = await this.t.exec(workersArgv(master), QUIET);
    return parsePids(r.stdout);
  }
  /**
   * `nginx -s reload` returns before the new workers serve, and until the old workers get their QUIT they still accept
   * connections with the old upstream. Done when new workers run and the old ones are gone (or, for old workers held
   * by long-lived connections, after a grace period: they no longer accept new connections by then).
   */
  async waitForNewWorkers(master, old) {
    const start = this.clock.now().getTime();
    for (; ; ) {
      const now = await this.workers(master);
      const fresh = now.some((p) => !old.has(p));
      const lingering = now.filter((p) => old.has(p));
      const elapsed = this.clock.now().getTime() - start;
      if (fresh && lingering.length === 0) return;
      if (fresh && elapsed >= OLD_WORKERS_GRACE_MS) {
        this.log.info(`nginx: ${lingering.length} old worker(s) still finishing their connections; continuing`);
        return;
      }
      if (elapsed >= RELOAD_DEADLINE_MS) {
        throw new UserError(`nginx did not start new workers within ${RELOAD_DEADLINE_MS / 1e3}s of the reload`);
      }
      await this.clock.sleep(50);
    }
  }
};

// src/deploy/compose/recreate.ts
function imageOfRelease(release, name, service) {
  const rec = release.services[name];
  return {
    version: release.version,
    image: rec?.image ?? `${service.image}:${release.version}`,
    imageId: rec?.imageId
  };
}
function execOptions(d, version) {
  return {
    cwd: d.compose.directory,
    env: { ...d.target.env, [d.compose["version-env"]]: version },
    quiet: true,
    timeoutMs: 10 * 6e4,
    signal: d.signal
  };
}
function runner(d, version) {
  return async (argv, what, quiet = true) => check(await d.target.transport.exec(argv, { ...execOptions(d, version), quiet }), `${what} on ${d.target.name}`);
}
async function containerIds(d, version) {
  const r = await runner(d, version)(composePs(d.compose, d.name), "compose ps");
  return r.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
async function runningImages(d, ids) {
  const run = runner(d, d.version);
  return Promise.all(ids.map(async (id) => (await run(dockerInspectImageIdArgv(id), "docker inspect")).stdout.trim()));
}
function subject2(d, id, slot) {
  const run = runner(d, d.version);
  const port = d.service.health?.http?.port ?? d.service.port;
  return {
    label: `${d.target.name}/${d.name}#${slot}${port === void 0 ? "" : ` (port ${port})`}`,
    host: "127.0.0.1",
    port,
    state: async () => {
      const s = JSON.parse((await run(dockerInspectStateArgv(id), "docker inspect")).stdout);
      return { running: s.Running, exitCode: s.ExitCode, health: s.Health?.Status, startedAt: s.StartedAt };
    },
    logsTail: async () => (await d.target.transport.exec(dockerLogsArgv(id, 20), { quiet: true, env: d.target.env })).stdout
  };
}
async function up(d, version, pull) {
  const run = runner(d, version);
  if (pull) await run(composePull(d.compose, [d.name]), "compose pull", false);
  await run(
    composeUp(d.compose, [d.name], { forceRecreate: true, scale: { [d.name]: d.service.replicas } }),
    "compose up",
    false
  );
  return containerIds(d, version);
}
async function bringBack(d, rec) {
  const label = `${d.target.name}/${d.name}`;
  if (!rec.imageId) {
    d.log.warn(`${label}: no image id recorded for ${rec.version}; using the tag ${rec.image} as it is`);
  } else if ((await d.target.transport.exec(dockerImageIdArgv(rec.imageId), execOptions(d, rec.version))).code !== 0) {
    d.log.warn(
      `${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; using the tag ${rec.image} as it is`
    );
  } else {
    await runner(d, rec.version)(dockerTagArgv(rec.imageId, rec.image), "docker tag");
    d.log.info(`${label}: ${rec.image} \u2192 ${rec.imageId.slice(0, 19)} (the image it ran)`);
  }
  return up(d, rec.version, false);
}
async function composeRecreate(d, rec) {
  const ids = rec ? await bringBack(d, rec) : await up(d, d.version, d.compose.pull);
  if (ids.length === 0) throw new UserError(`${d.target.name}/${d.name}: compose started no container`);
  const ctx = { transport: d.target.transport, clock: d.clock, log: d.log, signal: d.signal };
  try {
    if (d.service.health) await Promise.all(ids.map((id, i) => waitHealthy(ctx, d.service.health, subject2(d, id, i))));
  } catch (err) {
    const previous = d.previous;
    if (previous) {
      d.log.warn(`${d.target.name}/${d.name}: bringing ${previous.version} back up`);
      await bringBack(d, previous).catch(
        (e) => d.log.warn(`could not restore ${previous.version}: ${e.message}`)
      );
    }
    throw err;
  }
  const [imageId] = await runningImages(d, ids.slice(0, 1));
  const port = d.service.port;
  if (d.proxy && port !== void 0) await d.proxy.set([{ host: "127.0.0.1", port }], `${d.name} recreated`);
  return { replicas: ids.map((id) => ({ target: d.target.name, id, name: id.slice(0, 12), port })), imageId };
}

// src/deploy/service-site.ts
function serviceSite(session, services, target, name, deps) {
  const { config } = session;
  const service = config.services?.[name];
  if (!service) throw new Error(`service ${name} is not in the config`);
  const proxy = frontedProxy(config, services, name, target, deps.clock, deps.log);
  const { clock, log, signal } = deps;
  return { config, environment: session.environmentName, target, name, service, proxy, clock, log, signal };
}
function frontedProxy(config, services, name, target, clock, log) {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx || (nginx.service ?? services[0]) !== name) return void 0;
  return new NginxUpstream(target.transport, nginx, clock, log);
}
function composeDeployOf(s, compose, version, previous) {
  return { ...s, compose, version, previous: previous && imageOfRelease(previous, s.name, s.service) };
}
function engineDeployOf(s, docker, release, image) {
  return { ...s, docker, release, image };
}

// src/deploy/engine/rolling.ts
async function runningReplicas(d) {
  const list = await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) });
  return list.filter((c) => c.state === "running").map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels)).filter((r) => r.release !== d.release).sort((a, b) => a.slot - b.slot);
}
async function rolling(d) {
  const original = await runningReplicas(d);
  const used = new Set(original.flatMap((r) => r.port === void 0 ? [] : [r.port]));
  const fresh = [];
  const retired = [];
  let oldServing = [...original];
  const retire = async (r) => {
    oldServing = oldServing.filter((o) => o.id !== r.id);
    if (d.proxy) {
      await d.proxy.set(upstreamOf([...oldServing, ...fresh]), `drain ${r.name}`);
      await d.clock.sleep(d.config.strategy.drain, d.signal);
    }
    retired.push(r);
    await stopReplica(d, r);
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
      if (d.proxy)
        await d.proxy.set(upstreamOf([...oldServing, ...fresh]), `add ${batch.map((b) => b.name).join(", ")}`);
      for (let i = 0; i < n && oldServing[0]; i++) await retire(oldServing[0]);
    }
    while (oldServing[0]) await retire(oldServing[0]);
    return fresh;
  } catch (err) {
    await undo(d, original, retired, fresh);
    throw err;
  }
}
async function undo(d, original, stopped, fresh) {
  d.log.warn(`${d.target.name}/${d.name}: deploy failed; restoring the previous replicas`);
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
  if (d.proxy) {
    await d.proxy.set(upstreamOf(original), "restore the previous replicas").catch((err) => {
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
    return fresh;
  } catch (err) {
    await undo(d, original, original, fresh);
    throw err;
  }
}

// src/deploy/service-step.ts
function registryOf(image) {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "https://index.docker.io/v1/";
}
function pullAuth(creds, image) {
  return creds && { ...creds, serveraddress: registryOf(image.slice(0, image.lastIndexOf(":"))) };
}
async function ensureImage(d, creds) {
  const have = await d.docker.inspectImage(d.image);
  if (have) return have;
  const auth = pullAuth(creds, d.image);
  d.log.info(`pulling ${d.image}${auth ? ` as ${auth.username}` : ""}`);
  await d.docker.pullImage(d.image, { auth, signal: d.signal });
  const pulled = await d.docker.inspectImage(d.image);
  if (!pulled) throw new Error(`${d.image} is missing right after its pull`);
  return pulled;
}
async function deployService(deps, req, target, name, release, previous) {
  const { log } = deps;
  const site = serviceSite(req.session, req.services, target, name, deps);
  const image = `${site.service.image}:${req.version}`;
  if (req.driver === "compose" || !target.docker) {
    const compose = req.session.config.compose;
    if (!compose) throw new Error("the compose driver needs a compose section");
    const done = await log.group(
      `${target.name}: ${name} \u2192 ${image} (compose recreate)`,
      () => composeRecreate(composeDeployOf(site, compose, req.version, previous))
    );
    return { image, imageId: done.imageId, replicas: done.replicas };
  }
  const d = engineDeployOf(site, target.docker, release.id, image);
  const info = await ensureImage(d, req.registryAuth);
  const replicas = await log.group(
    `${target.name}: ${name} \u2192 ${image} (${req.strategy})`,
    () => req.strategy === "recreate" ? recreate(d) : rolling(d)
  );
  return {
    image,
    imageId: info.id,
    repoDigests: info.repoDigests,
    replicas: replicas.map((r) => toJournal(target.name, r))
  };
}

export {
  LABEL,
  ownerOf,
  ownerLabels,
  containerIds,
  runningImages,
  composeRecreate,
  toJournal,
  replicaFromLabels,
  startReplica,
  gate,
  stopReplica,
  removeReplicas,
  portBusy,
  allocatePort,
  upstreamOf,
  serviceSite,
  composeDeployOf,
  engineDeployOf,
  pullAuth,
  deployService
};
