/**
 * From a survey to the proposed runbook.yml for the hand-made server of shop-server.ts (a compose project "shop"
 * behind nginx with PostgreSQL and redis in it): what is proposed, what is left alone, every TODO listed in the
 * header, and every proposal loaded by the real loader.
 */
import { describe, expect, it } from 'vitest';
import { planFrom } from '../../../src/init/plan.js';
import { propose, SHOP, survey, todos } from './shop-server.js';

/** The services and strategy proposed for shop: compose rolling, each replica made from the compose file. */
const SHOP_SERVICES = `services:
  api:
    # Runs ghcr.io/acme/shop-api:1.4.2 now (shop-api-1, shop-api-2).
    image: ghcr.io/acme/shop-api
    replicas: 2
    # network: bridge (the default, for any network but host): replicas join shop_default, as compose does.
    # The container port; each replica publishes it on 127.0.0.1 at its host port (compose's ports: replaced).
    port: 8000
    # Above the ports in use (8000 now): new replicas start beside the old ones.
    host-ports: 8006-8015
    # From the compose file, carried into each replica: its environment (DATABASE_URL, SECRET_KEY, PORT).
    # The image's HEALTHCHECK decides (healthy now).
    health: { container: true }
  worker:
    # Runs ghcr.io/acme/shop-api:1.4.2 now (shop-worker-1).
    image: ghcr.io/acme/shop-api
    # network: bridge (the default, for any network but host): replicas join shop_default, as compose does.
    # From the compose file, carried into each replica: its environment (DATABASE_URL), mounts (/app/media), command.
    # TODO: what your app answers when it is ready (the image has no HEALTHCHECK)
`;
const SHOP_STRATEGY = `strategy:
  # Take-over: the first deploy starts the new replicas on host-ports beside the running compose app, and only
  # when they are healthy does it switch the upstream to them (its other lines stay as they are): no outage.
  # A failed first deploy leaves the upstream file byte for byte as it was. The compose containers keep
  # running out of traffic, so rollback can return to them; stop them once you no longer need them (services
  # without an upstream, like workers, run twice until then):
  #   cd /opt/shop && docker compose -p shop stop api worker
  # Each replica is a container made through the Engine API from its service as \`compose config\` resolves it
  # (env files, environment, volumes, network, healthcheck, command …), on its own port from host-ports.
  # Compose's ports: are replaced by those ports; a key that cannot be carried (privileged, devices, a second
  # network …) is refused before anything changes, and pre-deploy-check names it.
  type: rolling
  driver: compose
  order: [api, worker]
  max-surge: 1
  proxy:
    nginx:
      # upstream shop_api { … } is in /etc/nginx/sites-enabled/shop; its server lines are included from this file.
      # The deploy user must be able to write it (or, for atomic writes, its directory).
      upstream-file: /etc/nginx/upstreams/shop_api.conf
      upstream: shop_api
      service: api
      # TODO: a sudoers rule that allows exactly these two commands (server-setup.md)
      test: [sudo, -n, nginx, -t]
      reload: [sudo, -n, nginx, -s, reload]
      # nginx.conf's pid directive.
      pid-file: /run/nginx.pid
`;

describe('the proposal for a compose app behind nginx with PostgreSQL in the project', () => {
  it('compose rolling behind the upstream found, host ports above the ports in use, the database in compose', async () => {
    const { plan, config, text, resolved } = propose(await survey());
    expect(plan.driver).toBe('compose');
    expect(resolved).toEqual({ strategy: 'rolling', driver: 'compose' });
    expect(config.app).toBe('shop');
    expect(config.environments.production).toMatchObject({
      url: 'https://shop.example.com',
      targets: [{ name: 'web1', kind: 'ssh', ssh: { host: 'web1.example.com', port: 22, user: 'deploy' } }],
    });
    expect(config.services).toEqual({
      api: expect.objectContaining({
        image: 'ghcr.io/acme/shop-api',
        replicas: 2,
        port: 8000,
        network: 'bridge',
        'host-ports': [8006, 8015], // above 8001, past 8005 (something listens there)
        health: expect.objectContaining({ container: true }),
      }),
      worker: expect.objectContaining({ image: 'ghcr.io/acme/shop-api', replicas: 1 }),
    });
    expect(config.services?.worker?.health).toBeUndefined();
    expect(config.strategy).toMatchObject({
      type: 'rolling',
      driver: 'compose',
      order: ['api', 'worker'],
      proxy: {
        nginx: {
          'upstream-file': '/etc/nginx/upstreams/shop_api.conf',
          upstream: 'shop_api',
          service: 'api',
          test: ['sudo', '-n', 'nginx', '-t'],
          reload: ['sudo', '-n', 'nginx', '-s', 'reload'],
          'pid-file': '/run/nginx.pid',
        },
      },
    });
    expect(config.compose).toEqual({
      command: ['docker', 'compose'],
      directory: '/opt/shop',
      files: ['docker-compose.yml', 'docker-compose.prod.yml'],
      project: 'shop',
      'env-file': '.env.production',
      'version-env': 'APP_VERSION',
    });
    expect(config.database).toMatchObject({
      via: { kind: 'compose-service', 'compose-service': 'db' },
      'password-env': 'DB_PASSWORD',
      backup: { directory: '/var/backups/shop' },
    });
    expect(config.checks['required-secrets']).toEqual(['DB_PASSWORD']);
    expect(text).toContain('  docker: ">=27"  # found 27.3.1\n  compose: ">=2.29"  # found 2.29.7\n');
    // What it found and left alone.
    expect(text).toContain('#   - compose service db (postgres:16): left alone by deploys\n');
    expect(text).toContain('#   - compose service redis (redis:7-alpine): left alone by deploys\n');
    expect(text).toContain('#   - containers runbook deployed (app blog): left as they are\n');
    expect(text).toContain(
      '#   - nginx upstream shop_api in /etc/nginx/sites-enabled/shop serves 127.0.0.1:8000, 127.0.0.1:8001 (api)\n',
    );
    expect(text).toContain('#   - deploy is in the docker group\n');
    expect(text).toContain('#     service api: ghcr.io/acme/shop-api:1.4.2, shop_default network, serves on 8000');
    expect(text).not.toContain('shop-api-run-1a2b'); // a one-off container is not a service
    // The compose file carries env, mounts, network and command: no TODO for them. Variables are named, never read;
    // the database's are not its business.
    expect(text).toContain(SHOP_SERVICES);
    expect(text).toContain(SHOP_STRATEGY);
    expect(text).not.toContain('POSTGRES_PASSWORD');
    expect(text).toContain(
      '# The compose project: deploys read each service from it (`docker compose -p … -f … config` in directory).\ncompose:\n',
    );
  });

  it('lists every TODO in the header, in the order of the file', async () => {
    const { text } = propose(await survey());
    const { header, body } = todos(text);
    expect(header.map((l) => l.replace(/^# {3}- [^:]+: /, ''))).toEqual(
      body.map((l) => l.replace(/^\s*# TODO: /, '').replace(/: image: .*|\s\(alembic.*/, '')),
    );
    expect(header).toEqual([
      '#   - state-dir: where the deploy user keeps journal and lock (default /var/lib/runbook/shop)',
      '#   - compose.version-env: that the compose file reads the tag from it',
      '#   - services.worker.health: what your app answers when it is ready (the image has no HEALTHCHECK)',
      '#   - strategy.proxy.nginx.test: a sudoers rule that allows exactly these two commands (server-setup.md)',
      '#   - database.name: the database and the role the app uses (the survey never logs in)',
      '#   - database.backup.directory: a directory the deploy user can write on web1',
      '#   - database.migrate: how deploys migrate the schema, if they do',
      '#   - smoke: the HTTP checks after each deploy (in the pipeline, a failure rolls it back)',
    ]);
  });

  it('the compose project named by compose-project; one that does not run is refused naming those that do', async () => {
    const s = await survey();
    expect(() => planFrom(s, { fallbackApp: 'app', environment: 'production', project: 'blog' })).toThrow(
      'input "compose-project": no compose project blog runs on web1.example.com (running: shop)',
    );
  });

  it('as root: nginx without sudo; a custom nginx.conf is passed with -c', async () => {
    const conf = '/srv/nginx/nginx.conf';
    const outputs = Object.fromEntries(
      Object.entries({ ...SHOP, 'id -u': '0\n', 'id -Gn': 'root\n' }).map(([k, v]) => [
        k.replace('/etc/nginx/nginx.conf', conf),
        v,
      ]),
    );
    const { config, text } = propose(await survey(outputs, conf));
    expect(config.strategy.proxy?.nginx).toMatchObject({
      test: ['nginx', '-c', conf, '-t'],
      reload: ['nginx', '-c', conf, '-s', 'reload'],
    });
    expect(text).toContain('#   - deploy is root: nginx');
    expect(text).not.toContain('sudoers');
  });
});
