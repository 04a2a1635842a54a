/** The swarm driver's service spec: built from the service config, its ports, secrets and strategy.swarm. */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { Config } from '../../../src/config/schema.js';
import { swarmSettings } from '../../../src/config/schema-swarm.js';
import { healthScript } from '../../../src/deploy/swarm/health.js';
import { choosePorts, parsePortsLabel, portsLabel, portTemplate, taskPort } from '../../../src/deploy/swarm/ports.js';
import { buildServiceSpec, swarmServiceName, taskEnv, updateConfigOf } from '../../../src/deploy/swarm/spec.js';

function configOf(service: string, strategy = ''): Config {
  const body = service
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return parseConfig(
    `app: shop\nenvironments:\n  production:\n    targets: [{ name: m1, local: true }]\nservices:\n  api:\n    image: ghcr.io/acme/api\n${body}\nstrategy:\n  driver: swarm\n${strategy}`,
    'runbook.yml',
  );
}

const owner = { app: 'shop', env: 'production', service: 'api' };

describe('buildServiceSpec', () => {
  it('a service with ports, a health check, secrets and limits', () => {
    const c = configOf(
      `replicas: 2
network: host
host-ports: 18000-18009
env: { LOG_LEVEL: info }
secret-env: { DATABASE_URL: SHOP_DB }
command: [serve, --fast]
labels: { com.acme.team: shop }
user: "1000"
memory: 256MiB
cpus: 0.5
restart: on-failure:3
stop-grace: 20s
extra-hosts: [db.internal:10.0.0.7]
volumes: [media:/app/media, /etc/shop:/etc/shop:ro]
log: { driver: json-file, options: { max-size: 10m } }
health:
  http: { path: /health, expect: { status: 200, json: { status: ok } } }
  interval: 2s
  timeout: 3s
  deadline: 60s`,
      '  swarm: { parallelism: 2, delay: 10s, order: start-first, failure-action: rollback, monitor: 30s, max-failure-ratio: 0.25 }\n',
    );
    const service = c.services?.api;
    if (!service) throw new Error('no service');
    const spec = buildServiceSpec({
      owner,
      release: 'r2',
      image: 'ghcr.io/acme/api:v2@sha256:abc',
      service,
      fileEnv: { FROM_FILE: 'x', LOG_LEVEL: 'debug' },
      ports: [18002, 18003],
      secrets: [{ name: 'DATABASE_URL', secretId: 'sec1', secretName: 'shop-production-DATABASE_URL-0123abcd' }],
      swarm: swarmSettings(c.strategy),
    });
    const health = spec.TaskTemplate.ContainerSpec.Healthcheck;
    expect(health?.Test[0]).toBe('CMD-SHELL');
    expect({
      ...spec,
      TaskTemplate: {
        ...spec.TaskTemplate,
        ContainerSpec: { ...spec.TaskTemplate.ContainerSpec, Healthcheck: { ...health, Test: ['…'] } },
      },
    }).toEqual({
      Name: 'shop-production-api',
      Labels: {
        'io.runbook.app': 'shop',
        'io.runbook.env': 'production',
        'io.runbook.service': 'api',
        'io.runbook.release': 'r2',
      },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'ghcr.io/acme/api:v2@sha256:abc',
          Labels: { 'com.acme.team': 'shop', 'io.runbook.release': 'r2', 'io.runbook.ports': '1=18002,2=18003' },
          Args: ['serve', '--fast'],
          Env: [
            'FROM_FILE=x',
            'LOG_LEVEL=info',
            'DATABASE_URL_FILE=/run/secrets/DATABASE_URL',
            'PORT={{if eq .Task.Slot "1"}}18002{{else if eq .Task.Slot "2"}}18003{{else}}0{{end}}',
          ],
          User: '1000',
          Hosts: ['10.0.0.7 db.internal'],
          Mounts: [
            { Type: 'volume', Source: 'media', Target: '/app/media', ReadOnly: false },
            { Type: 'bind', Source: '/etc/shop', Target: '/etc/shop', ReadOnly: true },
          ],
          StopGracePeriod: 20_000_000_000,
          Healthcheck: { Test: ['…'], Interval: 2e9, Timeout: 3e9, Retries: 3, StartPeriod: 60e9 },
          Secrets: [
            {
              SecretID: 'sec1',
              SecretName: 'shop-production-DATABASE_URL-0123abcd',
              File: { Name: 'DATABASE_URL', UID: '0', GID: '0', Mode: 0o444 },
            },
          ],
        },
        Resources: { Limits: { MemoryBytes: 256 * 2 ** 20, NanoCPUs: 500_000_000 } },
        RestartPolicy: { Condition: 'on-failure', MaxAttempts: 3 },
        LogDriver: { Name: 'json-file', Options: { 'max-size': '10m' } },
        Networks: [{ Target: 'host' }],
      },
      Mode: { Replicated: { Replicas: 2 } },
      UpdateConfig: {
        Parallelism: 2,
        Delay: 10e9,
        FailureAction: 'rollback',
        Monitor: 30e9,
        MaxFailureRatio: 0.25,
        Order: 'start-first',
      },
      RollbackConfig: {
        Parallelism: 2,
        Delay: 10e9,
        FailureAction: 'rollback',
        Monitor: 30e9,
        MaxFailureRatio: 0.25,
        Order: 'start-first',
      },
    });
  });

  it('the defaults: one task at a time, start-first, rollback on failure, 5s delay, 15s monitor, no ports', () => {
    const c = configOf('network: host');
    const service = c.services?.api;
    if (!service) throw new Error('no service');
    const spec = buildServiceSpec({
      owner,
      release: 'r1',
      image: 'ghcr.io/acme/api:v1',
      service,
      ports: [],
      secrets: [],
      swarm: swarmSettings(c.strategy),
    });
    expect(spec.UpdateConfig).toEqual({
      Parallelism: 1,
      Delay: 5e9,
      FailureAction: 'rollback',
      Monitor: 15e9,
      MaxFailureRatio: 0,
      Order: 'start-first',
    });
    expect(swarmSettings(c.strategy)['converge-timeout']).toBe(600_000);
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual([]);
    expect(spec.TaskTemplate.ContainerSpec.Healthcheck).toBeUndefined();
    expect(spec.TaskTemplate.ContainerSpec.Labels).toEqual({ 'io.runbook.release': 'r1' });
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'any' });
    expect(updateConfigOf(swarmSettings(c.strategy))).toEqual(spec.RollbackConfig);
  });

  it('names and env: the service name, port-env, secrets as _FILE, env winning over the env-file', () => {
    expect(swarmServiceName({ app: 'shop', env: 'prod_eu', service: 'web' })).toBe('shop-prod_eu-web');
    const c = configOf('network: host\nport-env: APP_PORT\nenv: { A: "1" }');
    const service = c.services?.api;
    if (!service) throw new Error('no service');
    expect(
      taskEnv({
        service,
        fileEnv: { A: 'file', B: 'file' },
        ports: [20001],
        secrets: [{ name: 'TOKEN', secretId: 'i', secretName: 'n' }],
      }),
    ).toEqual({
      A: '1',
      B: 'file',
      TOKEN_FILE: '/run/secrets/TOKEN',
      APP_PORT: '{{if eq .Task.Slot "1"}}20001{{else}}0{{end}}',
    });
  });
});

describe('task ports', () => {
  it('the label and the template give slot n the n-th port', () => {
    expect(portsLabel([18004, 18007])).toBe('1=18004,2=18007');
    expect([...parsePortsLabel('1=18004,2=18007,junk,3=x').entries()]).toEqual([
      [1, 18004],
      [2, 18007],
    ]);
    expect(taskPort({ 'io.runbook.ports': '1=18004,2=18007' }, 2)).toBe(18007);
    expect(taskPort({}, 1)).toBeUndefined();
    expect(portTemplate([])).toBe('0');
  });

  it('chooses the lowest ports the running tasks do not hold and nothing else listens on', async () => {
    const busy = new Set([18003]);
    const ports = await choosePorts('m1/api', [18000, 18009], 3, new Set([18000, 18001]), async (p) => busy.has(p));
    expect(ports).toEqual([18002, 18004, 18005]);
  });

  it('too few ports: the range, the held ones and the taken ones named', async () => {
    await expect(
      choosePorts('m1/api', [18000, 18003], 2, new Set([18000, 18001]), async (p) => p === 18003),
    ).rejects.toThrow(
      'm1/api: host-ports 18000-18003 has 1 free port(s) for 2 new task(s) (held by the running tasks: 18000, 18001; taken by something else: 18003); widen host-ports',
    );
  });
});

describe('the container health check (run by a real shell against a real HTTP server)', () => {
  let server: Server;
  let port = 0;
  let answer = { status: 200, body: '{"status":"ok","version":"v1"}' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/health' ? answer.status : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/health' ? answer.body : 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const run = async (script: string) =>
    promisify(execFile)('sh', ['-c', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port) },
    })
      .then(() => 'healthy')
      .catch((e: { stdout?: string }) => `unhealthy: ${(e.stdout ?? '').trim()}`);

  const http = {
    path: '/health',
    scheme: 'http' as const,
    expect: { status: 200, json: { status: 'ok', 'checks.db': 'up' } },
  };

  it('passes a success whose body has the expected top-level values (nested paths are the gate’s)', async () => {
    answer = { status: 200, body: '{"status": "ok", "version":"v1"}' };
    expect(await run(healthScript(http, 'PORT'))).toBe('healthy');
  });

  it('fails a success with another value, an error status, or nothing listening', async () => {
    answer = { status: 200, body: '{"status":"degraded"}' };
    expect(await run(healthScript(http, 'PORT'))).toBe('unhealthy: expected status: "ok", got: {"status":"degraded"}');
    answer = { status: 503, body: '{"status":"ok"}' };
    expect(await run(healthScript(http, 'PORT'))).toMatch(/^unhealthy/);
    expect(await run(healthScript({ ...http, path: '/nothing' }, 'PORT'))).toMatch(/^unhealthy/);
  });

  it('quotes what the config gives (a path, a header) for the shell', () => {
    const script = healthScript({ path: "/h'x", scheme: 'https', headers: { Host: 'a b' } }, 'PORT');
    expect(script).toContain(`url=https://127.0.0.1:"\${PORT}"'/h'\\''x'\n`);
    expect(script).toContain(`body=$(exec wget -q -O - '--header=Host: a b' --no-check-certificate "$url") || exit 1`);
    expect(script).toContain(`body=$(exec curl -fsS -H 'Host: a b' -k "$url") || exit 1`);
  });
});
