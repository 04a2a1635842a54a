/**
 * Every limit is a limit (issue 12, item 6): each duration, count, size and rate has a range; a sample must finish
 * within 1h; `__proto__`, `constructor` and `prototype` are refused as keys, never dropped. Each bad input gives one
 * line naming the key, the bad value and what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { zChecksInput } from '../../../src/config/schema-smoke.js';
import { durationText } from '../../../src/config/units.js';
import { configError, minimal } from './helpers.js';

const api = (extra: string) => `services:\n  api: { image: acme/api, port: 8000, ${extra} }\n`;
const health = (extra: string) => api(`health: { http: { path: /health }, ${extra} }`);
const ssh = (extra: string) =>
  `app: shop\nenvironments:\n  production:\n    targets: [{ name: web1, ssh: { host: 10.0.0.5, user: deploy, ${extra} } }]\n`;
const migrate = (extra: string) =>
  minimal(
    `services:\n  api: { image: acme/api }\ndatabase:\n  engine: postgres\n  via: { host: db.internal }\n  name: shop\n  user: shop\n  password-env: DB_PASSWORD\n  backup: { directory: /backups }\n  migrate: { tool: alembic, service: api, ${extra} }\n`,
  );
const smoke = (extra: string) => `smoke:\n  checks: [{ name: ready, url: /health }]\n  ${extra}\n`;
const sample = (extra: string) => smoke(`sample: { ${extra} }`);

/** [what, config text, key path, bad value as written, what is allowed] */
const BAD: readonly [string, string, string, string, string][] = [
  [
    'a 0 ms health interval',
    minimal(health('interval: 0ms')),
    'services.api.health.interval',
    '"0ms"',
    'expected a duration from 100ms to 5m',
  ],
  [
    'a 0 ms health timeout',
    minimal(health('timeout: 0ms')),
    'services.api.health.timeout',
    '"0ms"',
    'expected a duration from 100ms to 5m',
  ],
  [
    'a 2 h health deadline',
    minimal(health('deadline: 2h')),
    'services.api.health.deadline',
    '"2h"',
    'expected a duration from 1s to 1h',
  ],
  [
    'a 1 d health stable',
    minimal(health('stable: 1d')),
    'services.api.health.stable',
    '"1d"',
    'expected a duration from 0s to 1h',
  ],
  [
    'a 2 h stop-grace',
    minimal(api('stop-grace: 2h')),
    'services.api.stop-grace',
    '"2h"',
    'expected a duration from 0s to 1h',
  ],
  ['an 8 TiB memory limit', minimal(api('memory: 8TiB')), 'services.api.memory', '"8TiB"', 'at most 4TiB'],
  ['a 2 h drain', minimal('strategy: { drain: 2h }\n'), 'strategy.drain', '"2h"', 'expected a duration from 0s to 1h'],
  [
    'a 2 d canary pause',
    minimal('strategy: { canary: { access-log: /var/log/c.log, steps: [{ weight: 5, pause: 2d }], gates: {} } }\n'),
    'strategy.canary.steps[0].pause',
    '"2d"',
    'expected a duration from 0s to 1d',
  ],
  [
    'a canary p95 of 2 m',
    minimal(
      'strategy: { canary: { access-log: /var/log/c.log, steps: [{ weight: 5, pause: 1m }], gates: { p95: 2m } } }\n',
    ),
    'strategy.canary.gates.p95',
    '"2m"',
    'expected a duration from 1ms to 1m',
  ],
  [
    'canary min-samples 0',
    minimal(
      'strategy: { canary: { access-log: /var/log/c.log, steps: [{ weight: 5, pause: 1m }], gates: { min-samples: 0 } } }\n',
    ),
    'strategy.canary.gates.min-samples',
    '0',
    'expected a whole number from 1 to 1000000',
  ],
  [
    'a 0 s connect-timeout',
    ssh('connect-timeout: 0s'),
    'environments.production.targets[0].ssh.connect-timeout',
    '"0s"',
    'expected a duration from 1s to 10m',
  ],
  [
    'a 50 ms keepalive',
    ssh('keepalive-interval: 50ms'),
    'environments.production.targets[0].ssh.keepalive-interval',
    '"50ms"',
    'expected a duration from 100ms to 10m',
  ],
  [
    'a 0 ms lock-timeout (no limit in PostgreSQL)',
    migrate('lock-timeout: 0ms'),
    'database.migrate.lock-timeout',
    '"0ms"',
    'expected a duration from 10ms to 10m',
  ],
  [
    'a 0 s statement-timeout',
    migrate('statement-timeout: 0s'),
    'database.migrate.statement-timeout',
    '"0s"',
    'expected a duration from 1s to 1d',
  ],
  [
    'a 30 s backup-max-age',
    minimal('checks: { backup-max-age: 30s }\n'),
    'checks.backup-max-age',
    '"30s"',
    'expected a duration from 1m to 366d',
  ],
  [
    'a 2000 TiB free-disk threshold',
    minimal('checks: { min-free-disk: 2000TiB }\n'),
    'checks.min-free-disk',
    '"2000TiB"',
    'at most 1024TiB',
  ],
  ['a 2 h smoke wait', minimal(smoke('wait: 2h')), 'smoke.wait', '"2h"', 'expected a duration from 0s to 1h'],
  [
    'an 11 s max-latency (requests give up after 10s)',
    minimal('smoke:\n  checks: [{ name: ready, url: /health, expect: { max-latency: 11s } }]\n'),
    'smoke.checks[0].expect.max-latency',
    '"11s"',
    'expected a duration from 1ms to 10s',
  ],
  [
    'a 0 ms sample p95',
    minimal(sample('requests: 10, rate: 10/s, p95: 0ms')),
    'smoke.sample.p95',
    '"0ms"',
    'expected a duration from 1ms to 10s',
  ],
  [
    'a sample rate under 1/m',
    minimal(sample('requests: 10, rate: 0.5/m')),
    'smoke.sample.rate',
    '"0.5/m"',
    'expected a rate from 1/m to 1000/s',
  ],
  [
    'a sample rate over 1000/s',
    minimal(sample('requests: 10, rate: 5000/s')),
    'smoke.sample.rate',
    '"5000/s"',
    'expected a rate from 1/m to 1000/s',
  ],
  [
    '100001 sample requests',
    minimal(sample('requests: 100001, rate: 1000/s')),
    'smoke.sample.requests',
    '100001',
    'expected a whole number from 1 to 100000',
  ],
  [
    'sample min-samples 0',
    minimal(sample('requests: 10, rate: 10/s, min-samples: 0')),
    'smoke.sample.min-samples',
    '0',
    'expected a whole number from 1 to 100000',
  ],
];

/** [what, config text, key path of the reserved key] */
const RESERVED: readonly [string, string, string][] = [
  ['a service called __proto__', minimal('services:\n  __proto__: { image: acme/api }\n'), 'services.__proto__'],
  ['a service called constructor', minimal('services:\n  constructor: { image: acme/api }\n'), 'services.constructor'],
  [
    'an environment called prototype',
    `${minimal()}  prototype:\n    targets: [{ name: self, local: true }]\n`,
    'environments.prototype',
  ],
  [
    'a target env variable __proto__',
    'app: shop\nenvironments:\n  production:\n    targets: [{ name: self, local: true, env: { __proto__: x } }]\n',
    'environments.production.targets[0].env.__proto__',
  ],
  ['a service env variable __proto__', minimal(api('env: { __proto__: x }')), 'services.api.env.__proto__'],
  ['a label __proto__', minimal(api('labels: { __proto__: x }')), 'services.api.labels.__proto__'],
  [
    'a log option __proto__',
    minimal(api('log: { driver: local, options: { __proto__: x } }')),
    'services.api.log.options.__proto__',
  ],
  [
    'a health header __proto__',
    minimal(health('interval: 2s, timeout: 1s')).replace('path: /health', 'path: /health, headers: { __proto__: x }'),
    'services.api.health.http.headers.__proto__',
  ],
  [
    'a health JSON path __proto__',
    minimal(health('interval: 2s')).replace('path: /health', 'path: /health, expect: { json: { __proto__: ok } }'),
    'services.api.health.http.expect.json.__proto__',
  ],
  [
    'a smoke header __proto__',
    minimal('smoke:\n  checks: [{ name: c, url: /h, headers: { __proto__: x } }]\n'),
    'smoke.checks[0].headers.__proto__',
  ],
  [
    'a smoke JSON path constructor',
    minimal('smoke:\n  checks: [{ name: c, url: /h, expect: { json: { constructor: x } } }]\n'),
    'smoke.checks[0].expect.json.constructor',
  ],
  [
    'a secret-env mapping __proto__',
    minimal(api('secret-env: { __proto__: DB_URL }')),
    'services.api.secret-env.__proto__',
  ],
  ['a strict mapping with __proto__', minimal('strategy: { __proto__: { type: canary } }\n'), 'strategy.__proto__'],
];

describe('every duration, count, size and rate has a range', () => {
  it.each(BAD)('%s: one line naming the key, the value and the range', (_what, text, path, value, allowed) => {
    const err = configError(text);
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(new RegExp(`^runbook\\.yml:\\d+:\\d+: ${path.replace(/[.[\]]/g, '\\$&')}: `));
    expect(err.message).toContain(`got ${value}`);
    expect(err.message).toContain(allowed);
  });

  it('a sample must finish within 1h: requests / rate is bounded (no 31-year sample)', () => {
    expect(configError(minimal(sample('requests: 100000, rate: 1/m'))).message).toMatch(
      /^runbook\.yml:\d+:\d+: smoke\.sample\.requests: 100000 requests at 0\.017\/s take 69d10h40m; a sample must finish within 1h \(fewer requests or a higher rate\)$/,
    );
    expect(configError(minimal(sample('requests: 3601, rate: 1/s'))).message).toContain(
      '3601 requests at 1/s take 1h1s',
    );
    expect(parseConfig(minimal(sample('requests: 3600, rate: 1/s')), 'runbook.yml').smoke?.sample?.requests).toBe(3600);
  });

  it('health: interval must not exceed deadline', () => {
    expect(configError(minimal(health('interval: 5m, deadline: 1m'))).message).toMatch(
      /services\.api\.health\.interval: interval must not exceed deadline$/,
    );
  });

  it('the edges of each range are allowed', () => {
    const c = parseConfig(
      minimal(`${health('interval: 100ms, timeout: 5m, deadline: 1h, stable: 0s')}strategy: { drain: 0s }\n`),
      'runbook.yml',
    );
    expect(c.services?.api?.health).toMatchObject({ interval: 100, timeout: 300_000, deadline: 3_600_000, stable: 0 });
    expect(
      parseConfig(minimal(sample('requests: 10, rate: 1/m, p95: 10s')), 'runbook.yml').smoke?.sample,
    ).toMatchObject({
      p95: 10_000,
    });
  });

  it('durationText writes milliseconds as the grammar reads them', () => {
    expect([0, 1, 100, 1000, 90_000, 3_600_000, 86_400_000 + 1].map(durationText)).toEqual([
      '0s',
      '1ms',
      '100ms',
      '1s',
      '1m30s',
      '1h',
      '1d1ms',
    ]);
  });
});

describe('reserved keys (__proto__, constructor, prototype) are refused, never dropped', () => {
  it.each(RESERVED)('%s', (_what, text, path) => {
    const err = configError(text);
    const key = path.slice(path.lastIndexOf('.') + 1);
    expect(err.message).toMatch(
      new RegExp(
        `^runbook\\.yml:\\d+:\\d+: ${path.replace(/[.[\]]/g, '\\$&')}: "${key}" cannot be used as a key \\(__proto__, constructor and prototype are reserved in JavaScript\\); rename it$`,
      ),
    );
  });

  it('in the smoke-test checks input too', () => {
    const r = zChecksInput.safeParse('- { name: c, url: /h, headers: { __proto__: x, Accept: y } }\n');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      'checks[0].headers.__proto__: "__proto__" cannot be used as a key (__proto__, constructor and prototype are reserved in JavaScript); rename it',
    ]);
  });
});
