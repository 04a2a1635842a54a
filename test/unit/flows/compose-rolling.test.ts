/**
 * deploy and rollback flows, compose driver with strategy rolling: the service as `compose config` resolves it on the
 * target, deployed replica by replica through the Engine API (each on its own host port), its secrets masked.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, rollbackAction } from '../../../src/actions/catalog.js';
import type { Journal } from '../../../src/deploy/journal.js';
import { JOURNAL, replica, UPSTREAM } from './configs.js';
import type { Behaviour } from './fake-engine.js';
import type { ExecRecord } from './recording-transport.js';
import { type FlowResult, groupLines, journalOf, leaksOf, runFlow, upstreamWrites } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const SECRET = 'k3y-0f-the-shop-4242';
const DB_URL = 'postgres://shop:s3cret-db-pw@db.internal/shop';
const DIR = '/srv/shop';
const ENV_FILE = `${DIR}/web.env`;
const CONFIG_ARGV = ['docker-compose', '-p', 'shop', 'config'];
const UNHEALTHY: Behaviour = { http: { status: 503, body: '{"status":"starting"}' }, logs: 'db not reachable\n' };

function config(o: { network?: string } = {}): string {
  return `app: shop
environments:
  production:
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, user: deploy }
services:
  web:
    image: ghcr.io/acme/web
    replicas: 2
    network: ${o.network ?? 'host'}
    port: 8080
    host-ports: 18000-18009
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 1s
      timeout: 1s
      deadline: 10s
      stable: 2s
compose: { directory: ${DIR}, command: [docker-compose], project: shop }
strategy:
  type: rolling
  max-surge: 1
  drain: 5s
  proxy:
    nginx:
      upstream-file: ${UPSTREAM}
      upstream: shop_web
`;
}

/** The compose file as written on the target: the secret from an env_file, DB_URL interpolated, MODE literal. */
const RAW_COMPOSE = `services:
  db:
    image: postgres:16
  web:
    image: ghcr.io/acme/web:\${APP_VERSION}
    env_file: web.env
    environment:
      DB_URL: \${DB_URL}
      MODE: prod
    volumes: [data:/data]
    network_mode: host
    ports: ['8080:8080']
    depends_on: [db]
    healthcheck:
      test: [CMD, curl, -f, http://localhost:8080/health]
      interval: 5s
      timeout: 2s
      retries: 3
volumes:
  data: {}
`;

/** What docker-compose 1.29 prints for `config` with APP_VERSION=`version` (env_file merged, `${DB_URL}` resolved). */
function resolved(version: string, extra = '', networkMode = '    network_mode: host\n'): string {
  return `services:
  db:
    image: postgres:16
  web:
    depends_on:
    - db
    environment:
      DB_URL: ${DB_URL}
      MODE: prod
      SECRET_KEY: ${SECRET}
    healthcheck:
      interval: 5s
      retries: 3
      test:
      - CMD
      - curl
      - -f
      - http://localhost:8080/health
      timeout: 2s
    image: ghcr.io/acme/web:${version}
${networkMode}    ports:
    - 8080:8080/tcp
${extra}    volumes:
    - data:/data:rw
version: '3.8'
volumes:
  data: {}
`;
}

/** A world with nginx, the compose files on web1, and docker-compose answering `config` and `up`. */
function composeWorld(
  o: { extra?: string; networkMode?: string; broken?: Set<string>; rewrite?: (text: string) => string } = {},
): World {
  const world = new World();
  const t = world.host().transport;
  installNginx(t);
  t.fs.write(`${DIR}/docker-compose.yml`, RAW_COMPOSE);
  t.fs.write(ENV_FILE, `# the app's key\nSECRET_KEY=${SECRET}\n`);
  t.script(CONFIG_ARGV, (_argv, call) =>
    o.broken?.has(call.env?.APP_VERSION ?? '')
      ? { code: 1, stderr: 'ERROR: The Compose file is invalid because: services.web.image is invalid\n' }
      : { stdout: (o.rewrite ?? ((x) => x))(resolved(call.env?.APP_VERSION ?? 'unset', o.extra, o.networkMode)) },
  );
  t.script(['docker-compose', '-p', 'shop', 'up'], () => ({ stderr: 'shop_db_1 is up-to-date\n' }));
  return world;
}

const deploy = (world: World, version: string, extra: Record<string, string> = {}) =>
  runFlow(deployAction, { world, config: config(), inputs: { ...ENV, version, ...extra } });

/** The server lines of nginx's upstream file on web1 as it is now. */
const serverLines = (world: World) =>
  (world.host().transport.fs.files.get(UPSTREAM) ?? '').split('\n').filter((l) => l.startsWith('server '));

const composeCalls = (r: FlowResult): ExecRecord[] => r.execs.filter((e) => e.argv[0] === 'docker-compose');

const DISCOVERY = [
  'cat -- /srv/shop/compose.yaml',
  'cat -- /srv/shop/compose.yml',
  'cat -- /srv/shop/docker-compose.yaml',
  'cat -- /srv/shop/docker-compose.yml',
  'cat -- /srv/shop/docker-compose.override.yml',
];

describe('deploy flow (compose driver, rolling)', () => {
  it('v1 then v2: replicas created from the resolved compose service, one host port each', async () => {
    const world = composeWorld();
    const r1 = await deploy(world, 'v1');
    expect(r1.failed).toEqual([]);
    const id1 = r1.outputs['release-id'] ?? '';
    const r2 = await deploy(world, 'v2');
    expect(r2.failed).toEqual([]);
    const id2 = r2.outputs['release-id'] ?? '';

    // compose config ran in the compose directory with the version variable; then the dependency, not recreated.
    for (const [r, version] of [
      [r1, 'v1'],
      [r2, 'v2'],
    ] as const) {
      expect(composeCalls(r).map((e) => [e.argv.join(' '), e.cwd, e.env?.APP_VERSION])).toEqual([
        ['docker-compose -p shop config', DIR, version],
        ['docker-compose -p shop up -d --no-recreate db', DIR, version],
      ]);
    }

    const engine = world.host().engine;
    const containers = [...engine.containers.values()];
    expect(containers.map((c) => [c.name, c.image, c.state])).toEqual([
      [replica(id1, 0), 'ghcr.io/acme/web:v1', 'exited'],
      [replica(id1, 1), 'ghcr.io/acme/web:v1', 'exited'],
      [replica(id2, 0), 'ghcr.io/acme/web:v2', 'running'],
      [replica(id2, 1), 'ghcr.io/acme/web:v2', 'running'],
    ]);
    const ports = [18000, 18001, 18002, 18003];
    containers.forEach((c, i) => {
      const release = i < 2 ? id1 : id2;
      const slot = i % 2;
      expect(c.spec).toEqual({
        name: replica(release, slot),
        image: `ghcr.io/acme/web:${i < 2 ? 'v1' : 'v2'}`,
        env: { DB_URL, MODE: 'prod', SECRET_KEY: SECRET, PORT: String(ports[i]) },
        labels: {
          'io.runbook.app': 'shop',
          'io.runbook.env': 'production',
          'io.runbook.service': 'web',
          'io.runbook.release': release,
          'io.runbook.slot': String(slot),
          'io.runbook.port': String(ports[i]),
        },
        binds: ['shop_data:/data'],
        networkMode: 'host',
        healthcheck: {
          test: ['CMD', 'curl', '-f', 'http://localhost:8080/health'],
          intervalMs: 5000,
          timeoutMs: 2000,
          retries: 3,
        },
        stopTimeoutSeconds: 10,
      });
    });

    // The named volume is created once, with compose's labels; no network with network_mode: host.
    expect([...r1.engineCalls, ...r2.engineCalls].filter((c) => c.startsWith('ensure'))).toEqual([
      'ensureVolume shop_data',
    ]);
    expect([...engine.volumes]).toEqual([
      ['shop_data', { 'com.docker.compose.project': 'shop', 'com.docker.compose.volume': 'data' }],
    ]);
    expect(engine.networks.size).toBe(0);
    expect(r2.engineCalls).toEqual([
      'pullImage ghcr.io/acme/web:v2',
      `createContainer ${replica(id2, 0)}`,
      `startContainer ${replica(id2, 0)}`,
      `stopContainer ${replica(id1, 0)} 10`,
      `createContainer ${replica(id2, 1)}`,
      `startContainer ${replica(id2, 1)}`,
      `stopContainer ${replica(id1, 1)} 10`,
    ]);

    expect(r1.lines).toContain(
      'web1/web: ports of the compose file is replaced per replica (each replica gets its own port from host-ports 18000-18009)',
    );
    expect(r1.lines).toContain('web1/web: created volume shop_data');
    expect(r1.lines).toContain('web1/web: starting its dependencies if they are not running: db');

    expect(upstreamWrites(r2).at(-1)).toEqual([18002, 18003]);
    expect(serverLines(world)).toEqual([
      'server 127.0.0.1:18002 max_fails=1 fail_timeout=2s;',
      'server 127.0.0.1:18003 max_fails=1 fail_timeout=2s;',
    ]);

    const j = journalOf(world);
    expect(j.releases).toEqual([
      ['v1', 'superseded'],
      ['v2', 'live'],
    ]);
    const v2 = (j.raw as Journal).releases[1];
    expect(v2?.driver).toBe('compose');
    expect(v2?.strategy).toBe('rolling');
    const web = v2?.services.web;
    expect(web?.image).toBe('ghcr.io/acme/web:v2');
    expect(web?.imageId).toBe(engine.images.find((i) => i.repoTags.includes('ghcr.io/acme/web:v2'))?.id);
    expect(web?.replicas.map((x) => [x.name, x.port])).toEqual([
      [replica(id2, 0), 18002],
      [replica(id2, 1), 18003],
    ]);
  });
});

describe('deploy flow (compose driver, rolling): bridge network', () => {
  it('compose’s default network created with its labels; each replica publishes port 8080 on its host port', async () => {
    const world = composeWorld({ networkMode: '' });
    const r = await runFlow(deployAction, {
      world,
      config: config({ network: 'bridge' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([]);
    const id = r.outputs['release-id'] ?? '';
    expect(r.engineCalls.filter((c) => c.startsWith('ensure'))).toEqual([
      'ensureVolume shop_data',
      'ensureNetwork shop_default',
    ]);
    const engine = world.host().engine;
    expect([...engine.networks]).toEqual([
      ['shop_default', { 'com.docker.compose.project': 'shop', 'com.docker.compose.network': 'default' }],
    ]);
    expect(
      [...engine.containers.values()].map((c) => [c.name, c.spec.networkMode, c.spec.portBindings, c.spec.env]),
    ).toEqual(
      [0, 1].map((slot) => [
        replica(id, slot),
        'shop_default',
        [{ containerPort: 8080, hostPort: 18000 + slot, hostIp: '127.0.0.1' }],
        { DB_URL, MODE: 'prod', SECRET_KEY: SECRET },
      ]),
    );
    expect(serverLines(world)).toEqual([
      'server 127.0.0.1:18000 max_fails=1 fail_timeout=2s;',
      'server 127.0.0.1:18001 max_fails=1 fail_timeout=2s;',
    ]);
  });
});

describe('deploy flow (compose driver, rolling): secrets', () => {
  it('the env_file and interpolated values reach the containers only; a literal value is not masked', async () => {
    const world = composeWorld();
    const runs = [await deploy(world, 'v1'), await deploy(world, 'v2')];
    for (const r of runs) expect(r.failed).toEqual([]);
    const envs = [...world.host().engine.containers.values()].map((c) => c.spec.env);
    expect(envs.map((e) => [e?.SECRET_KEY, e?.DB_URL])).toEqual(Array(4).fill([SECRET, DB_URL]));
    for (const r of runs) {
      for (const secret of [SECRET, DB_URL]) expect(leaksOf(r, secret, ENV_FILE)).toEqual([]);
    }
    expect(world.host().transport.fs.files.get(JOURNAL)).not.toContain('s3cret');
    // The keys were read from the compose file and its env file on the target, before compose config ran.
    expect(
      runs[0]?.commands.filter((c) => c.startsWith('cat -- /srv/shop/') || c.startsWith('docker-compose')),
    ).toEqual([
      // compose's own discovery: the first default name that exists, then its override file.
      ...DISCOVERY,
      'cat -- /srv/shop/web.env',
      'docker-compose -p shop config',
      'docker-compose -p shop up -d --no-recreate db',
      // The release's fingerprint of the same compose files (journal).
      ...DISCOVERY,
    ]);
  });

  it('a failing replica’s log tail: the secret and DB_URL are masked, MODE’s literal value is not', async () => {
    const world = composeWorld();
    expect((await deploy(world, 'v1')).failed).toEqual([]);
    world.behave({
      'ghcr.io/acme/web:v2': { exits: 1, logs: `mode prod\nkey ${SECRET} rejected\nconnecting to ${DB_URL}\n` },
    });
    const r = await deploy(world, 'v2');
    expect(r.ok).toBe(false);
    const text = r.lines.join('\n');
    expect(text).toContain('mode prod');
    expect(text).toContain('key *** rejected');
    expect(text).toContain('connecting to ***');
    for (const secret of [SECRET, DB_URL]) expect(leaksOf(r, secret, ENV_FILE)).toEqual([]);
  });
});

describe('deploy flow (compose driver, rolling): refused before any change', () => {
  it('an external volume that does not exist: fails naming it before any container (docker would make it empty)', async () => {
    const world = composeWorld({
      rewrite: (t) =>
        t.replace('volumes:\n  data: {}\n', 'volumes:\n  data:\n    external: true\n    name: legacy_data\n'),
    });
    const r = await deploy(world, 'v1');
    expect(r.failed).toEqual([
      'web1/web: the compose file declares volume legacy_data external, and it does not exist on web1: create it first (docker volume create / docker network create), or let compose make it (remove external)',
    ]);
    expect(world.host().engine.containers.size).toBe(0);
    expect(world.host().engine.volumes.size).toBe(0);
    // Once it exists, it is used as it is (never created, never relabelled).
    world.host().engine.volumes.set('legacy_data', { team: 'ops' });
    expect((await deploy(world, 'v1')).failed).toEqual([]);
    expect([...world.host().engine.containers.values()].map((c) => c.spec.binds)).toEqual([
      ['legacy_data:/data'],
      ['legacy_data:/data'],
    ]);
    expect(world.host().engine.volumes.get('legacy_data')).toEqual({ team: 'ops' });
  });

  it('healthcheck disabled in the file while health.container waits for it: refused before any container', async () => {
    const world = composeWorld({
      rewrite: (t) => t.replace(/ {4}healthcheck:\n(?: {6}.*\n)+/, '    healthcheck:\n      disable: true\n'),
    });
    const r = await runFlow(deployAction, {
      world,
      config: config().replace(
        '      http: { path: /health, expect: { status: 200, json: { status: ok } } }\n',
        '      container: true\n',
      ),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.failed).toEqual([
      'web1/web: the compose file disables the healthcheck of web (healthcheck: disable: true), and services.web.health.container waits for it: enable it there, or configure health.http',
    ]);
    expect(world.host().engine.containers.size).toBe(0);
  });

  it('a key rolling replicas cannot carry (privileged): fails naming it, no image pulled, no container', async () => {
    const world = composeWorld({ extra: '    privileged: true\n' });
    const r = await deploy(world, 'v1');
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringContaining(
        'compose service web: privileged is not carried into rolling replicas (carried: image, command,',
      ),
    ]);
    expect(r.failed[0]).toContain('; remove it or use strategy recreate');
    expect(r.engineCalls).toEqual([]);
    expect(composeCalls(r).map((e) => e.argv.join(' '))).toEqual(['docker-compose -p shop config']);
    expect(world.host().engine.containers.size).toBe(0);
    expect(leaksOf(r, SECRET, ENV_FILE)).toEqual([]);
  });

  it('network: bridge in the runbook, network_mode: host in the compose file: fails naming services.web.network', async () => {
    const world = composeWorld();
    const r = await runFlow(deployAction, {
      world,
      config: config({ network: 'bridge' }),
      inputs: { ...ENV, version: 'v1' },
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([
      expect.stringContaining(
        'web1/web: the compose file runs web with network_mode: host, so services.web.network must be host (each replica gets its port in port-env)',
      ),
    ]);
    expect(r.engineCalls).toEqual([]);
    expect(world.host().engine.containers.size).toBe(0);
  });
});

describe('deploy and rollback flows (compose driver, rolling): a failed release', () => {
  it('v3 never healthy: v2 keeps serving; then rollback v2 → v1 restarts v1’s kept containers', async () => {
    const world = composeWorld();
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const r = await deploy(world, version);
      expect(r.failed).toEqual([]);
      ids.push(r.outputs['release-id'] ?? '');
    }
    const [id1 = '', id2 = ''] = ids;
    world.behave({ 'ghcr.io/acme/web:v3': UNHEALTHY });
    const r3 = await deploy(world, 'v3');
    expect(r3.ok).toBe(false);
    const id3 = r3.outputs['release-id'] ?? journalOf(world).raw.releases[2]?.id ?? '';
    expect(r3.failed).toEqual([
      expect.stringMatching(/^web1\/web#0 \(port 18000\) not healthy within 10s \(deadline\)/),
    ]);
    expect(r3.engineCalls).toEqual([
      'pullImage ghcr.io/acme/web:v3',
      `createContainer ${replica(id3, 0)}`,
      `startContainer ${replica(id3, 0)}`,
      `removeContainer ${replica(id3, 0)} force`,
    ]);
    expect(upstreamWrites(r3)).toEqual([]);
    expect(serverLines(world)).toEqual([
      'server 127.0.0.1:18002 max_fails=1 fail_timeout=2s;',
      'server 127.0.0.1:18003 max_fails=1 fail_timeout=2s;',
    ]);
    const running = () =>
      [...world.host().engine.containers.values()].filter((c) => c.state === 'running').map((c) => c.name);
    expect(running()).toEqual([replica(id2, 0), replica(id2, 1)]);
    expect(journalOf(world).releases).toEqual([
      ['v1', 'superseded'],
      ['v2', 'live'],
      ['v3', 'failed'],
    ]);

    const rb = await runFlow(rollbackAction, { world, config: config(), inputs: { ...ENV, scope: 'image' } });
    expect(rb.failed).toEqual([]);
    expect(rb.engineCalls).toEqual([
      `startContainer ${replica(id1, 0)}`,
      `startContainer ${replica(id1, 1)}`,
      `stopContainer ${replica(id2, 0)} 10`,
      `stopContainer ${replica(id2, 1)} 10`,
    ]);
    // The compose service is resolved at v1 (new containers, had the kept ones been gone, would come from it).
    expect(composeCalls(rb).map((e) => [e.argv.join(' '), e.env?.APP_VERSION])).toEqual([
      ['docker-compose -p shop config', 'v1'],
      ['docker-compose -p shop up -d --no-recreate db', 'v1'],
    ]);
    expect(running()).toEqual([replica(id1, 0), replica(id1, 1)]);
    expect(upstreamWrites(rb)).toEqual([
      [18002, 18003, 18000, 18001],
      [18000, 18001],
    ]);
    expect(journalOf(world).releases).toEqual([
      ['v1', 'live'],
      ['v2', 'rolled-back'],
      ['v3', 'failed'],
    ]);
    for (const secret of [SECRET, DB_URL]) expect(leaksOf(rb, secret, ENV_FILE)).toEqual([]);
  });
});

describe('rollback flow (compose driver, rolling): kept containers gone', () => {
  it('new v1 containers come from the compose service resolved at v1, on free ports', async () => {
    const world = composeWorld();
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const r = await deploy(world, version);
      expect(r.failed).toEqual([]);
      ids.push(r.outputs['release-id'] ?? '');
    }
    const [id1 = '', id2 = ''] = ids;
    const engine = world.host().engine;
    for (const [id, c] of engine.containers) if (c.image === 'ghcr.io/acme/web:v1') engine.containers.delete(id);
    const rb = await runFlow(rollbackAction, { world, config: config(), inputs: { ...ENV, scope: 'image' } });
    expect(rb.failed).toEqual([]);
    expect(rb.engineCalls.filter((c) => !c.startsWith('pullImage'))).toEqual([
      `createContainer ${replica(id1, 0)}`,
      `startContainer ${replica(id1, 0)}`,
      `createContainer ${replica(id1, 1)}`,
      `startContainer ${replica(id1, 1)}`,
      `stopContainer ${replica(id2, 0)} 10`,
      `stopContainer ${replica(id2, 1)} 10`,
    ]);
    // Created from the image id the release recorded (as the engine driver's rollback does).
    const v1Image = engine.images.find((i) => i.repoTags.includes('ghcr.io/acme/web:v1'))?.id;
    expect(v1Image).toBe(journalOf(world).raw.releases[0]?.services.web?.imageId);
    const fresh = [...engine.containers.values()].filter((c) => c.state === 'running');
    expect(fresh.map((c) => [c.name, c.spec.image, c.spec.env, c.spec.binds, c.spec.networkMode])).toEqual([
      [
        replica(id1, 0),
        v1Image,
        { DB_URL, MODE: 'prod', SECRET_KEY: SECRET, PORT: '18000' },
        ['shop_data:/data'],
        'host',
      ],
      [
        replica(id1, 1),
        v1Image,
        { DB_URL, MODE: 'prod', SECRET_KEY: SECRET, PORT: '18001' },
        ['shop_data:/data'],
        'host',
      ],
    ]);
    expect(journalOf(world).releases).toEqual([
      ['v1', 'live'],
      ['v2', 'rolled-back'],
    ]);
    for (const secret of [SECRET, DB_URL]) expect(leaksOf(rb, secret, ENV_FILE)).toEqual([]);
  });
});

describe('deploy flow (compose driver, rolling): dry run', () => {
  it('prints the compose config command and the Docker API plan; runs no compose command, changes nothing', async () => {
    const world = composeWorld();
    const r = await deploy(world, 'v1', { 'dry-run': 'true' });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain('shop/production: deploy v1 with rolling (compose driver) to web1');
    expect(r.lines).toContain(
      '  web: 2 × ghcr.io/acme/web:v1 on ports 18000-18009 (host network), health: GET /health',
    );
    expect(groupLines(r, 'Plan (dry run')).toEqual([
      'shop/production: deploy v1 with rolling (compose driver) to web1',
      'web1:',
      '  web: 2 × ghcr.io/acme/web:v1 on ports 18000-18009 (host network), health: GET /health',
      '    $ cd -- /srv/shop && exec env APP_VERSION=v1 docker-compose -p shop config',
      '    Docker API: create 2 × compose service web as the file resolves it (environment, volumes, network, healthcheck), each on its own port, start, health-gate, add to the upstream, then drain and stop the previous replicas (kept)',
      `    nginx upstream shop_web in ${UPSTREAM}, then: nginx -t; nginx -s reload`,
      `web1: ${UPSTREAM} after the deploy (a new file):`,
      '  | # upstream shop_web: server lines written by runbook-actions (included inside upstream shop_web { … })',
      '  | server 127.0.0.1:18000 max_fails=1 fail_timeout=2s;',
      '  | server 127.0.0.1:18001 max_fails=1 fail_timeout=2s;',
    ]);
    // The plan only prints the command: compose config is not run, the journal and the upstream file are only read.
    expect(composeCalls(r)).toEqual([]);
    expect(r.engineCalls).toEqual([]);
    expect(r.commands).toEqual([`cat -- ${JOURNAL}`, `cat -- ${UPSTREAM}`]);
  });
});

describe('rollback flow (compose driver, rolling): the compose file no longer resolves at the old version', () => {
  it('the kept containers still come back; only creating new ones would fail, naming compose’s error', async () => {
    const broken = new Set<string>();
    const world = composeWorld({ broken });
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const r = await deploy(world, version);
      expect(r.failed).toEqual([]);
      ids.push(r.outputs['release-id'] ?? '');
    }
    const [id1 = '', id2 = ''] = ids;
    broken.add('v1');
    const rb = await runFlow(rollbackAction, { world, config: config(), inputs: { ...ENV, scope: 'image' } });
    expect(rb.failed).toEqual([]);
    expect(rb.lines).toContainEqual(
      expect.stringContaining(
        "web1/web: the compose file does not resolve at v1 (compose config on web1 failed (exit 1): ERROR: The Compose file is invalid because: services.web.image is invalid); only the release's kept containers can come back",
      ),
    );
    expect(rb.engineCalls.filter((c) => !c.startsWith('pullImage'))).toEqual([
      `startContainer ${replica(id1, 0)}`,
      `startContainer ${replica(id1, 1)}`,
      `stopContainer ${replica(id2, 0)} 10`,
      `stopContainer ${replica(id2, 1)} 10`,
    ]);
    // The kept containers gone too: nothing to start, and nothing is created from a file that does not resolve.
    const broken2 = new Set<string>();
    const again = composeWorld({ broken: broken2 });
    for (const version of ['v1', 'v2']) expect((await deploy(again, version)).failed).toEqual([]);
    const engine = again.host().engine;
    for (const [id, c] of engine.containers) if (c.image === 'ghcr.io/acme/web:v1') engine.containers.delete(id);
    broken2.add('v1');
    const rb2 = await runFlow(rollbackAction, { world: again, config: config(), inputs: { ...ENV, scope: 'image' } });
    expect(rb2.failed).toEqual([expect.stringContaining('compose config on web1 failed (exit 1)')]);
    expect(rb2.engineCalls.filter((c) => c.startsWith('createContainer'))).toEqual([]);
    expect(serverLines(again)).toHaveLength(2);
  });
});
