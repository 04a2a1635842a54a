/** A compose service read from `compose config` output (v1.29 short forms, v2 long forms) into a container template. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { byteSize, composeServiceOf, goDurationMs, projectName } from '../../../src/deploy/compose/template.js';

/** `docker-compose config` (1.29.2) output, captured from a file with env_file, named volume, bind, healthcheck, depends_on. */
const V1_CONFIG = `networks:
  back: {}
services:
  db:
    image: postgres:15
    networks:
      back: null
    volumes:
    - pg:/var/lib/postgresql/data:rw
  web:
    command:
    - python
    - app.py
    depends_on:
      db:
        condition: service_started
    environment:
      DB_URL: postgres://u:p@h/db
      MODE: prod
      SECRET_KEY: s3cr3t-value
    healthcheck:
      interval: 2s
      retries: 3
      start_period: 5s
      test:
      - CMD
      - wget
      - -q
      - -O-
      - http://127.0.0.1:8080/health
      timeout: 1s
    image: 127.0.0.1:5000/shop:v2
    labels:
      team: shop
    network_mode: host
    restart: unless-stopped
    volumes:
    - data:/data:rw
    - /work/logs/cc/static:/static:ro
version: '3.7'
volumes:
  data: {}
  pg: {}
`;

/** The message of the UserError `fn` throws (fails when it throws nothing or something else). */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

/** A config text with one service `web` whose body is `lines` (indented under it), and top-level `extra`. */
function oneService(lines: string, extra = ''): string {
  const body = lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `services:\n  web:\n    image: acme/web:1\n${body}\n${extra}`;
}

describe('composeServiceOf: docker-compose 1.29 output', () => {
  it('reads the whole template of web (host network, named volume, bind, healthcheck, depends_on)', () => {
    const svc = composeServiceOf(V1_CONFIG, 'web', 'myproj');
    expect(svc).toEqual({
      project: 'myproj',
      image: '127.0.0.1:5000/shop:v2',
      template: {
        env: { DB_URL: 'postgres://u:p@h/db', MODE: 'prod', SECRET_KEY: 's3cr3t-value' },
        labels: { team: 'shop' },
        cmd: ['python', 'app.py'],
        networkMode: 'host',
        restartPolicy: 'unless-stopped',
        healthcheck: {
          test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'],
          intervalMs: 2000,
          timeoutMs: 1000,
          retries: 3,
          startPeriodMs: 5000,
        },
        binds: ['myproj_data:/data', '/work/logs/cc/static:/static:ro'],
      },
      dependsOn: ['db'],
      volumes: [{ key: 'data', name: 'myproj_data', external: false }],
      networks: [],
      replaced: [],
    });
    // No network with network_mode; nothing the file did not set.
    expect(svc.template.entrypoint).toBeUndefined();
    expect(svc.template.restartMaxRetries).toBeUndefined();
    expect(svc.template.memoryBytes).toBeUndefined();
    expect(svc.template.nanoCpus).toBeUndefined();
    expect(svc.template.extraHosts).toBeUndefined();
    expect(svc.template.stopTimeoutSeconds).toBeUndefined();
  });

  it('reads db on the project-prefixed network back, its volume prefixed too', () => {
    const svc = composeServiceOf(V1_CONFIG, 'db', 'myproj');
    expect(svc.project).toBe('myproj');
    expect(svc.image).toBe('postgres:15');
    expect(svc.networks).toEqual([{ key: 'back', name: 'myproj_back', external: false }]);
    expect(svc.template.networkMode).toBe('myproj_back');
    expect(svc.template.binds).toEqual(['myproj_pg:/var/lib/postgresql/data']);
    expect(svc.volumes).toEqual([{ key: 'pg', name: 'myproj_pg', external: false }]);
    expect(svc.dependsOn).toEqual([]);
    expect(svc.template.env).toEqual({});
    expect(svc.template.labels).toEqual({});
    expect(svc.template.cmd).toBeUndefined();
    expect(svc.template.healthcheck).toBeUndefined();
    expect(svc.template.restartPolicy).toBeUndefined();
  });

  it('normalizes the project hint as compose does', () => {
    expect(composeServiceOf(V1_CONFIG, 'db', 'My.Proj').project).toBe('myproj');
    expect(composeServiceOf(V1_CONFIG, 'db', 'My.Proj').networks[0]?.name).toBe('myproj_back');
  });

  it('puts a service without networks on <project>_default', () => {
    const svc = composeServiceOf(oneService('restart: always'), 'web', 'shop');
    expect(svc.networks).toEqual([{ key: 'default', name: 'shop_default', external: false }]);
    expect(svc.template.networkMode).toBe('shop_default');
  });

  it('reads networks given as a list', () => {
    const svc = composeServiceOf(oneService('networks: [front]'), 'web', 'shop');
    expect(svc.networks).toEqual([{ key: 'front', name: 'shop_front', external: false }]);
  });

  it('reads environment and labels given as lists', () => {
    const svc = composeServiceOf(
      oneService('environment: [A=1, B=x=y, EMPTY]\nlabels: [team=shop, tier]'),
      'web',
      'shop',
    );
    expect(svc.template.env).toEqual({ A: '1', B: 'x=y', EMPTY: '' });
    expect(svc.template.labels).toEqual({ team: 'shop', tier: '' });
  });

  it('reads a null environment value as empty', () => {
    const svc = composeServiceOf(oneService('environment: {A: null, N: 3}'), 'web', 'shop');
    expect(svc.template.env).toEqual({ A: '', N: '3' });
  });
});

describe('composeServiceOf: docker compose v2 output', () => {
  const V2_CONFIG = `name: Shop-Prod
services:
  web:
    image: acme/web:2
    networks:
      back: null
    volumes:
      - type: volume
        source: data
        target: /data
        read_only: true
        volume: {}
      - type: volume
        source: cache
        target: /cache
      - type: bind
        source: /srv/static
        target: /static
        bind:
          create_host_path: true
    depends_on:
      db:
        condition: service_healthy
        required: true
      cache:
        condition: service_started
        required: true
networks:
  back:
    name: shop-prod_back
volumes:
  data:
    name: proj_data
  cache:
    name: shop-prod_cache
`;

  it('takes the project from name:, volumes and networks by their printed names', () => {
    const svc = composeServiceOf(V2_CONFIG, 'web', 'ignored-hint');
    expect(svc.project).toBe('shop-prod');
    expect(svc.template.binds).toEqual(['proj_data:/data:ro', 'shop-prod_cache:/cache', '/srv/static:/static']);
    expect(svc.volumes).toEqual([
      { key: 'data', name: 'proj_data', external: false },
      { key: 'cache', name: 'shop-prod_cache', external: false },
    ]);
    expect(svc.networks).toEqual([{ key: 'back', name: 'shop-prod_back', external: false }]);
    expect(svc.template.networkMode).toBe('shop-prod_back');
    expect(svc.dependsOn).toEqual(['db', 'cache']);
  });

  it('prefixes a long-form volume without a top-level name by the project', () => {
    const svc = composeServiceOf(
      oneService('volumes:\n  - {type: volume, source: data, target: /data}', 'volumes:\n  data: {}\n'),
      'web',
      'shop',
    );
    expect(svc.template.binds).toEqual(['shop_data:/data']);
    expect(svc.volumes).toEqual([{ key: 'data', name: 'shop_data', external: false }]);
  });

  it('reads depends_on given as a list', () => {
    expect(composeServiceOf(oneService('depends_on: [db, cache]'), 'web', 'shop').dependsOn).toEqual(['db', 'cache']);
  });
});

describe('composeServiceOf: external and named volumes and networks', () => {
  const withTop = (top: string) =>
    composeServiceOf(oneService('volumes: [v:/v:rw]\nnetworks: {n: null}', top), 'web', 'shop');

  it('external: true keeps the key as the name', () => {
    const svc = withTop('volumes:\n  v: {external: true}\nnetworks:\n  n: {external: true}\n');
    expect(svc.volumes).toEqual([{ key: 'v', name: 'v', external: true }]);
    expect(svc.template.binds).toEqual(['v:/v']);
    expect(svc.networks).toEqual([{ key: 'n', name: 'n', external: true }]);
    expect(svc.template.networkMode).toBe('n');
  });

  it('external: {name: x} uses x', () => {
    const svc = withTop('volumes:\n  v: {external: {name: xvol}}\nnetworks:\n  n: {external: {name: xnet}}\n');
    expect(svc.volumes).toEqual([{ key: 'v', name: 'xvol', external: true }]);
    expect(svc.template.binds).toEqual(['xvol:/v']);
    expect(svc.networks).toEqual([{ key: 'n', name: 'xnet', external: true }]);
  });

  it('external: true with name: x (as 1.29 and v2 print it) uses x', () => {
    const svc = withTop('volumes:\n  v: {external: true, name: xvol}\nnetworks:\n  n: {external: true, name: xnet}\n');
    expect(svc.volumes).toEqual([{ key: 'v', name: 'xvol', external: true }]);
    expect(svc.networks).toEqual([{ key: 'n', name: 'xnet', external: true }]);
    expect(svc.template.networkMode).toBe('xnet');
  });

  it('name: x alone uses x, not prefixed, and is not external (compose creates it)', () => {
    const svc = withTop('volumes:\n  v: {name: xvol}\nnetworks:\n  n: {name: xnet}\n');
    expect(svc.volumes).toEqual([{ key: 'v', name: 'xvol', external: false }]);
    expect(svc.template.binds).toEqual(['xvol:/v']);
    expect(svc.networks).toEqual([{ key: 'n', name: 'xnet', external: false }]);
  });

  it('external: false is prefixed like any other', () => {
    const svc = withTop('volumes:\n  v: {external: false}\nnetworks:\n  n: {external: false}\n');
    expect(svc.volumes).toEqual([{ key: 'v', name: 'shop_v', external: false }]);
    expect(svc.networks).toEqual([{ key: 'n', name: 'shop_n', external: false }]);
  });
});

describe('composeServiceOf: refusals', () => {
  it('lists ports, container_name and the other replaced keys', () => {
    const svc = composeServiceOf(
      oneService('ports: ["8080:80"]\ncontainer_name: web1\nexpose: ["80"]\nhostname: web'),
      'web',
      'shop',
    );
    expect(svc.replaced).toEqual(['ports', 'container_name', 'expose', 'hostname']);
  });

  it('refuses an unknown key, naming it', () => {
    const message = refusal(() => composeServiceOf(oneService('privileged: true'), 'web', 'shop'));
    expect(message).toContain('compose service web: privileged is not carried into rolling replicas');
    expect(message).toContain('remove it or use strategy recreate');
  });

  it('refuses several unknown keys, naming each', () => {
    const message = refusal(() =>
      composeServiceOf(oneService('privileged: true\ndevices: [/dev/fuse:/dev/fuse]'), 'web', 'shop'),
    );
    expect(message).toContain('compose service web: privileged, devices are not carried into rolling replicas');
    expect(message).toContain('remove them or use strategy recreate');
  });

  it('joins every network: the first as the network mode, the others before start; answers to the service name and its aliases', () => {
    const svc = composeServiceOf(
      oneService('networks: {front: null, back: {aliases: [api, api.internal]}}'),
      'web',
      'shop',
    );
    expect(svc.networks).toEqual([
      { key: 'front', name: 'shop_front', external: false },
      { key: 'back', name: 'shop_back', external: false },
    ]);
    expect(svc.template).toMatchObject({
      networkMode: 'shop_front',
      extraNetworks: ['shop_back'],
      networkAliases: ['web', 'api', 'api.internal'],
    });
  });

  it('refuses network_mode service: and container:', () => {
    expect(refusal(() => composeServiceOf(oneService('network_mode: service:db'), 'web', 'shop'))).toContain(
      'compose service web.network_mode service:db',
    );
    expect(refusal(() => composeServiceOf(oneService('network_mode: container:abc'), 'web', 'shop'))).toContain(
      'compose service web.network_mode container:abc',
    );
  });

  it('refuses a missing service, naming the ones that exist', () => {
    expect(refusal(() => composeServiceOf(V1_CONFIG, 'api', 'myproj'))).toBe(
      'the compose files have no service api (they have: db, web)',
    );
  });

  it('refuses output without services', () => {
    expect(refusal(() => composeServiceOf('version: "3.7"\n', 'web', 'shop'))).toBe(
      'compose config printed no services',
    );
  });

  it('refuses a service without image', () => {
    expect(refusal(() => composeServiceOf('services:\n  web:\n    command: [x]\n', 'web', 'shop'))).toBe(
      'compose service web has no image: rolling replicas run an image',
    );
  });

  it('refuses anonymous volumes (short and long form) and tmpfs mounts', () => {
    expect(refusal(() => composeServiceOf(oneService('volumes: [/data]'), 'web', 'shop'))).toContain(
      'compose service web.volumes: "/data" has no source',
    );
    expect(
      refusal(() => composeServiceOf(oneService('volumes: [{type: volume, target: /data}]'), 'web', 'shop')),
    ).toContain('volume mount of /data is not carried');
    expect(
      refusal(() => composeServiceOf(oneService('volumes: [{type: tmpfs, target: /tmp}]'), 'web', 'shop')),
    ).toContain('tmpfs mount of /tmp is not carried');
  });

  it('refuses an unknown restart policy', () => {
    expect(refusal(() => composeServiceOf(oneService('restart: sometimes'), 'web', 'shop'))).toContain(
      'compose service web.restart: restart "sometimes" is not one of',
    );
  });

  it('refuses a bad duration and a bad size, naming the key', () => {
    expect(refusal(() => composeServiceOf(oneService('stop_grace_period: soon'), 'web', 'shop'))).toBe(
      'compose service web.stop_grace_period: "soon" is not a duration (like 10s, 1m30s or 500ms)',
    );
    expect(
      refusal(() => composeServiceOf(oneService('healthcheck: {test: [CMD, "true"], interval: 10x}'), 'web', 'shop')),
    ).toBe('compose service web.healthcheck.interval: "10x" is not a duration (like 10s, 1m30s or 500ms)');
    expect(refusal(() => composeServiceOf(oneService('mem_limit: lots'), 'web', 'shop'))).toBe(
      'compose service web.mem_limit: "lots" is not a size (like 512m or 1g)',
    );
  });
});

describe('composeServiceOf: what compose itself would run', () => {
  it('splits a string command and entrypoint as docker-compose 1.29 does (shlex)', () => {
    const svc = composeServiceOf(
      oneService(`command: python app.py --flag "a b" 'c d'\nentrypoint: /bin/sh -c`),
      'web',
      'p',
    );
    expect(svc.template.cmd).toEqual(['python', 'app.py', '--flag', 'a b', 'c d']);
    expect(svc.template.entrypoint).toEqual(['/bin/sh', '-c']);
  });

  it('unescapes $$, which compose config prints for a literal $ (env, labels, command, healthcheck)', () => {
    // What docker-compose 1.29.2 printed here for PRICE: "$$5" and a healthcheck with $${PORT}.
    const svc = composeServiceOf(
      oneService(
        'environment:\n  PRICE: $$5\nlabels:\n  cost: $$5\ncommand: [sh, -c, echo $$HOME]\nhealthcheck:\n  test: [CMD-SHELL, "wget http://127.0.0.1:$${PORT}/health"]',
      ),
      'web',
      'p',
    );
    expect(svc.template.env).toEqual({ PRICE: '$5' });
    expect(svc.template.labels).toEqual({ cost: '$5' });
    expect(svc.template.cmd).toEqual(['sh', '-c', 'echo $HOME']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the container's shell expands ${PORT}, not JS
    expect(svc.template.healthcheck?.test).toEqual(['CMD-SHELL', 'wget http://127.0.0.1:${PORT}/health']);
  });
});

describe('composeServiceOf: healthcheck, restart, limits, extra_hosts', () => {
  it('healthcheck disable: true becomes test NONE', () => {
    const svc = composeServiceOf(oneService('healthcheck: {disable: true}'), 'web', 'shop');
    expect(svc.template.healthcheck).toEqual({ test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0 });
  });

  it('a string test runs through the shell, defaults for the rest', () => {
    const svc = composeServiceOf(
      oneService('healthcheck: {test: "curl -f http://localhost || exit 1"}'),
      'web',
      'shop',
    );
    expect(svc.template.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
      intervalMs: 30_000,
      timeoutMs: 30_000,
      retries: 3,
      startPeriodMs: undefined,
    });
  });

  it('1.29 prints test [NONE] for disable: it is kept', () => {
    const svc = composeServiceOf(oneService('healthcheck: {test: [NONE]}'), 'web', 'shop');
    expect(svc.template.healthcheck?.test).toEqual(['NONE']);
  });

  it('restart on-failure:3 keeps the retries', () => {
    const svc = composeServiceOf(oneService('restart: on-failure:3'), 'web', 'shop');
    expect(svc.template.restartPolicy).toBe('on-failure');
    expect(svc.template.restartMaxRetries).toBe(3);
  });

  it('mem_limit 512m and cpus', () => {
    const svc = composeServiceOf(oneService('mem_limit: 512m\ncpus: 1.5'), 'web', 'shop');
    expect(svc.template.memoryBytes).toBe(536_870_912);
    expect(svc.template.nanoCpus).toBe(1_500_000_000);
  });

  it('deploy.resources.limits memory 1g and cpus "0.5"', () => {
    const svc = composeServiceOf(
      oneService("deploy:\n  resources:\n    limits: {memory: 1g, cpus: '0.5'}"),
      'web',
      'shop',
    );
    expect(svc.template.memoryBytes).toBe(1_073_741_824);
    expect(svc.template.nanoCpus).toBe(500_000_000);
  });

  it('mem_limit and cpus win over deploy limits', () => {
    const svc = composeServiceOf(
      oneService("mem_limit: 256m\ncpus: 2\ndeploy:\n  resources:\n    limits: {memory: 1g, cpus: '0.5'}"),
      'web',
      'shop',
    );
    expect(svc.template.memoryBytes).toBe(268_435_456);
    expect(svc.template.nanoCpus).toBe(2_000_000_000);
  });

  it('extra_hosts as a list (host:ip and host=ip) and as a map', () => {
    expect(
      composeServiceOf(oneService('extra_hosts: ["a:1.2.3.4", "b=5.6.7.8"]'), 'web', 'shop').template.extraHosts,
    ).toEqual(['a:1.2.3.4', 'b:5.6.7.8']);
    expect(
      composeServiceOf(oneService('extra_hosts: {a: 1.2.3.4, gw: host-gateway}'), 'web', 'shop').template.extraHosts,
    ).toEqual(['a:1.2.3.4', 'gw:host-gateway']);
  });

  it('stop_grace_period, user, working_dir, logging, capabilities, init, entrypoint', () => {
    const svc = composeServiceOf(
      oneService(
        [
          'stop_grace_period: 1m30s',
          'user: 1000',
          'working_dir: /app',
          'logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}',
          'cap_add: [NET_ADMIN]',
          'cap_drop: [ALL]',
          'init: true',
          'entrypoint: [/bin/sh, -c]',
          'command: [echo hi]',
        ].join('\n'),
      ),
      'web',
      'shop',
    );
    expect(svc.template).toMatchObject({
      stopTimeoutSeconds: 90,
      user: '1000',
      workingDir: '/app',
      log: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      init: true,
      entrypoint: ['/bin/sh', '-c'],
      cmd: ['echo hi'],
    });
  });
});

describe('goDurationMs', () => {
  it.each([
    ['2s', 2000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['250us', 0.25],
    ['1000000ns', 1],
  ])('%s → %d ms', (text, ms) => {
    expect(goDurationMs(text, 'x')).toBe(ms);
  });

  it('reads a number as seconds', () => {
    expect(goDurationMs(10, 'x')).toBe(10_000);
  });

  it.each(['', '10', 'soon', '10x', '1m 30s', '-1s', 's10'])('refuses %j', (text) => {
    expect(refusal(() => goDurationMs(text, 'svc.interval'))).toBe(
      `svc.interval: ${JSON.stringify(text)} is not a duration (like 10s, 1m30s or 500ms)`,
    );
  });
});

describe('byteSize', () => {
  it.each([
    ['512m', 536_870_912],
    ['1g', 1_073_741_824],
    ['1G', 1_073_741_824],
    ['64k', 65_536],
    ['1024', 1024],
    ['100b', 100],
    ['512mb', 536_870_912],
    ['1.5g', 1_610_612_736],
  ])('%s → %d bytes', (text, bytes) => {
    expect(byteSize(text, 'x')).toBe(bytes);
  });

  it('reads a number as bytes', () => {
    expect(byteSize(536_870_912, 'x')).toBe(536_870_912);
  });

  it.each(['lots', '', '1t', 'm512', '-1m'])('refuses %j', (text) => {
    expect(refusal(() => byteSize(text, 'svc.mem_limit'))).toBe(
      `svc.mem_limit: ${JSON.stringify(text)} is not a size (like 512m or 1g)`,
    );
  });
});

describe('projectName', () => {
  it('lower-cases and keeps only [a-z0-9_-]', () => {
    expect(projectName('My.Shop Prod_1-x')).toBe('myshopprod_1-x');
    expect(projectName('shop')).toBe('shop');
  });
});
