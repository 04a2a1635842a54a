/**
 * Proposals for other servers than shop's as it is (no upstream, nothing to read, docker refused, no compose
 * directory label, host networking with odd names), and the pieces the proposal is written with.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SURVEY_TEMPLATE } from '../../../src/commands/survey.js';
import { freeRange } from '../../../src/init/containers.js';
import { DEFAULT_NGINX_CONF, type Plan, planFrom } from '../../../src/init/plan.js';
import { surveyServer } from '../../../src/init/survey.js';
import { list, scalar } from '../../../src/init/yaml-text.js';
import { compose, container, ids, propose, recorded, SHOP, survey, todos } from './shop-server.js';

describe('other servers', () => {
  it('no upstream in front of the app: the compose driver, recreate, on the published port', async () => {
    const s = await survey({ ...SHOP, 'cat -- /etc/nginx/sites-enabled/shop': 'server { listen 80; }\n' });
    const { plan, config, text } = propose(s, { environment: 'staging', app: 'shop-next' });
    expect(plan.driver).toBe('compose');
    expect(config.app).toBe('shop-next');
    expect(Object.keys(config.environments)).toEqual(['staging']);
    expect(config.strategy).toMatchObject({ type: 'recreate', order: ['api', 'worker'] });
    expect(config.strategy.driver).toBeUndefined(); // compose, because the compose section exists
    expect(propose(s).resolved).toEqual({ strategy: 'recreate', driver: 'compose' });
    expect(config.services?.api?.port).toBe(8000);
    expect(config.services?.api?.['host-ports']).toBeUndefined();
    expect(text).toContain('No nginx upstream was found in front of the app');
    expect(text).toContain('#   - nginx: 3 file(s) read, no upstream in front of the app\n');
  });

  it('no label says the compose directory: engine rolling, with a TODO for what its containers have beyond it', async () => {
    const inspect = `docker inspect --format ${SURVEY_TEMPLATE} ${ids.join(' ')}`;
    const s = await survey({
      ...SHOP,
      [inspect]: String(SHOP[inspect]).replaceAll('"com.docker.compose.project.working_dir":"/opt/shop",', ''),
    });
    const { plan, config, text, resolved } = propose(s);
    expect(plan.driver).toBe('engine');
    expect(resolved).toEqual({ strategy: 'rolling', driver: 'engine' });
    expect(config.services?.api).toMatchObject({
      replicas: 2,
      port: 8000,
      network: 'bridge',
      'host-ports': [8006, 8015],
    });
    expect(config.strategy).toMatchObject({ type: 'rolling', driver: 'engine', proxy: { nginx: { service: 'api' } } });
    // The compose section is the database's; its directory is a TODO.
    expect(config.compose?.project).toBe('shop');
    expect(text).toContain('# The compose project the database runs in (backups run compose exec); the engine driver');
    const { header, body } = todos(text);
    expect(header.length).toBe(body.length);
    expect(header).toEqual(
      expect.arrayContaining([
        '#   - compose.directory: the directory of the compose files (no label says it)',
        "#   - services.api: it runs on shop_default, where it reaches the project's services by name; deploys use bridge",
        '#   - services.api.env: its containers also set DATABASE_URL, SECRET_KEY, PORT; deploys set only env (never secrets)',
        '#   - services.worker: its containers mount /app/media; deploys mount nothing',
        '#   - services.worker.command: it runs the image of api, likely with a command of its own (compose command:)',
      ]),
    );
    expect(text).toContain('  #   cd <the compose directory> && docker compose -p shop stop api worker\n');
    expect(text).toContain(
      [
        '  # The engine driver runs the containers itself: with the image, env, port and command of services, and no',
        '  # volumes, env files or compose network. No label said where the compose files are: with a compose section',
        '  # naming their directory, driver: compose rolls replicas made from them instead (examples/compose-rolling.yml).',
        '  type: rolling',
        '  driver: engine',
      ].join('\n'),
    );
  });

  it('nothing to read: a skeleton with every unknown a TODO, still valid', async () => {
    const { plan, config, text } = propose(await survey({}));
    expect(plan.driver).toBe('none');
    expect(config.app).toBe('app');
    expect(config.services).toBeUndefined();
    expect(config.database).toBeUndefined();
    const { header, body } = todos(text);
    expect(header.length).toBe(body.length);
    expect(header).toContain('#   - services: the services a deploy replaces (no running compose app was found)');
    expect(text).toContain('  compose: false  # deploys do not use compose\n');
    expect(text).toContain('# What it could not read:\n#   - id -Gn: sh: 1: id: not found\n');
    expect(text).toContain('# No PostgreSQL was found');
  });

  it('docker refused: a TODO for the docker group; a host cluster from pg_lsclusters; IPv6 and port in the target', async () => {
    const s = await surveyServer(
      recorded({
        'id -u': '1001\n',
        'id -Gn': 'deploy\n',
        'docker version --format {{.Server.Version}}': { code: 1, stderr: 'permission denied' },
        'pg_lsclusters --no-header': '15 main 5432 down postgres a b\n16 main 5433 online postgres c d\n',
      }),
      { user: 'deploy', host: '2001:db8::5', port: 2222 },
      { nginxConf: DEFAULT_NGINX_CONF },
    );
    const { config, text } = propose(s);
    expect(config.environments.production?.targets[0]).toMatchObject({
      name: 'web1',
      ssh: { host: '2001:db8::5', port: 2222 },
    });
    expect(config.database?.via).toEqual({ kind: 'host', host: '127.0.0.1', port: 5433 });
    expect(text).toContain('#   - PostgreSQL 15 cluster main on port 5432 is down: no database proposed for it\n');
    expect(text).toContain('# TODO: let deploy use docker: sudo usermod -aG docker deploy (server-setup.md)');
    expect(text).toContain('pass the known_hosts line the survey used ([2001:db8::5]:2222 …)');
    const unpinned = propose(s, { unpinned: true }).text;
    expect(unpinned).toContain(
      '# TODO: pin the host key: the survey did not check it (ssh-keyscan -p 2222 2001:db8::5)',
    );
  });

  it('a latest tag, an image name the config cannot take, an upstream in sites-enabled, no pid directive', async () => {
    const s = await survey({
      ...SHOP,
      [`docker inspect --format ${SURVEY_TEMPLATE} ${ids.join(' ')}`]: `${container(ids[0] as string, {
        name: '/shop-web-1',
        image: 'Acme/Shop:latest',
        labels: compose('web'),
        network: 'host',
        env: [['HTTP_PORT', '8000']],
      })}\n`,
      'cat -- /etc/nginx/nginx.conf': 'http { include /etc/nginx/sites-enabled/*; }\n',
      'cat -- /etc/nginx/sites-enabled/shop': 'upstream shop { server localhost:8000; }\n',
    });
    const { config, text, resolved } = propose(s);
    expect(resolved).toEqual({ strategy: 'rolling', driver: 'compose' });
    expect(config.services?.web).toMatchObject({ network: 'host', 'port-env': 'HTTP_PORT', image: 'acme/shop' });
    expect(config.services?.web?.port).toBeUndefined();
    expect(text).toContain(
      '    # network_mode: host in the compose file, which this must match: each replica gets its host port in HTTP_PORT.\n    network: host\n    port-env: HTTP_PORT\n    # Above the ports in use (8000 now): new replicas start beside the old ones.\n    host-ports: 8006-8015\n',
    );
    expect(config.strategy.proxy?.nginx).toMatchObject({
      'upstream-file': '/etc/nginx/sites-enabled/shop',
      'pid-file': '/run/nginx.pid',
    });
    const { header, body } = todos(text);
    expect(header.length).toBe(body.length);
    expect(text).toContain('# TODO: the repository the deploy pulls (it runs Acme/Shop:latest)');
    expect(text).toContain('# TODO: it runs latest tag; deploys name the tag (their version input)');
    expect(text).toContain('# TODO: sites-enabled files are often links: name the file it points to');
    expect(text).toContain("# TODO: nginx.conf has no pid directive: nginx's own default is assumed");
  });
});

describe('pieces', () => {
  it('YAML scalars and flow lists read back as written, plain where they can be', () => {
    const values = [
      'shop',
      '127.0.0.1',
      '/opt/shop',
      'v1.2',
      'a b',
      'yes',
      'No',
      '8000',
      '1e3',
      '0x1f',
      '',
      '#x',
      'a: b',
      'é',
    ];
    expect(values.map(scalar)).toEqual([
      'shop',
      '127.0.0.1',
      '/opt/shop',
      'v1.2',
      '"a b"',
      '"yes"',
      '"No"',
      '"8000"',
      '"1e3"',
      '"0x1f"',
      '""',
      '"#x"',
      '"a: b"',
      '"é"',
    ]);
    for (const v of values) expect(parse(`k: ${scalar(v)}`)).toEqual({ k: v });
    const argv = ['sudo', '-n', 'nginx', '-c', '/etc/my nginx/nginx.conf', '--', '-t', 'a,b'];
    expect(parse(`k: ${list(argv)}`)).toEqual({ k: argv });
  });

  it('free port ranges skip what is taken', () => {
    const taken = new Set([8002, 8005]);
    expect(freeRange(8000, 3, taken)).toEqual([8006, 8008]);
    expect(freeRange(8000, 1, taken)).toEqual([8001, 8001]);
    expect(freeRange(65530, 10, new Set())).toBeUndefined();
  });

  it('a plan names its target after the host, else web1', async () => {
    const s = await survey({});
    const plan: Plan = planFrom(
      { ...s, address: { user: 'deploy', host: 'app-01.internal', port: 22 } },
      {
        fallbackApp: 'x',
        environment: 'production',
      },
    );
    expect(plan.target.name).toBe('app-01');
  });
});
