import {
  incidentLabel
} from "./chunk-5BJCLG46.js";
import {
  githubFor
} from "./chunk-RPP53YNZ.js";
import {
  apiErrorText
} from "./chunk-VQFM3CCE.js";
import {
  checksFor
} from "./chunk-5F4MXN4T.js";
import {
  buildSummary,
  inline
} from "./chunk-2EYAEJCG.js";
import {
  githubContext,
  runLinks
} from "./chunk-Q7OLK7WB.js";

// src/github/comments.ts
var MAX_BODY = 65536;
function marker(kind, key) {
  return `<!-- runbook-actions:${kind} ${key.replace(/[^A-Za-z0-9_.:=-]/g, "_")} -->`;
}
function markedBody(mark, body) {
  const full = `${mark}
${body}`;
  if (full.length <= MAX_BODY) return full;
  const note = "\n\n\u2026 (cut to fit GitHub's 65,536-character limit: the whole text is in the job summary of the run)\n";
  return full.slice(0, MAX_BODY - note.length) + note;
}
var ACTIONS_BOT = "github-actions[bot]";
async function author(github) {
  try {
    return (await github.octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return ACTIONS_BOT;
  }
}
async function upsertComment(github, number, mark, body) {
  const { octokit, owner, repo } = github;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100
  });
  const me = await author(github);
  const mine = comments.filter((c) => c.body?.startsWith(mark) && c.user?.login === me).at(-1);
  const text = markedBody(mark, body);
  if (mine) {
    const { data: data2 } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
    return { id: data2.id, url: data2.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text });
  return { id: data.id, url: data.html_url, created: true };
}
async function openOrUpdateIssue(github, o) {
  const { octokit, owner, repo } = github;
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    labels: o.label,
    state: "open",
    per_page: 100
  });
  const existing = open.filter((i) => !i.pull_request && i.body?.startsWith(o.mark)).at(0);
  if (existing) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: markedBody(o.mark, o.comment)
    });
    return { number: existing.number, url: existing.html_url, opened: false };
  }
  const { data } = await octokit.rest.issues.create({
    owner,
    repo,
    title: o.title.slice(0, 256),
    body: markedBody(o.mark, o.body),
    labels: [o.label]
  });
  return { number: data.number, url: data.html_url, opened: true };
}

// src/actions/pipeline-report.ts
function timelineLine(at, s, detail) {
  return `${`+${at.toFixed(1)}s`.padStart(8)}  ${s.name.padEnd(18)} ${(s.ok ? "ok" : "FAILED").padEnd(7)} ${`${s.seconds.toFixed(1)}s`.padStart(7)}  ${detail}`;
}
function detailOf(s) {
  const o = s.outputs;
  if (!s.ok) return s.error ?? "";
  switch (s.name) {
    case "backup":
      return `${o["backup-id"]} (verified ${o.verified})`;
    case "migrate":
      return `schema ${o["revision-before"] || "(none)"} \u2192 ${o["revision-after"] || "(none)"}`;
    case "deploy":
      if (!o["release-id"]) return "planned (no release started)";
      return `release ${o["release-id"]} live${o["previous-version"] ? ` (was ${o["previous-version"]})` : ""}`;
    case "rollback":
      return `restored ${o["restored-version"]} (${o["restored-release-id"]})${o["migration-revision"] ? `, schema ${o["migration-revision"]}` : ""}`;
    case "migrate plan":
      return `${o["destructive-statements"] ?? "unknown"} destructive statement(s)`;
    case "maintenance on":
      return o.address ? `traffic \u2192 the maintenance page (${o.address})` : "planned";
    case "maintenance off":
      return "traffic back to the live release";
    default:
      return o.passed ? `passed=${o.passed}` : "";
  }
}
var stagesOf = (steps) => steps.map(({ at, s }) => ({ name: s.name, at, seconds: s.seconds, ok: s.ok }));
function pipelineVerdict(o) {
  const page = o.maintenanceLeftOn ? " The site is still on the maintenance page (runbook maintenance off)." : "";
  if (o.failed?.name === "pre-deploy-check") return { outcome: "refused", detail: `${o.failed.error ?? ""}${page}` };
  if (o.failed) {
    const back = o.rolledBack?.ok ? ` Rolled back to ${o.rolledBack.outputs["restored-version"]} (${o.rolledBack.outputs["restored-release-id"]}).` : o.rolledBack ? ` The rollback failed too: ${o.rolledBack.error}.` : "";
    return {
      outcome: o.rolledBack?.ok ? "rolled back" : "failed",
      detail: `${o.failed.name} failed: ${o.failed.error ?? ""}.${back}${page}`
    };
  }
  if (o.dry) return { outcome: "planned", detail: "Dry run: every stage printed what it would do; nothing changed." };
  if (o.paused) return { outcome: "paused", detail: "The canary serves its share until promoted (runbook promote)." };
  return { outcome: "deployed", detail: o.maintenanceLeftOn ? page.trim() : void 0 };
}
function pipelineSections(steps) {
  const table = buildSummary((doc) => {
    doc.heading("Stages", 3);
    doc.table(
      ["at", "stage", "result", "took", "detail"],
      steps.map(({ at, s }) => [
        `+${at.toFixed(1)}s`,
        s.name,
        s.ok ? "\u2705 ok" : "\u274C failed",
        `${s.seconds.toFixed(1)}s`,
        detailOf(s)
      ])
    );
  });
  const stages = steps.filter(({ s }) => s.sections.length > 0).map(
    ({ s }) => buildSummary(
      (doc) => doc.section(inline.join([inline.bold(s.name), s.ok ? " \u2705" : " \u274C"], ""), (d) => {
        for (const section of s.sections) d.markdown(section);
      })
    )
  );
  return [table, ...stages];
}
function planComment(o) {
  return buildSummary((doc) => {
    const mark = o.verdict.outcome === "planned" ? "\u{1F4DD}" : "\u26D4";
    doc.heading(`${mark} Deploy plan for ${o.environment}: ${o.verdict.outcome} (${o.version})`, 3);
    if (o.verdict.detail) doc.paragraph(o.verdict.detail);
    if (o.runUrl) doc.paragraph(inline.join(["Updated by ", inline.link("this run", o.runUrl), " on every push."], ""));
    for (const section of pipelineSections(o.steps)) doc.markdown(section);
    for (const [stage, lines] of o.plans)
      if (lines.length > 0) doc.details(`${stage}: what it would run`, lines.join("\n"));
  });
}
function incidentText(o) {
  return buildSummary((doc) => {
    doc.heading(`Automatic rollback on ${o.environment}: ${o.version}`, 3);
    if (o.verdict.detail) doc.paragraph(o.verdict.detail);
    const who = o.actor ? ` by ${o.actor}` : "";
    if (o.runUrl) doc.paragraph(inline.join([`Deploy started${who}: `, inline.link("the run", o.runUrl)], ""));
    if (o.steps.length > 0) for (const section of pipelineSections(o.steps).slice(0, 1)) doc.markdown(section);
    doc.paragraph(
      `While this issue is open, pre-deploy-check refuses deploys that check the label "${o.label}". Close it once the incident is over.`
    );
  });
}

// src/actions/pipeline-github.ts
async function postPlanComment(run, o) {
  const context = githubContext(run.runner.env);
  const pr = context.pullRequest;
  if (!pr) {
    run.log.debug("pr-comment: not a pull request run; no comment");
    return;
  }
  const seam = await githubFor(o.token, { env: run.runner.env, log: run.log, signal: run.signal });
  if ("missing" in seam) {
    run.log.warn(`the plan is not posted on pull request #${pr.number}: ${seam.missing}`);
    return;
  }
  const body = run.log.mask(planComment({ ...o, runUrl: runLinks(context).run }));
  try {
    const c = await upsertComment(seam.github, pr.number, marker("plan", `environment=${o.environment}`), body);
    run.log.info(`the plan is ${c.created ? "posted on" : "updated on"} pull request #${pr.number}: ${c.url}`);
  } catch (err) {
    run.log.warn(`the plan is not posted on pull request #${pr.number}: ${apiErrorText(err)}`);
  }
}
async function reportIncident(run, config, o) {
  const label = incidentLabel(checksFor(config, o.environment), o.token, run.runner.env) ?? "incident";
  const seam = await githubFor(o.token, { env: run.runner.env, log: run.log, signal: run.signal });
  if ("missing" in seam) {
    run.log.warn(`no incident issue opened: ${seam.missing}`);
    return;
  }
  const context = seam.github.context;
  const text = run.log.mask(incidentText({ ...o, label, runUrl: runLinks(context).run, actor: context.actor }));
  try {
    const issue = await openOrUpdateIssue(seam.github, {
      label,
      mark: marker("incident", `environment=${o.environment}`),
      title: `Incident: ${o.environment} rolled back from ${o.version}`,
      body: text,
      comment: text
    });
    run.log.warn(
      `incident issue #${issue.number} ${issue.opened ? "opened" : "updated"} (${issue.url}): deploys checking "${label}" are blocked until it is closed`
    );
  } catch (err) {
    run.log.warn(`no incident issue opened: ${apiErrorText(err)}`);
  }
}

export {
  timelineLine,
  detailOf,
  stagesOf,
  pipelineVerdict,
  pipelineSections,
  postPlanComment,
  reportIncident
};
