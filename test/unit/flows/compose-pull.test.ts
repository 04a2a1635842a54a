/** deploy, compose driver: `compose pull` before `up` as the service's pull policy says (compose.pull deprecated). */
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/actions/catalog.js';
import { journalOf, runFlow } from './run-flow.js';
import { World } from './world.js';

const ENV = { environment: 'production' };

function config(o: { image: string; pull?: string; compose?: string }): string {
  return `app: shop
environments:
  production:
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, user: deploy }
services:
  web:
    image: ${o.image}
    port: 8080
${o.pull ? `    pull: ${o.pull}\n` : ''}compose: { directory: /srv/shop${o.compose ?? ''} }
strategy:
  type: recreate
`;
}

/** A world whose compose answers: `ps -q` lists one container (after `up`), `inspect` its image id. */
function world(o: { imageOnHost?: boolean } = {}): World {
  const w = new World();
  const t = w.host().transport;
  let up = false;
  t.script(['docker', 'compose'], (argv) => {
    if (argv.includes('up')) up = true;
    return { stdout: argv.includes('ps') && up ? 'c0ffee\n' : '' };
  });
  t.script(['docker', 'inspect'], () => ({ stdout: 'sha256:1111\n' }));
  t.script(['docker', 'image', 'inspect'], (argv) =>
    argv.includes('{{json .RepoDigests}}')
      ? { stdout: '["ghcr.io/acme/web@sha256:abcd"]\n' }
      : o.imageOnHost
        ? { stdout: 'sha256:1111\n' }
        : { code: 1, stderr: 'Error: No such image' },
  );
  return w;
}

const composeVerbs = (r: { execs: Array<{ argv: string[] }> }) =>
  r.execs
    .filter((e) => e.argv[0] === 'docker' && (e.argv[1] === 'compose' || e.argv[1] === 'image'))
    // The registry digests read after up, for the journal, are no pull decision.
    .filter((e) => !e.argv.includes('{{json .RepoDigests}}'))
    .map((e) => e.argv.filter((a) => ['pull', 'up', 'inspect'].includes(a)).join(' '))
    .filter((v) => v !== '');

describe('deploy flow (compose driver): pull policy', () => {
  it('default for a registry image: compose pull, then up', async () => {
    const r = await runFlow(deployAction, {
      world: world(),
      config: config({ image: 'ghcr.io/acme/web' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    expect(composeVerbs(r)).toEqual(['pull', 'up']);
    // The journal records the id and the registry digest of the image the container runs.
    expect(journalOf(r.world).raw.releases[0]?.services.web).toMatchObject({
      imageId: 'sha256:1111',
      repoDigests: ['ghcr.io/acme/web@sha256:abcd'],
    });
  });

  it('default for a local image: no compose pull (up pulls only a missing image)', async () => {
    const r = await runFlow(deployAction, {
      world: world(),
      config: config({ image: 'runbook-test-app' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    expect(composeVerbs(r)).toEqual(['up']);
  });

  it('compose.pull: false still skips the pull, with a deprecation warning', async () => {
    const r = await runFlow(deployAction, {
      world: world(),
      config: config({ image: 'ghcr.io/acme/web', compose: ', pull: false' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    expect(composeVerbs(r)).toEqual(['up']);
    expect(r.lines).toContainEqual(
      expect.stringContaining('compose.pull is deprecated: set services.web.pull: missing instead'),
    );
  });

  it('pull: never with the image missing: fails naming it, before compose up', async () => {
    const r = await runFlow(deployAction, {
      world: world(),
      config: config({ image: 'ghcr.io/acme/web', pull: 'never' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringContaining('web1/web: image ghcr.io/acme/web:v1 is not on the target and pull is never'),
    ]);
    expect(composeVerbs(r)).toEqual(['inspect']);
  });

  it('pull: never with the image on the host: up without a pull', async () => {
    const r = await runFlow(deployAction, {
      world: world({ imageOnHost: true }),
      config: config({ image: 'ghcr.io/acme/web', pull: 'never' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    expect(composeVerbs(r)).toEqual(['inspect', 'up']);
  });
});
