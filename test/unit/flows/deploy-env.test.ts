/**
 * The deploy's `env` input, whole flows: a config-only release (same version, new containers with the values,
 * journaled), values carried to later deploys until env-reset, a rollback that gives new containers the restored
 * release's values, refusals before anything changes, the dry-run plan, status; and the compose driver, where the
 * values travel in the environment of the compose commands and the resolved file must carry them.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, rollbackAction, statusAction } from '../../../src/actions/catalog.js';
import { pipelineAction } from '../../../src/actions/declare/pipeline.js';
import { engineConfig, JOURNAL } from './configs.js';
import { journalOf, runFlow } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };

const config = engineConfig().replace(
  '    stop-grace: 10s\n',
  `    stop-grace: 10s
    env: { FEATURE_X: "true", LOG_LEVEL: info }
    secret-env: { DATABASE_URL: SHOP_DB_URL }
`,
);
const RUNNER_ENV = { SHOP_DB_URL: 'postgres://shop:pw-0f-the-db@db/shop' };

function world(): World {
  const w = new World();
  installNginx(w.host().transport);
  return w;
}

/** The FEATURE_X of each running container, by release. */
function running(w: World): Array<[string, string | undefined]> {
  return [...w.host().engine.containers.values()]
    .filter((c) => c.state === 'running')
    .map((c): [string, string | undefined] => [c.spec.labels?.['io.runbook.release'] ?? '', c.spec.env?.FEATURE_X])
    .sort();
}

async function deploy(w: World, inputs: Record<string, string>, cfg = config) {
  return runFlow(deployAction, { world: w, config: cfg, env: RUNNER_ENV, inputs: { ...ENV, ...inputs } });
}

describe('deploy flow: env (a config-only release)', () => {
  it('deploys the same version again with the value: a new release, new containers, the change journaled', async () => {
    const w = world();
    const v1 = await deploy(w, { version: 'v1' });
    expect(v1.failed).toEqual([]);
    const off = await deploy(w, { version: 'v1', env: 'FEATURE_X=false\n' });
    expect(off.failed).toEqual([]);
    const [first, second] = journalOf(w).raw.releases;
    expect(second).toMatchObject({
      version: 'v1',
      status: 'live',
      previous: first?.id,
      env: { web: { FEATURE_X: 'false' } },
      envChanges: [{ service: 'web', name: 'FEATURE_X', from: 'true', to: 'false' }],
    });
    expect(second?.id).not.toBe(first?.id);
    expect(second?.services.web?.imageId).toBe(first?.services.web?.imageId);
    expect(first?.env).toBeUndefined();
    expect(running(w)).toEqual([
      [second?.id, 'false'],
      [second?.id, 'false'],
    ]);
    // The other values as the config says, the secret as secret-env gives it (never journaled).
    const spec = [...w.host().engine.containers.values()].find((c) => c.state === 'running')?.spec;
    expect(spec?.env).toMatchObject({ LOG_LEVEL: 'info', DATABASE_URL: RUNNER_ENV.SHOP_DB_URL });
    expect(w.host().transport.fs.files.get(JOURNAL)).not.toContain('pw-0f-the-db');
    expect(off.lines).toContainEqual(expect.stringContaining('env changes: web.FEATURE_X: true → false'));
    expect(off.summary.join('\n')).toMatch(/Env changes: .*web\.FEATURE_X: true → false/);
  });

  it('a later deploy without env keeps the value in force; env-reset goes back to the config', async () => {
    const w = world();
    await deploy(w, { version: 'v1' });
    await deploy(w, { version: 'v1', env: 'FEATURE_X=false' });
    const v2 = await deploy(w, { version: 'v2' });
    expect(v2.failed).toEqual([]);
    expect(v2.lines).toContainEqual(
      expect.stringMatching(
        /^env of web \(the env input, in force until env-reset: true\): FEATURE_X=false \(carried from \S+-v1; the config says true\)$/,
      ),
    );
    let releases = journalOf(w).raw.releases;
    expect(releases[2]).toMatchObject({ version: 'v2', env: { web: { FEATURE_X: 'false' } } });
    expect(releases[2]?.envChanges).toBeUndefined();
    expect(running(w).map(([, v]) => v)).toEqual(['false', 'false']);

    const reset = await deploy(w, { version: 'v2', 'env-reset': 'true' });
    expect(reset.failed).toEqual([]);
    releases = journalOf(w).raw.releases;
    expect(releases[3]?.env).toBeUndefined();
    expect(releases[3]?.envChanges).toEqual([{ service: 'web', name: 'FEATURE_X', from: 'false', to: 'true' }]);
    expect(running(w).map(([, v]) => v)).toEqual(['true', 'true']);
  });

  it('rollback brings the previous values back: kept containers, or new ones with the recorded values', async () => {
    const w = world();
    await deploy(w, { version: 'v1', env: 'FEATURE_X=on' });
    await deploy(w, { version: 'v1', env: 'FEATURE_X=off' });
    const [first] = journalOf(w).raw.releases;
    // The kept containers of the first release are gone: the rollback creates new ones, with its values.
    const engine = w.host().engine;
    for (const [id, c] of engine.containers)
      if (c.spec.labels?.['io.runbook.release'] === first?.id) engine.containers.delete(id);
    const r = await runFlow(rollbackAction, { world: w, config, env: RUNNER_ENV, inputs: { ...ENV, reason: 'flag' } });
    expect(r.failed).toEqual([]);
    expect(r.engineCalls.filter((c) => c.startsWith('createContainer'))).toHaveLength(2);
    expect(running(w)).toEqual([
      [first?.id, 'on'],
      [first?.id, 'on'],
    ]);
    expect(journalOf(w).releases).toEqual([
      ['v1', 'live'],
      ['v1', 'rolled-back'],
    ]);
    // The next deploy carries the values of the live release: the restored one's.
    await deploy(w, { version: 'v2' });
    expect(journalOf(w).raw.releases[2]?.env).toEqual({ web: { FEATURE_X: 'on' } });
    expect(running(w).map(([, v]) => v)).toEqual(['on', 'on']);
  });

  it('with strategy recreate too: the old replicas stopped (kept), new ones with the value on their ports', async () => {
    const w = world();
    const recreate = config.replace('type: rolling', 'type: recreate');
    await deploy(w, { version: 'v1' }, recreate);
    const r = await deploy(w, { version: 'v1', env: 'web.FEATURE_X=false' }, recreate);
    expect(r.failed).toEqual([]);
    const live = journalOf(w).raw.releases[1];
    expect(live).toMatchObject({ strategy: 'recreate', status: 'live', env: { web: { FEATURE_X: 'false' } } });
    expect(running(w)).toEqual([
      [live?.id, 'false'],
      [live?.id, 'false'],
    ]);
    expect(live?.services.web?.replicas.map((x) => x.port)).toEqual(
      journalOf(w).raw.releases[0]?.services.web?.replicas.map((x) => x.port),
    );
  });

  it('refuses a secret-env name, the port variable or an unknown service before the lock or any change', async () => {
    for (const [env, message] of [
      [
        'DATABASE_URL=postgres://x',
        /input "env" line 1 \(DATABASE_URL\): DATABASE_URL is in services\.web\.secret-env/,
      ],
      ['FEATURE_X=0\napi.X=1', /input "env" line 2 \(api\.X\): the config has no service api \(services: web\)/],
      ['DOCKER_HOST=tcp://evil:2375', /DOCKER_HOST steers the shell or the docker and compose tools/],
      ['PORT=1', /input "env" line 1 \(PORT\): PORT is services\.web\.port-env/],
      ['feature=1', /input "env": "feature=1" is not valid: line 1 \("feature=1"\): "feature" is not a variable name/],
    ] as const) {
      const w = world();
      const r = await deploy(w, { version: 'v1', env });
      expect(r.ok).toBe(false);
      expect(r.failed).toEqual([expect.stringMatching(message)]);
      expect(r.engineCalls).toEqual([]);
      expect(w.host().transport.fs.exists(JOURNAL)).toBe(false);
    }
  });

  it('the root action refuses the same lines before its first stage (no check, backup or migration ran)', async () => {
    const w = world();
    const r = await runFlow(pipelineAction, {
      world: w,
      config,
      env: RUNNER_ENV,
      inputs: { ...ENV, version: 'v1', env: 'FEATURE_X=false\nDATABASE_URL=postgres://x' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringMatching(/^input "env" line 2 \(DATABASE_URL\): DATABASE_URL is in services\.web\.secret-env/),
    ]);
    expect(r.commands).toEqual([]);
    expect(r.engineCalls).toEqual([]);
  });

  it('the dry run shows the values and the change, and changes nothing', async () => {
    const w = world();
    await deploy(w, { version: 'v1' });
    const before = w.host().transport.fs.files.get(JOURNAL);
    const r = await deploy(w, { version: 'v1', env: 'FEATURE_X=false\nNEW_FLAG=1', 'dry-run': 'true' });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain(
      'env of web (the env input, in force until env-reset: true): FEATURE_X=false (this deploy; the config says true), NEW_FLAG=1 (this deploy)',
    );
    expect(r.lines).toContain('env changes: web.FEATURE_X: true → false; web.NEW_FLAG: (unset) → 1');
    expect(r.engineCalls).toEqual([]);
    expect(w.host().transport.fs.files.get(JOURNAL)).toBe(before);
  });

  it('status shows each release’s change and the values in force', async () => {
    const w = world();
    await deploy(w, { version: 'v1' });
    await deploy(w, { version: 'v1', env: 'FEATURE_X=false' });
    const r = await runFlow(statusAction, { world: w, config, inputs: ENV });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('      env changed: web.FEATURE_X: true → false');
    expect(r.lines).toContain('      env in force (the env input, until env-reset): web.FEATURE_X=false');
  });
});

const composeConfig = `app: shop
environments:
  production:
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, user: deploy }
services:
  web:
    image: shop/web
    port: 8080
compose: { directory: /srv/shop }
strategy:
  type: recreate
`;

/** A compose world whose `config` resolves FEATURE_X from its environment when `interpolates`, else as "true". */
function composeWorld(interpolates: boolean): World {
  const w = new World();
  const t = w.host().transport;
  let up = false;
  t.script(['docker', 'compose'], (argv, call) => {
    if (argv.includes('up')) up = true;
    if (argv.includes('config')) {
      const value = interpolates ? (call.env?.FEATURE_X ?? 'true') : 'true';
      return { stdout: `services:\n  web:\n    image: shop/web:v1\n    environment:\n      FEATURE_X: "${value}"\n` };
    }
    return { stdout: argv.includes('ps') && up ? 'c0ffee\n' : '' };
  });
  t.script(['docker', 'inspect'], () => ({ stdout: 'sha256:1111\n' }));
  t.script(['docker', 'image', 'inspect'], (argv) =>
    argv.includes('{{json .RepoDigests}}') ? { stdout: '[]\n' } : { stdout: 'sha256:1111\n' },
  );
  t.script(['docker', 'tag'], () => ({}));
  return w;
}

describe('deploy flow: env with the compose driver', () => {
  it('runs compose with the values in its environment, after compose config shows the service takes them', async () => {
    const w = composeWorld(true);
    const r = await runFlow(deployAction, {
      world: w,
      config: composeConfig,
      inputs: { ...ENV, version: 'v1', env: 'FEATURE_X=false' },
    });
    expect(r.failed).toEqual([]);
    const compose = r.execs.filter((e) => e.argv[1] === 'compose');
    const config = compose.findIndex((e) => e.argv.includes('config'));
    expect(config).toBeGreaterThanOrEqual(0);
    expect(compose[config]?.env).toMatchObject({ FEATURE_X: 'false' });
    expect(config).toBeLessThan(compose.findIndex((e) => e.argv.includes('up')));
    const up = compose.find((e) => e.argv.includes('up'));
    expect(up?.env).toMatchObject({ FEATURE_X: 'false', APP_VERSION: 'v1' });
    expect(journalOf(w).raw.releases[0]?.env).toEqual({ web: { FEATURE_X: 'false' } });
  });

  it('refuses values the compose file would not give the container, before compose up', async () => {
    const w = composeWorld(false);
    const r = await runFlow(deployAction, {
      world: w,
      config: composeConfig,
      inputs: { ...ENV, version: 'v1', env: 'FEATURE_X=false\nOTHER=1' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringContaining(
        'web1/web: the compose file does not give web the env values of this release: FEATURE_X (the file sets it otherwise: a literal, or an env_file entry), OTHER (the service does not name it). Compose passes a value on only where',
      ),
    ]);
    expect(r.execs.some((e) => e.argv.includes('up'))).toBe(false);
  });

  it('rollback recreates the same image with the values before (not "already running"), compose up without them', async () => {
    const w = composeWorld(true);
    for (const env of ['', 'FEATURE_X=false']) {
      const r = await runFlow(deployAction, {
        world: w,
        config: composeConfig,
        inputs: { ...ENV, version: 'v1', env },
      });
      expect(r.failed).toEqual([]);
    }
    const r = await runFlow(rollbackAction, { world: w, config: composeConfig, inputs: { ...ENV, smoke: 'false' } });
    expect(r.failed).toEqual([]);
    expect(r.lines.join('\n')).not.toContain('already running');
    const up = r.execs.filter((e) => e.argv[1] === 'compose' && e.argv.includes('up'));
    expect(up).toHaveLength(1);
    expect(up[0]?.env).not.toHaveProperty('FEATURE_X');
    expect(journalOf(w).releases).toEqual([
      ['v1', 'live'],
      ['v1', 'rolled-back'],
    ]);
  });

  it('the dry run prints the compose commands with the values: the check (config), then up', async () => {
    const r = await runFlow(deployAction, {
      world: composeWorld(true),
      config: composeConfig,
      inputs: { ...ENV, version: 'v1', env: 'FEATURE_X=false', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('    $ cd -- /srv/shop && exec env APP_VERSION=v1 FEATURE_X=false docker compose config');
    expect(r.lines).toContain(
      '    $ cd -- /srv/shop && exec env APP_VERSION=v1 FEATURE_X=false docker compose up -d --no-deps --force-recreate --scale web=1 web',
    );
    expect(r.execs.some((e) => e.argv[1] === 'compose')).toBe(false);
  });

  it('without env values, runs no extra compose config', async () => {
    const r = await runFlow(deployAction, {
      world: composeWorld(true),
      config: composeConfig,
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    expect(r.execs.some((e) => e.argv.includes('config'))).toBe(false);
  });
});
