import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { startLoad } from './helpers/load.js';
import { dropDatabase, psql } from './helpers/pg-sandbox.js';
import { REPO_ROOT } from './helpers/sandbox.js';
import { removeContainers, storyWorld } from './helpers/story-world.js';

/**
 * The root action.yml: the whole pipeline in one step (dist/pipeline), main then post, as the runner runs it — to a
 * target over SSH: the journal, lock, backups, migrations and nginx switch run through the sandbox sshd, the Docker
 * socket is tunnelled through the same connection.
 */
describe('the root action over SSH: the whole pipeline in one step, with automatic rollback', () => {
  const w = storyWorld('rbroot', [18620, 18629], 'ssh');
  const env = { DB_PASSWORD: w.pg.password };
  const pipeline = async (version: string, extra: Record<string, string> = {}): Promise<StepResult> => {
    const inputs = { config: w.config, environment: 'sandbox', version, ...w.inputs, ...extra };
    const main = await runStep('pipeline', { inputs, env, timeoutMs: 240_000 });
    const post = await runStep('pipeline', { inputs, env, state: main.state });
    expect(post.code, post.stdout).toBe(0);
    return main;
  };
  afterAll(() => {
    removeContainers(w.app);
    dropDatabase(w.pg, w.database);
  });

  it('the root action.yml runs the pipeline bundle', () => {
    expect(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')).toContain('main: dist/pipeline/index.js');
  });

  it('dry run (the PR plan): every stage plans, nothing changes, no backup is taken', async () => {
    w.ship('0001_add_status');
    const r = await pipeline('v1', { 'dry-run': 'true' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/ALTER TABLE orders ADD COLUMN status/);
    expect(r.stdout).toMatch(/pre-deploy-check +ok/);
    expect(r.stdout).not.toMatch(/ backup +ok/);
    expect(psql(w.pg, w.database, 'SELECT max(version) FROM schema_migrations')).toBe('0000');
  });

  it('v1 with a migration: check, backup, migrate, deploy, smoke; a timeline and outputs', async () => {
    const r = await pipeline('v1');
    expect(r.code, r.stdout).toBe(0);
    for (const s of ['pre-deploy-check', 'backup', 'migrate', 'deploy', 'smoke-test']) {
      expect(r.stdout).toMatch(new RegExp(`\\+\\d+\\.\\ds  ${s} +ok `));
    }
    expect(r.outputs).toMatchObject({ 'revision-after': '0001', 'smoke-passed': 'true', 'failed-step': '' });
    expect(r.outputs['backup-id']).toMatch(/^rbroot-sandbox-/);
    // The verdict first, the timeline of the stages, a row per stage, then each stage's own tables.
    expect(r.summary.startsWith('<h2>✅ Pipeline: deployed — v1 → sandbox</h2>')).toBe(true);
    expect(r.summary).toMatch(/```mermaid\ntimeline\n/);
    expect(r.summary).toMatch(/<td>deploy<\/td><td>✅ ok<\/td>/);
    expect(r.summary).toMatch(/<details><summary><b>smoke-test<\/b> ✅<\/summary>/);
    // Through the sandbox sshd: its user wrote the journal and the backup.
    expect(r.stdout).toMatch(/web1 reachable +runbook-sandbox@127\.0\.0\.1:\d+, host key pinned/);
    const owner = Number(execFileSync('id', ['-u', 'runbook-sandbox'], { encoding: 'utf8' }).trim());
    expect(statSync(join(w.dir, 'state/sandbox/journal.json')).uid).toBe(owner);
    expect(statSync(join(w.dir, 'backups', `${r.outputs['backup-id']}.json`)).uid).toBe(owner);
  });

  it('a degraded v3 with a migration: smoke fails, the pipeline rolls back image and schema by itself', async () => {
    w.ship('0003_needs_lock');
    const load = startLoad(w.url, { workers: 2, ratePerSecond: 40 });
    const r = await pipeline('degraded');
    const result = await load.stop();
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ 'failed-step': 'smoke-test', 'rolled-back': 'true', 'smoke-passed': 'false' });
    expect(r.stdout).toMatch(/::error::smoke-test failed: smoke test failed: ready: .*; rolled back to v1 \(\S+-v1\)/);
    expect(r.stdout).toMatch(/rollback +ok .*restored v1 .*schema 0001/);
    expect(psql(w.pg, w.database, 'SELECT max(version) FROM schema_migrations')).toBe('0001');
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(Object.keys(result.bodies).sort()).toEqual(['degraded', 'v1']);
    const res = await fetch(w.url);
    expect((await res.text()).trim()).toBe('v1');
  });
});
