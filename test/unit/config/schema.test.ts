import { describe, expect, it } from 'vitest';
import { isHost } from '../../../src/config/fields.js';
import { parseConfig } from '../../../src/config/loader.js';
import { isDockerHost } from '../../../src/config/schema-targets.js';
import { configError, minimal } from './helpers.js';

/** A config whose production environment has these targets (flow YAML). */
function withTargets(targets: string): string {
  return `app: shop\nenvironments:\n  production:\n    targets: [${targets}]\n`;
}

describe('hosts', () => {
  it.each(['10.0.0.5', 'web1', 'web-1.example.com', 'db_1.internal', '::1', '2001:db8::5', 'fe80::1%eth0', 'a.b.c'])(
    'accepts %j',
    (host) => {
      expect(isHost(host)).toBe(true);
    },
  );

  it.each([
    '-oProxyCommand=touch /tmp/x',
    '-oProxyCommand=touch',
    'a;b',
    'host name',
    'host\nname',
    '$(id)',
    '`id`',
    'a|b',
    'a&b',
    'a>b',
    "a'b",
    'user@host',
    'host:22',
    '-host',
    'host-.com',
    '10.0.0.256',
    '',
    'fe80::1%eth0;id',
    'x'.repeat(254),
  ])('rejects %j', (host) => {
    expect(isHost(host)).toBe(false);
  });

  it('rejects an option-like SSH host in the config with a one-line message', () => {
    const err = configError(withTargets('{ name: web1, ssh: { host: "-oProxyCommand=touch /tmp/x", user: deploy } }'));
    expect(err.message).toBe(
      'runbook.yml:4:42: environments.production.targets[0].ssh.host: got "-oProxyCommand=touch /tmp/x", expected a hostname or an IPv4/IPv6 address (no leading "-", no spaces or shell characters)',
    );
  });

  it.each([
    ['ssh.host with ;', '{ name: w, ssh: { host: "a;touch /tmp/x", user: deploy } }', 'ssh.host: got "a;touch /tmp/x"'],
    [
      'jump host',
      '{ name: w, ssh: { host: h, user: deploy, jump: { host: "-J", user: u } } }',
      'ssh.jump.host: got "-J"',
    ],
    ['user with $', '{ name: w, ssh: { host: h, user: "$(id)" } }', 'ssh.user: got "$(id)", expected a user name'],
    [
      'port 0',
      '{ name: w, ssh: { host: h, user: u, port: 0 } }',
      'ssh.port: got 0, expected a port number from 1 to 65535',
    ],
    [
      'port 70000',
      '{ name: w, ssh: { host: h, user: u, port: 70000 } }',
      'ssh.port: got 70000, expected a port number',
    ],
  ])('rejects %s', (_name, target, message) => {
    expect(configError(withTargets(target)).message).toContain(`environments.production.targets[0].${message}`);
  });
});

describe('targets', () => {
  it('rejects a target with both ssh and local, naming the allowed keys', () => {
    const err = configError(withTargets('{ name: web1, local: true, ssh: { host: h, user: u } }'));
    expect(err.message).toBe(
      'runbook.yml:4:15: environments.production.targets[0]: a target needs exactly one of ssh, local, docker (got ssh and local); allowed keys: name, ssh, local, docker, docker-socket, env, roles, address',
    );
  });

  it('rejects a target with none of ssh, local, docker', () => {
    expect(configError(withTargets('{ name: web1 }')).message).toContain(
      'a target needs exactly one of ssh, local, docker (got none); allowed keys: name, ssh, local, docker, docker-socket, env, roles, address',
    );
  });

  it('suggests a target key', () => {
    expect(configError(withTargets('{ name: web1, shh: { host: h, user: u } }')).message).toContain(
      'environments.production.targets[0].shh: unknown key "shh" (did you mean "ssh"?)',
    );
  });

  it('rejects duplicate target names within an environment, at the second name', () => {
    const text = `app: shop\nenvironments:\n  production:\n    targets:\n      - { name: web1, local: true }\n      - { name: web1, ssh: { host: h, user: u } }\n`;
    expect(configError(text).message).toBe(
      'runbook.yml:6:17: environments.production.targets[1].name: duplicate target name "web1" (already used by item 0)',
    );
  });

  it('allows the same target name in two environments', () => {
    const text = `${withTargets('{ name: web1, local: true }')}  staging:\n    targets: [{ name: web1, local: true }]\n`;
    expect(Object.keys(parseConfig(text, 'runbook.yml').environments)).toEqual(['production', 'staging']);
  });

  it('rejects an empty target list', () => {
    expect(configError(withTargets('')).message).toBe(
      'runbook.yml:4:14: environments.production.targets: got [], expected at least one target',
    );
  });

  it('reads an SSH jump host and timeouts', () => {
    const text = withTargets(
      '{ name: w, ssh: { host: h, user: u, jump: { host: bastion, user: j }, connect-timeout: 5s, keepalive-interval: 1m } }',
    );
    expect(parseConfig(text, 'runbook.yml').environments.production?.targets[0]).toEqual({
      name: 'w',
      kind: 'ssh',
      ssh: {
        host: 'h',
        port: 22,
        user: 'u',
        jump: { host: 'bastion', port: 22, user: 'j' },
        'connect-timeout': 5000,
        'keepalive-interval': 60_000,
      },
      'docker-socket': '/var/run/docker.sock',
      env: {},
    });
  });

  it("reads a target's docker socket and command environment, and refuses them on docker targets", () => {
    const text = withTargets(
      '{ name: w, local: true, docker-socket: /srv/docker.sock, env: { DOCKER_HOST: unix:///srv/docker.sock } }',
    );
    expect(parseConfig(text, 'runbook.yml').environments.production?.targets[0]).toMatchObject({
      kind: 'local',
      'docker-socket': '/srv/docker.sock',
      env: { DOCKER_HOST: 'unix:///srv/docker.sock' },
    });
    const bad = configError(withTargets('{ name: d, docker: { host: "unix:///x.sock" }, env: { A: b } }'));
    expect(bad.message).toContain('env applies to ssh and local targets, not docker ones');
  });
});

describe('docker hosts', () => {
  it.each([
    'unix:///var/run/docker.sock',
    'tcp://10.0.0.6:2376',
    'tcp://docker.example.com:2376',
    'tcp://[2001:db8::5]:2376',
    'ssh://deploy@10.0.0.5',
    'ssh://deploy@host.example.com:2222',
    'ssh://deploy@host:22/run/user/1000/docker.sock',
  ])('accepts %j', (host) => {
    expect(isDockerHost(host)).toBe(true);
  });

  it.each([
    'tcp://10.0.0.6',
    'tcp://-oProxyCommand=x:2376',
    'ssh://10.0.0.5',
    'ssh://-oProxyCommand=x@host',
    'ssh://deploy@-host',
    'ssh://deploy@host;id',
    'unix://var/run/docker.sock',
    'unix:///var/run/../docker.sock',
    'unix:///tmp/a b',
    'http://10.0.0.6:2376',
    'npipe:////./pipe/docker_engine',
    '10.0.0.6:2376',
  ])('rejects %j', (host) => {
    expect(isDockerHost(host)).toBe(false);
  });

  it('explains the allowed forms', () => {
    expect(configError(withTargets('{ name: d, docker: { host: "10.0.0.6:2376" } }')).message).toContain(
      'docker.host: got "10.0.0.6:2376", expected unix:///path/to/docker.sock or tcp://host:port (a socket over SSH: an ssh target with docker-socket)',
    );
  });

  it('refuses a socket over ssh://, giving the ssh target to write instead', () => {
    expect(
      configError(withTargets('{ name: d, docker: { host: "ssh://deploy@10.0.0.5:2222/run/docker.sock" } }')).message,
    ).toContain(
      'docker.host: ssh://deploy@10.0.0.5:2222/run/docker.sock: a Docker socket over SSH is reached as an ssh target (pinned host key, the socket tunnelled through it): { name: …, ssh: { host: 10.0.0.5, user: deploy, port: 2222 }, docker-socket: /run/docker.sock }',
    );
  });
});

describe('sections', () => {
  it.each([
    [
      'a compose command starting with -',
      'compose: { command: [--help], directory: /opt/shop }',
      'compose.command: got ["--help"], expected a command like [nginx, -t]',
    ],
    [
      'a relative compose directory',
      'compose: { directory: opt/shop }',
      'compose.directory: got "opt/shop", expected an absolute path',
    ],
    [
      'a directory with ..',
      'compose: { directory: /opt/../etc }',
      'compose.directory: got "/opt/../etc", expected an absolute path',
    ],
    [
      'a health check with http and container',
      'services: { api: { image: acme/api, port: 80, health: { http: { path: / }, container: true } } }',
      'services.api.health: health needs exactly one of http, container (got both)',
    ],
    [
      'a health timeout above its deadline',
      'services: { api: { image: acme/api, health: { container: true, timeout: 5m, deadline: 1m } } }',
      'services.api.health.timeout: timeout must not exceed deadline',
    ],
    [
      'an image with shell characters',
      'services: { api: { image: "acme/api;id" } }',
      'services.api.image: got "acme/api;id", expected an image repository',
    ],
    [
      'blue-green without a proxy',
      'strategy: { type: blue-green }',
      'strategy: strategy blue-green switches traffic, so it needs proxy: { nginx: … }',
    ],
    [
      'canary weights that go down',
      'strategy: { type: canary, proxy: { nginx: { upstream-file: /etc/nginx/u.conf, upstream: u } }, canary: { steps: [{ weight: 50, pause: 1m }, { weight: 10, pause: 1m }], gates: {} } }',
      'strategy.canary.steps[1].weight: weights must not decrease (50 then 10)',
    ],
    [
      'keep-releases below 2',
      'strategy: { keep-releases: 1 }',
      'strategy.keep-releases: got 1, expected a whole number from 2 to 100',
    ],
    [
      'an nginx reload starting with -',
      'strategy: { proxy: { nginx: { upstream-file: /etc/nginx/u.conf, upstream: u, reload: [-s, reload] } } }',
      'strategy.proxy.nginx.reload: got ["-s","reload"], expected a command',
    ],
    [
      'via with two ways',
      'database: { engine: postgres, via: { container: pg, host: db }, name: shop, user: shop, password-env: DB_PASSWORD }',
      'database.via: via needs exactly one of compose-service, container, host (got container and host)',
    ],
    [
      'a migration without a backup',
      'database: { engine: postgres, via: { host: db }, name: shop, user: shop, password-env: DB_PASSWORD, migrate: { tool: alembic } }',
      'database.migrate: migrations run only after a verified backup: add database.backup',
    ],
    [
      'a custom tool without commands',
      'database: { engine: postgres, via: { host: db }, name: s, user: s, password-env: P, backup: { directory: /b }, migrate: { tool: custom } }',
      'database.migrate: tool: custom needs custom: { upgrade: [...] }',
    ],
    [
      'gzip with the custom format',
      'database: { engine: postgres, via: { host: db }, name: s, user: s, password-env: P, backup: { directory: /b, gzip: true } }',
      'database.backup.gzip: gzip applies to format: plain only',
    ],
    [
      'a smoke check with an invalid regex',
      'smoke: { checks: [{ name: a, url: /, expect: { regex: "(" } }] }',
      'smoke.checks[0].expect.regex: got "(", expected a valid regular expression',
    ],
    [
      'a status class typo',
      'smoke: { checks: [{ name: a, url: /, expect: { status: "2XX" } }] }',
      'smoke.checks[0].expect.status: got "2XX", expected a status class like "2xx" or a range like "200-399"',
    ],
    [
      'min-samples above requests',
      'smoke: { checks: [{ name: a, url: / }], sample: { requests: 10, rate: 5/s, min-samples: 20 } }',
      'smoke.sample.min-samples: min-samples (20) exceeds requests (10)',
    ],
    [
      'duplicate smoke check names',
      'smoke: { checks: [{ name: a, url: / }, { name: a, url: /x }] }',
      'smoke.checks[1].name: duplicate check name "a"',
    ],
    [
      'a URL with credentials',
      'smoke: { checks: [{ name: a, url: "https://u:p@shop.example.com/" }] }',
      'smoke.checks[0].url: a URL must not contain credentials',
    ],
    [
      'a header value with a newline',
      'smoke: { checks: [{ name: a, url: /, headers: { X-A: "a\\nb" } }] }',
      'smoke.checks[0].headers.X-A: got "a\\nb", expected a header value on one line',
    ],
    [
      'a weekday typo',
      'checks: { windows: [{ days: [mon, tues], from: "09:00", to: "17:00", tz: UTC }] }',
      'checks.windows[0].days[1]: got "tues", expected one of mon, tue, wed, thu, fri, sat, sun (did you mean "tue"?)',
    ],
    [
      'an impossible date',
      'checks: { freeze: [{ from: 2026-02-30, to: 2026-03-01 }] }',
      'checks.freeze[0].from: got "2026-02-30", expected a date like 2026-12-20',
    ],
    [
      'a clock time out of range',
      'checks: { windows: [{ days: [mon], from: "9:00", to: "25:00", tz: UTC }] }',
      'checks.windows[0].from: got "9:00", expected a time like "09:00"',
    ],
    [
      'a relative disk path',
      'checks: { disk-paths: [var/lib/docker] }',
      'checks.disk-paths[0]: got "var/lib/docker", expected an absolute path',
    ],
    ['an environment override with an unknown key', 'x: 1', 'x: unknown key "x"'],
  ])('rejects %s', (_name, extra, message) => {
    expect(configError(minimal(`${extra}\n`)).message).toContain(message);
  });

  it('accepts the alternative forms', () => {
    const config = parseConfig(
      minimal(
        [
          'compose: { command: [docker-compose], directory: /opt/shop }',
          'services: { api: { image: "localhost:5000/acme/api", port: 8000, health: { http: { path: /health, expect: { status: [200, 204] } } } } }',
          'database: { engine: postgres, via: { host: 127.0.0.1 }, name: shop, user: shop, password-env: DB_PASSWORD, backup: { directory: /b, format: plain, gzip: true, verify: list } }',
          'checks: { min-free-disk: 5GiB, docker: false, compose: ">=1.29", freeze: [{ from: "2026-12-24T18:00", to: 2026-12-26, tz: Europe/Berlin }] }',
          'smoke: { checks: [{ name: home, url: "https://shop.example.com/", expect: { status: "2xx", json: { tags: [a, 1, true] } } }] }',
        ].join('\n'),
      ),
      'runbook.yml',
    );
    expect(config.compose?.command).toEqual(['docker-compose']);
    expect(config.database?.via).toEqual({ kind: 'host', host: '127.0.0.1', port: 5432 });
    expect(config.database?.backup?.retention).toEqual({ daily: 7, weekly: 4, monthly: 3, 'keep-last': 3 });
    expect(config.checks.docker).toBe(false);
    expect(config.checks.freeze?.[0]?.tz).toBe('Europe/Berlin');
    expect(config.smoke?.checks[0]?.expect?.status).toBe('2xx');
  });
});
