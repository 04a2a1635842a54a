/**
 * A cancelled rollback is recoverable (SIGTERM, as the runner sends on cancel): the serving release and the upstream
 * are put back, the lock is released, the journal keeps the unfinished rollback, and the next run with no
 * release-id resumes it to the same release. No request through nginx fails through any of it.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunStepOptions, runStep, type StepResult } from './helpers/action-runner.js';
import { deployEnv } from './helpers/deploy-env.js';
import { startLoad } from './helpers/load.js';
import { sandboxPart } from './helpers/sandbox.js';

const docker = (...args: string[]): string =>
  execFileSync('docker', ['-H', `unix://${sandboxPart('docker').socket}`, ...args], { encoding: 'utf8' }).trim();

describe('cancelled runs are recoverable: SIGTERM during a rollback, then during a deploy', () => {
  const env = deployEnv({ app: 'rbrbcancel', ports: [18760, 18769], stable: '3s' });
  const rollback = (onSpawn?: RunStepOptions['onSpawn']) =>
    runStep('rollback', { inputs: { config: env.config, environment: 'sandbox' }, timeoutMs: 120_000, onSpawn });
  afterAll(() => {
    const ids = docker('ps', '-aq', '--filter', 'label=io.runbook.app=rbrbcancel')
      .split('\n')
      .filter((l) => l);
    if (ids.length > 0) docker('rm', '-f', ...ids);
  });

  const v2Id = () => env.journal().releases.find((r) => r.version === 'v2')?.id;

  it('v1, v2 deployed; SIGTERM while the kept v1 containers pass their health gate; then the next run finishes', async () => {
    for (const v of ['v1', 'v2']) expect((await env.deploy(v)).code).toBe(0);
    const load = startLoad(`${env.url}/version`, { workers: 2, ratePerSecond: 40 });
    let sent = false;
    const cancelled: StepResult = await rollback((child) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (!sent && d.toString().includes('started the kept')) {
          sent = true;
          child.kill('SIGTERM');
        }
      });
    });
    expect(sent).toBe(true);
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toMatch(/SIGTERM received: cancelling and cleaning up/);
    expect(cancelled.stdout).toMatch(/rollback failed; putting back what was serving/);
    // Put back means put back: the kept v1 containers stopped again, only v2 runs.
    expect(cancelled.stdout).not.toMatch(/::warning::.*(could not|was cancelled)/);
    const runningNow = docker('ps', '-q', '--filter', 'label=io.runbook.app=rbrbcancel').split('\n');
    expect(
      runningNow.map((id) => docker('inspect', '--format', '{{index .Config.Labels "io.runbook.release"}}', id)),
    ).toEqual([v2Id(), v2Id()]);
    expect(await env.served()).toBe('v2');
    const j = env.journal();
    const v2 = j.releases.find((r) => r.version === 'v2');
    const v1 = j.releases.find((r) => r.version === 'v1');
    expect(v2?.status).toBe('live');
    expect(v2?.rollback).toMatchObject({ to: v1?.id });
    expect(v2?.rollback?.finishedAt).toBeUndefined();
    expect(v2?.rollback?.error).toMatch(/cancelled by SIGTERM/);

    // The post step has nothing left to release: main's cleanup already did, so the next run does not wait.
    const post = await runStep('rollback', {
      inputs: { config: env.config, environment: 'sandbox' },
      state: cancelled.state,
    });
    expect(post.code, post.stdout).toBe(0);
    const resumed = await rollback();
    const traffic = await load.stop();
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.stdout).not.toMatch(/waiting for the deploy lock/);
    expect(resumed.stdout).toMatch(/resuming or re-checking a recorded rollback/);
    expect(resumed.outputs).toMatchObject({ 'restored-release-id': v1?.id, 'rolled-back-release-id': v2?.id });
    expect(await env.served()).toBe('v1');
    const after = env.journal().releases.find((r) => r.version === 'v2');
    expect(after?.status).toBe('rolled-back');
    expect(after?.rollback?.finishedAt).toBeDefined();
    expect(after?.rollback?.error).toBeUndefined();
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(Object.keys(traffic.bodies).sort()).toEqual(['v1', 'v2']);
  });
  it('a deploy cancelled (SIGTERM) while its new replicas start: undone, the lock released, the next deploy goes on', async () => {
    const load = startLoad(`${env.url}/version`, { workers: 2, ratePerSecond: 40 });
    let sent = false;
    const cancelled = await runStep('deploy', {
      inputs: { config: env.config, environment: 'sandbox', version: 'v3' },
      timeoutMs: 120_000,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (!sent && /started rbrbcancel-sandbox-api-\S+-v3-0/.test(d.toString())) {
            sent = true;
            child.kill('SIGTERM');
          }
        });
      },
    });
    expect(sent).toBe(true);
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toMatch(/deploy failed; putting back what served before/);
    expect(cancelled.stdout).not.toMatch(/::warning::.*(could not|was cancelled)/);
    expect(await env.served()).toBe('v1');
    const v3 = env.journal().releases.find((r) => r.version === 'v3');
    expect(v3?.status).toBe('failed');
    const labels = docker('ps', '-q', '--filter', 'label=io.runbook.app=rbrbcancel')
      .split('\n')
      .map((id) => docker('inspect', '--format', '{{index .Config.Labels "io.runbook.release"}}', id));
    expect(new Set(labels)).toEqual(new Set([env.journal().releases.find((r) => r.version === 'v1')?.id]));
    const next = await env.deploy('v3');
    const traffic = await load.stop();
    expect(next.code, next.stdout).toBe(0);
    expect(next.stdout).not.toMatch(/waiting for the deploy lock/);
    expect(await env.served()).toBe('v3');
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
  });
});
