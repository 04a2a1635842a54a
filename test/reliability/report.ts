/**
 * The reliability report: what the matrix tried and how it ended, as JSON (reports/reliability.json) and a Markdown
 * table (docs/reliability.md, linked from the README). Written only when RELIABILITY_REPORT is set
 * (`npm run test:reliability`), so an ordinary test run never rewrites a committed file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadInput } from './bad-inputs.js';

const ROOT = join(import.meta.dirname, '../..');
const JSON_PATH = join(ROOT, 'reports/reliability.json');
const MD_PATH = join(ROOT, 'docs/reliability.md');

interface InputOutcome {
  row: BadInput;
  message: string;
  commands: number;
  connections: number;
  ok: boolean;
}

interface Report {
  inputs?: {
    tried: number;
    refusedCleanly: number;
    commandsRun: number;
    connections: number;
    byPromise: Record<string, number>;
  };
  faults?: unknown;
}

function read(): Report {
  try {
    return JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Report;
  } catch {
    return {};
  }
}

function write(report: Report): void {
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(JSON_PATH, `${JSON.stringify(report, null, 2)}\n`);
  const i = report.inputs;
  const lines = [
    '# Reliability report',
    '',
    'Written by `npm run test:reliability` (test/reliability/): the promises of the reliability matrix, tried.',
    '',
    '## Bad inputs',
    '',
    '| inputs tried | refused with one clear line | commands run | connections opened |',
    '| ---: | ---: | ---: | ---: |',
    i ? `| ${i.tried} | ${i.refusedCleanly} | ${i.commandsRun} | ${i.connections} |` : '| – | – | – | – |',
    '',
    '| promise | rows |',
    '| --- | ---: |',
    ...Object.entries(i?.byPromise ?? {}).map(([p, n]) => `| ${p} | ${n} |`),
    '',
  ];
  writeFileSync(MD_PATH, `${lines.join('\n')}`);
}

/** Record the bad-input outcomes (when RELIABILITY_REPORT is set). */
export function recordInputs(outcomes: readonly InputOutcome[]): void {
  if (!process.env.RELIABILITY_REPORT) return;
  const byPromise: Record<string, number> = {};
  for (const o of outcomes) byPromise[String(o.row.promise)] = (byPromise[String(o.row.promise)] ?? 0) + 1;
  write({
    ...read(),
    inputs: {
      tried: outcomes.length,
      refusedCleanly: outcomes.filter((o) => o.ok).length,
      commandsRun: outcomes.reduce((n, o) => n + o.commands, 0),
      connections: outcomes.reduce((n, o) => n + o.connections, 0),
      byPromise,
    },
  });
}
