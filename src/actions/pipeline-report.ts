/**
 * What the pipeline reports, pure: a line per stage for the log, its job summary's sections (the stage table, then
 * each stage's own tables), its verdict, the PR comment of a plan and the body of an incident issue. Every text goes
 * through the one summary builder (../report/summary.ts), so it is escaped the same way everywhere.
 */
import { buildSummary, inline, type Stage } from '../report/summary.js';
import type { SubStepResult } from './sub-step.js';

/** A stage as the pipeline ran it: its start from the pipeline's start (seconds) and its result. */
export interface PipelineStage {
  at: number;
  s: SubStepResult;
}

/** One line of the timeline: when it started (from the pipeline's start), the step, the verdict, how long. */
export function timelineLine(at: number, s: SubStepResult, detail: string): string {
  return `${`+${at.toFixed(1)}s`.padStart(8)}  ${s.name.padEnd(18)} ${(s.ok ? 'ok' : 'FAILED').padEnd(7)} ${`${s.seconds.toFixed(1)}s`.padStart(7)}  ${detail}`;
}

export function detailOf(s: SubStepResult): string {
  const o = s.outputs;
  if (!s.ok) return s.error ?? '';
  switch (s.name) {
    case 'backup':
      return `${o['backup-id']} (verified ${o.verified})`;
    case 'migrate':
      return `schema ${o['revision-before'] || '(none)'} → ${o['revision-after'] || '(none)'}`;
    case 'deploy':
      // A dry run plans: no release is started.
      if (!o['release-id']) return 'planned (no release started)';
      return `release ${o['release-id']} live${o['previous-version'] ? ` (was ${o['previous-version']})` : ''}`;
    case 'rollback':
      return `restored ${o['restored-version']} (${o['restored-release-id']})${o['migration-revision'] ? `, schema ${o['migration-revision']}` : ''}`;
    case 'migrate plan':
      return `${o['destructive-statements'] ?? 'unknown'} destructive statement(s)`;
    case 'maintenance on':
      return o.address ? `traffic → the maintenance page (${o.address})` : 'planned';
    case 'maintenance off':
      return 'traffic back to the live release';
    default:
      return o.passed ? `passed=${o.passed}` : '';
  }
}

/** The stages for the summary's timeline. */
export const stagesOf = (steps: PipelineStage[]): Stage[] =>
  steps.map(({ at, s }) => ({ name: s.name, at, seconds: s.seconds, ok: s.ok }));

/** The pipeline's outcome: refused (before any change), planned, deployed, paused, rolled back or failed. */
export function pipelineVerdict(o: {
  dry: boolean;
  failed?: SubStepResult;
  rolledBack?: SubStepResult;
  paused: boolean;
  maintenanceLeftOn: boolean;
}): { outcome: string; detail?: string } {
  const page = o.maintenanceLeftOn ? ' The site is still on the maintenance page (runbook maintenance off).' : '';
  if (o.failed?.name === 'pre-deploy-check') return { outcome: 'refused', detail: `${o.failed.error ?? ''}${page}` };
  if (o.failed) {
    const back = o.rolledBack?.ok
      ? ` Rolled back to ${o.rolledBack.outputs['restored-version']} (${o.rolledBack.outputs['restored-release-id']}).`
      : o.rolledBack
        ? ` The rollback failed too: ${o.rolledBack.error}.`
        : '';
    return {
      outcome: o.rolledBack?.ok ? 'rolled back' : 'failed',
      detail: `${o.failed.name} failed: ${o.failed.error ?? ''}.${back}${page}`,
    };
  }
  if (o.dry) return { outcome: 'planned', detail: 'Dry run: every stage printed what it would do; nothing changed.' };
  if (o.paused) return { outcome: 'paused', detail: 'The canary serves its share until promoted (runbook promote).' };
  return { outcome: 'deployed', detail: o.maintenanceLeftOn ? page.trim() : undefined };
}

/** The stage table and each stage's own sections (collapsed under its name). */
export function pipelineSections(steps: PipelineStage[]): string[] {
  const table = buildSummary((doc) => {
    doc.heading('Stages', 3);
    doc.table(
      ['at', 'stage', 'result', 'took', 'detail'],
      steps.map(({ at, s }) => [
        `+${at.toFixed(1)}s`,
        s.name,
        s.ok ? '✅ ok' : '❌ failed',
        `${s.seconds.toFixed(1)}s`,
        detailOf(s),
      ]),
    );
  });
  const stages = steps
    .filter(({ s }) => s.sections.length > 0)
    .map(({ s }) =>
      buildSummary((doc) =>
        doc.section(inline.join([inline.bold(s.name), s.ok ? ' ✅' : ' ❌'], ''), (d) => {
          for (const section of s.sections) d.markdown(section);
        }),
      ),
    );
  return [table, ...stages];
}

/** A plan's PR comment: the verdict, the stage table, and per stage what it printed (the commands, SQL, files). */
export function planComment(o: {
  environment: string;
  version: string;
  verdict: { outcome: string; detail?: string };
  steps: PipelineStage[];
  plans: Map<string, string[]>;
  runUrl?: string;
}): string {
  return buildSummary((doc) => {
    const mark = o.verdict.outcome === 'planned' ? '📝' : '⛔';
    doc.heading(`${mark} Deploy plan for ${o.environment}: ${o.verdict.outcome} (${o.version})`, 3);
    if (o.verdict.detail) doc.paragraph(o.verdict.detail);
    if (o.runUrl) doc.paragraph(inline.join(['Updated by ', inline.link('this run', o.runUrl), ' on every push.'], ''));
    for (const section of pipelineSections(o.steps)) doc.markdown(section);
    for (const [stage, lines] of o.plans)
      if (lines.length > 0) doc.details(`${stage}: what it would run`, lines.join('\n'));
  });
}

/** The incident issue's body (and each later comment): what failed, what runs now, the stages, the run. */
export function incidentText(o: {
  environment: string;
  version: string;
  verdict: { outcome: string; detail?: string };
  steps: PipelineStage[];
  label: string;
  runUrl?: string;
  actor?: string;
}): string {
  return buildSummary((doc) => {
    doc.heading(`Automatic rollback on ${o.environment}: ${o.version}`, 3);
    if (o.verdict.detail) doc.paragraph(o.verdict.detail);
    const who = o.actor ? ` by ${o.actor}` : '';
    if (o.runUrl) doc.paragraph(inline.join([`Deploy started${who}: `, inline.link('the run', o.runUrl)], ''));
    if (o.steps.length > 0) for (const section of pipelineSections(o.steps).slice(0, 1)) doc.markdown(section);
    doc.paragraph(
      `While this issue is open, pre-deploy-check refuses deploys that check the label "${o.label}". Close it once the incident is over.`,
    );
  });
}
