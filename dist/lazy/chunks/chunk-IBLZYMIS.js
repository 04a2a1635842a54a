import {
  accessLogSize,
  containerEnv,
  inspectAccessLog,
  parseAccessLog,
  readAccessLogSince,
  readEnvFile,
  routeFileText,
  stickyDirective,
  weightedServers
} from "./chunk-MFP6QX3X.js";
import {
  cancelled,
  percentile,
  runChecks,
  throwIfCancelled
} from "./chunk-QDKZOZWX.js";
import {
  envChangeText,
  envChangesOf,
  envInForce,
  envPlanLines
} from "./chunk-EXGLFXK3.js";
import {
  engineDeployOf,
  pullDecision,
  serviceSite,
  waitHealthy
} from "./chunk-3XEHNSI7.js";
import {
  unmet
} from "./chunk-6PYKIDPT.js";
import {
  upstreamBefore
} from "./chunk-U6I3JZGW.js";
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
  readUpstreamFile
} from "./chunk-PSZOYJUR.js";
import {
  toRemoteCommand
} from "./chunk-HFIWHNBU.js";
import {
  composeConfig,
  composePull,
  composeUp
} from "./chunk-MIAGCR4I.js";
import {
  liveRelease
} from "./chunk-436IDX2P.js";
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
  buildSummary,
  inline,
  mermaidText
} from "./chunk-K74J3GXU.js";
import {
  durationText
} from "./chunk-BOC5NVEP.js";
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

// src/deploy/canary/liveness.ts
var CanaryLiveness = class {
  constructor(sites) {
    this.sites = sites;
  }
  sites;
  baseline = /* @__PURE__ */ new Map();
  /** Record each replica's start time and restart count (call as the step begins). */
  async start() {
    for (const s of this.sites) {
      for (const r of s.canary) {
        const info = await s.d.docker.inspectContainer(r.id);
        this.baseline.set(r.id, { startedAt: info.state.startedAt, restartCount: info.restartCount });
      }
    }
  }
  /**
   * Before traffic moves to the canary (each step's weight, a promote after a pause): every replica running, and
   * passing the service's health gate at once (no stable period). Returns what is wrong, one sentence each.
   */
  async unfit() {
    const out = [];
    for (const s of this.sites) {
      for (const r of s.canary) {
        const info = await s.d.docker.inspectContainer(r.id).catch(() => void 0);
        const where = `${s.d.target.name}/${s.d.name} canary ${r.name}`;
        if (!info) out.push(`${where} is gone`);
        else if (!info.state.running) out.push(`${where} is not running (exit ${info.state.exitCode})`);
      }
      if (out.length > 0) continue;
      await gateNow(s.d, s.canary).catch(
        (err) => out.push(`${s.d.target.name}/${s.d.name} canary: ${err.message}`)
      );
    }
    return out;
  }
  /** Replicas that stopped or restarted since start(): `web1/api canary shop-…-0 restarted (exit 3) during the step`. */
  async changes() {
    const out = [];
    for (const s of this.sites) {
      for (const r of s.canary) {
        const was = this.baseline.get(r.id);
        const info = await s.d.docker.inspectContainer(r.id).catch(() => void 0);
        const where = `${s.d.target.name}/${s.d.name} canary ${r.name}`;
        if (!info) out.push(`${where} is gone`);
        else if (!info.state.running) out.push(`${where} stopped (exit ${info.state.exitCode})`);
        else if (was && (info.state.startedAt !== was.startedAt || info.restartCount > was.restartCount)) {
          out.push(
            `${where} restarted during the step (last exit ${info.state.exitCode}, ${info.restartCount} restart(s))`
          );
        }
      }
    }
    return out;
  }
};

// src/canary/analysis.ts
var EPSILON = 1e-9;
var above = (value, limit) => value > limit + EPSILON;
function sampleOfRequests(outcomes) {
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const errors = outcomes.filter((o) => o.failed).length;
  const requests = outcomes.length;
  if (requests === 0) return { requests: 0, errors: 0, errorRate: 0 };
  return {
    requests,
    errors,
    errorRate: errors / requests,
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99)
  };
}
function sampleOf(entries, addresses, window) {
  const outcomes = [];
  for (const e of entries) {
    if (window && (e.atMs < window.fromMs || e.atMs >= window.toMs)) continue;
    for (const a of e.attempts) {
      if (addresses.has(a.address)) outcomes.push({ failed: a.error, latencyMs: Math.round(a.seconds * 1e3) });
    }
  }
  return sampleOfRequests(outcomes);
}
var pct = (fraction) => `${+(fraction * 100).toFixed(2)}%`;
var ms = (v) => `${Math.round(v ?? 0)} ms`;
function breaches(who, s, g, unit) {
  const out = [];
  const limit = g["error-rate"];
  if (limit !== void 0 && above(s.errorRate, limit)) {
    out.push(
      `${who} error rate ${pct(s.errorRate)} (${s.errors} of ${s.requests} ${unit} failed) > error-rate ${pct(limit)}`
    );
  }
  const over = `over all ${s.requests} ${unit}, failed ones included`;
  if (g.p95 !== void 0 && above(s.p95Ms ?? 0, g.p95)) out.push(`${who} p95 ${ms(s.p95Ms)} > ${g.p95} ms (${over})`);
  if (g.p99 !== void 0 && above(s.p99Ms ?? 0, g.p99)) out.push(`${who} p99 ${ms(s.p99Ms)} > ${g.p99} ms (${over})`);
  return out;
}
function judge(m, gates) {
  const failed = [];
  const unsure = [];
  const min = gates["min-samples"];
  const enough = (who, s) => {
    if (s.requests >= min) return true;
    unsure.push(`${who}: ${s.requests} of ${min} samples (min-samples) in the window, too few to judge`);
    return false;
  };
  const { canary, stable, probes, metrics = [] } = m;
  if (canary && enough("canary", canary)) {
    failed.push(...breaches("canary", canary, gates, "requests"));
    const maxIncrease = gates["max-increase"];
    if (stable && maxIncrease !== void 0 && enough("stable", stable)) {
      const increase = canary.errorRate - stable.errorRate;
      if (above(increase, maxIncrease)) {
        failed.push(
          `canary error rate ${pct(canary.errorRate)} is ${pct(increase)} above the stable version's ${pct(stable.errorRate)} (max-increase ${pct(maxIncrease)})`
        );
      }
    }
  }
  if (probes) {
    if (probes.requests === 0) unsure.push("probes: none was sent in the window");
    else failed.push(...breaches("probes", probes, gates, "probes"));
  }
  for (const metric of metrics) {
    if (metric.ok) continue;
    if (metric.value === void 0) unsure.push(`metric ${metric.name}: ${metric.detail}`);
    else failed.push(`metric ${metric.name}: ${metric.detail}`);
  }
  if (!canary && !probes && metrics.length === 0) unsure.push("nothing was measured in the window");
  if (failed.length > 0) return { verdict: "fail", reasons: [...failed, ...unsure] };
  if (unsure.length > 0) return { verdict: "inconclusive", reasons: unsure };
  return { verdict: "pass", reasons: [] };
}

// src/canary/probes.ts
var PROBE_TIMEOUT_MS = 5e3;
var PROBE_MAX_BODY_BYTES = 64 * 1024;
var MAX_FAILURES = 5;
async function probeOnce(o, client, timeoutMs) {
  const r = await client.request(o.url, {
    headers: o.headers,
    timeoutMs,
    maxBodyBytes: PROBE_MAX_BODY_BYTES,
    signal: o.signal
  });
  if (!r.ok) {
    const timedOut = r.error.startsWith("no complete answer within") || r.latencyMs >= timeoutMs;
    return { failed: true, latencyMs: timedOut ? timeoutMs : r.latencyMs, problem: r.error };
  }
  const problems = unmet(o.expect, r.status, r.body);
  if (problems.length === 0) return { failed: false, latencyMs: r.latencyMs };
  return { failed: true, latencyMs: r.latencyMs, problem: problems.join("; ") };
}
function failuresOf(outcomes) {
  const counts = /* @__PURE__ */ new Map();
  for (const o of outcomes) if (o.problem !== void 0) counts.set(o.problem, (counts.get(o.problem) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_FAILURES).map(([why, n]) => `${why} (\xD7${n})`);
}
async function runProbes(o) {
  const client = o.client ?? httpClient();
  const timeoutMs = o.timeoutMs ?? PROBE_TIMEOUT_MS;
  const pending = [];
  const what = "the canary probes";
  try {
    const start = o.clock.now().getTime();
    try {
      for (let i = 0; ; i++) {
        throwIfCancelled(o.signal, what);
        const at = start + i * o.every;
        if (at >= o.until) break;
        const wait = at - o.clock.now().getTime();
        if (wait > 0) await o.clock.sleep(wait, o.signal);
        throwIfCancelled(o.signal, what);
        pending.push(probeOnce(o, client, timeoutMs));
      }
    } catch (err) {
      await Promise.allSettled(pending);
      if (o.signal?.aborted) throw cancelled(o.signal, `${what} (after ${pending.length} probes)`);
      throw err;
    }
    const outcomes = await Promise.all(pending);
    throwIfCancelled(o.signal, what);
    return { sample: sampleOfRequests(outcomes), failures: failuresOf(outcomes) };
  } finally {
    if (!o.client) await client.close();
  }
}

// src/canary/prometheus.ts
var PROMETHEUS_TIMEOUT_MS = 1e4;
var MAX_ANSWER_BYTES = 256 * 1024;
function queryUrl(url, query) {
  const base = url.endsWith("/") ? url : `${url}/`;
  const u = new URL("api/v1/query", base);
  u.searchParams.set("query", query);
  return u.toString();
}
function sampleValue(v) {
  if (v === "+Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  return typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
}
var labelsOf = (metric) => `{${Object.entries(metric ?? {}).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
function singleValue(data) {
  const type = data?.resultType;
  const result = data?.result;
  let raw;
  if (type === "scalar" && Array.isArray(result)) raw = result[1];
  else if (type === "vector" && Array.isArray(result)) {
    if (result.length === 0) return { ok: false, error: "the query returned no series (nothing matched)" };
    if (result.length > 1) {
      const shown2 = result.slice(0, 3).map((s) => labelsOf(s.metric));
      return {
        ok: false,
        error: `the query returned ${result.length} series (${shown2.join(", ")}${result.length > 3 ? ", \u2026" : ""}), expected one: aggregate it (sum, max, \u2026)`
      };
    }
    raw = result[0].value?.[1];
  } else {
    return {
      ok: false,
      error: `the query returned a ${String(type)}, expected one value (an instant vector or scalar)`
    };
  }
  const value = sampleValue(raw);
  if (Number.isNaN(value)) return { ok: false, error: "the query returned NaN (no data in the window, e.g. 0/0)" };
  return { ok: true, value };
}
async function queryPrometheus(o) {
  const client = o.client ?? httpClient();
  try {
    const r = await client.request(queryUrl(o.url, o.query), {
      headers: { accept: "application/json" },
      timeoutMs: o.timeoutMs,
      maxBodyBytes: MAX_ANSWER_BYTES,
      signal: o.signal
    });
    if (!r.ok) return { ok: false, error: `Prometheus at ${o.url} did not answer: ${r.error}` };
    if (r.truncated) return { ok: false, error: `the answer is larger than ${MAX_ANSWER_BYTES} bytes (many series?)` };
    let doc;
    try {
      doc = JSON.parse(r.body);
    } catch {
      const body = r.body.replace(/\s+/g, " ").trim().slice(0, 120);
      return { ok: false, error: `HTTP ${r.status} from ${o.url} is not a Prometheus API answer: ${body}` };
    }
    if (doc?.status !== "success" || r.status < 200 || r.status > 299) {
      const why = [doc?.errorType, doc?.error].filter((x) => typeof x === "string").join(": ") || "no reason given";
      return { ok: false, error: `Prometheus refused the query (HTTP ${r.status}, ${why})` };
    }
    return singleValue(doc.data);
  } finally {
    if (!o.client) await client.close();
  }
}
function fillQuery(query, o) {
  const window = `${Math.max(1, Math.round(o.windowSeconds))}s`;
  return query.replaceAll("{{version}}", o.version).replaceAll("{{window}}", window);
}
var shown = (v) => String(+v.toPrecision(6));
function withinBounds(q, value) {
  if (q.max !== void 0 && value > q.max) return { ok: false, detail: `${shown(value)} > max ${q.max}` };
  if (q.min !== void 0 && value < q.min) return { ok: false, detail: `${shown(value)} < min ${q.min}` };
  const bounds = [q.min !== void 0 ? `min ${q.min}` : "", q.max !== void 0 ? `max ${q.max}` : ""].filter(Boolean).join(", ");
  return { ok: true, detail: `${shown(value)} (${bounds})` };
}
async function evaluateMetrics(p, o) {
  const client = o.client ?? httpClient();
  try {
    const results = await Promise.all(
      p.queries.map(async (q) => {
        const r = await queryPrometheus({
          url: p.url,
          query: fillQuery(q.query, o),
          timeoutMs: o.timeoutMs ?? PROMETHEUS_TIMEOUT_MS,
          signal: o.signal,
          client
        });
        if (!r.ok) return { name: q.name, ok: false, detail: r.error };
        return { name: q.name, value: r.value, ...withinBounds(q, r.value) };
      })
    );
    throwIfCancelled(o.signal, "the Prometheus queries");
    return results;
  } finally {
    if (!o.client) await client.close();
  }
}

// src/deploy/canary/measure.ts
var TICK_MS = 5e3;
var pct2 = (x) => `${(x * 100).toFixed(2)}%`;
var line = (v) => `${v.requests} req, ${v.errors} err (${pct2(v.errorRate)})${v.p95Ms === void 0 ? "" : `, p95 ${v.p95Ms} ms`}`;
var Traffic = class {
  constructor(ctx) {
    this.ctx = ctx;
  }
  ctx;
  offsets = /* @__PURE__ */ new Map();
  entries = [];
  async start() {
    const path = this.ctx.canary["access-log"];
    if (!path) return;
    for (const s of this.ctx.sites) this.offsets.set(s, await accessLogSize(s.d.target.transport, path) ?? 0);
  }
  async read() {
    const path = this.ctx.canary["access-log"];
    if (!path) return;
    for (const s of this.ctx.sites) {
      const chunk = await readAccessLogSince(s.d.target.transport, path, this.offsets.get(s) ?? 0);
      if (chunk.rotated) this.ctx.log.info(`${s.d.target.name}: ${path} was rotated; reading the new file`);
      this.offsets.set(s, chunk.size);
      for (const e of parseAccessLog(chunk.text).entries) {
        this.entries.push({
          ...e,
          attempts: e.attempts.map((a) => ({ ...a, address: `${s.d.target.name}|${a.address}` }))
        });
      }
    }
  }
  sample(which) {
    if (!this.ctx.canary["access-log"]) return void 0;
    const addresses = new Set(
      this.ctx.sites.flatMap(
        (s) => (which === "canary" ? upstreamOf(s.canary) : s.stable).map((a) => `${s.d.target.name}|${a.address}`)
      )
    );
    return sampleOf(this.entries, addresses);
  }
};
async function measureStep(ctx, index, weight, pauseMs) {
  const { clock, log, canary } = ctx;
  const gates = canary.gates;
  const startedAt = clock.now();
  const traffic = new Traffic(ctx);
  await traffic.start();
  const liveness = new CanaryLiveness(ctx.sites);
  await liveness.start();
  let down = [];
  const probesEnd = new AbortController();
  let probeError;
  const probes = canary.probes && ctx.baseUrl ? runProbes({
    url: new URL(canary.probes.path, ctx.baseUrl).toString(),
    every: canary.probes.every,
    expect: canary.probes.expect,
    headers: canary.route ? { [canary.route.header]: "1" } : void 0,
    clock,
    signal: ctx.signal ? AbortSignal.any([ctx.signal, probesEnd.signal]) : probesEnd.signal,
    until: startedAt.getTime() + pauseMs
  }).catch((err) => {
    if (!probesEnd.signal.aborted || ctx.signal?.aborted) probeError = err;
    return void 0;
  }) : void 0;
  if (canary.probes && !ctx.baseUrl) log.warn("canary probes need the environment url; no probes are sent");
  const compare = weight < 100 && gates["max-increase"] !== void 0;
  const measurements = () => ({
    canary: traffic.sample("canary"),
    stable: weight < 100 ? traffic.sample("stable") : void 0
  });
  const judged = (x) => judge({ ...x, stable: compare ? x.stable : void 0 }, gates);
  const elapsed = () => clock.now().getTime() - startedAt.getTime();
  while (elapsed() < pauseMs) {
    await clock.sleep(Math.min(TICK_MS, pauseMs - elapsed()), ctx.signal).catch((err) => {
      probesEnd.abort();
      throw err;
    });
    await traffic.read();
    down = await liveness.changes();
    if (down.length > 0) {
      probesEnd.abort();
      break;
    }
    const m2 = measurements();
    if (m2.canary)
      log.info(
        `step ${index + 1} (${weight}%): ${Math.round(elapsed() / 1e3)} s of ${Math.round(pauseMs / 1e3)} s; canary ${line(m2.canary)}${m2.stable ? `; stable ${line(m2.stable)}` : ""}`
      );
    if (m2.canary && m2.canary.requests >= gates["min-samples"] && judged(m2).verdict === "fail") {
      probesEnd.abort();
      break;
    }
  }
  const probed = await probes;
  if (probeError !== void 0) throw probeError;
  const windowSeconds = () => Math.max(1, Math.round(elapsed() / 1e3));
  const metrics = async () => canary.prometheus ? evaluateMetrics(canary.prometheus, { version: ctx.version, windowSeconds: windowSeconds(), signal: ctx.signal }) : void 0;
  if (down.length === 0) down = await liveness.changes();
  let m = { ...measurements(), probes: probed?.sample, metrics: await metrics() };
  let verdict = down.length > 0 ? { verdict: "fail", reasons: down } : judged(m);
  if (down.length === 0 && verdict.verdict === "inconclusive" && gates.inconclusive === "wait") {
    const until = elapsed() + gates["inconclusive-wait"];
    log.info(
      `step ${index + 1}: inconclusive (${verdict.reasons.join("; ")}); waiting up to ${Math.round(gates["inconclusive-wait"] / 1e3)} s more`
    );
    while (verdict.verdict === "inconclusive" && elapsed() < until) {
      await clock.sleep(Math.min(TICK_MS, until - elapsed()), ctx.signal);
      await traffic.read();
      down = await liveness.changes();
      m = { ...measurements(), probes: probed?.sample, metrics: m.metrics };
      verdict = down.length > 0 ? { verdict: "fail", reasons: down } : judged(m);
    }
    if (canary.prometheus) {
      m = { ...m, metrics: await metrics() };
      verdict = judged(m);
    }
  }
  const reasons = [
    ...verdict.reasons,
    ...probed && probed.failures.length > 0 ? [`probe failures: ${probed.failures.join(", ")}`] : []
  ];
  return {
    step: index,
    weight,
    startedAt: startedAt.toISOString(),
    endedAt: clock.now().toISOString(),
    ...m.canary ? { canary: m.canary } : {},
    ...m.stable ? { stable: m.stable } : {},
    ...m.probes ? { probes: m.probes } : {},
    ...m.metrics ? { metrics: m.metrics } : {},
    verdict: verdict.verdict,
    reasons: verdict.verdict === "pass" ? [] : reasons
  };
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
  const client = httpClient({ via: d.target.transport, keepAlive: false });
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

// src/deploy/canary/run.ts
var ABORT_INCOMPLETE = "abort incomplete";
var CanaryAbortedError = class extends UserError {
  name = "CanaryAbortedError";
};
var configOf = (run) => run.sites[0]?.d.config.strategy.canary;
function newCanaryState(service, sites, plan) {
  return {
    state: "running",
    step: -1,
    weight: 0,
    service,
    steps: [],
    upstreamBefore: Object.fromEntries(sites.map((s) => [s.d.target.name, s.before ?? null])),
    stable: Object.fromEntries(sites.map((s) => [s.d.target.name, s.stable.map((x) => x.address)])),
    ...sites[0]?.route ? { route: sites[0].route } : {},
    plan: { steps: plan.steps, ...plan.sticky ? { sticky: plan.sticky } : {} }
  };
}
async function save(run) {
  await run.journal.upsert(run.release);
}
async function runCanarySteps(run, from) {
  const { log, clock, release } = run;
  const canary = configOf(run);
  const state = release.canary;
  const steps = state.plan?.steps ?? canary.steps;
  const baseUrl = run.sites[0]?.d.config.environments[run.sites[0].d.environment]?.url;
  try {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i];
      const unfit = await new CanaryLiveness(run.sites).unfit();
      if (unfit.length > 0) {
        const why = `before step ${i + 1} (${step.weight}%): ${unfit.join("; ")}`;
        await abortCanary(run, why);
        throw new CanaryAbortedError(`canary ${release.version} aborted ${why}; the live release takes all traffic`);
      }
      await log.group(`canary step ${i + 1}/${steps.length}: ${step.weight}%`, async () => {
        for (const s of run.sites) await setWeight(s, step.weight);
        state.step = i;
        state.weight = step.weight;
        state.state = "running";
        await save(run);
      });
      if (step.pause === "until-promoted") {
        state.state = "paused";
        state.steps.push({
          step: i,
          weight: step.weight,
          startedAt: clock.now().toISOString(),
          verdict: "paused",
          reasons: []
        });
        release.status = "canary";
        await save(run);
        log.info(
          `canary ${release.version} holds ${step.weight}% until promoted: \`runbook promote\` goes on, \`runbook abort\` takes it out`
        );
        return "paused";
      }
      const record = await measureStep(
        { sites: run.sites, canary, version: release.version, baseUrl, clock, log, signal: run.signal },
        i,
        step.weight,
        step.pause
      );
      state.steps.push(record);
      await save(run);
      log.info(
        `step ${i + 1} (${step.weight}%): ${record.verdict}${record.reasons.length ? ` \u2014 ${record.reasons.join("; ")}` : ""}`
      );
      if (record.verdict !== "pass") {
        const why = `step ${i + 1} at ${step.weight}% was ${record.verdict}: ${record.reasons.join("; ")}`;
        await abortCanary(run, why);
        throw new CanaryAbortedError(`canary ${release.version} aborted: ${why}; the live release takes all traffic`);
      }
    }
    await log.group(`promote ${release.version}`, async () => {
      for (const s of run.sites) await promoteSite(s);
    });
    state.state = "promoted";
    state.weight = 100;
    await save(run);
    return "promoted";
  } catch (err) {
    if (!(err instanceof CanaryAbortedError) && state.state !== "aborted") {
      await abortCanary(run, `the canary stopped: ${err.message}`);
    }
    throw err;
  }
}
async function abortCanary(run, why) {
  const state = run.release.canary;
  run.log.warn(`aborting canary ${run.release.version}: ${why}`);
  const stuck = [];
  await run.log.group("abort the canary", async () => {
    for (const s of run.sites) {
      const failed = await abortSite(s, "canary aborted");
      if (failed) stuck.push(failed);
    }
  });
  if (stuck.length > 0) {
    state.reason = `${ABORT_INCOMPLETE}: ${stuck.join("; ")}`;
    await save(run);
    throw new UserError(
      `the canary ${run.release.version} could not be taken out: ${stuck.join("; ")}; fix nginx, then run \`runbook abort\` again`
    );
  }
  state.state = "aborted";
  state.weight = 0;
  state.reason = why;
  run.release.status = "failed";
  run.release.error = why;
  run.release.finishedAt = run.clock.now().toISOString();
  await save(run);
}

// src/deploy/canary/resume.ts
function resumeCanary(scope, release, journal, deps) {
  const { clock, log, signal } = deps;
  const state = release.canary;
  const service = release.services[state.service];
  if (!service)
    throw new UserError(`the journal's canary ${release.id} names service ${state.service} but records none`);
  const sites = deps.targets.map((t) => {
    if (!t.docker) throw new UserError(`${t.name}: a canary needs the target's Engine API`);
    const site = serviceSite(
      scope,
      [state.service],
      t,
      state.service,
      { clock, log, signal },
      release.env?.[state.service]
    );
    return resumeSite(engineDeployOf(site, t.docker, release.id, service.image), state, service.replicas);
  });
  return { sites, release, journal, clock, log, signal, actor: scope.who.actor };
}
function deadCanary(releases) {
  return releases.find((r) => r.status === "in-progress" && r.canary?.state === "running");
}
async function abortDeadCanary(scope, dead, journal, deps) {
  deps.log.warn(
    `canary ${dead.id} (${dead.version}) was left at ${dead.canary?.weight}% by a run that died; taking it out first`
  );
  await abortCanary(resumeCanary(scope, dead, journal, deps), "its run died mid-step");
}

// src/canary/report.ts
var percent = (rate) => `${Number((rate * 100).toFixed(2))}%`;
var millis = (ms2) => `${Math.round(ms2)} ms`;
var chartNumber = (n) => String(Number(n.toFixed(2)));
var served = (s) => s !== void 0 && s.requests > 0;
var pair = (a, b) => `${a ?? "\u2013"} / ${b ?? "\u2013"}`;
var VERDICT = {
  pass: "\u2705 pass",
  fail: "\u274C fail",
  inconclusive: "\u26A0\uFE0F inconclusive",
  paused: "\u23F8\uFE0F paused"
};
function probesCell(p) {
  if (!p) return "\u2013";
  const p95 = p.p95Ms === void 0 ? "" : `, p95 ${millis(p.p95Ms)}`;
  return `${p.requests} req, ${percent(p.errorRate)} errors${p95}`;
}
function metricsCell(r) {
  return (r.metrics ?? []).map((m) => `${m.ok ? "\u2705" : "\u274C"} ${m.name} = ${m.value ?? "?"}${m.detail ? ` (${m.detail})` : ""}`).join("; ");
}
function verdictCell(r) {
  const head = r.verdict === void 0 ? "\u23F3 running" : VERDICT[r.verdict];
  return r.reasons.length > 0 ? `${head}: ${r.reasons.join("; ")}` : head;
}
function axisEnd(max, floor) {
  const top = Math.max(max, floor);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  for (const f of [1, 2, 5, 10]) if (f * magnitude >= top) return f * magnitude;
  return 10 * magnitude;
}
function chart(title, axis, labels, canary, stable, floor) {
  const end = axisEnd(Math.max(...canary, ...stable ?? []), floor);
  return [
    "xychart-beta",
    `  title "${mermaidText(title)}"`,
    `  x-axis "${mermaidText("step (canary weight)")}" [${labels.map((l) => `"${mermaidText(l)}"`).join(", ")}]`,
    `  y-axis "${mermaidText(axis)}" 0 --> ${chartNumber(end)}`,
    `  bar [${canary.map(chartNumber).join(", ")}]`,
    ...stable ? [`  line [${stable.map(chartNumber).join(", ")}]`] : []
  ];
}
function canaryCharts(steps) {
  const both = steps.filter((s) => served(s.canary) && served(s.stable));
  const shown2 = both.length > 0 ? both : steps.filter((s) => served(s.canary));
  if (shown2.length === 0) return [];
  const withStable = both.length > 0;
  const labels = shown2.map((s) => `${s.step + 1} (${s.weight}%)`);
  const rate = (v) => (v?.errorRate ?? 0) * 100;
  const p95 = (v) => v?.p95Ms ?? 0;
  const legend = withStable ? "bars canary, line stable" : "canary";
  return [
    chart(
      `Error rate per step, percent (${legend})`,
      "error rate (percent)",
      labels,
      shown2.map((s) => rate(s.canary)),
      withStable ? shown2.map((s) => rate(s.stable)) : void 0,
      1
    ),
    chart(
      `p95 latency per step, ms (${legend})`,
      "p95 (ms)",
      labels,
      shown2.map((s) => p95(s.canary)),
      withStable ? shown2.map((s) => p95(s.stable)) : void 0,
      10
    )
  ];
}
function canaryStepsTable(steps) {
  const withMetrics = steps.some((s) => (s.metrics ?? []).length > 0);
  const headers = [
    "step",
    "weight",
    "samples canary / stable",
    "error rate canary / stable",
    "p95 canary / stable",
    "probes",
    ...withMetrics ? ["metrics"] : [],
    "verdict"
  ];
  const rows = steps.map((s) => [
    String(s.step + 1),
    `${s.weight}%`,
    pair(s.canary && String(s.canary.requests), s.stable && String(s.stable.requests)),
    pair(s.canary && percent(s.canary.errorRate), s.stable && percent(s.stable.errorRate)),
    pair(
      s.canary?.p95Ms === void 0 ? void 0 : millis(s.canary.p95Ms),
      s.stable?.p95Ms === void 0 ? void 0 : millis(s.stable.p95Ms)
    ),
    probesCell(s.probes),
    ...withMetrics ? [metricsCell(s) || "\u2013"] : [],
    verdictCell(s)
  ]);
  return { headers, rows };
}
function canarySteps(doc, steps) {
  if (steps.length === 0) return;
  const { headers, rows } = canaryStepsTable(steps);
  doc.heading("Canary steps", 3);
  doc.table(headers, rows);
  for (const lines of canaryCharts(steps)) doc.mermaid(lines);
}
function offset(from, at) {
  const t = Date.parse(at);
  if (Number.isNaN(t) || Number.isNaN(from)) return mermaidText(at);
  const seconds = (t - from) / 1e3;
  return `${seconds < 0 ? "" : "+"}${seconds.toFixed(1)} s`;
}
function wallClock(at) {
  const t = Date.parse(at);
  return mermaidText(Number.isNaN(t) ? at : `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`);
}
function blueGreenTimelineLines(events) {
  const first = events[0];
  if (!first) return [];
  const start = Date.parse(first.at);
  const periods = [];
  for (const e of events) {
    const period = offset(start, e.at);
    const last = periods.at(-1);
    if (last?.period === period) last.whats.push(mermaidText(e.what));
    else periods.push({ period, whats: [mermaidText(e.what)] });
  }
  return [
    "timeline",
    `  title Blue-green switch from ${wallClock(first.at)}`,
    ...periods.map((p) => `  ${p.period} : ${p.whats.join(" : ")}`)
  ];
}
function blueGreenTimeline(doc, events) {
  if (events.length === 0) return;
  doc.heading("Blue-green switch", 3);
  doc.mermaid(blueGreenTimelineLines(events));
}

// src/actions/deploy-report.ts
function gateText(g) {
  return [
    `error rate \u2264 ${(g["error-rate"] * 100).toFixed(2)}%`,
    g.p95 === void 0 ? "" : `p95 \u2264 ${durationText(g.p95)}`,
    g.p99 === void 0 ? "" : `p99 \u2264 ${durationText(g.p99)}`,
    g["max-increase"] === void 0 ? "" : `at most ${(g["max-increase"] * 100).toFixed(2)} points above stable`,
    `\u2265 ${g["min-samples"]} samples, else ${g.inconclusive === "wait" ? `wait up to ${durationText(g["inconclusive-wait"])}` : "fail"}`
  ].filter(Boolean).join(", ");
}
function planLines(config, environmentName, environment, services, strategy, version, driver, envValues = {}) {
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
      const values = envValues[name] ?? {};
      if (driver === "compose" && compose && strategy !== "recreate") {
        const cmdEnv = { [compose["version-env"]]: version, ..."env" in t ? t.env : {}, ...values };
        lines.push(`    $ ${toRemoteCommand(composeConfig(compose), { cwd: compose.directory, env: cmdEnv })}`);
        lines.push(
          `    Docker API: create ${s.replicas} \xD7 compose service ${name} as the file resolves it (environment, volumes, network, healthcheck), each on its own port, start, health-gate, add to the upstream, then drain and stop the previous replicas (kept)`
        );
      } else if (driver === "compose" && compose) {
        const cmdEnv = { [compose["version-env"]]: version, ..."env" in t ? t.env : {}, ...values };
        const cmds = [
          // With env values: the resolved file must give the service each of them (compose/env.ts).
          ...Object.keys(values).length > 0 ? [composeConfig(compose)] : [],
          ...pullDecision(name, s, compose.pull).policy === "always" ? [composePull(compose, [name])] : [],
          composeUp(compose, [name], { forceRecreate: true, scale: { [name]: s.replicas } })
        ];
        for (const argv of cmds) lines.push(`    $ ${toRemoteCommand(argv, { cwd: compose.directory, env: cmdEnv })}`);
      } else {
        lines.push(
          `    Docker API: create ${s.replicas} \xD7 ${s.image}:${version}, start, health-gate, then stop the previous replicas (kept)`
        );
      }
      const fronted = nginx && (nginx.service ?? services[0]) === name;
      if (fronted && strategy === "blue-green") {
        lines.push(
          `    blue-green: the new slot smoked on its own ports, then the upstream switched in one reload, verified through nginx; the old slot kept running as the standby for ${durationText(config.strategy["blue-green"].standby)}`
        );
      }
      const canary = config.strategy.canary;
      if (fronted && strategy === "canary" && canary) {
        const steps = canary.steps.map(
          (x) => `${x.weight}% ${x.pause === "until-promoted" ? "until promoted" : durationText(x.pause)}`
        );
        lines.push(
          `    canary: ${steps.join(" \u2192 ")}, each judged (${gateText(canary.gates)}); a breach puts the upstream back and stops the canary`
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
function envPlan(config, services, env, journal) {
  const live = liveRelease(journal);
  try {
    const after = envInForce(config, services, env.overrides, live, env.reset);
    const lines = envPlanLines(
      config,
      services,
      env.overrides,
      live,
      after,
      envChangesOf(config, services, live?.env, after)
    );
    const dropped = env.reset ? services.filter((s) => live?.env?.[s] !== void 0) : [];
    if (dropped.length > 0)
      lines.push(`env-reset: the env values ${live?.id} carried for ${dropped.join(", ")} are dropped`);
    return { lines, values: after };
  } catch (err) {
    return { lines: [`the deploy would stop before any change: ${err.message}`], values: {} };
  }
}
function deploySummary(app, environmentName, r, previous, extra = {}) {
  const state = r.status === "canary" ? `canary ${r.version} holds ${r.canary?.weight}% until promoted` : `${r.version} is ${r.status === "live" ? "live" : r.status}`;
  return buildSummary((doc) => {
    doc.heading("Release", 3);
    doc.paragraph(
      inline.join(
        [
          `${app}/${environmentName}: ${state}. Release `,
          inline.code(r.id),
          ` (${r.strategy}); previous: `,
          ...previous ? [inline.code(previous.id), ` (${previous.version})`] : ["none"]
        ],
        ""
      )
    );
    if (r.envChanges?.length)
      doc.paragraph(
        inline.join(
          [
            "Env changes: ",
            inline.join(
              r.envChanges.map((c) => inline.code(envChangeText(c))),
              ", "
            )
          ],
          ""
        )
      );
    if (r.env) {
      const values = Object.entries(r.env).flatMap(
        ([svc, vs]) => Object.entries(vs).map(([n, v]) => inline.code(`${svc}.${n}=${v}`))
      );
      doc.paragraph(
        inline.join(["Env values in force (the env input; until env-reset): ", inline.join(values, ", ")], "")
      );
    }
    doc.table(
      ["service", "target", "container", "port", "image"],
      Object.entries(r.services).flatMap(
        ([name, s]) => s.replicas.map((x) => [
          name,
          x.target,
          x.name,
          x.port === void 0 ? "" : String(x.port),
          s.imageId ? inline.code(s.imageId.slice(0, 19)) : ""
        ])
      )
    );
    if (r.canary) canarySteps(doc, r.canary.steps);
    if (extra.timeline) blueGreenTimeline(doc, extra.timeline);
  });
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
  ABORT_INCOMPLETE,
  newCanaryState,
  runCanarySteps,
  abortCanary,
  resumeCanary,
  deadCanary,
  abortDeadCanary,
  planLines,
  envPlan,
  deploySummary
};
