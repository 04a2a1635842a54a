import { buildSummary } from '../report/summary.js';
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

/**
 * The job summary's section: the counts and one table row per check (the verdict, version and environment are the
 * header's, ../report/verdict.ts). Every text is escaped by the one summary builder.
 */
export function reportSummary(r: Report): string {
  return buildSummary((doc) => {
    doc.heading('Checks', 3);
    doc.paragraph(`${r.counts.pass} passed, ${r.counts.warn} warnings, ${r.counts.fail} failed`);
    doc.table(
      ['target', 'check', 'status', 'details'],
      r.checks.map((c) => [c.target, c.check, ICON[c.status], c.detail]),
    );
  });
}

/** Readable lines for the log (and the terminal). */
export function reportLines(r: Report): string[] {
  const width = Math.max(6, ...r.checks.map((c) => `${c.target} ${c.check}`.length));
  return r.checks.map(
    (c) => `${c.status.toUpperCase().padEnd(4)}  ${`${c.target} ${c.check}`.padEnd(width)}  ${c.detail}`,
  );
}
