import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/deploy/journal.js';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { dropDatabase } from './helpers/pg-sandbox.js';
import { freePortRange } from './helpers/ports.js';
import { removeContainers, type StoryWorld, storyWorld } from './helpers/story-world.js';

/** The runner's variables of a workflow run: its URL is the lock's holder. */
const runVars = (id: string) => ({ GITHUB_RUN_ID: id, GITHUB_REPOSITORY: 'acme/shop', GITHUB_ACTOR: `actor-${id}` });

/** Start a step and resolve once its output matches `pattern` (with the child, to signal it), and when it ends. */
function startUntil(
  action: string,
  o: Parameters<typeof runStep>[1],
  pattern: RegExp,
): { seen: Promise<ChildProcess>; done: Promise<StepResult> } {
  let onSeen: (c: ChildProcess) => void = () => {};
  const seen = new Promise<ChildProcess>((resolve) => {
    onSeen = resolve;
  });
  const done = runStep(action, {
    ...o,
    onSpawn: (child) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (pattern.test(out)) onSeen(child);
      });
    },
  });
  return { seen, done };
}

/**
 * The root pipeline holds the environment's deploy lock from its first change (the backup) to its end: while it
 * sits between two stages (stopped with SIGSTOP right after the migrate stage ended, before the deploy stage), a
 * second deploy of the same environment fails naming the pipeline's run, or waits and runs after it — never between.
 */
describe('the root pipeline holds the deploy lock between its stages', () => {
  let w: StoryWorld;
  const env = (run: string) => ({ DB_PASSWORD: w.pg.password, ...runVars(run) });
  const inputs = (extra: Record<string, string>) => ({
    config: w.config,
    environment: 'sandbox',
    ...w.inputs,
    ...extra,
  });
  beforeAll(async () => {
    w = storyWorld('rbplock', await freePortRange(10));
  });
  afterAll(() => {
    removeContainers('rbplock');
    dropDatabase(w.pg, w.database);
  });

  it('a deploy started between migrate and deploy fails naming the pipeline; a patient one runs after it', async () => {
    w.ship('0001_add_status');
    const pipeline = startUntil(
      'pipeline',
      { inputs: inputs({ version: 'v1' }), env: env('1001'), timeoutMs: 240_000 },
      /migrate +ok /,
    );
    const child = await pipeline.seen;
    child.kill('SIGSTOP');
    try {
      const impatient = await runStep('deploy', {
        inputs: inputs({ version: 'v2', 'lock-wait': '2s' }),
        env: env('1002'),
      });
      expect(impatient.code, impatient.stdout).toBe(1);
      expect(impatient.stdout).toMatch(
        /::error::another deploy holds the lock for rbplock\/sandbox: https:\/\/github\.com\/acme\/shop\/actions\/runs\/1001 \(actor actor-1001/,
      );
      const patient = startUntil(
        'deploy',
        { inputs: inputs({ version: 'v2', 'lock-wait': '3m' }), env: env('1003'), timeoutMs: 240_000 },
        /waiting for the deploy lock held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/1001/,
      );
      await patient.seen;
      child.kill('SIGCONT');
      const first = await pipeline.done;
      expect(first.code, first.stdout).toBe(0);
      expect(first.stdout).toMatch(/deploy +ok .*release \S+-v1 live/);
      const second = await patient.done;
      expect(second.code, second.stdout).toBe(0);

      const journal = JSON.parse(readFileSync(join(w.dir, 'state/sandbox/journal.json'), 'utf8')) as Journal;
      const [v1, v2] = journal.releases;
      expect(journal.releases.map((r) => [r.version, r.status])).toEqual([
        ['v1', 'superseded'],
        ['v2', 'live'],
      ]);
      // The patient deploy began only after the pipeline had finished its release, and its migration before that.
      expect(Date.parse(v2?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(v1?.finishedAt ?? ''));
      expect(v1?.actor).toBe('actor-1001');
      expect(v2?.actor).toBe('actor-1003');
      const post = await runStep('pipeline', {
        inputs: inputs({ version: 'v1' }),
        env: env('1001'),
        state: first.state,
      });
      expect(post.code, post.stdout).toBe(0);
    } finally {
      child.kill('SIGCONT');
    }
  });
});
