import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deployEnv } from './helpers/deploy-env.js';
import { startLoad } from './helpers/load.js';
import { sandboxPart } from './helpers/sandbox.js';

describe('deploy (engine driver) against the real dockerd and nginx', () => {
  const env = deployEnv({ app: 'rbdeploy', ports: [18100, 18109] });

  it('first deploy: v1 goes live behind nginx, journaled, outputs set', async () => {
    const r = await env.deploy('v1');
    expect(r.code, r.stdout).toBe(0);
    expect(await env.served()).toBe('v1');
    expect(r.outputs['previous-release-id']).toBe('');
    const j = env.journal();
    expect(j.releases.at(-1)).toMatchObject({ version: 'v1', status: 'live', id: r.outputs['release-id'] });
    expect(j.releases.at(-1)?.services.api?.replicas).toHaveLength(2);
  });

  it('v1 → v2 rolling under load: no request fails, v2 serves, v1 is superseded and kept', async () => {
    const load = startLoad(`${env.url}/version`, { workers: 4 });
    const r = await env.deploy('v2');
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(result.requests).toBeGreaterThan(50);
    expect(Object.keys(result.bodies).sort()).toEqual(['v1', 'v2']);
    expect(await env.served()).toBe('v2');
    expect(r.outputs['previous-version']).toBe('v1');
    const statuses = env.journal().releases.map((x) => `${x.version}:${x.status}`);
    expect(statuses).toEqual(['v1:superseded', 'v2:live']);
    expect(r.stdout).toMatch(/stopped rbdeploy-sandbox-api-.*-v1-\d \(kept for rollback\)/);
  });

  it.each([
    ['never-healthy', /not healthy within 4s \(deadline\)/],
    ['degraded', /status is "degraded", expected "ok"/],
  ])(
    'a broken version (%s) fails the deploy, v2 keeps serving under load, the journal says failed',
    async (version, why) => {
      const config = env.variant({ deadline: '4s' });
      const load = startLoad(`${env.url}/version`, { workers: 2 });
      const r = await env.deploy(version, { config });
      const result = await load.stop();
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(why);
      expect(result.failed, result.failures.join('\n')).toBe(0);
      expect(Object.keys(result.bodies)).toEqual(['v2']);
      expect(await env.served()).toBe('v2');
      const last = env.journal().releases.at(-1);
      expect(last).toMatchObject({ version, status: 'failed' });
      expect(
        env
          .journal()
          .releases.filter((x) => x.status === 'live')
          .map((x) => x.version),
      ).toEqual(['v2']);
    },
  );

  it('recreate v3: serves v3; the replaced v2 containers are kept with their recorded image, no :rollback tag', async () => {
    const r = await env.deploy('v3', { config: env.variant({ strategy: 'recreate' }) });
    expect(r.code, r.stdout).toBe(0);
    expect(await env.served()).toBe('v3');
    expect(r.stdout).not.toMatch(/:rollback/);
    expect(r.outputs['previous-version']).toBe('v2');
    // What a rollback needs is the journal's image id and the kept containers, not a moving tag.
    const v2 = env.journal().releases.find((x) => x.version === 'v2');
    const kept = v2?.services.api?.replicas ?? [];
    expect(kept.length).toBeGreaterThan(0);
    for (const replica of kept) {
      const image = execFileSync(
        'docker',
        [
          '-H',
          `unix://${sandboxPart('docker').socket}`,
          'inspect',
          '--format',
          '{{.Image}} {{.State.Running}}',
          replica.id,
        ],
        { encoding: 'utf8' },
      ).trim();
      expect(image).toBe(`${v2?.services.api?.imageId} false`);
    }
  });

  it('a version that crashes 20 s after start fails within its stable window; the old version keeps serving', async () => {
    const before = await env.served();
    const config = env.variant({ stable: '25s', deadline: '40s' });
    const load = startLoad(`${env.url}/version`, { workers: 2 });
    const r = await env.deploy('crash', { config });
    const result = await load.stop();
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      /(exited \(code \d+\) while starting|became unhealthy .* after passing|crashed and was restarted)/,
    );
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(await env.served()).toBe(before);
    expect(env.journal().releases.at(-1)).toMatchObject({ version: 'crash', status: 'failed' });
  });

  it("health from the image's own HEALTHCHECK (container: true) gates a rolling deploy", async () => {
    const config = env.variant({ health: 'container' });
    const r = await env.deploy('v2', { config });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/healthy after [\d.]+s \(attempt \d+\): container health: healthy/);
    expect(await env.served()).toBe('v2');
  });
});
