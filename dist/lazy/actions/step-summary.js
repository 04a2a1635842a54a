import {
  buildSummary,
  inline,
  stageTimeline
} from "../chunks/chunk-2EYAEJCG.js";
import {
  githubContext,
  runLinks
} from "../chunks/chunk-Q7OLK7WB.js";
import {
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/report/verdict.ts
var MARK = {
  deployed: "\u2705",
  passed: "\u2705",
  promoted: "\u2705",
  "backed up": "\u2705",
  migrated: "\u2705",
  done: "\u2705",
  planned: "\u{1F4DD}",
  paused: "\u23F8\uFE0F",
  skipped: "\u23ED\uFE0F",
  refused: "\u26D4",
  "rolled back": "\u21A9\uFE0F",
  aborted: "\u21A9\uFE0F",
  failed: "\u274C",
  on: "\u{1F6A7}",
  off: "\u2705"
};
function verdictSummary(r, context) {
  const links = runLinks(context, r.environment);
  return buildSummary((doc) => {
    const mark = MARK[r.outcome] ?? "\u2139\uFE0F";
    const about = r.version && r.environment ? `${r.version} \u2192 ${r.environment}` : r.version ?? r.environment;
    doc.heading(`${mark} ${r.title}: ${r.outcome}${about ? ` \u2014 ${about}` : ""}`, 2);
    if (r.detail) doc.paragraph(r.detail);
    const facts = [];
    if (r.version) facts.push(inline.join([inline.bold("version"), " ", inline.code(r.version)], ""));
    if (r.environment) facts.push(inline.join([inline.bold("environment"), " ", r.environment], ""));
    if (r.url) facts.push(inline.link(r.url, r.url));
    if (r.deploymentId) facts.push(inline.link(`deployment ${r.deploymentId}`, links.environment));
    if (links.run) facts.push(inline.link("run", links.run));
    if (links.commit && context.sha) facts.push(inline.link(`commit ${context.sha.slice(0, 7)}`, links.commit));
    if (facts.length > 0) doc.paragraph(inline.join(facts));
    if (r.stages && r.stages.length > 1) doc.mermaid(stageTimeline(r.title, r.stages));
    for (const s of r.sections) doc.markdown(s);
  });
}

// src/actions/step-summary.ts
function stepSummary(mod, run, error) {
  const { report } = run;
  const inputs = run.inputs;
  const text = (v) => typeof v === "string" && v !== "" ? v : void 0;
  const words = mod.verdicts ?? { ok: "done", failed: "failed" };
  const verdict = report.verdict ?? (error === void 0 ? { outcome: inputs["dry-run"] === true ? "planned" : words.ok } : { outcome: words.failed, detail: run.log.mask(errorMessage(error)) });
  return verdictSummary(
    {
      title: mod.title ?? mod.name,
      outcome: verdict.outcome,
      detail: verdict.detail,
      version: text(inputs.version),
      environment: text(inputs.environment),
      url: text(report.outputs["environment-url"]),
      deploymentId: text(report.outputs["deployment-id"]),
      stages: report.stages,
      sections: report.sections
    },
    githubContext(run.runner.env)
  );
}
function refusedSummary(mod, ctx, error) {
  return verdictSummary(
    {
      title: mod.title ?? mod.name,
      outcome: "refused",
      detail: ctx.log.mask(errorMessage(error)),
      environment: ctx.runner.getInput("environment") || void 0,
      sections: []
    },
    githubContext(ctx.runner.env)
  );
}
export {
  refusedSummary,
  stepSummary
};
