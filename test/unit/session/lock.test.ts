/**
 * The session's deploy lock is re-entrant (the root pipeline holds it, every stage holds it again), and an inner hold
 * first renews the lease: once `runbook unlock` (or a takeover) took the lock away, the next stage refuses to start
 * instead of changing the environment beside another run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { EnvironmentSession } from '../../../src/session/session.js';
import { engineConfig, LEASE } from '../flows/configs.js';
import { recordingConnector, World } from '../flows/world.js';
import { memoryRunner } from '../helpers/runner.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(world: World, run = '7') {
  const dir = mkdtempSync(join(tmpdir(), 'session-lock-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'runbook.yml'), engineConfig());
  const { runner } = memoryRunner({}, { env: { GITHUB_RUN_ID: run, GITHUB_REPOSITORY: 'acme/shop' } });
  const log = new StreamLogger({ sink: () => {}, masker: new Masker(), mode: 'actions', debug: false });
  const ctx = { runner, log, clock: world.clock(), signal: new AbortController().signal };
  const session = await EnvironmentSession.open(
    ctx,
    { config: join(dir, 'runbook.yml'), environment: 'production' },
    recordingConnector(world),
  );
  const cleanups: Array<() => Promise<void> | void> = [];
  const scope = { onCleanup: (f: () => Promise<void> | void) => cleanups.push(f), signal: ctx.signal };
  const end = async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  };
  return { session, scope, end };
}

describe('EnvironmentSession.lock', () => {
  it('is taken once, held through nested holds, released when the outermost ends', async () => {
    const world = new World();
    const fs = world.host('web1').transport.fs;
    const outer = await open(world);
    await outer.session.lock(outer.scope, 1000);
    const token = JSON.parse(fs.files.get(LEASE) ?? '{}').token;
    const inner: Array<() => Promise<void> | void> = [];
    await outer.session.lock({ onCleanup: (f) => inner.push(f), signal: outer.scope.signal }, 1000);
    expect(JSON.parse(fs.files.get(LEASE) ?? '{}').token).toBe(token);
    for (const f of inner) await f();
    expect(fs.files.has(LEASE)).toBe(true);
    expect(outer.session.locked).toBe(true);
    await outer.end();
    expect(fs.files.has(LEASE)).toBe(false);
    expect(outer.session.locked).toBe(false);
  });

  it('an inner hold after the lock was taken away refuses, naming who holds it now', async () => {
    const world = new World();
    const pipeline = await open(world);
    await pipeline.session.lock(pipeline.scope, 1000);
    // Someone runs `runbook unlock` while the pipeline sits between two stages, and another deploy takes the lock.
    await (await pipeline.session.deployLock()).forceRelease();
    const other = await open(world, '8');
    await other.session.lock(other.scope, 1000);
    await expect(pipeline.session.lock(pipeline.scope, 1000)).rejects.toThrow(
      /lost the deploy lock for shop\/production: it is now held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/8/,
    );
    await other.end();
    await pipeline.end();
  });
});
