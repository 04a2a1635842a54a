import {
  parseLateInput
} from "./chunk-NCLL3RXK.js";
import {
  cancelled,
  once,
  percentile,
  runChecks,
  throwIfCancelled
} from "./chunk-QDKZOZWX.js";
import {
  balancerAddressOf
} from "./chunk-TSVKQNYQ.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  systemElapsedMs
} from "./chunk-VA52T2SJ.js";
import {
  SMOKE_REQUEST_TIMEOUT_MS,
  envReferences,
  zChecksInput
} from "./chunk-FDIJ72KF.js";
import {
  buildSummary
} from "./chunk-2EYAEJCG.js";
import {
  closest,
  show
} from "./chunk-KPGNJUSS.js";
import {
  ConfigError,
  UserError
} from "./chunk-O2HJWNJA.js";

// src/smoke/sample.ts
function sampleStats(outcomes, timeoutMs) {
  const latencies = outcomes.map((o) => o.timedOut ? Math.max(o.latencyMs, timeoutMs) : o.latencyMs).sort((a, b) => a - b);
  const failed = outcomes.filter((o) => !o.passed).length;
  return {
    requests: outcomes.length,
    failed,
    timedOut: outcomes.filter((o) => o.timedOut).length,
    errorRate: outcomes.length === 0 ? 0 : failed / outcomes.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99)
  };
}
var pct = (fraction) => `${+(fraction * 100).toFixed(2)}%`;
function mostCommon(outcomes) {
  const counts = /* @__PURE__ */ new Map();
  for (const o of outcomes) {
    if (o.passed) continue;
    const why = o.problems.join("; ") || "failed";
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1]);
  return top && `${top[0]} (\xD7${top[1]})`;
}
function judgeSample(outcomes, s, timeoutMs) {
  const stats = sampleStats(outcomes, timeoutMs);
  const problems = [];
  const allowed = s["error-rate"] ?? 0;
  if (stats.errorRate > allowed) {
    const timed = stats.timedOut > 0 ? `, ${stats.timedOut} timed out after ${timeoutMs} ms` : "";
    const rule = s["error-rate"] === void 0 ? "none allowed: set error-rate to allow some" : `allowed ${pct(allowed)}`;
    problems.push(
      `${stats.failed} of ${stats.requests} requests failed (${pct(stats.errorRate)}${timed}; ${rule}); most often: ${mostCommon(outcomes)}`
    );
  }
  if (s.p95 !== void 0 && !(stats.p95 <= s.p95)) {
    problems.push(
      `p95 ${Math.round(stats.p95)} ms > ${s.p95} ms (over all ${stats.requests} requests, failed ones included)`
    );
  }
  const good = stats.requests - stats.failed;
  if (s["min-samples"] !== void 0 && good < s["min-samples"]) {
    problems.push(`${good} good samples < min-samples ${s["min-samples"]}`);
  }
  return { ...stats, passed: problems.length === 0, problems };
}
function sampleLine(o) {
  const timed = o.timedOut > 0 ? ` (${o.timedOut} timed out)` : "";
  const ms = (v) => `${Math.round(v)} ms`;
  return `sample: ${o.requests} requests, ${o.failed} failed${timed}; over all ${o.requests}: p50 ${ms(o.p50)}, p95 ${ms(o.p95)}, p99 ${ms(o.p99)}`;
}
async function runSample(ctx, check, s) {
  const { signal, timeoutMs } = ctx.request;
  const gap = 1e3 / s.rate;
  const started = ctx.elapsedMs();
  const pending = [];
  try {
    for (let i = 0; i < s.requests; i++) {
      throwIfCancelled(signal, "the smoke sample");
      const wait = started + i * gap - ctx.elapsedMs();
      if (wait > 0) await ctx.clock.sleep(wait, signal);
      throwIfCancelled(signal, "the smoke sample");
      pending.push(once(ctx, check));
    }
  } catch (err) {
    await Promise.allSettled(pending);
    if (signal?.aborted)
      throw cancelled(signal, `the smoke sample (after ${pending.length} of ${s.requests} requests)`);
    throw err;
  }
  const outcomes = await Promise.all(pending);
  throwIfCancelled(signal, "the smoke sample");
  return judgeSample(outcomes, s, timeoutMs);
}

// src/smoke/suite.ts
function smokeHeaders(ctx, check) {
  const out = {};
  for (const [name, raw] of Object.entries(check.headers ?? {})) {
    let value = raw;
    for (const ref of envReferences(raw)) {
      const v = ctx.runner.env[ref];
      if (v === void 0 || v === "")
        throw new ConfigError(`check ${check.name}: header ${name} needs the environment variable ${ref}`);
      ctx.log.addSecret(v);
      value = value.replaceAll(`\${env.${ref}}`, v);
    }
    out[name] = value;
  }
  return out;
}
function checkSmokeSecrets(ctx, smoke) {
  for (const c of smoke.checks) smokeHeaders(ctx, c);
}
async function runSmokeSuite(ctx, smoke, opts) {
  const { log } = ctx;
  const elapsedMs = opts.elapsedMs ?? systemElapsedMs;
  const clients = /* @__PURE__ */ new Map([["runner", httpClient({ elapsedMs })]]);
  try {
    for (const c of smoke.checks) {
      if (clients.has(c.via)) continue;
      if (!opts.transportFor) throw new ConfigError(`check ${c.name}: via ${c.via} needs a connection to a target`);
      const t = await opts.transportFor(c.via);
      log.info(`smoke: checks via ${c.via} connect through ${t.name}`);
      clients.set(c.via, httpClient({ via: t, elapsedMs }));
    }
    const sctx = {
      base: opts.base,
      headersFor: (c) => smokeHeaders(ctx, c),
      clientFor: (c) => {
        const client = clients.get(c.via);
        if (!client) throw new Error(`check ${c.name}: no client for via ${c.via}`);
        return client;
      },
      request: { timeoutMs: SMOKE_REQUEST_TIMEOUT_MS, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, signal: ctx.signal },
      clock: ctx.clock,
      elapsedMs,
      log
    };
    const checks = await log.group("Smoke checks", () => runChecks(sctx, smoke, opts.waitMs));
    for (const c of checks) {
      log.info(
        `${c.passed ? "PASS" : "FAIL"}  ${c.name}  ${c.status ?? "-"}  ${Math.round(c.latencyMs)} ms  ${c.problems.join("; ")}`
      );
    }
    throwIfCancelled(ctx.signal, "the smoke test");
    const first = smoke.checks[0];
    const sampleCfg = smoke.sample;
    const sample = sampleCfg && first && checks.every((c) => c.passed) ? await log.group(
      `Sample: ${sampleCfg.requests} requests at ${sampleCfg.rate}/s`,
      () => runSample(sctx, first, sampleCfg)
    ) : void 0;
    if (sample) log.info(sampleLine(sample));
    const problems = [
      ...checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.problems.join("; ")}`),
      ...sample?.problems ?? []
    ];
    return { passed: problems.length === 0, checks, sample, problems };
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
}
function smokeSummary(v, title = "Smoke checks") {
  const { checks, sample } = v;
  return buildSummary((doc) => {
    doc.heading(title, 3);
    doc.paragraph(`${checks.filter((c) => c.passed).length} of ${checks.length} checks passed`);
    doc.table(
      ["check", "status", "latency", "result"],
      checks.map((c) => [
        c.name,
        c.status === void 0 ? "-" : String(c.status),
        `${Math.round(c.latencyMs)} ms`,
        c.passed ? "\u2705" : `\u274C ${c.problems.join("; ")}`
      ])
    );
    if (sample)
      doc.paragraph(
        `Sample: ${sample.requests} requests, ${sample.failed} failed, p95 ${Math.round(sample.p95)} ms ${sample.passed ? "\u2705" : `\u274C ${sample.problems.join("; ")}`}`
      );
  });
}

// src/actions/smoke-test.ts
function viaTargets(smoke, environment, environmentName) {
  const out = /* @__PURE__ */ new Map();
  const names = environment.targets.map((t) => t.name);
  for (const c of smoke.checks) {
    if (c.via === "runner" || out.has(c.via)) continue;
    const target = c.via === "target" ? environment.targets[0] : environment.targets.find((t) => t.name === c.via);
    if (target === void 0) {
      const guess = closest(c.via, names);
      throw new ConfigError(
        `check ${c.name}: via ${show(c.via)} is not a target of environment ${environmentName}${guess === void 0 ? "" : ` (did you mean ${show(guess)}?)`}; expected runner, target or one of: ${names.join(", ")}`
      );
    }
    if (target.kind === "docker") {
      const which = c.via === "target" ? ` (the environment's first target, ${target.name})` : "";
      const lb = environment["load-balancer"];
      const instead = lb === void 0 ? "" : ` (to check ${target.name}'s replicas, use via ${show(lb)}, its load balancer, with ${target.name}'s address ${balancerAddressOf(target, lb)} in the url)`;
      throw new ConfigError(
        `check ${c.name}: via ${show(c.via)}${which} is a docker target; checks go through ssh or local targets only${instead}`
      );
    }
    out.set(c.via, target);
  }
  return out;
}
function viaTransport(targets, session) {
  return async (via) => {
    const target = targets.get(via);
    if (!target) throw new ConfigError(`smoke: no target for via ${show(via)}`);
    return session.shell(target);
  };
}
async function runSmokeTest(ctx) {
  const { log, runner, inputs } = ctx;
  const given = inputs.checks === void 0 ? void 0 : parseLateInput("checks", inputs.checks, zChecksInput);
  const session = await ctx.session();
  const { config, environment, environmentName } = session;
  const smoke = given ? { ...config.smoke, checks: given } : config.smoke;
  if (!smoke) throw new ConfigError('smoke-test needs checks: the input "checks" or a smoke section in the config');
  checkSmokeSecrets(ctx, smoke);
  const targets = viaTargets(smoke, environment, environmentName);
  if (inputs["dry-run"]) {
    for (const c of smoke.checks) {
      const via = targets.get(c.via);
      log.info(`would check ${c.name}: ${c.method} ${c.url}${via ? ` (via target ${via.name})` : ""}`);
    }
    return;
  }
  const verdict = await runSmokeSuite(ctx, smoke, {
    base: inputs.url ?? environment.url,
    waitMs: inputs.wait ?? smoke.wait ?? 0,
    transportFor: targets.size > 0 ? viaTransport(targets, session) : void 0
  });
  const { passed, checks, sample } = verdict;
  runner.setOutput("passed", String(passed));
  runner.setOutput("report", JSON.stringify({ environment: environmentName, passed, checks, sample }));
  await runner.appendSummary(smokeSummary(verdict));
  if (!passed) throw new UserError(`smoke test failed: ${verdict.problems.join(" | ")}`);
}

export {
  checkSmokeSecrets,
  runSmokeSuite,
  smokeSummary,
  viaTargets,
  viaTransport,
  runSmokeTest
};
