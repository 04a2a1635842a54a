/**
 * workflows-examples/runbook-002-blue-green-canary.yml (and promote.yml for the canary it leaves paused) run end to
 * end (helpers/workflow-run.ts) against two sites of a team's own nginx on the runner-local target, under a steady
 * load through that nginx: blue-green with its standby and the instant switch back, and a canary held at 30 % until a
 * person promotes it. Every request of the load must be answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubApi, startGitHubApi } from '../github-api/index.js';
import { runStep } from './helpers/action-runner.js';
import { startLoad } from './helpers/load.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-002-blue-green-canary.yml';
const TOKEN = 'ghs_runbook002';

describe('runbook 002: blue-green and canary, as dispatched workflows', () => {
  let api: GitHubApi;
  let green: TeamSite;
  let canary: TeamSite;
  const run = (site: TeamSite, procedure: string, more: Record<string, string> = {}) =>
    site.dispatch(WORKFLOW, { environment: ENVIRONMENT, procedure, ...more });

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    const github = { url: api.url, token: TOKEN };
    green = await teamSite({
      name: 'rb002bg',
      github,
      strategy: { type: 'blue-green', lines: () => '  blue-green: { standby: 1h, verify: 3 }\n' },
    });
    canary = await teamSite({
      name: 'rb002c',
      layout: 'servers',
      github,
      strategy: {
        type: 'canary',
        lines: (p) => `  canary:
    steps: [{ weight: 30, pause: until-promoted }, { weight: 100, pause: 1s }]
    gates: { error-rate: 0.05, min-samples: 20 }
    access-log: ${p.accessLog}
`,
      },
    });
  });
  afterAll(async () => {
    await green?.close();
    await canary?.close();
    await api?.close();
  });

  it('blue-green v1 then v2: green prepared, checked, switched in one reload; blue the standby; 0 failed requests', async () => {
    const first = await run(green, 'blue-green', { version: 'v1' });
    expect(first.conclusion, first.log).toBe('success');
    expect(await green.served()).toBe('v1');

    const load = startLoad(`${green.url}/version`, { workers: 2, ratePerSecond: 40, maxSeconds: 60 });
    const r = await run(green, 'blue-green', { version: 'v2' });
    const traffic = await load.stop();
    expect(r.conclusion, r.log).toBe('success');
    expect(r.order).toEqual(['check', 'deploy', 'verify', 'switch-back-on-failure', 'switch-back']);
    expect(r.job('verify').result).toBe('success');
    expect(r.job('switch-back-on-failure').result).toBe('skipped');
    expect(r.step('deploy', 'deploy').inputs?.strategy).toBe('blue-green');
    const v1 = green.release('v1');
    const v2 = green.release('v2');
    expect(v2).toMatchObject({ status: 'live', standby: { release: v1.id } });
    expect(v2.slot).not.toBe(v1.slot);
    expect(await green.served()).toBe('v2');
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(Object.keys(traffic.bodies).sort()).toEqual(['v1', 'v2']);
  });

  it('switch-back: the standby takes the traffic back in one reload, 0 failed requests; v2 rolled back', async () => {
    const load = startLoad(`${green.url}/version`, { workers: 2, ratePerSecond: 40, maxSeconds: 60 });
    const r = await run(green, 'switch-back', { reason: 'error rate up after the switch' });
    const traffic = await load.stop();
    expect(r.conclusion, r.log).toBe('success');
    expect(r.job('check').result).toBe('skipped');
    expect(r.job('deploy').result).toBe('skipped');
    expect(r.step('switch-back', 'rollback').inputs?.scope).toBe('traffic');
    expect(r.step('switch-back', 'Say what serves').stdout).toBe('::notice::the standby v1 serves again\n');
    expect(green.live().version).toBe('v1');
    expect(green.release('v2').status).toBe('rolled-back');
    expect(await green.served()).toBe('v1');
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
  });

  it('canary v2 beside v1 holds 30 % at its until-promoted step; promote.yml makes it live; 0 failed', async () => {
    // The site runs v1 (deployed before, rolling).
    const first = await runStep('deploy', {
      inputs: { environment: ENVIRONMENT, version: 'v1', strategy: 'rolling' },
      cwd: canary.workspace,
    });
    expect(first.code, first.stdout).toBe(0);
    expect(canary.live().version).toBe('v1');

    const load = startLoad(`${canary.url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 90 });
    const paused = await run(canary, 'canary', { version: 'v2' });
    expect(paused.conclusion, paused.log).toBe('success');
    expect(paused.job('deploy').outputs.canary).toBe('paused');
    expect(paused.step('deploy', 'A canary waits for a person').stdout).toMatch(/::notice::canary v2 holds its share/);
    expect(paused.job('verify').result).toBe('skipped');
    expect(canary.release('v2')).toMatchObject({ status: 'canary', canary: { weight: 30 } });
    expect(canary.live().version).toBe('v1');

    const promoted = await canary.dispatch('promote.yml', {
      environment: ENVIRONMENT,
      decision: 'promote',
      reason: 'dashboards look fine',
    });
    const traffic = await load.stop();
    expect(promoted.conclusion, promoted.log).toBe('success');
    expect(promoted.step('promote', 'acme/runbook-actions/actions/promote@v1').outputs.canary).toBe('promoted');
    expect(canary.live().version).toBe('v2');
    expect(canary.release('v2').canary?.steps.map((s) => `${s.weight}:${s.verdict}`)).toEqual(['30:pass', '100:pass']);
    expect(await canary.served()).toBe('v2');
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(traffic.bodies.v2).toBeGreaterThan(0);
    expect(api.violations).toEqual([]);
  });
});
