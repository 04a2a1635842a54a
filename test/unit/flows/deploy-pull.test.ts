/**
 * deploy, engine driver: the image pull policy (services.<name>.pull, default by the image name), the image id and
 * repo digest the journal records (the ones inspected after the pull), and retention keeping images no registry
 * can give back.
 */
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/actions/catalog.js';
import { engineConfig, replica } from './configs.js';
import { journalOf, runFlow } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const REG = 'registry.example:5000/shop/web';

/** engineConfig with `web`'s image replaced and, given `pull`, its pull policy set. */
function config(o: { image?: string; pull?: string; extra?: string } = {}): string {
  const text = engineConfig({ extra: o.extra }).replace('image: shop/web', `image: ${o.image ?? 'shop/web'}`);
  return o.pull ? text.replace('stop-grace: 10s', `stop-grace: 10s\n    pull: ${o.pull}`) : text;
}

function world(): World {
  const w = new World();
  installNginx(w.host().transport);
  return w;
}

const deploy = (w: World, cfg: string, version: string) =>
  runFlow(deployAction, { world: w, config: cfg, inputs: { ...ENV, version } });

/** What the journal recorded for `web` in its `n`th release. */
const recorded = (w: World, n: number) => {
  const s = journalOf(w).raw.releases[n]?.services.web;
  return { imageId: s?.imageId, repoDigests: s?.repoDigests };
};

describe('deploy flow: image pull policy', () => {
  it('default for a registry image: a tag pushed again is pulled, and its new id and digest are deployed and recorded', async () => {
    const w = world();
    const engine = w.host().engine;
    expect((await deploy(w, config({ image: REG }), 'staging')).failed).toEqual([]);
    const first = recorded(w, 0);
    const newId = engine.republish(`${REG}:staging`);
    expect(newId).not.toBe(first.imageId);

    const r = await deploy(w, config({ image: REG }), 'staging');

    expect(r.failed).toEqual([]);
    const id = r.outputs['release-id'] ?? '';
    expect(r.engineCalls.slice(0, 3)).toEqual([
      `pullImage ${REG}:staging`,
      `createContainer ${replica(id, 0)}`,
      `startContainer ${replica(id, 0)}`,
    ]);
    const digest = engine.images.find((i) => i.id === newId)?.repoDigests[0] ?? '';
    expect(digest).toMatch(new RegExp(`^${REG}@sha256:`));
    expect(recorded(w, 1)).toEqual({ imageId: newId, repoDigests: [digest] });
    const started = [...engine.containers.values()].filter((c) => c.name.startsWith(replica(id, 0).slice(0, -1)));
    expect(started.map((c) => c.imageId)).toEqual([newId, newId]);
    expect(r.lines).toContainEqual(
      expect.stringContaining(`web1: web starts ${REG}:staging → ${newId.slice(0, 19)}… (${digest})`),
    );
    expect(r.lines).toContainEqual(expect.stringContaining(`${REG}:staging was pushed again`));
  });

  it('pull: missing keeps the image already on the target, even when the registry has a newer one', async () => {
    const w = world();
    const cfg = config({ image: REG, pull: 'missing' });
    await deploy(w, cfg, 'staging');
    const first = recorded(w, 0);
    w.host().engine.republish(`${REG}:staging`);

    const r = await deploy(w, cfg, 'staging');

    expect(r.failed).toEqual([]);
    expect(r.engineCalls.filter((c) => c.startsWith('pullImage'))).toEqual([]);
    expect(recorded(w, 1)).toEqual(first);
    expect(r.lines).toContainEqual(
      expect.stringContaining(
        `web1/web: ${REG}:staging is on the target, not pulled (pull: missing, services.web.pull)`,
      ),
    );
  });

  it('pull: never refuses an image that is not on the target, naming it, before any container changes', async () => {
    const w = world();

    const r = await deploy(w, config({ image: REG, pull: 'never' }), 'v1');

    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringContaining(`web1/web: image ${REG}:v1 is not on the target and pull is never`),
    ]);
    expect(r.engineCalls).toEqual([]);
    expect(journalOf(w).releases).toEqual([['v1', 'failed']]);
  });

  it('pull: never with two targets: an image missing on the second stops the deploy before the first changes', async () => {
    const w = world();
    installNginx(w.host('web2').transport);
    w.host().engine.addImage(`${REG}:v1`);
    const two = config({ image: REG, pull: 'never' }).replace(
      '        ssh: { host: 10.0.0.5, user: deploy }\n',
      '        ssh: { host: 10.0.0.5, user: deploy }\n      - name: web2\n        ssh: { host: 10.0.0.6, user: deploy }\n',
    );

    const r = await deploy(w, two, 'v1');

    expect(r.failed).toEqual([
      `pull is never, and this image is not on the target: web2: ${REG}:v1; nothing was changed on any target: load or build it there first, or set pull: missing`,
    ]);
    expect(r.engineCalls.filter((c) => !c.startsWith('inspect') && !c.startsWith('list'))).toEqual([]);
    expect(journalOf(w).releases).toEqual([['v1', 'failed']]);
  });

  it('pull: never deploys an image that is on the target without pulling it', async () => {
    const w = world();
    w.host().engine.addImage(`${REG}:v1`);

    const r = await deploy(w, config({ image: REG, pull: 'never' }), 'v1');

    expect(r.failed).toEqual([]);
    expect(r.engineCalls.filter((c) => c.startsWith('pullImage'))).toEqual([]);
  });

  it('default for a local image (no registry host): never pulled; the journal records its id and no digest', async () => {
    const w = world();
    const localId = w.host().engine.addLocalImage('shop/web:v1');

    const r = await deploy(w, config(), 'v1');

    expect(r.failed).toEqual([]);
    expect(r.engineLog.filter((c) => c.includes('pullImage'))).toEqual([]);
    expect(recorded(w, 0)).toEqual({ imageId: localId, repoDigests: [] });
    expect(r.lines).toContainEqual(
      expect.stringContaining(
        `web starts shop/web:v1 → ${localId.slice(0, 19)}… (no registry digest: built or loaded on the host)`,
      ),
    );
  });

  it('pull: always on a local image fails on the pull, before any container changes', async () => {
    const w = world();
    w.host().engine.addLocalImage('shop/web:v1');

    const r = await deploy(w, config({ pull: 'always' }), 'v1');

    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([expect.stringContaining('pull access denied for shop/web:v1')]);
    expect(r.engineCalls).toEqual(['pullImage shop/web:v1']);
  });
});

describe('deploy flow: retention keeps images no registry can give back', () => {
  const keep2 = '  keep-releases: 2\n';

  it('a locally built image without repo digests is kept when its release is removed, and the log says why', async () => {
    const w = world();
    const engine = w.host().engine;
    const v1 = engine.addLocalImage('shop/web:v1');
    engine.addLocalImage('shop/web:v2');
    engine.addLocalImage('shop/web:v3');
    for (const v of ['v1', 'v2']) expect((await deploy(w, config({ extra: keep2 }), v)).failed).toEqual([]);

    const r = await deploy(w, config({ extra: keep2 }), 'v3');

    expect(r.failed).toEqual([]);
    expect(r.engineCalls.filter((c) => c.startsWith('removeContainer'))).toHaveLength(2);
    expect(r.engineCalls.filter((c) => c.startsWith('removeImage'))).toEqual([]);
    expect(engine.images.map((i) => i.id)).toContain(v1);
    expect(r.lines).toContainEqual(
      expect.stringContaining(`retention: image ${v1.slice(0, 19)}… (shop/web:v1) kept: it has no registry digest`),
    );
  });

  it('a pulled image (with a repo digest) is removed with its release', async () => {
    const w = world();
    const engine = w.host().engine;
    for (const v of ['v1', 'v2']) expect((await deploy(w, config({ extra: keep2 }), v)).failed).toEqual([]);
    const v1 = recorded(w, 0).imageId ?? '';

    const r = await deploy(w, config({ extra: keep2 }), 'v3');

    expect(r.engineCalls).toContain(`removeImage ${v1.slice(0, 19)}`);
    expect(engine.images.map((i) => i.id)).not.toContain(v1);
  });
});
