/**
 * A hand-made Debian server as recorded outputs, by argv (a compose project "shop" behind nginx with PostgreSQL and
 * redis in it), and how the proposal tests read a proposal: planned, written, loaded by the real loader and accepted
 * by resolveStrategy as deploy would.
 */
import { dockerImageEnvArgv, SURVEY_TEMPLATE } from '../../../src/commands/survey.js';
import { parseConfig } from '../../../src/config/loader.js';
import { resolveStrategy } from '../../../src/deploy/strategy.js';
import { DEFAULT_NGINX_CONF, planFrom } from '../../../src/init/plan.js';
import type { Probe } from '../../../src/init/probe.js';
import { proposalText } from '../../../src/init/propose.js';
import { type ServerSurvey, surveyServer } from '../../../src/init/survey.js';
import type { ExecResult } from '../../../src/transports/types.js';

export const ids = ['1', '2', '3', '4', '5', '6', '7'].map((d) => d.repeat(64));
export const compose = (service: string, n = 1, extra: Record<string, string> = {}) => ({
  'com.docker.compose.project': 'shop',
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': String(n),
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.project.working_dir': '/opt/shop',
  'com.docker.compose.project.config_files': '/opt/shop/docker-compose.yml,/opt/shop/docker-compose.prod.yml',
  'com.docker.compose.project.environment_file': '/opt/shop/.env.production',
  ...extra,
});
export const container = (id: string, o: Record<string, unknown>) =>
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
export const SHOP: Record<string, string | Partial<ExecResult>> = {
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

export function recorded(outputs: Record<string, string | Partial<ExecResult>>): Probe {
  return async (argv) => {
    const out = outputs[argv.join(' ')];
    if (out === undefined) return { code: 127, stdout: '', stderr: `sh: 1: ${argv[0]}: not found` };
    return typeof out === 'string' ? { code: 0, stdout: out, stderr: '' } : { code: 0, stdout: '', stderr: '', ...out };
  };
}

const address = { user: 'deploy', host: 'web1.example.com', port: 22 };
export const survey = (outputs = SHOP, nginxConf = DEFAULT_NGINX_CONF) =>
  surveyServer(recorded(outputs), address, { nginxConf });
const OPTS = {
  schema: 'https://example.test/runbook.schema.json',
  docs: 'https://example.test/docs',
  date: '2026-11-30',
};

/** Plan and text of a survey; the text must load with the real loader, and deploy must accept its strategy. */
export function propose(s: ServerSurvey, o: Partial<Parameters<typeof planFrom>[1]> = {}) {
  const plan = planFrom(s, { fallbackApp: 'app', environment: 'production', ...o });
  const text = proposalText(plan, s, OPTS);
  const config = parseConfig(text, 'runbook.yml');
  const resolved = resolveStrategy(config);
  return { plan, text, config, resolved };
}

/** The header's TODO lines and the body's `# TODO:` comments: one each, in the same order. */
export function todos(text: string): { header: string[]; body: string[] } {
  const [head = '', body = ''] = text.split(/\n\napp: /);
  const list = head.split('# What it could not know (each is a TODO below):\n')[1]?.split('\n#\n')[0] ?? '';
  return {
    header: list.split('\n').filter((l) => l.startsWith('#   - ')),
    body: body.split('\n').filter((l) => /^\s*# TODO: /.test(l)),
  };
}
