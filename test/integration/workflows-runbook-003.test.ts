/**
 * workflows-examples/runbook-003-post-deploy-validation.yml run end to end (helpers/workflow-run.ts) against a team's
 * site whose runbook.yml holds the runbook's thresholds as the smoke test's latency sample (200 requests, p95 < 1 s,
 * errors < 1 %): a healthy release passes; a release that answers 1 request in 20 with HTTP 500 (runbook-test-app:flaky)
 * fails on its error rate although every single check passes, and with rollback-on-failure the release before comes
 * back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-003-post-deploy-validation.yml';

describe('runbook 003: post-deployment validation (all 200, error rate < 1 %, latency < 1 s)', () => {
  let site: TeamSite;
  const deploy = async (version: string) => {
    const r = await runStep('deploy', { inputs: { environment: ENVIRONMENT, version }, cwd: site.workspace });
    expect(r.code, r.stdout).toBe(0);
  };

  beforeAll(async () => {
    site = await teamSite({
      name: 'rb003',
      smoke: `smoke:
  wait: 2s
  checks:
    - { name: ready, url: /health, expect: { status: 200, json: { status: ok } } }
  sample: { requests: 200, rate: 100/s, p95: 1s, error-rate: 0.01 }
`,
    });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('a healthy release: every check 200 within 1 s, the sample clean; the report in the summary', async () => {
    await deploy('v1');
    const r = await site.dispatch(WORKFLOW, { environment: ENVIRONMENT });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.job('validate').outputs.passed).toBe('true');
    const report = JSON.parse(r.step('validate', 'smoke').outputs.report ?? '{}') as {
      checks: { name: string; status: number; latencyMs: number; passed: boolean }[];
      sample: { requests: number; failed: number; errorRate: number; p95: number };
    };
    expect(report.checks.map((c) => `${c.name}:${c.status}:${c.passed}`)).toEqual([
      'version:200:true',
      'health:200:true',
      'home:200:true',
    ]);
    for (const c of report.checks) expect(c.latencyMs).toBeLessThan(1000);
    expect(report.sample).toMatchObject({ requests: 200, failed: 0, errorRate: 0 });
    expect(report.sample.p95).toBeLessThan(1000);
    expect(r.step('validate', 'Error rate and latency').stdout).toMatch(
      /::notice::sample: 200 requests, 0 failed \(error rate 0 %\), p95 \d+ ms/,
    );
    expect(r.step('validate', 'Error rate and latency').summary).toContain('| version | 200 |');
    expect(r.job('rollback').result).toBe('skipped');
  });

  it('a release erring 1 in 20: the checks pass, the sample fails on its error rate; rolled back to v1', async () => {
    await deploy('flaky');
    expect(site.live().version).toBe('flaky');
    const r = await site.dispatch(WORKFLOW, { environment: ENVIRONMENT, 'rollback-on-failure': true });
    expect(r.conclusion).toBe('failure');
    expect(r.job('validate').result).toBe('failure');
    const report = JSON.parse(r.step('validate', 'smoke').outputs.report ?? '{}') as {
      checks: { passed: boolean }[];
      sample: { requests: number; failed: number; errorRate: number };
    };
    expect(report.checks.every((c) => c.passed)).toBe(true);
    expect(report.sample.requests).toBe(200);
    expect(report.sample.errorRate).toBeGreaterThan(0.01);
    expect(r.step('validate', 'Error rate and latency').outcome).toBe('success');
    expect(r.job('rollback').result).toBe('success');
    expect(r.step('rollback', 'rollback').outputs['restored-version']).toBe('v1');
    expect(site.live().version).toBe('v1');
    expect(site.release('flaky').status).toBe('rolled-back');
    expect(await site.served()).toBe('v1');
  });
});
