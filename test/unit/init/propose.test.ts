/**
 * From a survey to the proposed runbook.yml, from recorded outputs of a hand-made Debian server (a compose project
 * "shop" behind nginx with PostgreSQL and redis in it): what is proposed, what is left alone, every TODO listed in
 * the header, and every proposal loaded by the real loader.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerImageEnvArgv, SURVEY_TEMPLATE } from '../../../src/commands/survey.js';
import { parseConfig } from '../../../src/config/loader.js';
import { freeRange } from '../../../src/init/containers.js';
import { DEFAULT_NGINX_CONF, type Plan, planFrom } from '../../../src/init/plan.js';
import type { Probe } from '../../../src/init/probe.js';
import { proposalText } from '../../../src/init/propose.js';
import { type ServerSurvey, surveyServer } from '../../../src/init/survey.js';
import { list, scalar } from '../../../src/init/yaml-text.js';
import type { ExecResult } from '../../../src/transports/types.js';

const ids = ['1', '2', '3', '4', '5', '6', '7'].map((d) => d.repeat(64));
const compose = (service: string, n = 1, extra: Record<string, string> = {}) => ({
  'com.docker.compose.project': 'shop',
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': String(n),
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.project.working_dir': '/opt/shop',
  'com.docker.compose.project.config_files': '/opt/shop/docker-compose.yml,/opt/shop/docker-compose.prod.yml',
  'com.docker.compose.project.environment_file': '/opt/shop/.env.production',
  ...extra,
});
const container = (id: string, o: Record<string, unknown>) =>
  JSON.stringify({
    id,
    imageId: 'sha256:api',
    labels: {},
    healthcheck: null,
    health: null,
    state: 'running',
    network: 'shop_default',
    ports: {},
    env: [['PATH']],
    ...o,
  });
const api = (n: number, id: string) =>
  container(id, {
    name: `/shop-api-${n}`,
    image: 'ghcr.io/acme/shop-api:1.4.2',
    labels: compose('api', n),
    healthcheck: 'CMD',
    health: 'healthy',
    ports: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(7999 + n) }] },
    env: [['DATABASE_URL'], ['SECRET_KEY'], ['PORT', '8000'], ['PATH'], ['PYTHON_VERSION']],
  });

/** The hand-made server's answers, by argv. */
const SHOP: Record<string, string | Partial<ExecResult>> = {
  'id -u': '1001\n',
  'id -Gn': 'deploy docker\n',
  'docker version --format {{.Server.Version}}': '27.3.1\n',
  'docker ps --no-trunc --format {{json .}}': ids.map((ID) => `${JSON.stringify({ ID })}\n`).join(''),
  [`docker inspect --format ${SURVEY_TEMPLATE} ${ids.join(' ')}`]: `${[
    api(1, ids[0] as string),
    api(2, ids[1] as string),
    container(ids[2] as string, {
      name: '/shop-worker-1',
      image: 'ghcr.io/acme/shop-api:1.4.2',
      labels: compose('worker'),
      mounts: ['/app/media'],
      env: [['DATABASE_URL'], ['PATH'], ['PYTHON_VERSION']],
    }),
    container(ids[3] as string, {
      name: '/shop-db-1',
      image: 'postgres:16',
      imageId: 'sha256:pg',
      labels: compose('db'),
      healthcheck: 'CMD-SHELL',
      env: [['POSTGRES_PASSWORD'], ['PATH']],
    }),
    container(ids[4] as string, {
      name: '/shop-redis-1',
      image: 'redis:7-alpine',
      imageId: 'sha256:redis',
      labels: compose('redis'),
    }),
    container(ids[5] as string, {
      name: '/shop-api-run-1a2b',
      image: 'ghcr.io/acme/shop-api:1.4.2',
      labels: compose('api', 1, { 'com.docker.compose.oneoff': 'True' }),
    }),
    container(ids[6] as string, {
      name: '/blog-production-web-20261101T101010Z-v3-0',
      image: 'ghcr.io/acme/blog:v3',
      imageId: 'sha256:blog',
      labels: { 'io.runbook.app': 'blog', 'io.runbook.service': 'web' },
      network: 'host',
    }),
  ].join('\n')}\n`,
  [dockerImageEnvArgv(['sha256:api', 'sha256:pg', 'sha256:redis', 'sha256:blog']).join(' ')]: [
    '{"id":"sha256:api","env":["PATH","PYTHON_VERSION"]}',
    '{"id":"sha256:pg","env":["PATH","PGDATA"]}',
    '{"id":"sha256:redis","env":null}',
    '{"id":"sha256:blog","env":[]}',
  ].join('\n'),
  'docker compose version --short': '2.29.7\n',
  'ss -ltnH': ['22', '80', '443', '8000', '8001', '8005'].map((p) => `LISTEN 0 511 0.0.0.0:${p} 0.0.0.0:*`).join('\n'),
  'cat -- /etc/nginx/nginx.conf':
    'user www-data;\npid /run/nginx.pid;\nevents {}\nhttp {\n  include /etc/nginx/conf.d/*.conf;\n  include /etc/nginx/sites-enabled/*;\n}\n',
  'ls -1 -A -- /etc/nginx/conf.d': 'default.conf\n',
  'cat -- /etc/nginx/conf.d/default.conf': 'server { listen 8080; location / { return 404; } }\n',
  'ls -1 -A -- /etc/nginx/sites-enabled': 'shop\n',
  'cat -- /etc/nginx/sites-enabled/shop':
    'upstream shop_api {\n  least_conn;\n  include /etc/nginx/upstreams/shop_api.conf;\n}\nserver {\n  listen 443 ssl;\n  server_name shop.example.com;\n  location / { proxy_pass http://shop_api; }\n}\n',
  'cat -- /etc/nginx/upstreams/shop_api.conf':
    'server 127.0.0.1:8000 max_fails=1;\nserver 127.0.0.1:8001 max_fails=1;\n',
};

function recorded(outputs: Record<string, string | Partial<ExecResult>>): Probe {
  return async (argv) => {
    const out = outputs[argv.join(' ')];
    if (out === undefined) return { code: 127, stdout: '', stderr: `sh: 1: ${argv[0]}: not found` };
    return typeof out === 'string' ? { code: 0, stdout: out, stderr: '' } : { code: 0, stdout: '', stderr: '', ...out };
  };
}

const address = { user: 'deploy', host: 'web1.example.com', port: 22 };
const survey = (outputs = SHOP, nginxConf = DEFAULT_NGINX_CONF) =>
  surveyServer(recorded(outputs), address, { nginxConf });
const OPTS = {
  schema: 'https://example.test/runbook.schema.json',
  docs: 'https://example.test/docs',
  date: '2026-11-30',
};

/** Plan and text of a survey; the text must load with the real loader. */
function propose(s: ServerSurvey, o: Partial<Parameters<typeof planFrom>[1]> = {}) {
  const plan = planFrom(s, { fallbackApp: 'app', environment: 'production', ...o });
  const text = proposalText(plan, s, OPTS);
  return { plan, text, config: parseConfig(text, 'runbook.yml') };
}

/** The header's TODO lines and the body's `# TODO:` comments: one each, in the same order. */
function todos(text: string): { header: string[]; body: string[] } {
  const [head = '', body = ''] = text.split(/\n\napp: /);
  const list = head.split('# What it could not know (each is a TODO below):\n')[1]?.split('\n#\n')[0] ?? '';
  return {
    header: list.split('\n').filter((l) => l.startsWith('#   - ')),
    body: body.split('\n').filter((l) => /^\s*# TODO: /.test(l)),
  };
}

describe('the proposal for a compose app behind nginx with PostgreSQL in the project', () => {
  it('engine rolling behind the upstream found, host ports above the ports in use, the database in compose', async () => {
    const { plan, config, text } = propose(await survey());
    expect(plan.driver).toBe('engine');
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
      driver: 'engine',
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
    expect(text).toContain('  #   cd /opt/shop && docker compose -p shop stop api worker\n');
    // Variables are named (the app's, for the engine driver's TODO), never read; the database's are not its business.
    expect(text).toContain('# TODO: its containers also set DATABASE_URL, SECRET_KEY, PORT; deploys set only env');
    expect(text).not.toContain('POSTGRES_PASSWORD');
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
      "#   - services.api: it runs on shop_default, where it reaches the project's services by name; deploys use bridge",
      '#   - services.api.env: its containers also set DATABASE_URL, SECRET_KEY, PORT; deploys set only env (never secrets)',
      "#   - services.worker: it runs on shop_default, where it reaches the project's services by name; deploys use bridge",
      '#   - services.worker.env: its containers also set DATABASE_URL; deploys set only env (never secrets)',
      '#   - services.worker: its containers mount /app/media; deploys mount nothing',
      '#   - services.worker.command: it runs the image of api, likely with a command of its own (compose command:)',
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

describe('other servers', () => {
  it('no upstream in front of the app: the compose driver, recreate, on the published port', async () => {
    const s = await survey({ ...SHOP, 'cat -- /etc/nginx/sites-enabled/shop': 'server { listen 80; }\n' });
    const { plan, config, text } = propose(s, { environment: 'staging', app: 'shop-next' });
    expect(plan.driver).toBe('compose');
    expect(config.app).toBe('shop-next');
    expect(Object.keys(config.environments)).toEqual(['staging']);
    expect(config.strategy).toMatchObject({ type: 'recreate', order: ['api', 'worker'] });
    expect(config.strategy.driver).toBeUndefined(); // compose, because the compose section exists
    expect(config.services?.api?.port).toBe(8000);
    expect(config.services?.api?.['host-ports']).toBeUndefined();
    expect(text).toContain('No nginx upstream was found in front of the app');
    expect(text).toContain('#   - nginx: 3 file(s) read, no upstream in front of the app\n');
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
    const { config, text } = propose(s);
    expect(config.services?.web).toMatchObject({ network: 'host', 'port-env': 'HTTP_PORT', image: 'acme/shop' });
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
