import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksFor, environmentOf, loadConfig, parseConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/core/errors.js';
import { FULL_CONFIG } from './fixtures.js';
import { colOf, configError, lineOf, minimal, patched } from './helpers.js';

describe('parseConfig: the full sample config', () => {
  const config = parseConfig(FULL_CONFIG, 'runbook.yml');

  it('keeps kebab-case keys and turns durations into milliseconds', () => {
    expect(config.app).toBe('shop');
    expect(config.strategy).toMatchObject({ type: 'rolling', drain: 10_000, 'max-surge': 1, 'keep-releases': 3 });
    expect(config.strategy.canary?.steps.map((s) => s.pause)).toEqual([300_000, 600_000, 900_000, 900_000]);
    expect(config.strategy.canary?.gates).toMatchObject({ 'error-rate': 0.001, p95: 500, 'min-samples': 200 });
    expect(config.services?.api?.health).toMatchObject({ interval: 2000, timeout: 3000, deadline: 120_000 });
    expect(config.database?.migrate).toMatchObject({ 'lock-timeout': 5000, 'statement-timeout': 900_000 });
    expect(config.checks['backup-max-age']).toBe(6 * 3_600_000);
    expect(config.smoke?.wait).toBe(60_000);
    expect(config.smoke?.sample).toEqual({ requests: 100, rate: 20, p95: 500, 'error-rate': 0.01 });
    expect(config.smoke?.checks[1]?.expect?.['max-latency']).toBe(1000);
  });

  it('tags targets by kind and fills SSH defaults', () => {
    const targets = config.environments.production?.targets ?? [];
    expect(targets.map((t) => t.kind)).toEqual(['ssh', 'ssh', 'local']);
    expect(config.environments.staging?.targets[0]).toEqual({
      name: 'stage1',
      kind: 'ssh',
      ssh: { host: '10.0.1.5', port: 22, user: 'deploy', 'connect-timeout': 20_000, 'keepalive-interval': 15_000 },
      'docker-socket': '/var/run/docker.sock',
      env: {},
    });
    // A docker: target deploys with the engine driver only, so not in this compose app (schema-docker-targets.ts).
    const engine = parseConfig(
      'app: shop\nenvironments:\n  production:\n    targets: [{ name: self, local: true }, { name: web2, docker: { host: "tcp://10.0.0.6:2376" } }]\n',
      'runbook.yml',
    );
    expect(engine.environments.production?.targets[1]).toEqual({
      name: 'web2',
      kind: 'docker',
      docker: { host: 'tcp://10.0.0.6:2376', 'allow-plain-tcp': false },
    });
  });

  it('defaults state-dir to /var/lib/runbook/<app>', () => {
    expect(config.environments.staging?.['state-dir']).toBe('/var/lib/runbook/shop');
    const other = parseConfig(patched('app: shop', 'app: books'), 'runbook.yml');
    expect(other.environments.staging?.['state-dir']).toBe('/var/lib/runbook/books');
    expect(other.environments.production?.['state-dir']).toBe('/var/lib/runbook/shop');
  });

  it('parses checks: thresholds, version constraints, windows and freezes', () => {
    expect(config.checks['min-free-disk']).toEqual({ kind: 'percent', percent: 20 });
    expect(config.checks.docker).toEqual({ op: '>=', version: [24], raw: '>=24' });
    expect(config.checks.compose).toEqual({ op: '>=', version: [2, 20], raw: '>=2.20' });
    expect(config.checks.windows?.[0]).toEqual({
      days: ['mon', 'tue', 'wed', 'thu'],
      from: '09:00',
      to: '16:00',
      tz: 'Europe/Berlin',
    });
    expect(config.checks.freeze?.[0]).toEqual({ from: '2026-12-20', to: '2027-01-04', tz: 'UTC', reason: 'holidays' });
  });

  it('fills database and smoke defaults', () => {
    expect(config.database?.via).toEqual({ kind: 'compose-service', 'compose-service': 'postgres' });
    expect(config.database?.backup).toMatchObject({ format: 'custom', gzip: false, verify: 'restore' });
    expect(config.smoke?.checks[0]).toMatchObject({ method: 'GET', 'follow-redirects': false });
    expect(config.smoke?.checks[1]?.headers).toEqual({ Authorization: `Bearer \${env.TEST_TOKEN}` });
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const crlf = `\uFEFF${FULL_CONFIG.replaceAll('\n', '\r\n')}`;
    expect(parseConfig(crlf, 'runbook.yml')).toEqual(config);
  });
});

describe('parseConfig: defaults for a minimal config', () => {
  it('applies top-level check and strategy defaults', () => {
    const config = parseConfig(minimal(), 'runbook.yml');
    expect(config.strategy).toEqual({
      type: 'rolling',
      'max-surge': 1,
      'on-failure': 'rollback',
      'host-timeout': 900_000,
      drain: 10_000,
      'keep-releases': 3,
      'prune-images': true,
      'blue-green': { standby: 1_800_000, verify: 5 },
    });
    expect(config.checks).toEqual({
      'min-free-disk': { kind: 'percent', percent: 20 },
      'disk-paths': ['/'],
      docker: { op: '>=', version: [24], raw: '>=24' },
      compose: { op: '>=', version: [2, 20], raw: '>=2.20' },
      'required-secrets': [],
    });
    expect(config.compose).toBeUndefined();
  });
});

describe('parseConfig: validation problems', () => {
  it('reports an unknown key with a suggestion and its line and column', () => {
    const text = patched('{ host: 10.0.0.5, port: 22', '{ host: 10.0.0.5, prot: 22');
    const err = configError(text);
    expect(err.message).toBe(
      `runbook.yml:${lineOf(text, 'prot:')}:${colOf(text, 'prot:')}: environments.production.targets[0].ssh.prot: unknown key "prot" (did you mean "port"?)`,
    );
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ line: 8, path: 'environments.production.targets[0].ssh.prot' });
  });

  it('lists the allowed keys when no key is close', () => {
    const err = configError(minimal('zzz: 1\n'));
    expect(err.message).toBe(
      'runbook.yml:5:1: zzz: unknown key "zzz"; allowed keys: app, environments, compose, services, strategy, database, checks, smoke, notifications',
    );
  });

  it.each([
    [
      'wrong type',
      ['port: 22, user: deploy', 'port: "22", user: deploy'],
      'environments.production.targets[0].ssh.port: got "22", expected a port number from 1 to 65535',
    ],
    [
      'bad enum',
      ['type: rolling', 'type: rollin'],
      'strategy.type: got "rollin", expected one of recreate, rolling, blue-green, canary (did you mean "rolling"?)',
    ],
    [
      'bare number as a duration',
      ['drain: 10s', 'drain: 10'],
      'strategy.drain: got 10, expected a duration with a unit, like "10s" (ms, s, m, h or d)',
    ],
    [
      'bad duration',
      ['interval: 2s', 'interval: 2 secs'],
      'services.api.health.interval: got "2 secs", expected a duration like 500ms, 30s, 5m, 6h or 1d',
    ],
    [
      'bad time zone',
      ['tz: Europe/Berlin', 'tz: Europe/Berln'],
      'checks.windows[0].tz: unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?): expected an IANA time zone',
    ],
    [
      'a password instead of its variable name',
      ['password-env: DB_PASSWORD', 'password-env: hunter2'],
      'database.password-env: got "hunter2", expected the NAME of an environment variable, like DB_PASSWORD',
    ],
    [
      'an unquoted version constraint',
      ['docker: ">=24"', 'docker: 24'],
      'checks.docker: got 24, expected a version constraint like ">=24"',
    ],
    [
      'a window that ends before it starts',
      ['from: "09:00", to: "16:00"', 'from: "16:00", to: "09:00"'],
      'checks.windows[0].to: the window must end after it starts (from 16:00 to 09:00)',
    ],
    [
      'a freeze that ends before it starts',
      ['from: 2026-12-20, to: 2027-01-04', 'from: 2027-01-04, to: 2026-12-20'],
      'checks.freeze[0].to: the freeze ends (2026-12-20) before it starts (2027-01-04)',
    ],
    [
      'an unknown service in the order',
      ['order: [api, web, workers]', 'order: [api, web, worker]'],
      'strategy.order[2]: unknown service "worker" (defined services: api, web, workers)',
    ],
    [
      'an image with a tag',
      ['image: ghcr.io/acme/shop-web', 'image: ghcr.io/acme/shop-web:latest'],
      'services.web.image: got "ghcr.io/acme/shop-web:latest", expected an image repository without a tag',
    ],
    [
      'a header with an unsupported reference',
      [`\${env.TEST_TOKEN}`, `$(cat /etc/passwd)\${TOKEN}`],
      `smoke.checks[1].headers.Authorization: unsupported reference "\${TOKEN}": only \${env.NAME} is allowed`,
    ],
    [
      'a protocol-relative smoke URL',
      ['url: /api/v1/notebooks', 'url: //evil.example/x'],
      'smoke.checks[1].url: got "//evil.example/x", expected an absolute http(s) URL or a path starting with "/"',
    ],
  ])('%s', (_name, [from, to], expected) => {
    const text = patched(from ?? '', to ?? '');
    const err = configError(text);
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain(`runbook.yml:${lineOf(text, to ?? '')}:`);
    expect(err.message).toContain(expected);
  });

  it('reports a missing required key at the enclosing mapping', () => {
    const err = configError('app: shop\nenvironments:\n  prod:\n    targets: [{ name: a, ssh: { host: h } }]\n');
    expect(err.message).toBe(
      'runbook.yml:4:31: environments.prod.targets[0].ssh.user: missing required key; expected a user name like "deploy" (letters, digits, "_", ".", "-")',
    );
  });

  it('reports a bad record key at the key', () => {
    const err = configError('app: shop\nenvironments:\n  "bad env":\n    targets: [{ name: a, local: true }]\n');
    expect(err.message).toBe(
      'runbook.yml:3:3: environments["bad env"]: invalid name "bad env", expected letters, digits, "_" and "-" starting with a letter or digit (at most 63)',
    );
  });

  it('lists several problems sorted by line, one per line, capped at 10', () => {
    const text = [
      ['app: shop', 'app: Shop'],
      ['replicas: 2', 'replicas: 0'],
      ['type: rolling', 'type: x'],
      ['max-surge: 1', 'max-surge: -1'],
      ['drain: 10s', 'drain: 10'],
      ['engine: postgres', 'engine: mysql'],
      ['format: custom', 'format: tar'],
      ['verify: restore', 'verify: yes'],
      ['min-free-disk: 20%', 'min-free-disk: 20'],
      ['docker: ">=24"', 'docker: 24'],
      ['compose: ">=2.20"', 'compose: latest'],
      ['wait: 60s', 'wait: soon'],
    ].reduce((acc, [from, to]) => patched(from ?? '', to ?? '', acc), FULL_CONFIG);
    const err = configError(text);
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('runbook.yml: 12 problems');
    expect(lines).toHaveLength(12);
    expect(lines[1]).toBe(
      'runbook.yml:1:6: app: got "Shop", expected lowercase letters, digits and "-" (at most 63, like "shop")',
    );
    expect(lines[11]).toBe('… and 2 more');
    const numbers = lines.slice(1, 11).map((l) => Number(l.split(':')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(err.problems).toHaveLength(12);
  });

  it('truncates long bad values', () => {
    const err = configError(patched('app: shop', `app: ${'x'.repeat(200)}`));
    expect(err.message).toMatch(/^runbook\.yml:1:6: app: got "x{58}…, expected lowercase/);
  });
});

describe('parseConfig: YAML problems', () => {
  it.each([
    [
      'an unclosed flow sequence',
      'app: [shop\nenvironments: {}\n',
      /^runbook\.yml:2:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    ],
    ['an unclosed quote', 'app: "shop\n', /^runbook\.yml:2:1: Missing closing "quote$/],
    [
      'bad indentation',
      'app: shop\nenvironments:\n  a: 1\n b: 2\n',
      /^runbook\.yml:4:1: All mapping items must start at the same column$/,
    ],
    ['two documents', `${minimal()}---\n${minimal()}`, /^runbook\.yml:\d+:1: the file holds several YAML documents/],
    ['an unknown tag', minimal('compose: !include other.yml\n'), /^runbook\.yml:5:10: Unresolved tag: !include$/],
    ['an alias without anchor', 'app: *x\n', /^runbook\.yml:1:6: alias \*x has no anchor &x before it$/],
    ['a recursive alias', 'app: &a [*a]\n', /^runbook\.yml:1:10: alias \*a refers to a node containing itself$/],
    ['an empty file', '', /^runbook\.yml: the file is empty: it needs at least app: and environments:$/],
    ['a file of comments', '# nothing yet\n\n', /^runbook\.yml: the file is empty/],
    [
      'a list at the top',
      '- app: shop\n',
      /^runbook\.yml:1:1: the top level must be a mapping with keys like app: and environments:, not a list$/,
    ],
    [
      'absurd nesting',
      `app: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      /^runbook\.yml:1:\d+: the YAML is nested too deeply$/,
    ],
    ['a scalar at the top', 'shop\n', /^runbook\.yml:1:1: the top level must be a mapping .*, not the value "shop"$/],
  ])('%s', (_name, text, message) => {
    expect(configError(text).message).toMatch(message);
  });

  it('reports duplicate keys at the second key', () => {
    const text = patched('  name: shop\n', '  name: shop\n  name: shop2\n');
    expect(configError(text).message).toBe(`runbook.yml:${lineOf(text, 'name: shop2')}:3: duplicate key "name"`);
  });

  it('reports a tab used for indentation once, at the tab', () => {
    const text = patched('  directory: /opt/shop', '\tdirectory: /opt/shop');
    expect(configError(text).message).toBe(
      `runbook.yml:${lineOf(text, '\tdirectory')}:1: tab character used for indentation: YAML indents with spaces only`,
    );
  });

  it('uses YAML 1.2: yes/on are strings, so `local: yes` is rejected', () => {
    const err = configError('app: shop\nenvironments:\n  p:\n    targets: [{ name: a, local: yes }]\n');
    expect(err.message).toBe(
      'runbook.yml:4:33: environments.p.targets[0].local: got "yes", expected true (local: true runs on the runner itself); remove the key otherwise',
    );
  });

  it('allows a few anchors and aliases', () => {
    const targets = Array.from({ length: 20 }, (_, i) => `{ name: t${i}, ssh: *s }`).join(', ');
    const text = `app: shop\nenvironments:\n  p:\n    targets: [{ name: t, ssh: &s { host: h, user: u } }, ${targets}]\n`;
    expect(parseConfig(text, 'runbook.yml').environments.p?.targets).toHaveLength(21);
  });

  it('fails fast on an alias bomb ("billion laughs")', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const err = configError(`${levels.join('\n')}\n`);
    expect(err.message).toBe(
      'runbook.yml: anchors and aliases expand too much (limit 64 expansions): refusing a possible alias bomb',
    );
  });

  it('refuses a file over 1 MiB', () => {
    expect(configError(minimal(`# ${'x'.repeat(1024 * 1024)}\n`)).message).toBe(
      'runbook.yml: the file is larger than 1048576 bytes',
    );
  });

  it('names the file it was given', () => {
    expect(configError('', 'deploy/runbook.yml').message).toMatch(/^deploy\/runbook\.yml: the file is empty/);
  });
});

describe('loadConfig', () => {
  it('reads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-config-'));
    const path = join(dir, 'runbook.yml');
    await writeFile(path, FULL_CONFIG);
    expect((await loadConfig(path)).app).toBe('shop');
  });

  it('names a missing file and the input that sets it', async () => {
    const path = join(tmpdir(), 'no-such-dir-runbook', 'runbook.yml');
    await expect(loadConfig(path)).rejects.toThrow(ConfigError);
    await expect(loadConfig(path)).rejects.toThrow(
      `config file not found: ${path} (set its path with the action's \`config\` input)`,
    );
  });

  it('reports problems with the path as given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-config-'));
    const path = join(dir, 'runbook.yml');
    await writeFile(path, 'app: shop\n');
    await expect(loadConfig(path)).rejects.toThrow(`${path}:1:1: environments: missing required key`);
  });
});

describe('environmentOf and checksFor', () => {
  const config = parseConfig(
    patched(
      '    targets: [{ name: stage1',
      '    checks: { min-free-disk: 5GiB, docker: false }\n    targets: [{ name: stage1',
    ),
    'runbook.yml',
  );

  it('returns a known environment', () => {
    expect(environmentOf(config, 'production').url).toBe('https://shop.example.com');
  });

  it('names the known environments for an unknown one', () => {
    expect(() => environmentOf(config, 'prod')).toThrow(ConfigError);
    expect(() => environmentOf(config, 'prodution')).toThrow(
      'unknown environment "prodution" (did you mean "production"?); the config defines: production, staging',
    );
    expect(() => environmentOf(config, 'constructor')).toThrow(/unknown environment "constructor"/);
  });

  it('layers environment overrides over top-level checks', () => {
    expect(checksFor(config, 'production')).toEqual(config.checks);
    const staging = checksFor(config, 'staging');
    expect(staging['min-free-disk']).toEqual({ kind: 'bytes', bytes: 5 * 2 ** 30 });
    expect(staging.docker).toBe(false);
    expect(staging.compose).toEqual(config.checks.compose);
    expect(staging['disk-paths']).toEqual(['/var/lib/docker', '/backups']);
  });
});
