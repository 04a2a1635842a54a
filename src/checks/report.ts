import type { CheckResult, CheckStatus } from './types.js';

export type FailOn = 'error' | 'warning';

export interface Report {
  environment: string;
  passed: boolean;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
}

export function buildReport(environment: string, checks: CheckResult[], failOn: FailOn): Report {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  const passed = counts.fail === 0 && (failOn === 'error' || counts.warn === 0);
  return { environment, passed, counts, checks };
}

const ICON: Record<CheckStatus, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' };

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The job summary: a verdict line and one table row per check. */
export function reportMarkdown(r: Report, title: string): string {
  const verdict = r.passed ? 'passed' : 'failed';
  const rows = r.checks.map((c) => `| ${cell(c.target)} | ${cell(c.check)} | ${ICON[c.status]} | ${cell(c.detail)} |`);
  return [
    `### ${title}: ${verdict} (${r.environment})`,
    '',
    `${r.counts.pass} passed, ${r.counts.warn} warnings, ${r.counts.fail} failed`,
    '',
    '| target | check | status | details |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Readable lines for the log (and the terminal). */
export function reportLines(r: Report): string[] {
  const width = Math.max(6, ...r.checks.map((c) => `${c.target} ${c.check}`.length));
  return r.checks.map(
    (c) => `${c.status.toUpperCase().padEnd(4)}  ${`${c.target} ${c.check}`.padEnd(width)}  ${c.detail}`,
  );
}
