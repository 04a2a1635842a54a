/**
 * Reading a hand-made server for `runbook init --from-ssh`, from recorded command outputs: the argv builders (all
 * read-only), their parsers, nginx's include tree, and the survey as a whole (a missing tool is a note).
 */
import { describe, expect, it } from 'vitest';
import {
  dockerImageEnvArgv,
  dockerInspectSurveyArgv,
  dockerPsArgv,
  listeningArgv,
  nginxMasterConfs,
  PORT_ENV_NAMES,
  parseDockerPs,
  parseImageEnv,
  parseListening,
  parsePgClusters,
  parseProcNetTcp,
  parseSurveyInspect,
  pgClustersArgv,
  procNetTcpArgv,
  SURVEY_TEMPLATE,
  userGroupsArgv,
  userIdArgv,
} from '../../../src/commands/survey.js';
import { globPattern, readNginxTree } from '../../../src/init/nginx-tree.js';
import type { Probe } from '../../../src/init/probe.js';
import { parseSshAddress, surveyServer } from '../../../src/init/survey.js';
import type { ExecResult } from '../../../src/transports/types.js';

/** A Probe answering from `outputs` (argv joined by spaces → stdout, or a result); anything else is not installed. */
function recorded(outputs: Record<string, string | Partial<ExecResult>>) {
  const calls: { argv: string[]; env?: Readonly<Record<string, string>> }[] = [];
  const probe: Probe = async (argv, o = {}) => {
    calls.push({ argv: [...argv], env: o.env });
    const out = outputs[argv.join(' ')];
    if (out === undefined) return { code: 127, stdout: '', stderr: `sh: 1: ${argv[0]}: not found` };
    return typeof out === 'string' ? { code: 0, stdout: out, stderr: '' } : { code: 0, stdout: '', stderr: '', ...out };
  };
  return { probe, calls };
}

const inspectLine = (o: Record<string, unknown>) =>
  JSON.stringify({
    id: 'a'.repeat(64),
    name: '/shop-api-1',
    image: 'ghcr.io/acme/shop-api:1.4.2',
    imageId: 'sha256:api',
    labels: {},
    healthcheck: null,
    health: null,
    state: 'running',
    network: 'bridge',
    ports: {},
    env: [],
    ...o,
  });

describe('survey argv: read commands only, as data', () => {
  it.each([
    ['id -u', userIdArgv()],
    ['id -Gn', userGroupsArgv()],
    ['ss -ltnH', listeningArgv()],
    ['cat -- /proc/net/tcp /proc/net/tcp6', procNetTcpArgv()],
    ['pg_lsclusters --no-header', pgClustersArgv()],
  ])('%s', (expected, argv) => {
    expect(argv).toEqual(expected.split(' '));
  });

  it('docker ps, one JSON object a line', () => {
    expect(dockerPsArgv()).toEqual(['docker', 'ps', '--no-trunc', '--format', '{{json .}}']);
  });

  it('docker inspect prints the environment’s names, and values only of port variables', () => {
    expect(dockerInspectSurveyArgv(['abc', 'def'])).toEqual([
      'docker',
      'inspect',
      '--format',
      SURVEY_TEMPLATE,
      'abc',
      'def',
    ]);
    // Labels: only those named; a HEALTHCHECK: only its kind (the whole of either may hold a password).
    expect(SURVEY_TEMPLATE).not.toContain('json .Config.Labels');
    expect(SURVEY_TEMPLATE).toContain(
      '"com.docker.compose.project.working_dir":{{json (index . "com.docker.compose.project.working_dir")}}',
    );
    expect(SURVEY_TEMPLATE).toContain('{{with .Test}}{{json (index . 0)}}');
    // The only place a value is printed: inside the `if` on the name, for the port variables.
    expect(SURVEY_TEMPLATE.match(/index \$kv 1/g)).toHaveLength(1);
    expect(SURVEY_TEMPLATE).toContain(
      `{{if eq (index $kv 0) ${PORT_ENV_NAMES.map((n) => `"${n}"`).join(' ')}}},{{json (index $kv 1)}}{{end}}`,
    );
  });
});

describe('survey parsers', () => {
  it('docker ps: the ids', () => {
    const out = `${JSON.stringify({ ID: 'a'.repeat(64), Names: 'x' })}\n${JSON.stringify({ ID: 'b'.repeat(64) })}\n\n`;
    expect(parseDockerPs(out)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
  });

  it('docker inspect: labels, image, HEALTHCHECK, published ports and the port variable', () => {
    const [c] = parseSurveyInspect(
      inspectLine({
        labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': null },
        healthcheck: 'CMD',
        health: 'healthy',
        ports: {
          '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000' }],
          '9000/udp': [{ HostIp: '', HostPort: '9000' }],
          '9100/tcp': null,
        },
        env: [['DATABASE_URL'], ['HTTP_PORT', 'x'], ['PORT', '8000'], ['PATH']],
        mounts: ['/app/media'],
      }),
    );
    expect(c).toEqual({
      id: 'a'.repeat(64),
      name: 'shop-api-1',
      image: 'ghcr.io/acme/shop-api:1.4.2',
      imageId: 'sha256:api',
      labels: { 'com.docker.compose.project': 'shop' },
      healthcheck: true,
      health: 'healthy',
      state: 'running',
      network: 'bridge',
      published: [{ container: 8000, hostIp: '127.0.0.1', host: 8000 }],
      mounts: ['/app/media'],
      envNames: ['DATABASE_URL', 'HTTP_PORT', 'PORT', 'PATH'],
      portEnv: { name: 'PORT', port: 8000 },
    });
    const [none] = parseSurveyInspect(inspectLine({ healthcheck: 'NONE', labels: null }));
    expect(none).toMatchObject({ healthcheck: false, labels: {}, published: [], portEnv: undefined });
  });

  it('docker image inspect: the names of the variables each image sets', () => {
    expect(dockerImageEnvArgv(['sha256:a', 'sha256:b']).slice(0, 4)).toEqual([
      'docker',
      'image',
      'inspect',
      '--format',
    ]);
    expect(dockerImageEnvArgv(['sha256:a']).at(4)).not.toContain('index (split $e "=") 1');
    const out = '{"id":"sha256:a","env":["PATH","LANG"]}\n{"id":"sha256:b","env":null}\n';
    expect(parseImageEnv(out)).toEqual(
      new Map([
        ['sha256:a', ['PATH', 'LANG']],
        ['sha256:b', []],
      ]),
    );
  });

  it('ss -ltnH and /proc/net/tcp: the listening ports', () => {
    const ss = [
      'LISTEN 0      4096       127.0.0.1:8000       0.0.0.0:*',
      'LISTEN 0      511          0.0.0.0:80         0.0.0.0:*',
      'LISTEN 0      128             [::]:22            [::]:*',
      'LISTEN 0      511                *:443              *:*',
      'LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*',
      'LISTEN 0      511          0.0.0.0:80         0.0.0.0:*',
    ].join('\n');
    expect(parseListening(ss)).toEqual([22, 53, 80, 443, 8000]);
    const proc = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      '   1: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1',
      '   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 3 1',
    ].join('\n');
    expect(parseProcNetTcp(proc)).toEqual([22, 8000]);
  });

  it('pg_lsclusters: version, cluster, port, status', () => {
    const out =
      '15  main    5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log\n16  main    5433 down   postgres /var/lib/postgresql/16/main log\n';
    expect(parsePgClusters(out)).toEqual([
      { version: '15', cluster: 'main', port: 5432, status: 'online' },
      { version: '16', cluster: 'main', port: 5433, status: 'down' },
    ]);
  });

  it('user@host[:port]', () => {
    expect(parseSshAddress('deploy@203.0.113.10')).toEqual({ user: 'deploy', host: '203.0.113.10', port: 22 });
    expect(parseSshAddress('deploy@web1.example.com:2222')).toEqual({
      user: 'deploy',
      host: 'web1.example.com',
      port: 2222,
    });
    expect(parseSshAddress('deploy@[2001:db8::5]:22')).toEqual({ user: 'deploy', host: '2001:db8::5', port: 22 });
    expect(parseSshAddress('deploy@2001:db8::5')).toEqual({ user: 'deploy', host: '2001:db8::5', port: 22 });
    expect(() => parseSshAddress('web1.example.com')).toThrow(/expected user@host/);
    expect(() => parseSshAddress('deploy@-oProxyCommand=x')).toThrow(/is not a host name or address/);
    expect(() => parseSshAddress('deploy@web1:70000')).toThrow(/port 70000 is not 1-65535/);
  });
});

describe("nginx's include tree", () => {
  it('glob(3) in a file name', () => {
    expect(globPattern('*.conf').test('shop.conf')).toBe(true);
    expect(globPattern('*.conf').test('shop.conf.off')).toBe(false);
    expect(globPattern('site-?.[ab]').test('site-1.a')).toBe(true);
    expect(globPattern('site-?.[!ab]').test('site-1.a')).toBe(false);
    expect(globPattern('a+b(c).conf').test('a+b(c).conf')).toBe(true);
  });

  it('follows includes (absolute, relative, globs), finds upstreams, their server files, sites and pid', async () => {
    const { probe, calls } = recorded({
      'cat -- /etc/nginx/nginx.conf': `user www-data;\npid /run/nginx.pid;\nevents {}\nhttp {\n  include mime.types;\n  include /etc/nginx/conf.d/*.conf;\n  include /etc/nginx/sites-enabled/*;\n}\n`,
      'cat -- /etc/nginx/mime.types': 'types { text/html html; }\n',
      'ls -1 -A -- /etc/nginx/conf.d': 'z.conf\n.hidden.conf\nREADME\na.conf\nbroken.conf\n',
      'cat -- /etc/nginx/conf.d/a.conf': 'upstream legacy { server 10.0.0.9:80; server 10.0.0.10:80 backup; }\n',
      'cat -- /etc/nginx/conf.d/broken.conf': 'upstream x {\n',
      'cat -- /etc/nginx/conf.d/z.conf': { code: 1, stderr: 'cat: /etc/nginx/conf.d/z.conf: Permission denied' },
      'ls -1 -A -- /etc/nginx/sites-enabled': 'shop\n',
      'cat -- /etc/nginx/sites-enabled/shop': `upstream shop_api {\n  least_conn;\n  include /etc/nginx/upstreams/shop_api.conf;\n}\nserver {\n  listen 443 ssl http2;\n  server_name shop.example.com *.shop.example.com _;\n  location /api/ { proxy_pass http://shop_api/; }\n}\nserver { listen 80; server_name _; location / { proxy_pass http://shop_api; } }\n`,
      'cat -- /etc/nginx/upstreams/shop_api.conf': 'server 127.0.0.1:8000 max_fails=1;\nserver 127.0.0.1:9 down;\n',
    });
    const notes: string[] = [];
    const tree = await readNginxTree(probe, '/etc/nginx/nginx.conf', notes);
    expect(tree?.files).toEqual([
      '/etc/nginx/nginx.conf',
      '/etc/nginx/mime.types',
      '/etc/nginx/conf.d/a.conf',
      '/etc/nginx/conf.d/broken.conf',
      '/etc/nginx/conf.d/z.conf',
      '/etc/nginx/sites-enabled/shop',
      '/etc/nginx/upstreams/shop_api.conf',
    ]);
    expect(tree?.pidFile).toBe('/run/nginx.pid');
    expect(tree?.upstreams).toEqual([
      { name: 'legacy', file: '/etc/nginx/conf.d/a.conf', servers: ['10.0.0.9:80'] },
      {
        name: 'shop_api',
        file: '/etc/nginx/sites-enabled/shop',
        serversFile: '/etc/nginx/upstreams/shop_api.conf',
        servers: ['127.0.0.1:8000', '127.0.0.1:9'],
      },
    ]);
    expect(tree?.sites).toEqual([
      { upstream: 'shop_api', file: '/etc/nginx/sites-enabled/shop', names: ['shop.example.com'], tls: true },
      { upstream: 'shop_api', file: '/etc/nginx/sites-enabled/shop', names: [], tls: false },
    ]);
    expect(notes).toEqual([
      '/etc/nginx/conf.d/broken.conf is not nginx syntax (a "{" is never closed): not followed',
      'cannot read /etc/nginx/conf.d/z.conf: Permission denied',
    ]);
    expect(calls.every((c) => ['cat', 'ls'].includes(c.argv[0] as string))).toBe(true);
  });

  it('an unreadable nginx.conf is a note and no tree; a wildcard directory is not followed', async () => {
    const notes: string[] = [];
    const { probe } = recorded({});
    expect(await readNginxTree(probe, '/etc/nginx/nginx.conf', notes)).toBeUndefined();
    expect(notes).toEqual(['cannot read /etc/nginx/nginx.conf: sh: 1: cat: not found']);
    const other = recorded({ 'cat -- /etc/nginx/nginx.conf': 'http { include /etc/nginx/*/*.conf; }\n' });
    const tree = await readNginxTree(other.probe, '/etc/nginx/nginx.conf', notes);
    expect(tree?.files).toEqual(['/etc/nginx/nginx.conf']);
    expect(notes.at(-1)).toBe('include /etc/nginx/*/*.conf: a wildcard in a directory name is not followed');
  });

  it('an include loop reads each file once', async () => {
    const { probe, calls } = recorded({
      'cat -- /etc/nginx/nginx.conf': 'include /etc/nginx/a.conf;\n',
      'cat -- /etc/nginx/a.conf': 'include /etc/nginx/nginx.conf;\ninclude /etc/nginx/a.conf;\n',
    });
    const tree = await readNginxTree(probe, '/etc/nginx/nginx.conf', []);
    expect(tree?.files).toEqual(['/etc/nginx/nginx.conf', '/etc/nginx/a.conf']);
    expect(calls).toHaveLength(2);
  });
});

describe('the survey', () => {
  const base = {
    'id -u': '1001\n',
    'id -Gn': 'deploy docker\n',
    'docker version --format {{.Server.Version}}': '27.3.1\n',
    'docker ps --no-trunc --format {{json .}}': `${JSON.stringify({ ID: 'a'.repeat(64) })}\n`,
    [`docker inspect --format ${SURVEY_TEMPLATE} ${'a'.repeat(64)}`]: `${inspectLine({ env: [['PATH'], ['TOKEN']] })}\n`,
    [dockerImageEnvArgv(['sha256:api']).join(' ')]: '{"id":"sha256:api","env":["PATH"]}\n',
    'docker compose version --short': '2.29.7\n',
    'ss -ltnH': 'LISTEN 0 4096 127.0.0.1:8000 0.0.0.0:*\n',
    'pg_lsclusters --no-header': '16 main 5432 online postgres /var/lib/postgresql/16/main log\n',
    'cat -- /etc/nginx/nginx.conf': 'pid /run/nginx.pid;\nevents {}\n',
  };
  const address = { user: 'deploy', host: 'web1.example.com', port: 22 };

  it('reads the user, docker, compose, ports, clusters and nginx; docker with the socket given', async () => {
    const { probe, calls } = recorded(base);
    const s = await surveyServer(probe, address, {
      nginxConf: '/etc/nginx/nginx.conf',
      dockerSocket: '/run/docker.sock',
    });
    expect(s).toMatchObject({
      root: false,
      groups: ['deploy', 'docker'],
      docker: {
        version: '27.3.1',
        containers: [{ name: 'shop-api-1', envNames: ['PATH', 'TOKEN'] }],
        imageEnv: new Map([['sha256:api', ['PATH']]]),
      },
      compose: { command: ['docker', 'compose'], version: '2.29.7' },
      listening: [8000],
      clusters: [{ version: '16', port: 5432 }],
      nginx: { pidFile: '/run/nginx.pid', upstreams: [] },
      notes: [],
    });
    for (const c of calls.filter((x) => x.argv[0] === 'docker')) {
      expect(c.env).toEqual({ DOCKER_HOST: 'unix:///run/docker.sock' });
    }
    expect(calls.filter((x) => x.argv[0] !== 'docker').every((c) => c.env === undefined)).toBe(true);
  });

  it('a missing tool or a refused socket is a note, not a failure; /proc/net/tcp stands in for ss', async () => {
    const { 'pg_lsclusters --no-header': _, ...noPostgres } = base;
    const { probe } = recorded({
      ...noPostgres,
      'docker version --format {{.Server.Version}}': {
        code: 1,
        stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
      },
      'docker compose version --short': { code: 1, stderr: "docker: 'compose' is not a docker command." },
      'docker-compose version --short': '1.29.2\n',
      'ss -ltnH': { code: 127, stderr: 'ss: not found' },
      'cat -- /proc/net/tcp /proc/net/tcp6': '  sl local\n   0: 00000000:1538 00000000:0000 0A 0 0 0\n',
      'cat -- /etc/nginx/nginx.conf': { code: 1, stderr: 'cat: /etc/nginx/nginx.conf: Permission denied' },
    });
    const s = await surveyServer(probe, address, { nginxConf: '/etc/nginx/nginx.conf' });
    expect(s.docker).toBeUndefined();
    expect(s.dockerMissing).toBe(false);
    expect(s.compose).toEqual({ command: ['docker-compose'], version: '1.29.2' });
    expect(s.listening).toEqual([5432]);
    expect(s.clusters).toBeUndefined();
    expect(s.nginx).toBeUndefined();
    expect(s.notes).toEqual([
      'docker does not answer deploy (permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock): no containers read',
      'cannot read /etc/nginx/nginx.conf: Permission denied',
      'nginx: /etc/nginx/nginx.conf could not be read, so no upstream was found',
      'pg_lsclusters is not installed (no Debian PostgreSQL on the host)',
    ]);
  });

  it('a server with nothing: every part a note', async () => {
    const { probe } = recorded({});
    const s = await surveyServer(probe, address, { nginxConf: '/etc/nginx/nginx.conf' });
    expect([s.dockerMissing, s.docker, s.compose, s.listening, s.nginx]).toEqual([
      true,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(s.notes).toHaveLength(7);
    expect(s.notes[0]).toBe('id -Gn: sh: 1: id: not found');
    expect(s.notes).toContain('docker is not installed: no containers to read');
  });
});

describe('nginxMasterConfs', () => {
  it('names the config each running master reads, -c resolved against -p', () => {
    const ps = [
      'nginx: master process /usr/sbin/nginx -p /srv/edge/ -c nginx.conf -e stderr',
      'nginx: worker process',
      'nginx: master process /usr/sbin/nginx -c /etc/nginx/other.conf',
      'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;',
      '/usr/sbin/sshd -D',
    ].join('\n');
    expect(nginxMasterConfs(ps)).toEqual(['/srv/edge/nginx.conf', '/etc/nginx/other.conf']);
  });
});
