/**
 * Every step's job summary section, built with the one summary builder (src/report/summary.ts): each names its table
 * (the verdict is the header's), keeps its facts, and lands text that is not ours — a server's answer, a check's
 * detail, a version, a SQL statement — escaped: no tag, no row, no line end, no workflow command of its own.
 */
import { describe, expect, it } from 'vitest';
import { backupSummary } from '../../../src/actions/backup.js';
import { deploySummary } from '../../../src/actions/deploy-report.js';
import { maintenanceSummary } from '../../../src/actions/maintenance.js';
import { migrationPlanSummary } from '../../../src/actions/migrate.js';
import type { BackupMeta } from '../../../src/backup/meta.js';
import { buildReport, reportSummary } from '../../../src/checks/report.js';
import type { Release } from '../../../src/deploy/journal.js';
import { htmlText } from '../../../src/report/escape.js';
import { rollbackSummary } from '../../../src/rollback/report.js';
import { smokeSummary } from '../../../src/smoke/suite.js';

/** A server's answer as hostile as it gets: a tag, a pipe, backticks, Markdown, a line end, a workflow command. */
const HOSTILE = '<script>alert(1)</script> | `rm -rf` **b** [x](javascript:alert(1)) & "q"\n::error::owned';
/** The same text as it must land: one line, HTML-escaped, nothing else touched. */
const INERT = htmlText(HOSTILE);

/** The summary holds the hostile text only in its inert form. */
function expectInert(md: string): void {
  expect(INERT).toBe(
    '&lt;script&gt;alert(1)&lt;/script&gt; | `rm -rf` **b** [x](javascript:alert(1)) &amp; &quot;q&quot; ::error::owned',
  );
  expect(md).toContain(INERT);
  expect(md).not.toContain('<script');
  expect(md).not.toContain('"q"');
  // No line of the summary starts a workflow command or a Markdown table row of the text's own.
  expect(md).not.toMatch(/^::/m);
  expect(md).not.toMatch(/^\|/m);
  // Tables are one line each (an HTML block): a line end inside would end the block and start Markdown.
  for (const table of md.match(/<table>[\s\S]*?<\/table>/g) ?? []) expect(table).not.toContain('\n');
}

const release = (over: Partial<Release> = {}): Release => ({
  id: '20261201T120000Z-v2',
  version: 'v2',
  status: 'live',
  strategy: 'rolling',
  driver: 'engine',
  services: {
    web: {
      image: 'shop:v2',
      imageId: 'sha256:0123456789abcdef0123456789',
      replicas: [{ target: 'web1', id: 'c1', name: 'shop-web-v2-1', port: 8001 }],
    },
  },
  startedAt: '2026-12-01T12:00:00Z',
  ...over,
});

describe('pre-deploy-check: the checks table', () => {
  it('counts, then a row per check with its status', () => {
    const report = buildReport(
      'sandbox',
      [
        { target: 'web1', check: 'reachable', status: 'pass', detail: 'deploy@web1:22, host key pinned' },
        { target: 'web1', check: 'disk /', status: 'fail', detail: '2% free (min 10%)' },
        { target: '*', check: 'secret DB_PASSWORD', status: 'warn', detail: 'not set' },
      ],
      'error',
    );
    const md = reportSummary(report);
    expect(md.startsWith('<h3>Checks</h3>')).toBe(true);
    expect(md).toContain('<p>1 passed, 1 warnings, 1 failed</p>');
    expect(md).toContain('<tr><th>target</th><th>check</th><th>status</th><th>details</th></tr>');
    expect(md).toContain(
      '<td>web1</td><td>reachable</td><td>✅ pass</td><td>deploy@\u200bweb1:22, host key pinned</td>',
    );
    expect(md).toContain('<td>web1</td><td>disk /</td><td>❌ fail</td><td>2% free (min 10%)</td>');
    expect(md).toContain('<td>*</td><td>secret DB_PASSWORD</td><td>⚠️ warn</td><td>not set</td>');
  });

  it("a check's detail quoting a server lands escaped", () => {
    const report = buildReport(
      'sandbox',
      [{ target: 'web1', check: 'docker', status: 'fail', detail: HOSTILE }],
      'error',
    );
    const md = reportSummary(report);
    expectInert(md);
    expect(md).toContain(`<td>web1</td><td>docker</td><td>❌ fail</td><td>${INERT}</td>`);
  });
});

describe('deploy: the release table', () => {
  it('the release and the one before, env values, a row per replica', () => {
    const md = deploySummary(
      'shop',
      'production',
      release({
        env: { web: { FEATURE_X: 'false' } },
        envChanges: [{ service: 'web', name: 'FEATURE_X', from: 'true', to: 'false' }],
      }),
      release({ id: 'r1', version: 'v1' }),
    );
    expect(md.startsWith('<h3>Release</h3>')).toBe(true);
    expect(md).toContain(
      '<p>shop/production: v2 is live. Release <code>20261201T120000Z-v2</code> (rolling); previous: <code>r1</code> (v1)</p>',
    );
    expect(md).toContain('<p>Env changes: <code>web.FEATURE_X: true → false</code></p>');
    expect(md).toContain('Env values in force (the env input; until env-reset): <code>web.FEATURE_X=false</code>');
    expect(md).toContain('<tr><th>service</th><th>target</th><th>container</th><th>port</th><th>image</th></tr>');
    expect(md).toContain(
      '<tr><td>web</td><td>web1</td><td>shop-web-v2-1</td><td>8001</td><td><code>sha256:0123456789ab</code></td></tr>',
    );
  });

  it('a canary holding its share says so, with its steps; a blue-green switch has its timeline', () => {
    const canary = release({
      status: 'canary',
      canary: {
        state: 'paused',
        step: 0,
        weight: 20,
        service: 'web',
        steps: [{ step: 0, weight: 20, startedAt: '', verdict: 'paused', reasons: [] }],
        upstreamBefore: {},
        stable: {},
      },
    });
    const md = deploySummary('shop', 'production', canary);
    expect(md).toContain('shop/production: canary v2 holds 20% until promoted.');
    expect(md).toContain('previous: none');
    expect(md).toContain('<h3>Canary steps</h3>');
    expect(md).toContain('<td>⏸️ paused</td>');
    const bg = deploySummary('shop', 'production', release(), undefined, {
      timeline: [{ at: '2026-12-01T12:00:00Z', what: 'green healthy' }],
    });
    expect(bg).toContain('<h3>Blue-green switch</h3>');
    expect(bg).toMatch(/```mermaid\ntimeline\n/);
  });

  it('a version, container name and env value that are not ours land escaped', () => {
    const md = deploySummary(
      'shop',
      'production',
      release({
        version: HOSTILE,
        env: { web: { NOTE: HOSTILE } },
        services: { web: { image: 'x', imageId: 'sha256:1', replicas: [{ target: 'web1', id: 'c', name: HOSTILE }] } },
        canary: {
          state: 'aborted',
          step: 0,
          weight: 5,
          service: 'web',
          steps: [{ step: 0, weight: 5, startedAt: '', verdict: 'fail', reasons: [HOSTILE] }],
          upstreamBefore: {},
          stable: {},
        },
      }),
      undefined,
      { timeline: [{ at: '2026-12-01T12:00:00Z', what: HOSTILE }] },
    );
    expectInert(md);
    expect(md).toContain(`<td>web1</td><td>${INERT}</td>`);
    expect(md).toContain(`<code>web.NOTE=${INERT}</code>`);
    // The timeline's label is a Mermaid one: no colon, quote or line of its own.
    const timeline = md.split('```mermaid\n')[1]?.split('\n```')[0] ?? '';
    expect(timeline.split('\n')).toHaveLength(3);
    expect(timeline.split('\n')[2]).not.toMatch(/[<>"`]|: .*:/);
  });
});

describe('smoke-test: the checks table', () => {
  const verdict = {
    passed: false,
    checks: [
      { name: 'ready', url: '/health', passed: true, status: 200, latencyMs: 12.4, problems: [] },
      { name: 'login', url: '/login', passed: false, latencyMs: 3000, problems: ['timed out', 'no body'] },
    ],
    sample: {
      requests: 40,
      failed: 2,
      timedOut: 0,
      errorRate: 0.05,
      p50: 10,
      p95: 31.6,
      p99: 40,
      passed: false,
      problems: ['error rate 5% above 0%'],
    },
    problems: ['login: timed out; no body'],
  } as Parameters<typeof smokeSummary>[0];

  it('how many passed, a row per check, the sample', () => {
    const md = smokeSummary(verdict);
    expect(md.startsWith('<h3>Smoke checks</h3>')).toBe(true);
    expect(md).toContain('<p>1 of 2 checks passed</p>');
    expect(md).toContain('<tr><th>check</th><th>status</th><th>latency</th><th>result</th></tr>');
    expect(md).toContain('<tr><td>ready</td><td>200</td><td>12 ms</td><td>✅</td></tr>');
    expect(md).toContain('<tr><td>login</td><td>-</td><td>3000 ms</td><td>❌ timed out; no body</td></tr>');
    expect(md).toContain('<p>Sample: 40 requests, 2 failed, p95 32 ms ❌ error rate 5% above 0%</p>');
    expect(smokeSummary(verdict, 'Smoke checks of the restored release')).toMatch(
      /^<h3>Smoke checks of the restored release<\/h3>/,
    );
  });

  it("a check's name and a server's body land escaped", () => {
    const md = smokeSummary({
      passed: false,
      checks: [{ name: HOSTILE, url: '/', passed: false, status: 500, latencyMs: 1, problems: [`body ${HOSTILE}`] }],
      problems: [],
    });
    expectInert(md);
    expect(md).toContain(`<tr><td>${INERT}</td><td>500</td><td>1 ms</td><td>❌ body ${INERT}</td></tr>`);
  });
});

describe('rollback: the restored release', () => {
  it('what was restored and what it replaced, the scope, the schema and the safety backup', () => {
    const md = rollbackSummary('shop', 'production', {
      to: release({ id: 'r1', version: 'v1' }),
      from: release(),
      scope: ['app', 'schema'],
      revision: '',
      safety: 'shop-20261201',
    });
    expect(md.startsWith('<h3>Restored release</h3>')).toBe(true);
    expect(md).toContain('<tr><td>app</td><td>shop/production</td></tr>');
    expect(md).toContain('<tr><td>restored</td><td>v1 (<code>r1</code>)</td></tr>');
    expect(md).toContain('<tr><td>rolled back</td><td>v2 (<code>20261201T120000Z-v2</code>)</td></tr>');
    expect(md).toContain('<tr><td>scope</td><td>app, schema</td></tr>');
    expect(md).toContain('<tr><td>schema revision</td><td>(none)</td></tr>');
    expect(md).toContain('<tr><td>safety backup</td><td><code>shop-20261201</code></td></tr>');
    const already = rollbackSummary('shop', 'production', { to: release(), scope: ['app'] });
    expect(already).toContain('<td>— (the restored release was already live)</td>');
    expect(already).not.toContain('schema revision');
  });

  it('a version and a revision that are not ours land escaped', () => {
    const md = rollbackSummary('shop', 'production', {
      to: release({ version: HOSTILE }),
      scope: ['app'],
      revision: HOSTILE,
    });
    expectInert(md);
    expect(md).toContain(`<tr><td>schema revision</td><td>${INERT}</td></tr>`);
  });
});

describe('backup: the backup table', () => {
  const meta = (over: Partial<BackupMeta> = {}): BackupMeta => ({
    version: 1,
    id: 'shop-20261201T120000Z',
    app: 'shop',
    environment: 'production',
    database: 'shop',
    file: 'shop-20261201T120000Z.dump',
    size: 2048,
    sha256: 'a'.repeat(64),
    format: 'custom',
    gzip: false,
    serverVersion: '16.4',
    created: '2026-12-01T12:00:00Z',
    rowCounts: { 'public.orders': 3, 'public.users': 2 },
    verified: true,
    verifyMethod: 'restore',
    ...over,
  });

  it('its id, path, size, checksum, verification, rows, download and retention', () => {
    const md = backupSummary(meta(), '/backups/shop.dump', '/tmp/artifact/shop.dump', {
      keep: [{ id: 'a', reasons: ['newest'] }],
      remove: [{ id: 'b', why: 'old' }],
    });
    expect(md.startsWith('<h3>Backup</h3>')).toBe(true);
    expect(md).toContain('<tr><td>id</td><td><code>shop-20261201T120000Z</code></td></tr>');
    expect(md).toContain('<tr><td>path</td><td><code>/backups/shop.dump</code></td></tr>');
    expect(md).toContain('<tr><td>size</td><td>2.0 KiB</td></tr>');
    expect(md).toContain(`<tr><td>sha256</td><td><code>${'a'.repeat(64)}</code></td></tr>`);
    expect(md).toContain('<tr><td>verified</td><td>yes (restore)</td></tr>');
    expect(md).toContain('<tr><td>PostgreSQL</td><td>16.4</td></tr>');
    expect(md).toContain('<tr><td>rows</td><td>5 in 2 tables</td></tr>');
    expect(md).toContain('<tr><td>downloaded</td><td><code>/tmp/artifact/shop.dump</code></td></tr>');
    expect(md).toContain('<tr><td>retention</td><td>kept 1, removed 1</td></tr>');
    expect(backupSummary(meta({ verified: false }), '/b', undefined, undefined)).toContain(
      '<tr><td>verified</td><td>NO</td></tr>',
    );
  });

  it("the server's version string and a path that are not ours land escaped", () => {
    const md = backupSummary(meta({ serverVersion: HOSTILE }), HOSTILE, undefined, undefined);
    expectInert(md);
    expect(md).toContain(`<tr><td>path</td><td><code>${INERT}</code></td></tr>`);
  });
});

describe('migrate: a dry run plan', () => {
  const sql = 'BEGIN;\nALTER TABLE orders DROP COLUMN note;\nCOMMIT;\n';

  it('the destructive statements as warnings, the SQL collapsed as printed', () => {
    const md = migrationPlanSummary('alembic', sql, [
      { kind: 'DROP COLUMN', statement: 'ALTER TABLE orders DROP COLUMN note', line: 2 },
    ]);
    expect(md.startsWith('<h3>Migration plan</h3>')).toBe(true);
    expect(md).toContain('<p>alembic: 1 destructive statement in the SQL the upgrade would run</p>');
    expect(md).toContain('<li>⚠️ <b>DROP COLUMN</b> (line 2): <code>ALTER TABLE orders DROP COLUMN note</code></li>');
    expect(md).toContain(
      '<details><summary>SQL the upgrade would run (alembic)</summary>\n\n<pre>BEGIN;\nALTER TABLE orders DROP COLUMN note;\nCOMMIT;</pre>',
    );
    expect(migrationPlanSummary('alembic', 'SELECT 1;', [])).toContain('<p>alembic: 0 destructive statements');
    expect(migrationPlanSummary('alembic', 'SELECT 1;', [])).not.toContain('<ul>');
  });

  it("the tool's SQL and a statement that are not ours land escaped; the SQL keeps its lines, inside <pre>", () => {
    const md = migrationPlanSummary('alembic', `-- ${HOSTILE}\nSELECT '</pre><script>';`, [
      { kind: 'TRUNCATE', statement: HOSTILE, line: 1 },
    ]);
    expect(md).toContain(`<code>${INERT}</code></li>`);
    expect(md).toContain(
      '<pre>-- &lt;script&gt;alert(1)&lt;/script&gt; | `rm -rf` **b** [x](javascript:alert(1)) &amp; &quot;q&quot;\n::error::owned\nSELECT &#39;&lt;/pre&gt;&lt;script&gt;&#39;;</pre>',
    );
    expect(md).not.toContain('<script');
    // The one line that starts with `::` is inside the <pre> block (a summary file is not read for commands).
    expect(md.match(/^::.*$/gm)).toEqual(['::error::owned']);
  });
});

describe('maintenance: the switch', () => {
  const record = {
    since: '2026-12-01T12:00:00Z',
    actor: 'octocat',
    reason: 'schema change',
    address: '127.0.0.1:8099',
    targets: {},
  };

  it('on or off (the verdict says only done), who turned it on and why, what changed per target', () => {
    const on = maintenanceSummary('shop/production', 'on', {
      record,
      already: false,
      lines: ['web1: upstream → 127.0.0.1:8099'],
    });
    expect(on.startsWith('<h3>Maintenance on</h3>')).toBe(true);
    expect(on).toContain(
      '<p>shop/production: maintenance is on since 2026-12-01T12:00:00Z; traffic goes to 127.0.0.1:8099</p>',
    );
    expect(on).toContain(
      '<ul><li>since 2026-12-01T12:00:00Z by octocat: schema change</li><li>web1: upstream → 127.0.0.1:8099</li></ul>',
    );
    const off = maintenanceSummary('shop/production', 'off', { already: true, lines: [] });
    expect(off).toContain('<h3>Maintenance off</h3>');
    expect(off).toContain('<p>shop/production: maintenance was not on; nothing to do</p>');
    expect(off).not.toContain('<ul>');
  });

  it('a reason someone typed lands escaped', () => {
    const md = maintenanceSummary('shop/production', 'off', {
      record: { ...record, reason: HOSTILE },
      already: false,
      lines: [HOSTILE],
    });
    expectInert(md);
    expect(md).toContain(`<li>${INERT}</li>`);
  });
});
