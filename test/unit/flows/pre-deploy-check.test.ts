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

const web1 = (cmds: string[]) => [
  'web1 (deploy@10.0.0.5:22):',
  ...cmds.map((c) => `  $ exec env DOCKER_HOST=unix:///run/user/1000/docker.sock ${c}`),
];
const plain = (head: string, cmds: string[]) => [head, ...cmds.map((c) => `  $ exec ${c}`)];
const ENGINE1 = 'engine1 (tcp://10.0.0.7:2376): Docker Engine API GET /version (no shell)';

const cases = [
  {
    name: 'defaults: reachable, disk of /, docker version, both compose commands',
    extra: '',
    commands: [
      'true',
      'df -P -k -- /',
      "docker version --format '{{.Server.Version}}'",
      'docker compose version --short',
      'docker-compose version --short',
    ],
    after: [],
  },
  {
    name: 'the config’s compose command, two disk paths, docker version check off',
    extra: `
compose: { directory: /srv/shop, command: [docker-compose] }
checks:
  disk-paths: [/, /var/lib/docker]
  docker: false
`,
    commands: ['true', 'df -P -k -- / /var/lib/docker', 'docker-compose version --short'],
    after: [],
  },
  {
    name: 'compose check off, plus the incident label and backup age (named, not asked)',
    extra: `
database:
  engine: postgres
  via: { host: db.internal }
  name: shop
  user: shop_app
  password-env: DB_PASSWORD
  backup: { directory: /var/backups/shop }
checks:
  compose: false
  incident-label: incident
  backup-max-age: 26h
`,
    commands: ['true', 'df -P -k -- /', "docker version --format '{{.Server.Version}}'"],
    after: [
      'GitHub: open issues labelled "incident" in acme/shop',
      'backups: the newest verified one in /var/backups/shop on web1',
    ],
  },
];

describe('pre-deploy-check flow: dry run', () => {
  it.each(cases)('$name', async (c) => {
    const r = await runFlow(preDeployCheckAction, {
      config: `app: shop\n${TARGETS}${c.extra}`,
      env: { DB_PASSWORD: 's3cr3t-pw' },
      inputs: { environment: 'production', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(groupLines(r, 'Plan (dry run: no connection is opened)')).toEqual([
      ...web1(c.commands),
      ...plain('web2 (deploy@10.0.0.6:2222):', c.commands),
      ...plain('runner (local):', c.commands),
      ENGINE1,
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
