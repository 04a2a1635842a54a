/**
 * The top of every job summary: the verdict first (deployed / refused / rolled back / failed …), then what it was
 * about (version, environment, URL), the links (deployment, run, commit), a Mermaid timeline of the stages when
 * there were several, and then the step's own sections (one table per stage). Written when the step fails too.
 */
import { type GitHubContext, runLinks } from '../github/context.js';
import { buildSummary, inline, type Stage, stageTimeline, type Text } from './summary.js';

/** Outcomes a reader scans for, with their mark. */
const MARK: Record<string, string> = {
  deployed: '✅',
  passed: '✅',
  promoted: '✅',
  'backed up': '✅',
  migrated: '✅',
  done: '✅',
  planned: '📝',
  paused: '⏸️',
  skipped: '⏭️',
  refused: '⛔',
  'rolled back': '↩️',
  aborted: '↩️',
  failed: '❌',
  on: '🚧',
  off: '✅',
};

export interface VerdictReport {
  /** What the step is: "Pipeline", "Deploy", "Pre-deploy check" … */
  title: string;
  /** deployed, refused, rolled back, failed, passed, planned, skipped, paused … */
  outcome: string;
  /** One line on why or what: the failure, the release. */
  detail?: string;
  version?: string;
  environment?: string;
  url?: string;
  deploymentId?: string;
  stages?: Stage[];
  /** The step's own sections (Markdown/HTML from the builder), in order. */
  sections: string[];
}

/** The whole summary of a step, verdict first. */
export function verdictSummary(r: VerdictReport, context: GitHubContext): string {
  const links = runLinks(context, r.environment);
  return buildSummary((doc) => {
    const mark = MARK[r.outcome] ?? 'ℹ️';
    const about = r.version && r.environment ? `${r.version} → ${r.environment}` : (r.version ?? r.environment);
    doc.heading(`${mark} ${r.title}: ${r.outcome}${about ? ` — ${about}` : ''}`, 2);
    if (r.detail) doc.paragraph(r.detail);
    const facts: Text[] = [];
    if (r.version) facts.push(inline.join([inline.bold('version'), ' ', inline.code(r.version)], ''));
    if (r.environment) facts.push(inline.join([inline.bold('environment'), ' ', r.environment], ''));
    if (r.url) facts.push(inline.link(r.url, r.url));
    if (r.deploymentId) facts.push(inline.link(`deployment ${r.deploymentId}`, links.environment));
    if (links.run) facts.push(inline.link('run', links.run));
    if (links.commit && context.sha) facts.push(inline.link(`commit ${context.sha.slice(0, 7)}`, links.commit));
    if (facts.length > 0) doc.paragraph(inline.join(facts));
    if (r.stages && r.stages.length > 1) doc.mermaid(stageTimeline(r.title, r.stages));
    for (const s of r.sections) doc.markdown(s);
  });
}
