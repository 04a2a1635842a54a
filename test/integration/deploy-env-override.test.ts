/**
 * The feature-flag killswitch as a config-only release, through the committed bundles against the sandbox (dockerd,
 * nginx; engine driver, rolling behind nginx): v1 live with FEATURE_X=true from the config; the deploy of v1 with the
 * env input FEATURE_X=false is a release of its own — the same image id, new containers that have FEATURE_X=false
 * (read from the Engine API), no failed request through nginx — journaled with its change; rollback brings the
 * containers with FEATURE_X=true back, again without a failed request, and the journal records both. The same with
 * the compose driver (docker-compose 1.29, rolling replica by replica), whose file takes FEATURE_X from compose's
 * environment; a value the file does not take is refused before anything changes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { type ComposeSite, composeSite } from './helpers/compose-site.js';
import { deployEnv } from './helpers/deploy-env.js';
import { startLoad } from './helpers/load.js';
import { REPO_ROOT, sandboxPart } from './helpers/sandbox.js';
import { appContainers, dockerAt } from './helpers/sandbox-docker.js';

const docker = (...args: string[]): string =>
  execFileSync('docker', ['-H', `unix://${sandboxPart('docker').socket}`, ...args], { encoding: 'utf8' }).trim();
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
/** Running containers of the app, with the release label and the FEATURE_X of their environment. */
function running(app: string): Array<{ id: string; release: string; image: string; feature?: string }> {
  const ids = lines(docker('ps', '-q', '--no-trunc', '--filter', `label=io.runbook.app=${app}`));
  return ids.map((id) => {
    const [release = '', image = '', env = '[]'] = docker(
      'inspect',
      '--format',
      '{{index .Config.Labels "io.runbook.release"}} {{.Image}} {{json .Config.Env}}',
      id,
    ).split(' ');
    const entry = (JSON.parse(env) as string[]).find((e) => e.startsWith('FEATURE_X='));
    return { id, release, image, feature: entry?.slice('FEATURE_X='.length) };
  });
}
function removeApp(app: string): void {
  const ids = lines(docker('ps', '-aq', '--filter', `label=io.runbook.app=${app}`));
  if (ids.length > 0) docker('rm', '-f', ...ids);
}

describe('feature-flag killswitch: a config-only release and its rollback (real dockerd + nginx, engine driver)', () => {
  const app = 'rbenvflag';
  const e = deployEnv({ app, ports: [18940, 18959] });
  // The same environment with FEATURE_X=true in services.api.env.
  const config = e.config.replace('.yml', '-flag.yml');
  writeFileSync(
    config,
    readFileSync(e.config, 'utf8').replace(
      '    stop-grace: 3s\n',
      '    stop-grace: 3s\n    env: { FEATURE_X: "true" }\n',
    ),
  );
  const deploy = (inputs: Record<string, string> = {}) => e.deploy('v1', { config, ...inputs });
  /** rollback's main step, then its post step with the saved state, as the runner does. */
  const rollback = async (): Promise<StepResult> => {
    const inputs = { config, environment: 'sandbox', reason: 'FEATURE_X back on' };
    const r = await runStep('rollback', { inputs, timeoutMs: 120_000 });
    expect(readFileSync(join(REPO_ROOT, 'actions', 'rollback', 'action.yml'), 'utf8')).toContain('\n  post:');
    const post = await runStep('rollback', { inputs, state: r.state });
    expect(post.code, post.stdout).toBe(0);
    return r;
  };
  let first = '';
  let killswitch = '';
  afterAll(() => removeApp(app));

  it('v1 goes live with the config value FEATURE_X=true', async () => {
    removeApp(app);
    const r = await deploy();
    expect(r.code, r.stdout).toBe(0);
    first = r.outputs['release-id'] ?? '';
    const now = running(app);
    expect(now).toHaveLength(2);
    expect(now.map((c) => [c.release, c.feature])).toEqual([
      [first, 'true'],
      [first, 'true'],
    ]);
    expect(e.journal().releases.at(-1)?.env).toBeUndefined();
  });

  it('the dry run of the killswitch shows the change and changes nothing', async () => {
    const before = readFileSync(join(e.stateDir, 'sandbox', 'journal.json'), 'utf8');
    const r = await deploy({ env: 'FEATURE_X=false', 'dry-run': 'true' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('env changes: api.FEATURE_X: true → false');
    expect(readFileSync(join(e.stateDir, 'sandbox', 'journal.json'), 'utf8')).toBe(before);
    expect(running(app).map((c) => c.release)).toEqual([first, first]);
  });

  it('v1 with env FEATURE_X=false: a new release of the same image, FEATURE_X=false in the containers, 0 failed requests', async () => {
    const imageBefore = running(app)[0]?.image;
    const load = startLoad(`${e.url}/version`, { workers: 4 });
    const r = await deploy({ env: 'FEATURE_X=false\n' });
    const traffic = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(traffic.requests).toBeGreaterThan(50);
    expect(Object.keys(traffic.bodies)).toEqual(['v1']);
    killswitch = r.outputs['release-id'] ?? '';
    expect(killswitch).not.toBe(first);
    expect(r.outputs).toMatchObject({ 'previous-release-id': first, 'previous-version': 'v1' });
    const now = running(app);
    expect(now.map((c) => [c.release, c.feature, c.image])).toEqual([
      [killswitch, 'false', imageBefore],
      [killswitch, 'false', imageBefore],
    ]);
    const [a, b] = e.journal().releases;
    expect(a).toMatchObject({ id: first, version: 'v1', status: 'superseded' });
    expect(b).toMatchObject({
      id: killswitch,
      version: 'v1',
      status: 'live',
      previous: first,
      env: { api: { FEATURE_X: 'false' } },
      envChanges: [{ service: 'api', name: 'FEATURE_X', from: 'true', to: 'false' }],
    });
    expect(b?.services.api?.imageId).toBe(a?.services.api?.imageId);
    expect(r.stdout).toContain('env changes: api.FEATURE_X: true → false');
  });

  it('rollback: the containers with FEATURE_X=true serve again, 0 failed requests; the journal records both', async () => {
    const load = startLoad(`${e.url}/version`, { workers: 4 });
    const r = await rollback();
    const traffic = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(traffic.requests).toBeGreaterThan(20);
    expect(r.outputs).toMatchObject({ 'restored-release-id': first, 'rolled-back-release-id': killswitch });
    expect(running(app).map((c) => [c.release, c.feature])).toEqual([
      [first, 'true'],
      [first, 'true'],
    ]);
    const releases = e.journal().releases;
    expect(releases.map((x) => [x.id, x.version, x.status])).toEqual([
      [first, 'v1', 'live'],
      [killswitch, 'v1', 'rolled-back'],
    ]);
    expect(releases[1]).toMatchObject({
      env: { api: { FEATURE_X: 'false' } },
      rollback: { to: first, scope: ['image'], reason: 'FEATURE_X back on' },
    });
    expect(releases[0]?.env).toBeUndefined();
  });

  it('status shows the killswitch release and its change', async () => {
    const r = await runCli(['status', '--config', config, '--env', 'sandbox']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('env changed: api.FEATURE_X: true → false');
    expect(r.out).toContain('env in force (the env input, until env-reset): api.FEATURE_X=false');
  });
});

describe('feature-flag killswitch with the compose driver (docker-compose 1.29, rolling replicas behind nginx)', async () => {
  const site: ComposeSite = await composeSite('rbenvc');
  // The team's compose file takes the flag from compose's environment, true unless set.
  const file = join(site.site, 'docker-compose.yml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      '      PORT: "8080"\n',
      `      PORT: "8080"\n      FEATURE_X: "\${FEATURE_X:-true}"\n`,
    ),
  );
  const host = sandboxPart('docker').host;
  const flags = () =>
    appContainers(host, site.app).map((id) => {
      const env = JSON.parse(dockerAt(host)('inspect', '--format', '{{json .Config.Env}}', id)) as string[];
      return env.find((x) => x.startsWith('FEATURE_X='));
    });
  const step = (action: string, inputs: Record<string, string>) =>
    runStep(action, { inputs: { config: site.config, environment: 'sandbox', ...inputs }, timeoutMs: 180_000 });
  const journal = () =>
    JSON.parse(readFileSync(join(site.config, '..', 'state', 'sandbox', 'journal.json'), 'utf8')) as ReturnType<
      ReturnType<typeof deployEnv>['journal']
    >;
  afterAll(() => site.close());

  it('v1, then v1 with env FEATURE_X=false under load: the replicas get it through compose, 0 failed requests', async () => {
    const v1 = await site.deploy('v1');
    expect(v1.code, v1.stdout).toBe(0);
    expect(flags()).toEqual(['FEATURE_X=true', 'FEATURE_X=true']);
    const load = startLoad(`http://127.0.0.1:${sandboxPart('nginx').port}/version`, { workers: 4 });
    const r = await step('deploy', { version: 'v1', env: 'FEATURE_X=false' });
    const traffic = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(flags()).toEqual(['FEATURE_X=false', 'FEATURE_X=false']);
    expect(journal().releases.at(-1)).toMatchObject({
      version: 'v1',
      status: 'live',
      env: { app: { FEATURE_X: 'false' } },
      envChanges: [{ service: 'app', name: 'FEATURE_X', to: 'false' }],
    });
  });

  it('a value the compose file does not take is refused, naming it, before anything changes', async () => {
    const before = readFileSync(join(site.config, '..', 'state', 'sandbox', 'journal.json'), 'utf8');
    const running = appContainers(host, site.app).sort();
    const r = await step('deploy', { version: 'v1', env: 'OTHER_FLAG=1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the compose file does not give app the env value of this release: OTHER_FLAG');
    expect(appContainers(host, site.app).sort()).toEqual(running);
    // The release was journaled failed; the live one and its containers are as they were.
    const j = journal();
    expect(j.releases.at(-1)).toMatchObject({ status: 'failed' });
    expect(j.releases.filter((x) => x.status === 'live')).toEqual(
      (JSON.parse(before) as typeof j).releases.filter((x) => x.status === 'live'),
    );
  });

  it('rollback under load: FEATURE_X=true again, 0 failed requests', async () => {
    const load = startLoad(`http://127.0.0.1:${sandboxPart('nginx').port}/version`, { workers: 4 });
    const r = await step('rollback', { reason: 'flag back on', smoke: 'false' });
    const traffic = await load.stop();
    expect(r.code, r.stdout).toBe(0);
    expect(traffic.failed, traffic.failures.join('\n')).toBe(0);
    expect(flags()).toEqual(['FEATURE_X=true', 'FEATURE_X=true']);
    expect(
      journal()
        .releases.filter((x) => x.status !== 'failed')
        .map((x) => [x.version, x.status]),
    ).toEqual([
      ['v1', 'live'],
      ['v1', 'rolled-back'],
    ]);
  });
});
