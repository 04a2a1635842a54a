/**
 * Rollback of a service with no proxy in front (recreate on a fixed port, the runbooks' hotfix set-up): clients know
 * the port, so the release comes back on it — its kept container when there is one, else a new container of its
 * recorded image — after the serving one is stopped.
 */
import { execFileSync } from 'node:child_process';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { deployEnv } from './helpers/deploy-env.js';
import { sandboxPart } from './helpers/sandbox.js';

const docker = (...args: string[]): string =>
  execFileSync('docker', ['-H', `unix://${sandboxPart('docker').socket}`, ...args], { encoding: 'utf8' }).trim();
const running = (app: string) =>
  docker('ps', '-q', '--no-trunc', '--filter', `label=io.runbook.app=${app}`)
    .split('\n')
    .filter((l) => l !== '');

describe('rollback without a proxy: the release comes back on its own port', () => {
  const env = deployEnv({ app: 'rbinplace', ports: [18780, 18780], replicas: 1, strategy: 'recreate', proxy: false });
  const version = async () => (await (await request('http://127.0.0.1:18780/version')).body.text()).trim();
  const rollback = (inputs: Record<string, string> = {}) =>
    runStep('rollback', { inputs: { config: env.config, environment: 'sandbox', ...inputs }, timeoutMs: 120_000 });
  afterAll(() => {
    const ids = docker('ps', '-aq', '--filter', 'label=io.runbook.app=rbinplace')
      .split('\n')
      .filter((l) => l);
    if (ids.length > 0) docker('rm', '-f', ...ids);
  });

  it('v1 then v2 on port 18780; rollback starts the kept v1 container on the same port', async () => {
    for (const v of ['v1', 'v2']) expect((await env.deploy(v)).code).toBe(0);
    expect(await version()).toBe('v2');
    const r = await rollback();
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/no proxy in front: stopping \S+-v2-0 and starting \S+-v1 again/);
    expect(r.stdout).toMatch(/started the kept \S+-v1-0 on port 18780/);
    expect(await version()).toBe('v1');
    const v1 = env.journal().releases.find((x) => x.version === 'v1');
    expect(running('rbinplace')).toEqual([(v1?.services.api?.replicas[0] as { id?: string } | undefined)?.id]);
  });

  it("back to v2 after its kept container is gone: a new container of v2's recorded image, on the same port", async () => {
    const v2 = env.journal().releases.find((x) => x.version === 'v2');
    docker('rm', '-f', ...docker('ps', '-aq', '--filter', `label=io.runbook.release=${v2?.id}`).split('\n'));
    const r = await rollback({ 'release-id': v2?.id ?? '' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/no kept container of this release; starting new containers of sha256:/);
    expect(await version()).toBe('v2');
    const [id] = running('rbinplace');
    expect(docker('inspect', '--format', '{{.Image}}', id ?? '')).toBe(v2?.services.api?.imageId);
  });
});
