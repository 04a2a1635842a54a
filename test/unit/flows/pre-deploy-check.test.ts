/**
 * pre-deploy-check's dry run, whole flow: the exact commands each host would receive (as its shell would read them),
 * and no connection: the connector's shell() and engine() are never called, no command is run.
 */
import { describe, expect, it } from 'vitest';
import { preDeployCheckAction } from '../../../src/actions/catalog.js';
import { groupLines, runFlow } from './run-flow.js';
import { World } from './world.js';

const TARGETS = `
environments:
  production:
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, user: deploy }
        env: { DOCKER_HOST: unix:///run/user/1000/docker.sock }
      - name: web2
        ssh: { host: 10.0.0.6, port: 2222, user: deploy }
      - name: runner
        local: true
      - name: engine1
        docker: { host: tcp://10.0.0.7:2376, allow-plain-tcp: true }
`;

const DH = 'env DOCKER_HOST=unix:///run/user/1000/docker.sock ';
const STATE_PROBE =
  'sh -c \'d=$1; while [ ! -e "$d" ] && [ ! -L "$d" ]; do d=$(dirname -- "$d"); done; [ "$d" = "$1" ] && where=exists || where=missing; if [ ! -d "$d" ]; then echo "not-writable not-a-directory $d"; exit 0; fi; p="$d/.runbook-probe.$$"; if dd of="$p" conv=fsync status=none </dev/null; then w=writable; else w=not-writable; fi; rm -f -- "$p" 2>/dev/null; echo "$w $where $d"; if [ -e "$2" ] && [ ! -r "$2" ]; then echo "unreadable $2"; fi; exit 0\' sh /var/lib/runbook/shop/production /var/lib/runbook/shop/production/journal.json';
const SOCKET_LOOK =
  'sh -c \'if [ -S "$1" ]; then if [ -r "$1" ] && [ -w "$1" ]; then echo ok; else echo denied; fi; elif [ -e "$1" ]; then echo not-a-socket; else echo missing; fi\' sh /var/run/docker.sock';
const ENGINE1 = 'engine1 (tcp://10.0.0.7:2376): Docker Engine API GET /version (no shell)';
const $ = (env: string, cmd: string) => `  $ exec ${env}${cmd}`;

/** The plan of one shell target: `how` its head, `env` what its commands carry, the lines in order. */
interface HostPlan {
  head: string;
  env: string;
  lines: Array<string | { note: string }>;
}
const render = (h: HostPlan) => [h.head, ...h.lines.map((l) => (typeof l === 'string' ? $(h.env, l) : `  ${l.note}`))];

const cases: Array<{
  name: string;
  extra: string;
  plan: (host: 'web1' | 'web2' | 'runner') => HostPlan;
  after: string[];
  /** Without the docker: target engine1 (the compose driver cannot deploy one: schema-docker-targets.ts). */
  noEngine1?: boolean;
}> = [
  {
    name: 'defaults (engine driver): reachable, disk of /, the engine through SSH, compose, state dir, forwarding',
    extra: '',
    plan: (host) => {
      const ssh = host !== 'runner';
      const engine = `Docker Engine API on /var/run/docker.sock${ssh ? ' through SSH' : ''}: GET /version`;
      return {
        head: { web1: 'web1 (deploy@10.0.0.5:22):', web2: 'web2 (deploy@10.0.0.6:2222):', runner: 'runner (local):' }[
          host
        ],
        env: host === 'web1' ? DH : '',
        lines: [
          'true',
          'df -P -k -- /',
          { note: engine },
          'docker compose version --short',
          'docker-compose version --short',
          ...(host === 'web1' ? [STATE_PROBE] : []),
          ...(ssh
            ? [
                { note: `SSH: open a direct-tcpip channel to 127.0.0.1:${host === 'web1' ? 22 : 2222} and close it` },
                SOCKET_LOOK,
                { note: 'SSH: open a streamlocal channel to /var/run/docker.sock and close it' },
              ]
            : []),
        ],
      };
    },
    after: [],
  },
  {
    name: 'compose driver (recreate): the config’s compose command, two disk paths, docker version off, compose config',
    extra: `
compose: { directory: /srv/shop, command: [docker-compose] }
strategy: { type: recreate }
checks:
  disk-paths: [/, /var/lib/docker]
  docker: false
`,
    noEngine1: true,
    plan: (host) => {
      const ssh = host !== 'runner';
      return {
        head: { web1: 'web1 (deploy@10.0.0.5:22):', web2: 'web2 (deploy@10.0.0.6:2222):', runner: 'runner (local):' }[
          host
        ],
        env: host === 'web1' ? DH : '',
        lines: [
          'true',
          'df -P -k -- / /var/lib/docker',
          'docker-compose version --short',
          ...(host === 'web1' ? [STATE_PROBE] : []),
          ...(ssh
            ? [{ note: `SSH: open a direct-tcpip channel to 127.0.0.1:${host === 'web1' ? 22 : 2222} and close it` }]
            : []),
          // compose config resolves the file as deploy will (its directory, the target's env, a version set).
          {
            note: `$ cd -- /srv/shop && exec ${host === 'web1' ? DH : 'env '}APP_VERSION=pre-deploy-check docker-compose config -q`,
          },
        ],
      };
    },
    after: [],
  },
];

describe('pre-deploy-check flow: dry run', () => {
  it.each(cases)('$name', async (c) => {
    const targets = c.noEngine1 ? TARGETS.replace(/\n {6}- name: engine1\n.*\n/, '\n') : TARGETS;
    const r = await runFlow(preDeployCheckAction, {
      config: `app: shop\n${targets}${c.extra}`,
      env: { DB_PASSWORD: 's3cr3t-pw' },
      inputs: { environment: 'production', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    const lines = groupLines(r, 'Plan (dry run: no connection is opened)');
    expect(lines).toEqual([
      ...render(c.plan('web1')),
      ...render(c.plan('web2')),
      ...render(c.plan('runner')),
      ...(c.noEngine1 ? [] : [ENGINE1]),
      ...c.after,
    ]);
    // No connection: the session only closes what it never opened.
    expect(r.connector).toEqual(['close']);
    expect(r.commands).toEqual([]);
    expect(r.tcp).toEqual([]);
    expect(r.engineLog).toEqual([]);
    expect(JSON.parse(r.outputs.report ?? '{}')).toMatchObject({ passed: true });
    expect(r.outputs.passed).toBe('true');
  });

  it('still fails the step on what it can check without connecting (a missing secret)', async () => {
    const r = await runFlow(preDeployCheckAction, {
      config: `app: shop\n${TARGETS}\nchecks: { required-secrets: [DEPLOY_TOKEN] }\n`,
      inputs: { environment: 'production', 'dry-run': 'true' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([expect.stringMatching(/^pre-deploy check failed: \* secret.*DEPLOY_TOKEN/)]);
    expect(r.connector).toEqual(['close']);
    expect(r.outputs.passed).toBe('false');
  });
});

describe('pre-deploy-check flow: docker targets go through the connection seam', () => {
  const ENGINES = `
environments:
  production:
    targets:
      - name: engine1
        docker: { host: tcp://10.0.0.7:2376, tls: { ca-env: DOCKER_CA, cert-env: DOCKER_CERT, key-env: DOCKER_KEY } }
      - name: engine2
        docker: { host: tcp://10.0.0.8:2376, tls: { ca-env: DOCKER_CA, cert-env: DOCKER_CERT, key-env: DOCKER_KEY } }
checks: { docker: ">=20.10", compose: false }
`;
  it.each([
    {
      name: 'both answer with a good version: reachable and docker pass; each opened once and closed',
      engines: { engine1: '20.10.24', engine2: '24.0.7' },
      passed: 'true',
      failed: [],
    },
    {
      name: 'one too old: the docker check fails naming it',
      engines: { engine1: '20.10.24', engine2: '19.03.15' },
      passed: 'false',
      failed: ['pre-deploy check failed: engine2 docker: docker engine 19.03.15 does not satisfy >=20.10'],
    },
    {
      name: 'one unreachable: reachable fails with the connector’s error',
      engines: { engine1: '20.10.24' },
      passed: 'false',
      failed: ['pre-deploy check failed: engine2 reachable: tcp://10.0.0.8:2376: connect ECONNREFUSED'],
    },
  ])('$name', async (c) => {
    const world = new World();
    for (const [name, version] of Object.entries(c.engines)) world.dockerTargets.set(name, { version });
    const r = await runFlow(preDeployCheckAction, {
      world,
      config: `app: shop\n${ENGINES}`,
      inputs: { environment: 'production' },
    });
    expect(r.outputs.passed).toBe(c.passed);
    expect(r.failed).toEqual(c.failed);
    const opened = Object.keys(c.engines).map((n) => `close docker ${n}`);
    expect([...r.connector].sort()).toEqual(['close', 'docker engine1', 'docker engine2', ...opened].sort());
    expect(r.commands).toEqual([]);
  });
});
