/**
 * The job summary of progressive deploys, pure, through the one summary builder: a canary's steps as a table and
 * xychart-beta charts, a blue-green switch as a Mermaid timeline; hostile text (a reason quoting a server, an event
 * text) stays one inert HTML table cell or one Mermaid label.
 */
import { describe, expect, it } from 'vitest';
import {
  blueGreenTimeline,
  blueGreenTimelineLines,
  canaryCharts,
  canarySteps,
  canaryStepsTable,
  mermaidText,
} from '../../../src/canary/report.js';
import type { CanaryStepRecord } from '../../../src/canary/types.js';
import { htmlText } from '../../../src/report/escape.js';
import { buildSummary } from '../../../src/report/summary.js';

const steps: CanaryStepRecord[] = [
  {
    step: 0,
    weight: 5,
    startedAt: '2026-12-01T12:00:00.000Z',
    endedAt: '2026-12-01T12:05:00.000Z',
    canary: { requests: 120, errors: 5, errorRate: 5 / 120, p95Ms: 12.4, p99Ms: 20 },
    stable: { requests: 2280, errors: 2, errorRate: 2 / 2280, p95Ms: 10, p99Ms: 11 },
    probes: { requests: 20, errors: 0, errorRate: 0, p95Ms: 8 },
    verdict: 'fail',
    reasons: ['canary error rate 4.17% is above the gate 1%'],
  },
  {
    step: 1,
    weight: 100,
    startedAt: '2026-12-01T12:05:00.000Z',
    reasons: [],
  },
];

/** The canary's steps as the job summary has them. */
const rendered = (s: readonly CanaryStepRecord[]): string => buildSummary((doc) => canarySteps(doc, s));

/** The lines of a markdown text that are the mermaid block starting at `index` (0: the first). */
const mermaidBlock = (md: string, index = 0): string[] => {
  const blocks = md.split('```mermaid\n').slice(1);
  return (blocks[index] ?? '').split('\n```')[0]?.split('\n') ?? [];
};

/** The cells of each body row of the first table, as HTML. */
const bodyRows = (md: string): string[][] =>
  [...md.matchAll(/<tr>((?:<td>.*?<\/td>)+)<\/tr>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1] ?? ''),
  );

describe('canary steps', () => {
  it('a table row per step, then the error-rate and p95 charts of the steps both versions served', () => {
    expect(canaryStepsTable(steps)).toEqual({
      headers: [
        'step',
        'weight',
        'samples canary / stable',
        'error rate canary / stable',
        'p95 canary / stable',
        'probes',
        'verdict',
      ],
      rows: [
        [
          '1',
          '5%',
          '120 / 2280',
          '4.17% / 0.09%',
          '12 ms / 10 ms',
          '20 req, 0% errors, p95 8 ms',
          '❌ fail: canary error rate 4.17% is above the gate 1%',
        ],
        ['2', '100%', '– / –', '– / –', '– / –', '–', '⏳ running'],
      ],
    });
    expect(canaryCharts(steps)).toEqual([
      [
        'xychart-beta',
        '  title "Error rate per step, percent (bars canary, line stable)"',
        '  x-axis "step (canary weight)" ["1 (5#37;)"]',
        '  y-axis "error rate (percent)" 0 --> 5',
        '  bar [4.17]',
        '  line [0.09]',
      ],
      [
        'xychart-beta',
        '  title "p95 latency per step, ms (bars canary, line stable)"',
        '  x-axis "step (canary weight)" ["1 (5#37;)"]',
        '  y-axis "p95 (ms)" 0 --> 20',
        '  bar [12.4]',
        '  line [10]',
      ],
    ]);
    const md = rendered(steps);
    expect(md.startsWith('<h3>Canary steps</h3>')).toBe(true);
    expect(md).toContain(
      '<tr><th>step</th><th>weight</th><th>samples canary / stable</th><th>error rate canary / stable</th><th>p95 canary / stable</th><th>probes</th><th>verdict</th></tr>',
    );
    expect(md).toContain(
      '<tr><td>1</td><td>5%</td><td>120 / 2280</td><td>4.17% / 0.09%</td><td>12 ms / 10 ms</td><td>20 req, 0% errors, p95 8 ms</td><td>❌ fail: canary error rate 4.17% is above the gate 1%</td></tr>',
    );
    expect(md).toContain(
      '<tr><td>2</td><td>100%</td><td>– / –</td><td>– / –</td><td>– / –</td><td>–</td><td>⏳ running</td></tr>',
    );
    expect(mermaidBlock(md, 0)).toEqual(canaryCharts(steps)[0]);
    expect(mermaidBlock(md, 1)).toEqual(canaryCharts(steps)[1]);
    expect(md.indexOf('</table>')).toBeLessThan(md.indexOf('```mermaid'));
  });

  it('no steps: nothing', () => {
    expect(rendered([])).toBe('');
  });

  it('the stable version without traffic anywhere (a last step at 100%): the canary charted alone', () => {
    const md = rendered([
      { step: 4, weight: 100, startedAt: '', canary: { requests: 50, errors: 0, errorRate: 0, p95Ms: 3 }, reasons: [] },
    ]);
    expect(mermaidBlock(md, 0)).toEqual([
      'xychart-beta',
      '  title "Error rate per step, percent (canary)"',
      '  x-axis "step (canary weight)" ["5 (100#37;)"]',
      '  y-axis "error rate (percent)" 0 --> 1',
      '  bar [0]',
    ]);
    expect(mermaidBlock(md, 1)).toContain('  bar [3]');
  });

  it('a step without canary traffic is in the table, not in the charts', () => {
    const md = rendered([
      { step: 0, weight: 0, startedAt: '', stable: { requests: 9, errors: 0, errorRate: 0 }, reasons: [] },
    ]);
    expect(md).toContain('<td>1</td><td>0%</td><td>– / 9</td>');
    expect(md).not.toContain('```mermaid');
  });

  it('metrics get their own column when a step has some; paused and inconclusive verdicts are named', () => {
    const { headers, rows } = canaryStepsTable([
      {
        step: 0,
        weight: 10,
        startedAt: '',
        metrics: [{ name: 'cpu', value: 0.5, ok: true, detail: '' }],
        verdict: 'paused',
        reasons: [],
      },
      { step: 1, weight: 50, startedAt: '', verdict: 'inconclusive', reasons: ['3 canary requests, 50 needed'] },
    ]);
    expect(headers).toEqual([
      'step',
      'weight',
      'samples canary / stable',
      'error rate canary / stable',
      'p95 canary / stable',
      'probes',
      'metrics',
      'verdict',
    ]);
    expect(rows[0]?.slice(-2)).toEqual(['✅ cpu = 0.5', '⏸️ paused']);
    expect(rows[1]?.slice(-2)).toEqual(['–', '⚠️ inconclusive: 3 canary requests, 50 needed']);
  });

  it('a hostile reason or metric stays in its cell: no tag, row, line, code span or workflow command of its own', () => {
    const reason =
      'body was "</td><script>alert(1)</script>" | `rm -rf` [x](http://evil) **b**\nnext\r\n::error::line & more';
    const md = rendered([
      {
        step: 0,
        weight: 5,
        startedAt: '',
        metrics: [{ name: '<b>cpu</b>|', value: 1, ok: false, detail: '`x`\n::warning::y' }],
        verdict: 'fail',
        reasons: [reason],
      },
    ]);
    const rows = bodyRows(md);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(8);
    expect(rows[0]?.[6]).toBe('❌ &lt;b&gt;cpu&lt;/b&gt;| = 1 (`x` ::warning::y)');
    expect(rows[0]?.[7]).toBe(
      '❌ fail: body was &quot;&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot; | `rm -rf` [x](http://evil) **b** next ::error::line &amp; more',
    );
    expect(md).not.toContain('<script');
    expect(md).not.toMatch(/^::/m);
    // The table is one HTML block: no line end inside it, so no Markdown of the text's own starts.
    expect(md).toMatch(/<table>[^\n]*<\/table>/);
  });
});

describe('blue-green switch', () => {
  it('periods are seconds since the first event, events of one tenth of a second side by side', () => {
    const events = [
      { at: '2026-12-01T12:00:03.120Z', what: 'green started (2 replicas)' },
      { at: '2026-12-01T12:00:07.300Z', what: 'green healthy' },
      { at: '2026-12-01T12:00:07.340Z', what: 'upstream switched to green' },
      { at: '2026-12-01T12:00:08.000Z', what: 'verify: 5/5 ok' },
    ];
    expect(blueGreenTimelineLines(events)).toEqual([
      'timeline',
      '  title Blue-green switch from 2026-12-01 12#58;00#58;03 UTC',
      '  +0.0 s : green started (2 replicas)',
      '  +4.2 s : green healthy : upstream switched to green',
      '  +4.9 s : verify#58; 5/5 ok',
    ]);
    const md = buildSummary((doc) => blueGreenTimeline(doc, events));
    expect(md.startsWith('<h3>Blue-green switch</h3>')).toBe(true);
    expect(mermaidBlock(md)).toEqual(blueGreenTimelineLines(events));
  });

  it('no events: nothing; a time that is not a date is shown as given', () => {
    expect(blueGreenTimelineLines([])).toEqual([]);
    expect(buildSummary((doc) => blueGreenTimeline(doc, []))).toBe('');
    expect(blueGreenTimelineLines([{ at: 'soon', what: 'x' }])).toEqual([
      'timeline',
      '  title Blue-green switch from soon',
      '  soon : x',
    ]);
  });

  it('a hostile event text is one label: no new event, period, comment, section or line', () => {
    const what = 'a : b\n  section evil : c %% comment # also "quoted" `tick` <b>&amp;</b> ✓ ::error::x';
    const lines = mermaidBlock(buildSummary((doc) => blueGreenTimeline(doc, [{ at: '2026-12-01T12:00:00Z', what }])));
    expect(lines).toHaveLength(3);
    const event = lines[2] ?? '';
    expect(event.startsWith('  +0.0 s : ')).toBe(true);
    const label = event.slice('  +0.0 s : '.length);
    expect(label).toBe(mermaidText(what));
    expect(label).not.toMatch(/[:"`<>&%\n]/);
    expect(label.replace(/#\d+;/g, '')).not.toContain('#');
  });
});

describe('the escapers', () => {
  it('htmlText: one line, every HTML special character an entity', () => {
    expect(htmlText('a|b\n<i>x</i> & "q" \'s\'')).toBe('a|b &lt;i&gt;x&lt;/i&gt; &amp; &quot;q&quot; &#39;s&#39;');
  });

  it('mermaidText: plain characters kept, every other one an entity code (decoded by Mermaid to the character)', () => {
    expect(mermaidText('v1.2-rc (x_y) a/b+c=d, e')).toBe('v1.2-rc (x_y) a/b+c=d, e');
    expect(mermaidText('"q" #1: 50%; ✓\n')).toBe('#34;q#34; #35;1#58; 50#37;#59; #10003;');
    expect(mermaidText('\n')).toBe('-');
  });
});
