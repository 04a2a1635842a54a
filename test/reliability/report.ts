/**
 * The reliability report: what the matrix tried and how it ended, as JSON (reports/reliability.json) and a Markdown
 * table (docs/reliability.md, linked from the README). Written only when RELIABILITY_REPORT is set
 * (`npm run test:reliability`), so an ordinary test run never rewrites a committed file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadInput } from './bad-inputs.js';
import type { FaultOutcome } from './faults/fault.js';

const ROOT = join(import.meta.dirname, '../..');
const JSON_PATH = join(ROOT, 'reports/reliability.json');
const PARTS = join(ROOT, 'reports/reliability');
const MD_PATH = join(ROOT, 'docs/reliability.md');

interface InputOutcome {
  row: BadInput;
  message: string;
  commands: number;
  connections: number;
  ok: boolean;
}

/** A fault's outcome as the report keeps it: which suite, promise and fault it was. */
type FaultRow = FaultOutcome & { suite: string; promise: number; name: string };

interface Report {
  inputs?: {
    tried: number;
    refusedCleanly: number;
    commandsRun: number;
    connections: number;
    byPromise: Record<string, number>;
  };
  /** Fault rows by suite (each fault file records its own; a later run of one file replaces its rows). */
  faults?: Record<string, FaultRow[]>;
}

/** The fragments recorded so far (one file per part: the inputs, each fault suite), merged. */
function read(): Report {
  const report: Report = { faults: {} };
  let names: string[] = [];
  try {
    names = readdirSync(PARTS).filter((n) => n.endsWith('.json'));
  } catch {
    return report;
  }
  for (const name of names) {
    const part = JSON.parse(readFileSync(join(PARTS, name), 'utf8')) as Report;
    if (part.inputs) report.inputs = part.inputs;
    Object.assign(report.faults ?? {}, part.faults ?? {});
  }
  return report;
}

/** Write one part (parts run in parallel test files: each has its own file), then the merged report. */
function writePart(name: string, part: Report): void {
  mkdirSync(PARTS, { recursive: true });
  writeFileSync(join(PARTS, `${name}.json`), `${JSON.stringify(part, null, 2)}\n`);
  write(read());
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
    ...faultLines(Object.values(report.faults ?? {}).flat()),
  ];
  writeFileSync(MD_PATH, `${lines.join('\n')}`);
}

function faultLines(rows: readonly FaultRow[]): string[] {
  if (rows.length === 0) return [];
  const sum = (f: (r: FaultRow) => number | undefined) => rows.reduce((n, r) => n + (f(r) ?? 0), 0);
  const cell = (t: string) => t.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    '## Faults against the real sandbox',
    '',
    '| faults injected | survived | requests through the proxy | requests failed | rows lost | secrets found in any sink |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${rows.length} | ${rows.filter((r) => r.survived).length} | ${sum((r) => r.requests)} | ${sum((r) => r.requestsFailed)} | ${sum((r) => r.rowsLost)} | ${sum((r) => r.secretsFound)} |`,
    '',
    '| promise | fault | survived | what happened |',
    '| ---: | --- | --- | --- |',
    ...[...rows]
      .sort((a, b) => a.promise - b.promise)
      .map((r) => `| ${r.promise} | ${cell(r.name)} | ${r.survived ? 'yes' : '**no**'} | ${cell(r.detail)} |`),
    '',
  ];
}

/** Record one fault suite's outcomes (when RELIABILITY_REPORT is set). */
export function recordFaults(
  suite: string,
  outcomes: ReadonlyArray<{
    fault: { promise: number; name: string };
    outcome: FaultOutcome;
  }>,
): void {
  if (!process.env.RELIABILITY_REPORT) return;
  const rows = outcomes.map(({ fault, outcome }) => ({ suite, promise: fault.promise, name: fault.name, ...outcome }));
  writePart(`faults-${suite.replace(/[^a-z0-9]+/gi, '-')}`, { faults: { [suite]: rows } });
}

/** Record the bad-input outcomes (when RELIABILITY_REPORT is set). */
export function recordInputs(outcomes: readonly InputOutcome[]): void {
  if (!process.env.RELIABILITY_REPORT) return;
  const byPromise: Record<string, number> = {};
  for (const o of outcomes) byPromise[String(o.row.promise)] = (byPromise[String(o.row.promise)] ?? 0) + 1;
  writePart('inputs', {
    inputs: {
      tried: outcomes.length,
      refusedCleanly: outcomes.filter((o) => o.ok).length,
      commandsRun: outcomes.reduce((n, o) => n + o.commands, 0),
      connections: outcomes.reduce((n, o) => n + o.connections, 0),
      byPromise,
    },
  });
}
