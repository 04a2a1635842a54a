/**
 * The job summary of progressive deploys, pure: a canary's steps as a table and xychart-beta charts, a blue-green
 * switch as a Mermaid timeline; hostile text (a reason quoting a server, an event text) stays one inert table cell or
 * one Mermaid label.
 */
import { describe, expect, it } from 'vitest';
import {
  blueGreenTimelineMarkdown,
  canaryStepsMarkdown,
  markdownCell,
  mermaidText,
} from '../../../src/canary/report.js';
import type { CanaryStepRecord } from '../../../src/canary/types.js';

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

/** The lines of a markdown text that are the mermaid block starting at `index` (0: the first). */
const mermaidBlock = (md: string, index = 0): string[] => {
  const blocks = md.split('```mermaid\n').slice(1);
  return (blocks[index] ?? '').split('\n```')[0]?.split('\n') ?? [];
};

describe('canaryStepsMarkdown', () => {
  it('a table row per step, then the error-rate and p95 charts of the steps both versions served', () => {
    expect(canaryStepsMarkdown(steps)).toBe(
      [
        '| step | weight | samples canary / stable | error rate canary / stable | p95 canary / stable | probes | verdict |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| 1 | 5% | 120 / 2280 | 4.17% / 0.09% | 12 ms / 10 ms | 20 req, 0% errors, p95 8 ms | ❌ fail: canary error rate 4.17% is above the gate 1% |',
        '| 2 | 100% | – / – | – / – | – / – | – | ⏳ running |',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "Error rate per step, percent (bars canary, line stable)"',
        '  x-axis "step (canary weight)" ["1 (5#37;)"]',
        '  y-axis "error rate (percent)" 0 --> 5',
        '  bar [4.17]',
        '  line [0.09]',
        '```',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "p95 latency per step, ms (bars canary, line stable)"',
        '  x-axis "step (canary weight)" ["1 (5#37;)"]',
        '  y-axis "p95 (ms)" 0 --> 20',
        '  bar [12.4]',
        '  line [10]',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('no steps: nothing', () => {
    expect(canaryStepsMarkdown([])).toBe('');
  });

  it('the stable version without traffic anywhere (a last step at 100%): the canary charted alone', () => {
    const md = canaryStepsMarkdown([
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
    const md = canaryStepsMarkdown([
      { step: 0, weight: 0, startedAt: '', stable: { requests: 9, errors: 0, errorRate: 0 }, reasons: [] },
    ]);
    expect(md).toContain('| 1 | 0% | – / 9 |');
    expect(md).not.toContain('```mermaid');
  });

  it('metrics get their own column when a step has some; paused and inconclusive verdicts are named', () => {
    const md = canaryStepsMarkdown([
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
    expect(md.split('\n')[0]).toBe(
      '| step | weight | samples canary / stable | error rate canary / stable | p95 canary / stable | probes | metrics | verdict |',
    );
    expect(md).toContain('| ✅ cpu = 0.5 | ⏸️ paused |');
    expect(md).toContain('| – | ⚠️ inconclusive: 3 canary requests, 50 needed |');
  });

  it('a hostile reason stays in its cell: no pipe splits the row, no HTML, code span, link or line break', () => {
    const reason = 'body was "</td><script>alert(1)</script>" | `rm -rf` [x](http://evil) **b**\nnext\r\nline';
    const md = canaryStepsMarkdown([{ step: 0, weight: 5, startedAt: '', verdict: 'fail', reasons: [reason] }]);
    const row = md.split('\n')[2] ?? '';
    expect(md.split('\n')[3]).toBe('');
    expect(row).toBe(
      '| 1 | 5% | – / – | – / – | – / – | – | ❌ fail: body was "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" \\| \\`rm -rf\\` \\[x\\](http://evil) \\*\\*b\\*\\* next line |',
    );
    // Eight unescaped pipes, around and between the cells: the row keeps its seven cells.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
  });
});

describe('blueGreenTimelineMarkdown', () => {
  it('periods are seconds since the first event, events of one tenth of a second side by side', () => {
    expect(
      blueGreenTimelineMarkdown([
        { at: '2026-12-01T12:00:03.120Z', what: 'green started (2 replicas)' },
        { at: '2026-12-01T12:00:07.300Z', what: 'green healthy' },
        { at: '2026-12-01T12:00:07.340Z', what: 'upstream switched to green' },
        { at: '2026-12-01T12:00:08.000Z', what: 'verify: 5/5 ok' },
      ]),
    ).toBe(
      [
        '```mermaid',
        'timeline',
        '  title Blue-green switch from 2026-12-01 12#58;00#58;03 UTC',
        '  +0.0 s : green started (2 replicas)',
        '  +4.2 s : green healthy : upstream switched to green',
        '  +4.9 s : verify#58; 5/5 ok',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('no events: nothing; a time that is not a date is shown as given', () => {
    expect(blueGreenTimelineMarkdown([])).toBe('');
    expect(mermaidBlock(blueGreenTimelineMarkdown([{ at: 'soon', what: 'x' }]))).toEqual([
      'timeline',
      '  title Blue-green switch from soon',
      '  soon : x',
    ]);
  });

  it('a hostile event text is one label: no new event, period, comment, section or line', () => {
    const what = 'a : b\n  section evil : c %% comment # also "quoted" `tick` <b>&amp;</b> ✓';
    const lines = mermaidBlock(blueGreenTimelineMarkdown([{ at: '2026-12-01T12:00:00Z', what }]));
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
  it('markdownCell: one line, GFM and HTML inert', () => {
    expect(markdownCell('a|b\\c\n<i>_x_</i> ~y~ & `z`')).toBe(
      'a\\|b\\\\c &lt;i&gt;\\_x\\_&lt;/i&gt; \\~y\\~ &amp; \\`z\\`',
    );
  });

  it('mermaidText: plain characters kept, every other one an entity code (decoded by Mermaid to the character)', () => {
    expect(mermaidText('v1.2-rc (x_y) a/b+c=d, e')).toBe('v1.2-rc (x_y) a/b+c=d, e');
    expect(mermaidText('"q" #1: 50%; ✓\n')).toBe('#34;q#34; #35;1#58; 50#37;#59; #10003;');
    expect(mermaidText('\n')).toBe('-');
  });
});
