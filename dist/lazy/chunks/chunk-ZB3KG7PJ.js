import {
  abortSite,
  gateNow,
  promoteSite,
  resumeSite,
  setWeight,
  upstreamOf
} from "./chunk-5OHRL654.js";
import {
  accessLogSize,
  parseAccessLog,
  readAccessLogSince
} from "./chunk-RB6QVMVN.js";
import {
  cancelled,
  percentile,
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
  serviceSite
} from "./chunk-HEVGDBH7.js";
import {
  unmet
} from "./chunk-6PYKIDPT.js";
import {
  toRemoteCommand
} from "./chunk-MOIZCRN3.js";
import {
  composeConfig,
  composePull,
  composeUp
} from "./chunk-MIAGCR4I.js";
import {
  liveRelease
} from "./chunk-PDADLHLK.js";
import {
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  swarmSettings
} from "./chunk-U7XPOYSJ.js";
import {
  buildSummary,
  inline,
  mermaidText
} from "./chunk-2EYAEJCG.js";
import {
  durationText
} from "./chunk-BOC5NVEP.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

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
      } else if (driver === "swarm") {
        const w = swarmSettings(config.strategy);
        lines.push(
          `    Docker API (swarm manager): create or update service ${config.app}-${environmentName}-${name}: ${s.replicas} \xD7 ${s.image}:${version} pinned by digest, ${w.order}, ${w.parallelism} at a time, delay ${durationText(w.delay)}, monitor ${durationText(w.monitor)}, on failure ${w["failure-action"]}; wait up to ${durationText(w["converge-timeout"])} for every task to run healthy, nginx following the tasks that pass the health gate`
        );
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
    if (r.hosts) hostsTable(doc, r);
  });
}
var HOST_MARK = {
  live: "\u2705 live",
  failed: "\u274C failed",
  cancelled: "\u23F9\uFE0F cancelled",
  "not started": "\u23F8\uFE0F not started",
  "rolled back": "\u21A9\uFE0F rolled back",
  "left switched": "\u26A0\uFE0F left switched"
};
function hostsTable(doc, r) {
  doc.heading("Hosts", 3);
  doc.table(
    ["host", "state", "took", "detail"],
    Object.entries(r.hosts ?? {}).map(([host, h]) => [
      host,
      HOST_MARK[h.state] ?? h.state,
      h.seconds === void 0 ? "" : `${h.seconds}s`,
      h.error ?? ""
    ])
  );
}
function hostsSummary(r) {
  return buildSummary((doc) => hostsTable(doc, r));
}

export {
  ABORT_INCOMPLETE,
  newCanaryState,
  runCanarySteps,
  abortCanary,
  resumeCanary,
  deadCanary,
  abortDeadCanary,
  planLines,
  envPlan,
  deploySummary,
  hostsSummary
};
