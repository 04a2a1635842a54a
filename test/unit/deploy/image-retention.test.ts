/** Retention's image pruning: only images a registry can give back (with a repo digest) are removed. */
import { describe, expect, it } from 'vitest';
import { replicaLabels } from '../../../src/deploy/engine/labels.js';
import { applyRetention, prunable } from '../../../src/deploy/engine/retention.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';
import { FakeEngine } from '../flows/fake-engine.js';

const OWNER = { app: 'shop', env: 'production', service: 'web' };

/** A stopped container of `release` created from `image`. */
async function stopped(engine: FakeEngine, release: string, image: string): Promise<void> {
  const name = `shop-production-web-${release}-0`;
  const id = await engine.createContainer({ name, image, env: {}, labels: replicaLabels(OWNER, release, 0, 18000) });
  await engine.startContainer(id);
  await engine.stopContainer(id, 10);
}

describe('prunable', () => {
  it('is true only for an image with a repo digest', () => {
    expect(prunable({ repoDigests: ['ghcr.io/acme/api@sha256:ab'] })).toBe(true);
    expect(prunable({ repoDigests: [] })).toBe(false);
  });
});

describe('applyRetention, prune-images', () => {
  async function world() {
    const engine = new FakeEngine('web1', []);
    const local = engine.addLocalImage('shop/web:r1');
    const pulled = engine.addImage('ghcr.io/acme/web:r2').id;
    engine.addImage('ghcr.io/acme/web:r3');
    engine.addImage('ghcr.io/acme/web:r4');
    await stopped(engine, 'r1', 'shop/web:r1');
    await stopped(engine, 'r2', 'ghcr.io/acme/web:r2');
    await stopped(engine, 'r3', 'ghcr.io/acme/web:r3');
    await stopped(engine, 'r4', 'ghcr.io/acme/web:r4');
    return { engine, local, pulled };
  }

  it('removes the old releases and their pulled image, keeps the local one and says why', async () => {
    const { engine, local, pulled } = await world();
    const log = captureLogger();

    const removed = await applyRetention(engine, OWNER, 2, true, log);

    expect(removed).toEqual(['shop-production-web-r1-0', 'shop-production-web-r2-0']);
    const ids = engine.images.map((i) => i.id);
    expect(ids).toContain(local);
    expect(ids).not.toContain(pulled);
    expect(log.messages('info')).toContainEqual(
      `retention: image ${local.slice(0, 19)}… (shop/web:r1) kept: it has no registry digest (built or loaded on the host), so no pull could give it back`,
    );
  });

  it('removes no image with prune-images off', async () => {
    const { engine } = await world();
    const before = engine.images.length;
    await applyRetention(engine, OWNER, 2, false, captureLogger());
    expect(engine.images).toHaveLength(before);
  });
});

describe('applyRetention, which releases stay', () => {
  it('keeps the release a rollback returns to however old its id, then the newest others', async () => {
    // r1 live, r2 rolled back, r3 deployed over r1 (its previous), r4 deployed again over r3: keep 3.
    const engine = new FakeEngine('web1', []);
    for (const r of ['r1', 'r2', 'r3', 'r4']) {
      engine.addImage(`ghcr.io/acme/web:${r}`);
      await stopped(engine, r, `ghcr.io/acme/web:${r}`);
    }
    expect(await applyRetention(engine, OWNER, 3, false, captureLogger(), ['r3', 'r1'])).toEqual([
      'shop-production-web-r2-0',
    ]);
    // Without what to protect, the newest ids stay (r1 would go).
    const other = new FakeEngine('web1', []);
    for (const r of ['r1', 'r2', 'r3', 'r4']) {
      other.addImage(`ghcr.io/acme/web:${r}`);
      await stopped(other, r, `ghcr.io/acme/web:${r}`);
    }
    expect(await applyRetention(other, OWNER, 3, false, captureLogger())).toEqual(['shop-production-web-r1-0']);
  });
});
