/**
 * deploy and rollback flows with secret-env and env-file (engine driver): the values reach the containers the fake
 * engine creates, and nothing else: not the journal, not a log line, not a file the run writes.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, preDeployCheckAction, rollbackAction } from '../../../src/actions/catalog.js';
import { engineConfig, JOURNAL } from './configs.js';
import { leaksOf, runFlow } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const DB_URL = 'postgres://shop:s3cret-db-pw@db.internal/shop';
const KEY = 'k3y-0f-the-app-4242';
const FILE_SECRET = 'smtp-pa55-from-file';
const ENV_FILE = '/etc/shop/web.env';

const config = engineConfig().replace(
  '    stop-grace: 10s\n',
  `    stop-grace: 10s
    env: { LOG_LEVEL: info }
    secret-env: { DATABASE_URL: SHOP_DB_URL, SECRET_KEY: SECRET_KEY }
    env-file: ${ENV_FILE}
    volumes: [data:/var/lib/app]
    labels: { com.example.team: shop }
`,
);

function worldWithEnvFile(): World {
  const world = new World();
  installNginx(world.host().transport);
  world.host().transport.fs.write(ENV_FILE, `# mail\nSMTP_PASSWORD=${FILE_SECRET}\nLOG_LEVEL=debug\n`);
  return world;
}

const RUNNER_ENV = { SHOP_DB_URL: DB_URL, SECRET_KEY: KEY };

describe('secret-env and env-file (deploy flow)', () => {
  it('puts the values into the containers only, and masks them everywhere else', async () => {
    const world = worldWithEnvFile();
    const r = await runFlow(deployAction, { world, config, env: RUNNER_ENV, inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([]);
    const specs = [...world.host().engine.containers.values()].map((c) => c.spec);
    expect(specs).toHaveLength(2);
    for (const spec of specs) {
      expect(spec.env).toMatchObject({
        SMTP_PASSWORD: FILE_SECRET,
        LOG_LEVEL: 'info',
        DATABASE_URL: DB_URL,
        SECRET_KEY: KEY,
      });
      expect(spec.binds).toEqual(['data:/var/lib/app']);
      expect(spec.labels?.['com.example.team']).toBe('shop');
    }
    // The env-file was read on the target with cat.
    expect(r.commands).toContain(`cat -- ${ENV_FILE}`);
    for (const secret of [DB_URL, KEY, FILE_SECRET]) expect(leaksOf(r, secret, ENV_FILE)).toEqual([]);
    expect(world.host().transport.fs.files.get(JOURNAL)).not.toContain('s3cret');
  });

  it('masks a value that the app itself prints in a failing replica’s log tail', async () => {
    const world = worldWithEnvFile();
    world.behave({ 'shop/web:v1': { exits: 1, logs: `connecting to ${DB_URL}\nsecret ${KEY} rejected\n` } });
    const r = await runFlow(deployAction, { world, config, env: RUNNER_ENV, inputs: { ...ENV, version: 'v1' } });
    expect(r.ok).toBe(false);
    expect(r.lines.join('\n')).toContain('***');
    for (const secret of [DB_URL, KEY]) expect(leaksOf(r, secret, ENV_FILE)).toEqual([]);
  });

  it('masks a value the health answer echoes in the failure the journal keeps', async () => {
    const world = worldWithEnvFile();
    world.behave({ 'shop/web:v1': { http: { status: 500, body: `{"error":"cannot reach ${DB_URL}"}` } } });
    const r = await runFlow(deployAction, { world, config, env: RUNNER_ENV, inputs: { ...ENV, version: 'v1' } });
    expect(r.ok).toBe(false);
    const journal = world.host().transport.fs.files.get(JOURNAL) ?? '';
    expect(journal).toContain('"status": "failed"');
    expect(journal).toContain('***');
    expect(leaksOf(r, DB_URL, ENV_FILE)).toEqual([]);
  });

  it('refuses a deploy whose secret-env variable is missing or empty before anything changes, naming it', async () => {
    const world = worldWithEnvFile();
    const r = await runFlow(deployAction, {
      world,
      config,
      env: { SHOP_DB_URL: DB_URL, SECRET_KEY: '' },
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([expect.stringContaining('runner environment variable SECRET_KEY, which is not set')]);
    expect(r.engineCalls).toEqual([]);
    expect(world.host().transport.fs.exists(JOURNAL)).toBe(false);
    expect(leaksOf(r, DB_URL, ENV_FILE)).toEqual([]);
  });

  it('refuses a deploy whose env-file is missing on the target before any container changes', async () => {
    const world = new World();
    installNginx(world.host().transport);
    const r = await runFlow(deployAction, { world, config, env: RUNNER_ENV, inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([`env-file ${ENV_FILE} does not exist on web1`]);
    expect(r.engineCalls).toEqual([]);
  });
});

describe('secret-env (rollback flow)', () => {
  /** v1 then v2 deployed, then v1's kept containers gone: a rollback to v1 must create new ones. */
  async function v1GoneAfterV2(world: World) {
    for (const version of ['v1', 'v2']) {
      const r = await runFlow(deployAction, { world, config, env: RUNNER_ENV, inputs: { ...ENV, version } });
      expect(r.failed).toEqual([]);
    }
    const engine = world.host().engine;
    for (const [id, c] of engine.containers) if (c.image === 'shop/web:v1') engine.containers.delete(id);
  }

  it('gives the new containers of the recorded image the secrets of the rollback run', async () => {
    const world = worldWithEnvFile();
    await v1GoneAfterV2(world);
    const r = await runFlow(rollbackAction, { world, config, env: RUNNER_ENV, inputs: ENV });
    expect(r.failed).toEqual([]);
    const fresh = [...world.host().engine.containers.values()].filter((c) => c.state === 'running');
    expect(fresh.map((c) => c.spec.env?.DATABASE_URL)).toEqual([DB_URL, DB_URL]);
    expect(fresh.map((c) => c.spec.env?.SMTP_PASSWORD)).toEqual([FILE_SECRET, FILE_SECRET]);
    for (const secret of [DB_URL, KEY, FILE_SECRET]) expect(leaksOf(r, secret, ENV_FILE)).toEqual([]);
  });

  it('fails the rollback naming the variable when new containers need a secret the run lacks', async () => {
    const world = worldWithEnvFile();
    await v1GoneAfterV2(world);
    const r = await runFlow(rollbackAction, { world, config, env: { SECRET_KEY: KEY }, inputs: ENV });
    expect(r.ok).toBe(false);
    expect(r.failed.join('\n')).toContain('SHOP_DB_URL');
    expect(leaksOf(r, KEY, ENV_FILE)).toEqual([]);
  });
});

describe('secret-env in a dry run (a pull request has no secrets)', () => {
  it('plans without the values, naming the ones this run lacks; nothing is refused, nothing changes', async () => {
    const world = worldWithEnvFile();
    const r = await runFlow(deployAction, {
      world,
      config,
      env: { SECRET_KEY: KEY },
      inputs: { ...ENV, version: 'v1', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('secret-env not set in this run (the deploy would stop before any change): SHOP_DB_URL');
    expect(r.engineCalls).toEqual([]);
    expect(leaksOf(r, KEY, ENV_FILE)).toEqual([]);
  });
});

describe('secret-env in pre-deploy-check', () => {
  it('a variable a service hands to its containers is a required secret: missing fails the check, by name', async () => {
    const r = await runFlow(preDeployCheckAction, {
      config,
      env: { SECRET_KEY: KEY },
      inputs: { ...ENV, 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([expect.stringMatching(/^pre-deploy check failed: \* secret SHOP_DB_URL/)]);
    expect(leaksOf(r, KEY, ENV_FILE)).toEqual([]);
  });
});
