import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { startLoad } from './helpers/load.js';
import { REPO_ROOT, sandboxPart } from './helpers/sandbox.js';
import { freshSandboxUpstream, nginxProxyYaml } from './helpers/yaml.js';

describe('deploy with the compose driver (docker-compose 1.29) behind nginx', () => {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  freshSandboxUpstream(nginx);
  const dir = mkdtempSync(join(tmpdir(), 'deploy-compose-'));
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: rbcompose
environments:
  sandbox:
    targets: [{ name: local, local: true, env: { DOCKER_HOST: "${docker.host}", APP_PORT: "18160" } }]
    state-dir: ${dir}/state
compose:
  command: [docker-compose]
  directory: ${join(REPO_ROOT, 'test/fixtures/compose')}
  project: rbcompose
  version-env: APP_VERSION
  pull: false
services:
  app:
    image: runbook-test-app
    port: 18160
    network: host
    health: { http: { path: /health, expect: { json: { status: ok } } }, interval: 300ms, deadline: 6s, stable: 500ms }
strategy:
  type: recreate
${nginxProxyYaml(nginx)}`,
  );
  const deploy = (version: string) =>
    runStep('deploy', { inputs: { config, environment: 'sandbox', version }, timeoutMs: 120_000 });
  const served = async () => {
    const agent = new Agent();
    try {
      return (
        await (await request(`http://127.0.0.1:${nginx.port}/version`, { dispatcher: agent })).body.text()
      ).trim();
    } finally {
      await agent.close();
    }
  };
  const journal = () => JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'));
  const dockerCli = (...args: string[]) =>
    execFileSync('docker', args, {
      env: { ...process.env, DOCKER_HOST: docker.host },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const imageId = (ref: string) => dockerCli('image', 'inspect', '--format', '{{.Id}}', ref);
  const hasImage = (ref: string) => {
    try {
      imageId(ref);
      return true;
    } catch {
      return false;
    }
  };
  /** The image id each container of the compose project runs. */
  const runningImages = () =>
    dockerCli('ps', '-q', '--filter', 'label=com.docker.compose.project=rbcompose')
      .split('\n')
      .map((id) => dockerCli('inspect', '--format', '{{.Image}}', id));
  const release = (version: string) => journal().releases.findLast((r: { version: string }) => r.version === version);

  it('dry run prints the exact compose commands', async () => {
    const r = await runStep('deploy', { inputs: { config, environment: 'sandbox', version: 'v2', 'dry-run': 'true' } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      `$ cd -- ${join(REPO_ROOT, 'test/fixtures/compose')} && exec env APP_VERSION=v2 DOCKER_HOST=${docker.host} APP_PORT=18160 docker-compose -p rbcompose up -d --no-deps --force-recreate --scale app=1 app`,
    );
  });

  it('recreate v1 then v2: served by nginx, no :rollback tag written, journal says compose', async () => {
    // The engine driver's tests tag :rollback in this dockerd too: start without one, to see that none is written.
    if (hasImage('runbook-test-app:rollback')) dockerCli('rmi', 'runbook-test-app:rollback');
    expect((await deploy('v1')).code).toBe(0);
    const r = await deploy('v2');
    expect(r.code, r.stdout).toBe(0);
    expect(await served()).toBe('v2');
    expect(readFileSync(nginx.upstreamFile, 'utf8')).toContain('server 127.0.0.1:18160 ');
    expect(hasImage('runbook-test-app:rollback')).toBe(false);
    expect(release('v2').services.app.imageId).toBe(imageId('runbook-test-app:v2'));
    expect(journal().releases.at(-1)).toMatchObject({ version: 'v2', status: 'live', driver: 'compose' });
    const fixture = readFileSync(join(REPO_ROOT, 'test/fixtures/compose/docker-compose.yml'), 'utf8');
    const expected = createHash('sha256').update(`docker-compose.yml\0${fixture}\0`).digest('hex');
    expect(journal().releases.at(-1).composeHash).toBe(`sha256:${expected}`);
  });

  it('a version that never gets healthy fails, and the image v2 ran is brought back up, though its tag moved', async () => {
    const recorded = release('v2').services.app.imageId as string;
    const moved = imageId('runbook-test-app:v3');
    expect(moved).not.toBe(recorded);
    dockerCli('tag', 'runbook-test-app:v3', 'runbook-test-app:v2'); // someone moved the tag since (v3 answers "v3")
    try {
      const load = startLoad(`http://127.0.0.1:${nginx.port}/version`, { workers: 1, ratePerSecond: 20 });
      const r = await deploy('never-healthy');
      const result = await load.stop();
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/bringing v2 back up/);
      expect(r.stdout).toContain(`runbook-test-app:v2 → ${recorded.slice(0, 19)} (the image it ran)`);
      expect(runningImages()).toEqual([recorded]);
      expect(await served()).toBe('v2');
      expect(imageId('runbook-test-app:v2')).toBe(recorded);
      expect(hasImage('runbook-test-app:rollback')).toBe(false);
      expect(journal().releases.at(-1)).toMatchObject({ version: 'never-healthy', status: 'failed' });
      // Recreate has a gap by design (the runbook's hotfix path): some requests fail, and the log says why.
      expect(result.requests).toBeGreaterThan(0);
    } finally {
      dockerCli('tag', recorded, 'runbook-test-app:v2');
    }
  });

  it('rollback (compose): the v1 tag is pointed back at the image v1 ran, even after it moved; v1 serves', async () => {
    const v1 = release('v1');
    const recorded = v1.services.app.imageId as string;
    expect(recorded).toMatch(/^sha256:/);
    dockerCli('tag', 'runbook-test-app:v3', 'runbook-test-app:v1'); // someone moved the tag since
    try {
      const r = await runStep('rollback', { inputs: { config, environment: 'sandbox' }, timeoutMs: 120_000 });
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs).toMatchObject({ 'restored-release-id': v1.id, 'restored-version': 'v1' });
      expect(r.stdout).toMatch(/runbook-test-app:v1 → sha256:[0-9a-f]{12}/);
      expect(await served()).toBe('v1');
      expect(imageId('runbook-test-app:v1')).toBe(recorded);
      expect(runningImages()).toEqual([recorded]);
      expect(journal().releases.map((x: { version: string; status: string }) => `${x.version}:${x.status}`)).toEqual([
        'v1:live',
        'v2:rolled-back',
        'never-healthy:failed',
      ]);
      const again = await runStep('rollback', { inputs: { config, environment: 'sandbox' }, timeoutMs: 120_000 });
      expect(again.code, again.stdout).toBe(0);
      expect(again.stdout).toMatch(/already running sha256:[0-9a-f]{12} \(v1\)/);
    } finally {
      dockerCli('tag', recorded, 'runbook-test-app:v1');
    }
  });
});
