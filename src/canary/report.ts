/**
 * The job summary's parts for progressive deploys, pure, through the one summary builder (../report/summary.ts): a
 * canary's steps as a table and two Mermaid `xychart-beta` charts (error rate and p95 per step, canary as bars, stable
 * as a line), and a blue-green switch as a Mermaid `timeline`. GitHub renders ```mermaid blocks in job summaries.
 *
 * Every text that is not ours (reasons quoting a server, metric names, event texts) is escaped for where it lands:
 * - table cells: the builder's `doc.table` makes each cell inert HTML (`htmlText`: one line, `& < > " '` as entities),
 *   so no tag, row or Markdown of someone else's starts (an HTML block's cells are not read as Markdown);
 * - Mermaid labels (`mermaidText`): every character but letters, digits, space and `.,_+-/()=` as a Mermaid entity
 *   code `#NN;`. Mermaid turns `#\w+;` into a placeholder before parsing (encodeEntities in Diagram.fromText) and into
 *   `&#NN;` in the SVG (decodeEntities), so the parsers never see a quote, colon, `#` (timeline comment), `%%`
 *   (comment) or line end of ours, and the SVG shows the character as text.
 * Mermaid grammar facts (mermaid-js/mermaid, parser/*.jison): xychart numbers are `[+-]?(\d+(\.\d+)?|\.\d+)` (no
 * exponent), labels in `"…"` hold anything but `"`; a timeline line is `{period} : {event} : {event}`, its period
 * `[^#:\n]+` and each event `: ` then text up to the next `: `.
 */
import { mermaidText } from '../report/escape.js';
import type { SummaryDoc } from '../report/summary.js';
import type { CanaryStepRecord, SwitchEvent, VersionSample } from './types.js';

export { mermaidText } from '../report/escape.js';

/** 0.0417 → `4.17%` (two decimals at most). */
const percent = (rate: number): string => `${Number((rate * 100).toFixed(2))}%`;
const millis = (ms: number): string => `${Math.round(ms)} ms`;
/** A number as xychart reads it: plain decimals, never an exponent. */
const chartNumber = (n: number): string => String(Number(n.toFixed(2)));

const served = (s?: VersionSample): s is VersionSample => s !== undefined && s.requests > 0;
const pair = (a: string | undefined, b: string | undefined): string => `${a ?? '–'} / ${b ?? '–'}`;

const VERDICT: Record<NonNullable<CanaryStepRecord['verdict']>, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  paused: '⏸️ paused',
};

function probesCell(p?: VersionSample): string {
  if (!p) return '–';
  const p95 = p.p95Ms === undefined ? '' : `, p95 ${millis(p.p95Ms)}`;
  return `${p.requests} req, ${percent(p.errorRate)} errors${p95}`;
}

function metricsCell(r: CanaryStepRecord): string {
  return (r.metrics ?? [])
    .map((m) => `${m.ok ? '✅' : '❌'} ${m.name} = ${m.value ?? '?'}${m.detail ? ` (${m.detail})` : ''}`)
    .join('; ');
}

function verdictCell(r: CanaryStepRecord): string {
  const head = r.verdict === undefined ? '⏳ running' : VERDICT[r.verdict];
  return r.reasons.length > 0 ? `${head}: ${r.reasons.join('; ')}` : head;
}

/** The smallest of 1, 2, 5 × 10^k at or above `max` (at least `floor`): a y-axis end with room above the data. */
function axisEnd(max: number, floor: number): number {
  const top = Math.max(max, floor);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  for (const f of [1, 2, 5, 10]) if (f * magnitude >= top) return f * magnitude;
  return 10 * magnitude;
}

/** One xychart: x the steps, canary as bars, stable as a line (when every charted step has both). */
function chart(
  title: string,
  axis: string,
  labels: string[],
  canary: number[],
  stable: number[] | undefined,
  floor: number,
): string[] {
  const end = axisEnd(Math.max(...canary, ...(stable ?? [])), floor);
  return [
    'xychart-beta',
    `  title "${mermaidText(title)}"`,
    `  x-axis "${mermaidText('step (canary weight)')}" [${labels.map((l) => `"${mermaidText(l)}"`).join(', ')}]`,
    `  y-axis "${mermaidText(axis)}" 0 --> ${chartNumber(end)}`,
    `  bar [${canary.map(chartNumber).join(', ')}]`,
    ...(stable ? [`  line [${stable.map(chartNumber).join(', ')}]`] : []),
  ];
}

/**
 * The charts of the steps the access log measured (each the lines of one Mermaid diagram): those where both versions
 * served (the comparison), or, when none did (a last step at 100 %, a stable version without traffic), those where
 * the canary served, alone.
 */
export function canaryCharts(steps: readonly CanaryStepRecord[]): string[][] {
  const both = steps.filter((s) => served(s.canary) && served(s.stable));
  const shown = both.length > 0 ? both : steps.filter((s) => served(s.canary));
  if (shown.length === 0) return [];
  const withStable = both.length > 0;
  const labels = shown.map((s) => `${s.step + 1} (${s.weight}%)`);
  const rate = (v?: VersionSample) => (v?.errorRate ?? 0) * 100;
  const p95 = (v?: VersionSample) => v?.p95Ms ?? 0;
  const legend = withStable ? 'bars canary, line stable' : 'canary';
  return [
    chart(
      `Error rate per step, percent (${legend})`,
      'error rate (percent)',
      labels,
      shown.map((s) => rate(s.canary)),
      withStable ? shown.map((s) => rate(s.stable)) : undefined,
      1,
    ),
    chart(
      `p95 latency per step, ms (${legend})`,
      'p95 (ms)',
      labels,
      shown.map((s) => p95(s.canary)),
      withStable ? shown.map((s) => p95(s.stable)) : undefined,
      10,
    ),
  ];
}

/** The canary's table: its header and one row per step (numbered from 1: record.step + 1). */
export function canaryStepsTable(steps: readonly CanaryStepRecord[]): { headers: string[]; rows: string[][] } {
  const withMetrics = steps.some((s) => (s.metrics ?? []).length > 0);
  const headers = [
    'step',
    'weight',
    'samples canary / stable',
    'error rate canary / stable',
    'p95 canary / stable',
    'probes',
    ...(withMetrics ? ['metrics'] : []),
    'verdict',
  ];
  const rows = steps.map((s) => [
    String(s.step + 1),
    `${s.weight}%`,
    pair(s.canary && String(s.canary.requests), s.stable && String(s.stable.requests)),
    pair(s.canary && percent(s.canary.errorRate), s.stable && percent(s.stable.errorRate)),
    pair(
      s.canary?.p95Ms === undefined ? undefined : millis(s.canary.p95Ms),
      s.stable?.p95Ms === undefined ? undefined : millis(s.stable.p95Ms),
    ),
    probesCell(s.probes),
    ...(withMetrics ? [metricsCell(s) || '–'] : []),
    verdictCell(s),
  ]);
  return { headers, rows };
}

/** The canary's steps in the job summary: a heading, the table, then the error-rate and p95 charts. None: nothing. */
export function canarySteps(doc: SummaryDoc, steps: readonly CanaryStepRecord[]): void {
  if (steps.length === 0) return;
  const { headers, rows } = canaryStepsTable(steps);
  doc.heading('Canary steps', 3);
  doc.table(headers, rows);
  for (const lines of canaryCharts(steps)) doc.mermaid(lines);
}

/** Seconds from `from` to `at` as a timeline period (`+4.2 s`), or the escaped `at` when it is not a date. */
function offset(from: number, at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t) || Number.isNaN(from)) return mermaidText(at);
  const seconds = (t - from) / 1000;
  return `${seconds < 0 ? '' : '+'}${seconds.toFixed(1)} s`;
}

/** `2026-12-01T12:00:03.120Z` → `2026-12-01 12:00:03 UTC` (escaped for a Mermaid title), or the text as it is. */
function wallClock(at: string): string {
  const t = Date.parse(at);
  return mermaidText(Number.isNaN(t) ? at : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
}

/**
 * A blue-green switch as the lines of a Mermaid timeline: periods are seconds since the first event (short enough for
 * the period boxes, and free of the `:` a period cannot hold; the start's clock time is in the title), the events of
 * one period (same tenth of a second) side by side, in the order given. Empty for no events.
 */
export function blueGreenTimelineLines(events: readonly SwitchEvent[]): string[] {
  const first = events[0];
  if (!first) return [];
  const start = Date.parse(first.at);
  const periods: { period: string; whats: string[] }[] = [];
  for (const e of events) {
    const period = offset(start, e.at);
    const last = periods.at(-1);
    if (last?.period === period) last.whats.push(mermaidText(e.what));
    else periods.push({ period, whats: [mermaidText(e.what)] });
  }
  return [
    'timeline',
    `  title Blue-green switch from ${wallClock(first.at)}`,
    ...periods.map((p) => `  ${p.period} : ${p.whats.join(' : ')}`),
  ];
}

/** A blue-green switch in the job summary: a heading and its timeline. No events: nothing. */
export function blueGreenTimeline(doc: SummaryDoc, events: readonly SwitchEvent[]): void {
  if (events.length === 0) return;
  doc.heading('Blue-green switch', 3);
  doc.mermaid(blueGreenTimelineLines(events));
}
