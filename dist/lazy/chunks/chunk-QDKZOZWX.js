import {
  unmet
} from "./chunk-6PYKIDPT.js";
import {
  CancelledError
} from "./chunk-O2HJWNJA.js";

// src/smoke/evaluate.ts
function statusOk(expected, status) {
  if (expected === void 0) return status >= 200 && status < 300;
  if (typeof expected === "string") {
    const range = /^(\d{3})-(\d{3})$/.exec(expected);
    if (range) return status >= Number(range[1]) && status <= Number(range[2]);
    return String(status)[0] === expected[0];
  }
  return (Array.isArray(expected) ? expected : [expected]).includes(status);
}
function problemsOf(check, a) {
  const e = check.expect;
  const problems = [];
  if (!statusOk(e?.status, a.status)) {
    const want = e?.status === void 0 ? "2xx" : JSON.stringify(e.status);
    const moved = a.location && a.status >= 300 && a.status < 400 ? ` (redirect to ${a.location}, not followed)` : "";
    problems.push(`status ${a.status}${moved}, expected ${want}`);
  }
  if (e?.json) problems.push(...unmet({ status: a.status, json: e.json }, a.status, a.body));
  if (e?.regex && !new RegExp(e.regex, "u").test(a.body)) problems.push(`body does not match /${e.regex}/`);
  const max = e?.["max-latency"];
  if (max !== void 0 && a.latencyMs > max) problems.push(`took ${Math.round(a.latencyMs)} ms, max ${max} ms`);
  if (a.truncated) problems.push("body larger than the cap (cut)");
  return problems;
}
function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p / 100 * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

// src/smoke/run.ts
function urlOf(check, base) {
  if (!check.url.startsWith("/")) return check.url;
  if (!base) throw new Error(`check ${check.name}: a relative url needs the environment's url (or the input url)`);
  return new URL(check.url, base).toString();
}
async function once(ctx, check) {
  const url = urlOf(check, ctx.base);
  const r = await ctx.clientFor(check).request(url, {
    ...ctx.request,
    method: check.method,
    headers: ctx.headersFor(check),
    body: check.body,
    followRedirects: check["follow-redirects"]
  });
  if (!r.ok) {
    const timedOut = r.error.startsWith("no complete answer within") || r.latencyMs >= ctx.request.timeoutMs;
    const base = { name: check.name, url, passed: false, latencyMs: r.latencyMs, problems: [r.error] };
    return timedOut ? { ...base, timedOut } : base;
  }
  const problems = problemsOf(check, r);
  return { name: check.name, url, passed: problems.length === 0, status: r.status, latencyMs: r.latencyMs, problems };
}
function cancelled(signal, what) {
  const reason = signal?.reason;
  if (reason instanceof CancelledError) return new CancelledError(`${what} was cancelled (${reason.message})`);
  return new CancelledError(`${what} was cancelled`);
}
function throwIfCancelled(signal, what) {
  if (signal?.aborted) throw cancelled(signal, what);
}
async function runChecks(ctx, smoke, waitMs) {
  const { signal } = ctx.request;
  const start = ctx.clock.now().getTime();
  for (let round = 1; ; round++) {
    throwIfCancelled(signal, "the run of the smoke checks");
    const outcomes = await Promise.all(smoke.checks.map((c) => once(ctx, c)));
    throwIfCancelled(signal, "the run of the smoke checks");
    const failing = outcomes.filter((o) => !o.passed);
    const elapsed = ctx.clock.now().getTime() - start;
    if (failing.length === 0 || elapsed >= waitMs) return outcomes;
    ctx.log.info(
      `smoke: ${failing.length} of ${outcomes.length} checks failing after ${(elapsed / 1e3).toFixed(1)}s (round ${round}): ` + failing.map((f) => `${f.name}: ${f.problems.join("; ")}`).join(" | ")
    );
    try {
      await ctx.clock.sleep(Math.min(2e3, Math.max(0, waitMs - elapsed)), signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled(signal, "the run of the smoke checks");
      throw err;
    }
  }
}

export {
  percentile,
  once,
  cancelled,
  throwIfCancelled,
  runChecks
};
