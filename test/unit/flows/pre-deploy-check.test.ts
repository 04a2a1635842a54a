/**
 * pre-deploy-check's dry run, whole flow: the exact commands each host would receive (as its shell would read them),
 * and no connection: the connector's shell() and engine() are never called, no command is run.
 */
import { describe, expect, it } from 'vitest';
import { preDeployCheckAction } from '../../../src/actions/pre-deploy-check.js';
import { groupLines, runFlow } from './run-flow.js';

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
