import { describe, expect, it } from 'vitest';
import { detailOf, pipelineVerdict, planComment } from '../../../src/actions/pipeline-report.js';
import type { SubStepResult } from '../../../src/actions/sub-step.js';
import { MAX_BODY, markedBody, marker } from '../../../src/github/comments.js';
import { githubContext } from '../../../src/github/context.js';
import { htmlText, safeHref } from '../../../src/report/escape.js';
import { buildSummary, inline, stageTimeline } from '../../../src/report/summary.js';
import { verdictSummary } from '../../../src/report/verdict.js';

const HOSTILE = '<img src=x onerror=alert(1)> | `code` [link](javascript:alert(1)) & "quote"\n::error::owned';

describe('the one summary builder (the summary API of @actions/core, escaped once)', () => {
  it('escapes every text it is given: headings, paragraphs, cells, details, links', () => {
    const md = buildSummary((doc) => {
      doc.heading(HOSTILE, 2);
      doc.paragraph(HOSTILE);
      doc.table(['a', 'b'], [[HOSTILE, inline.code(HOSTILE)]]);
      doc.details(HOSTILE, `${HOSTILE}\nsecond line`);
      doc.paragraph(inline.link(HOSTILE, 'javascript:alert(1)'));
    });
    expect(md).not.toContain('<img');
    expect(md).not.toContain('href="javascript');
    // One line wherever a line end would end the element (a summary file is never read as workflow commands).
    expect(md).toContain('&amp; &quot;quote&quot; ::error::owned</h2>');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; | `code` [link](javascript');
    expect(md).toContain('<pre>&lt;img');
    expect(md).toContain('second line</pre>');
    expect(md).toContain('<th>a</th><th>b</th>');
  });

  it('links only http(s) URLs; a bad one leaves the label', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(buildSummary((d) => d.paragraph(inline.link('run', 'https://github.com/a/b/actions/runs/1')))).toContain(
      '<a href="https://github.com/a/b/actions/runs/1">run</a>',
    );
    expect(htmlText('a"b\'c')).toBe('a&quot;b&#39;c');
  });

  it('no @mention reaches GitHub from a text (a zero-width space after @); a key/value table has no header row', () => {
    const md = buildSummary((doc) => {
      doc.paragraph('status: @acme/everyone');
      doc.table(['', ''], [['owner', '@octocat']]);
    });
    expect(md).toContain('<p>status: @\u200bacme/everyone</p>');
    expect(md).toContain('<table><tr><td>owner</td><td>@\u200boctocat</td></tr></table>');
  });

  it('a Mermaid timeline of stages with inert labels', () => {
    const lines = stageTimeline('Pipeline: #1', [{ name: 'deploy: x', at: 1.25, seconds: 3, ok: false }]);
    expect(lines).toEqual(['timeline', '  title Pipeline#58; #35;1', '  +1.3s : deploy#58; x FAILED (3.0s)']);
  });

  it('builds nested sections without losing what came before', () => {
    const md = buildSummary((doc) => {
      doc.paragraph('before');
      doc.section('inner', (d) => d.paragraph('inside'));
      doc.paragraph('after');
    });
    expect(md.indexOf('before')).toBeLessThan(md.indexOf('inside'));
    expect(md.indexOf('inside')).toBeLessThan(md.indexOf('after'));
    expect(md).toContain('<details><summary>inner</summary>');
  });
});

describe('the verdict comes first', () => {
  const context = githubContext({
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
  });
  it('verdict, version, environment, URL, then the deployment, run and commit links, then the sections', () => {
    const md = verdictSummary(
      {
        title: 'Pipeline',
        outcome: 'rolled back',
        detail: 'smoke-test failed',
        version: 'v3',
        environment: 'production',
        url: 'https://shop.example.com',
        deploymentId: '17',
        stages: [
          { name: 'deploy', at: 0, seconds: 2, ok: true },
          { name: 'smoke-test', at: 2, seconds: 1, ok: false },
        ],
        sections: ['SECTION-ONE'],
      },
      context,
    );
    expect(md.startsWith('<h2>↩️ Pipeline: rolled back — v3 → production</h2>')).toBe(true);
    expect(md).toContain('<a href="https://shop.example.com/">https://shop.example.com</a>');
    expect(md).toContain('<a href="https://github.com/acme/shop/deployments/production">deployment 17</a>');
    expect(md).toContain('<a href="https://github.com/acme/shop/actions/runs/42">run</a>');
    expect(md).toContain(
      '<a href="https://github.com/acme/shop/commit/0123456789abcdef0123456789abcdef01234567">commit 0123456</a>',
    );
    expect(md).toContain('```mermaid\ntimeline');
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('SECTION-ONE'));
  });
});

const stage = (name: string, ok: boolean, outputs: Record<string, string> = {}, error?: string): SubStepResult => ({
  name,
  ok,
  seconds: 1,
  outputs,
  error,
  sections: [],
});

describe('the pipeline verdict', () => {
  it('refused, rolled back, failed, planned, paused, deployed', () => {
    const base = { dry: false, paused: false, maintenanceLeftOn: false };
    expect(pipelineVerdict({ ...base, failed: stage('pre-deploy-check', false, {}, 'disk') }).outcome).toBe('refused');
    const smoke = stage('smoke-test', false, {}, 'HTTP 500');
    const back = stage('rollback', true, { 'restored-version': 'v2', 'restored-release-id': 'r2' });
    expect(pipelineVerdict({ ...base, failed: smoke, rolledBack: back })).toEqual({
      outcome: 'rolled back',
      detail: 'smoke-test failed: HTTP 500. Rolled back to v2 (r2).',
    });
    expect(pipelineVerdict({ ...base, failed: smoke, rolledBack: stage('rollback', false, {}, 'x') }).outcome).toBe(
      'failed',
    );
    expect(pipelineVerdict({ ...base, dry: true }).outcome).toBe('planned');
    expect(pipelineVerdict({ ...base, paused: true }).outcome).toBe('paused');
    expect(pipelineVerdict(base).outcome).toBe('deployed');
    expect(detailOf(stage('deploy', true, { 'release-id': 'r3' }))).toBe('release r3 live');
  });

  it("a plan comment carries each stage's plan lines, escaped", () => {
    const md = planComment({
      environment: 'staging',
      version: 'pr-7',
      verdict: { outcome: 'planned' },
      steps: [{ at: 0, s: stage('deploy', true) }],
      plans: new Map([['deploy', ['docker pull shop:pr-7', 'upstream shop { server 127.0.0.1:8001; }']]]),
    });
    expect(md).toContain('Deploy plan for staging: planned (pr-7)');
    expect(md).toContain('<pre>docker pull shop:pr-7\nupstream shop { server 127.0.0.1:8001; }</pre>');
  });
});

describe('hidden markers and GitHub body limits', () => {
  it('a marker GitHub does not render, keyed by kind and a safe key', () => {
    expect(marker('plan', 'environment=staging')).toBe('<!-- runbook-actions:plan environment=staging -->');
    expect(marker('plan', 'a b-->c')).toBe('<!-- runbook-actions:plan a_b--_c -->');
  });
  it('a body over 65,536 characters is cut, saying so, and starts with its marker', () => {
    const body = markedBody('<!-- m -->', 'x'.repeat(70_000));
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body.startsWith('<!-- m -->\n')).toBe(true);
    expect(body).toMatch(/cut to fit GitHub's 65,536-character limit/);
  });
});
