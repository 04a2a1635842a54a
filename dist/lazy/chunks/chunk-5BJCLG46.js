import {
  fail,
  pass
} from "./chunk-KF7AZP5G.js";
import {
  githubFor
} from "./chunk-RPP53YNZ.js";
import {
  apiErrorText
} from "./chunk-VQFM3CCE.js";
import {
  githubContext
} from "./chunk-Q7OLK7WB.js";

// src/checks/ci-status.ts
var CHECK = "CI on the commit";
var GREEN_CONCLUSIONS = /* @__PURE__ */ new Set(["success", "neutral", "skipped"]);
async function readResults(q) {
  const { octokit, owner, repo, context } = q.github;
  const own = context.runId ? `/actions/runs/${context.runId}/` : void 0;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: q.sha,
    filter: "latest",
    per_page: 100
  });
  const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: q.sha, per_page: 100 });
  const results = [];
  for (const r of runs) {
    if (own && [r.html_url, r.details_url].some((u) => u?.includes(own))) continue;
    if (r.status !== "completed") results.push({ name: r.name, state: "pending", as: r.status });
    else {
      const c = r.conclusion ?? "none";
      results.push({ name: r.name, state: GREEN_CONCLUSIONS.has(c) ? "success" : "failure", as: c });
    }
  }
  for (const s of combined.data.statuses) {
    const state = s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure";
    results.push({ name: s.context, state, as: s.state });
  }
  const ignored = new Set(q.config.ignore ?? []);
  return results.filter((r) => !ignored.has(r.name));
}
var names = (rs) => rs.slice(0, 5).map((r) => r.name).join(", ") + (rs.length > 5 ? `, \u2026 (${rs.length} in all)` : "");
async function checkCi(q) {
  const short = q.sha.slice(0, 7);
  const deadline = q.clock.now().getTime() + q.config.wait;
  for (; ; ) {
    let results;
    try {
      results = await readResults(q);
    } catch (err) {
      return fail("*", CHECK, `cannot read the checks of ${short}: ${apiErrorText(err)}`);
    }
    const required = q.config.required;
    const missing = (required ?? []).filter((n) => !results.some((r) => r.name === n));
    const counted = required ? results.filter((r) => required.includes(r.name)) : results;
    const red = counted.filter((r) => r.state === "failure");
    if (red.length > 0)
      return fail(
        "*",
        CHECK,
        `${red.length} failed on ${short}: ${red.slice(0, 5).map((r) => `${r.name} (${r.as})`).join(", ")}${red.length > 5 ? ", \u2026" : ""}`
      );
    const pending = [...counted.filter((r) => r.state === "pending"), ...missing.map((name) => ({ name }))];
    const nothing = counted.length === 0 && pending.length === 0;
    if (pending.length === 0 && !nothing)
      return pass("*", CHECK, `${counted.length} green on ${short}: ${names(counted)}`);
    const left = deadline - q.clock.now().getTime();
    if (nothing && left <= 0)
      return fail(
        "*",
        CHECK,
        `no check run or status reported on ${short} within ${Math.round(q.config.wait / 1e3)}s: a commit without CI cannot pass checks.ci (name the checks in checks.ci.required, or remove checks.ci)`
      );
    if (nothing) pending.push({ name: "(no check reported yet)" });
    if (left <= 0) {
      const what = missing.length > 0 ? ` (never reported: ${missing.join(", ")})` : "";
      return fail(
        "*",
        CHECK,
        `${pending.length} still pending on ${short} after ${Math.round(q.config.wait / 1e3)}s: ${names(pending)}${what}`
      );
    }
    q.log.info(
      `CI: waiting for ${pending.length} pending on ${short} (${names(pending)}); asking again in ${Math.round(Math.min(q.config.poll, left) / 1e3)}s, giving up in ${Math.ceil(left / 1e3)}s`
    );
    await q.clock.sleep(Math.min(q.config.poll, left), q.signal);
  }
}

// src/checks/incidents.ts
var CHECK2 = "open incidents";
async function checkIncidents(q) {
  const [owner, repo] = (q.repository ?? "").split("/");
  if (!owner || !repo) {
    return fail(
      "*",
      CHECK2,
      `incident-label is set, but GITHUB_REPOSITORY (owner/repo) is not: cannot look for open issues labelled "${q.label}"`
    );
  }
  if (!q.token) {
    return fail(
      "*",
      CHECK2,
      `incident-label is set: the input github-token is needed to read open issues labelled "${q.label}"`
    );
  }
  const { apiError, githubClient } = await import("./client-74ZVP3QX.js");
  const octokit = githubClient({ token: q.token, apiUrl: q.apiUrl, signal: q.signal, log: q.log });
  try {
    let pages = 0;
    const data = await octokit.paginate(
      octokit.rest.issues.listForRepo,
      { owner, repo, labels: q.label, state: "open", per_page: 100 },
      (response, done) => {
        if (++pages >= 10) done();
        return response.data;
      }
    );
    const elsewhere = (body) => {
      const env = /^<!-- runbook-actions:incident environment=(\S+) -->/.exec(body ?? "")?.[1];
      return env !== void 0 && q.environment !== void 0 && env !== q.environment;
    };
    const open = data.filter((i) => !i.pull_request && !elsewhere(i.body));
    if (open.length === 0) return pass("*", CHECK2, `no open issue labelled "${q.label}" in ${owner}/${repo}`);
    const shown = open.slice(0, 3).map((i) => `#${i.number} "${i.title.slice(0, 80)}" (${i.html_url})`).join(", ");
    return fail(
      "*",
      CHECK2,
      `${open.length} open issue${open.length === 1 ? "" : "s"} labelled "${q.label}": ${shown}${open.length > 3 ? ", \u2026" : ""}`
    );
  } catch (err) {
    const { status, message } = apiError(err);
    return fail(
      "*",
      CHECK2,
      `cannot read the issues of ${owner}/${repo}${status ? ` (HTTP ${status})` : ""}: ${message}`
    );
  }
}

// src/actions/pre-deploy-github.ts
function incidentLabel(checks, token, env) {
  return checks["incident-label"] ?? (token && env.GITHUB_REPOSITORY ? DEFAULT_INCIDENT_LABEL : void 0);
}
var DEFAULT_INCIDENT_LABEL = "incident";
function githubPlan(checks, token, env) {
  const repository = env.GITHUB_REPOSITORY ?? "(GITHUB_REPOSITORY)";
  const label = incidentLabel(checks, token, env);
  const lines = [];
  if (label) lines.push(`GitHub: open issues labelled "${label}" in ${repository}`);
  if (checks.ci) {
    const which = checks.ci.required ? checks.ci.required.join(", ") : "every check run and status";
    lines.push(
      `GitHub: CI green on ${githubContext(env).sha ?? "(GITHUB_SHA)"} (${which}; pending waited for up to ${Math.round(checks.ci.wait / 1e3)}s)`
    );
  }
  return lines;
}
async function githubChecks(ctx, checks, token, environment) {
  const { runner, log } = ctx;
  const results = [];
  const label = incidentLabel(checks, token, runner.env);
  if (label) {
    results.push(
      await checkIncidents({
        label,
        environment,
        repository: runner.env.GITHUB_REPOSITORY,
        token,
        apiUrl: runner.env.GITHUB_API_URL,
        signal: ctx.signal,
        log
      })
    );
  }
  if (checks.ci) {
    const seam = await githubFor(token, { env: runner.env, log, signal: ctx.signal });
    const sha = githubContext(runner.env).sha;
    if ("missing" in seam) results.push(fail("*", "CI on the commit", `checks.ci is set, but ${seam.missing}`));
    else if (!sha) results.push(fail("*", "CI on the commit", "checks.ci is set, but GITHUB_SHA is not"));
    else
      results.push(
        await log.group(
          `CI on ${sha.slice(0, 7)}`,
          () => checkCi({
            github: seam.github,
            sha,
            config: checks.ci,
            clock: ctx.clock,
            signal: ctx.signal,
            log
          })
        )
      );
  }
  return results;
}
function skipUntrusted(ctx, why) {
  const message = `skipped: untrusted context (${why}; it runs without the repository's secrets, so no host, CI or incident is checked)`;
  ctx.log.warn(message);
  ctx.runner.setOutput("passed", "false");
  ctx.runner.setOutput("result", "skipped");
  ctx.runner.setOutput(
    "report",
    JSON.stringify({ environment: ctx.inputs.environment, passed: false, skipped: message, checks: [] })
  );
  ctx.report.verdict = { outcome: "skipped", detail: message };
}

export {
  incidentLabel,
  DEFAULT_INCIDENT_LABEL,
  githubPlan,
  githubChecks,
  skipUntrusted
};
