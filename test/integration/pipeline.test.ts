import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/deploy/journal.js';
import { runCli } from './helpers/cli.js';
import { dropDatabase, psql } from './helpers/pg-sandbox.js';
import { sandboxPart } from './helpers/sandbox.js';
import { runStory, type Story, type StoryStep } from './helpers/story.js';

describe('the whole pipeline, end to end, through the dist entries, for a compose app (v1 → v2 with a migration → degraded v3 → rollback)', () => {
  let story: Story;
  const byName = (name: string): StoryStep => {
    const s = story.steps.find((x) => x.name === name);
    if (!s) throw new Error(`the story has no step "${name}" (steps: ${story.steps.map((x) => x.name).join(', ')})`);
    return s;
  };
  const journal = (): Journal => JSON.parse(readFileSync(join(story.stateDir, 'sandbox/journal.json'), 'utf8'));

  beforeAll(async () => {
    // The app as the runbooks' teams have it (and as `npm run demo` tells it): a compose file, secrets in an env file.
    story = await runStory({ app: 'rbstory', ports: [18600, 18609], kind: 'compose' });
  }, 600_000);
  afterAll(() => {
    if (story) dropDatabase(story.pg, story.database);
  });

  it('every step ends as the story expects, and each post step succeeds', () => {
    const outcome = story.steps.map((s) => `${s.name}: ${s.result.code === 0 ? 'ok' : 'failed'}`);
    expect(outcome).toEqual([
      'pre-deploy-check: ok',
      'deploy v1: ok',
      'smoke-test v1: ok',
      'rollback (nothing before v1): failed',
      'backup before v2: ok',
      'migrate for v2: ok',
      'deploy v2: ok',
      'smoke-test v2: ok',
      'backup before v3: ok',
      'migrate for v3: ok',
      'deploy v3 (degraded): ok',
      'smoke-test v3: failed',
      'rollback: ok',
      'rollback again (safe): ok',
    ]);
    for (const s of story.steps) if (s.post) expect(s.post.code, `${s.name} post\n${s.post.stdout}`).toBe(0);
  });

  it('the compose app was rolled replica by replica, and its env-file secret is in no output nor the journal', () => {
    const releases = journal().releases;
    expect(releases.filter((r) => r.status !== 'failed').map((r) => [r.driver, r.strategy])).toEqual(
      Array(releases.filter((r) => r.status !== 'failed').length).fill(['compose', 'rolling']),
    );
    expect(story.secretLeaks).toBe(0);
  });

  it('rollback with no previous release is a clear error and changes nothing', () => {
    const r = byName('rollback (nothing before v1)').result;
    expect(r.stdout).toMatch(
      /::error::no previous release to roll back to: \S+ \(v1, live\) is the first release of rbstory\/sandbox/,
    );
    expect(r.outputs['restored-release-id']).toBeUndefined();
  });

  it('outputs flow from step to step: backup-id into migrate, the deploy release ids into rollback', () => {
    expect(byName('backup before v2').result.outputs.verified).toBe('true');
    expect(byName('migrate for v2').result.outputs).toMatchObject({
      'revision-before': '0000',
      'revision-after': '0001',
    });
    expect(byName('migrate for v3').result.outputs).toMatchObject({
      'revision-before': '0001',
      'revision-after': '0003',
    });
    const d2 = byName('deploy v2').result.outputs;
    const d3 = byName('deploy v3 (degraded)').result.outputs;
    expect(d3['previous-release-id']).toBe(d2['release-id']);
    expect(d3['previous-version']).toBe('v2');
    const rb = byName('rollback').result.outputs;
    expect(rb).toMatchObject({
      'restored-release-id': d2['release-id'],
      'restored-version': 'v2',
      'rolled-back-release-id': d3['release-id'],
      'migration-revision': '0001',
    });
  });

  it('smoke passes on v2 and fails on the degraded v3, naming why', () => {
    expect(byName('smoke-test v2').result.outputs.passed).toBe('true');
    const v3 = byName('smoke-test v3').result;
    expect(v3.outputs.passed).toBe('false');
    expect(v3.stdout).toMatch(/::error::smoke test failed: ready: .*status.*"degraded"/);
  });

  it('after the rollback v2 serves, on the image id the journal recorded for it', () => {
    expect(story.served).toBe('v2');
    const j = journal();
    const v2 = j.releases.find((r) => r.version === 'v2');
    const v3 = j.releases.find((r) => r.version === 'degraded');
    expect(v2?.status).toBe('live');
    expect(j.releases.find((r) => r.version === 'v2')).toMatchObject({
      backupId: byName('backup before v2').result.outputs['backup-id'],
    });
    expect(v3?.status).toBe('rolled-back');
    expect(v3?.rollback).toMatchObject({
      to: v2?.id,
      scope: ['image', 'migration'],
      reason: 'smoke test failed',
      revision: '0001',
    });
    expect(v3?.rollback?.finishedAt).toBeDefined();
    const docker = ['-H', `unix://${sandboxPart('docker').socket}`];
    const running = execFileSync(
      'docker',
      [...docker, 'ps', '-q', '--no-trunc', '--filter', 'label=io.runbook.app=rbstory', '--filter', 'status=running'],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter((l) => l !== '');
    expect(running).toHaveLength(2);
    const images = running.map((id) =>
      execFileSync('docker', [...docker, 'inspect', '--format', '{{.Image}}', id], { encoding: 'utf8' }).trim(),
    );
    expect(new Set(images)).toEqual(new Set([v2?.services.api?.imageId]));
    // The kept containers came back: the running ones are the very containers v2 ran.
    expect(new Set(running), byName('rollback').result.stdout).toEqual(
      new Set(v2?.services.api?.replicas.map((r) => r.id)),
    );
  });

  it("the schema is back at v2's revision, and every row the writer inserted during the whole story is there", () => {
    expect(story.revision).toBe('0001');
    const columns = (table: string) =>
      psql(
        story.pg,
        story.database,
        `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`,
      );
    expect(columns('customers')).not.toContain('loyalty_tier');
    expect(columns('orders')).toContain('status');
    expect(story.writer.failed, story.writer.errors.join('\n')).toBe(0);
    expect(story.writer.acked.length).toBeGreaterThan(100);
    const present = new Set(
      psql(story.pg, story.database, "SELECT id FROM events WHERE kind = 'story'").split('\n').map(Number),
    );
    expect(story.writer.acked.filter((id) => !present.has(id))).toEqual([]);
    const m = journal().migrations ?? [];
    expect(m.map((x) => `${x.revisionBefore}→${x.revisionAfter}:${x.status}`)).toEqual([
      '0000→0001:applied',
      '0001→0003:rolled-back',
    ]);
  });

  it('no request through nginx failed, during the deploys or the rollback', () => {
    expect(story.load.failed, story.load.failures.join('\n')).toBe(0);
    expect(story.rollbackLoad.failed, story.rollbackLoad.failures.join('\n')).toBe(0);
    expect(story.rollbackLoad.requests).toBeGreaterThan(10);
    expect(Object.keys(story.rollbackLoad.bodies).sort()).toEqual(['degraded', 'v2']);
  });

  it('running the rollback again is safe: nothing restarts, the schema is already there', () => {
    const again = byName('rollback again (safe)').result;
    expect(again.stdout).toMatch(/rbstory-sandbox-api-\S+: \S+-v2 is already running|is already running/);
    expect(again.stdout).toMatch(/the schema is already at 0001|no migration since/);
    expect(again.outputs['restored-version']).toBe('v2');
  });
  it('runbook status tells the story from the journal: the rollback, who, why, the schema; the migrations', async () => {
    const r = await runCli(['status', '--config', story.config, '--env', 'sandbox']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/-degraded\s+degraded\s+rolled-back/);
    expect(r.out).toMatch(/rolled back to \S+-v2 \(image, migration\) by \S+ at \S+: smoke test failed; schema 0001/);
    expect(r.out).toMatch(/migration \S+\s+custom 0001 → 0003\s+rolled-back/);
  });
  it('from a terminal: runbook rollback --dry-run --scope … plans the same rollback and changes nothing', async () => {
    const before = readFileSync(join(story.stateDir, 'sandbox/journal.json'), 'utf8');
    const v1 = journal().releases.find((r) => r.version === 'v1');
    const r = await runCli(
      [
        'rollback',
        '--config',
        story.config,
        '--env',
        'sandbox',
        '--dry-run',
        '--scope',
        'image',
        '--release-id',
        v1?.id ?? '',
      ],
      { DB_PASSWORD: story.pg.password },
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`would restore ${v1?.id} (v1) on local`);
    expect(readFileSync(join(story.stateDir, 'sandbox/journal.json'), 'utf8')).toBe(before);
  });
});
