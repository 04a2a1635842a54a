import { describe, expect, it } from 'vitest';
import { viaTargets } from '../../../src/actions/smoke-test.js';
import { environmentOf, parseConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/core/errors.js';
import { configError } from './helpers.js';

/** A config with three targets (ssh, local, docker; `first` decides the order) and these smoke checks (flow YAML). */
function withChecks(checks: string, first = '{ name: web1, ssh: { host: 10.0.0.5, user: deploy } }'): string {
  return `app: shop
environments:
  production:
    url: https://shop.example.com
    targets: [${first}, { name: self, local: true }, { name: engine, docker: { host: "unix:///var/run/docker.sock" } }]
smoke:
  checks: [${checks}]
`;
}

function resolve(checks: string, first?: string) {
  const config = parseConfig(withChecks(checks, first), 'runbook.yml');
  if (!config.smoke) throw new Error('no smoke section');
  return viaTargets(config.smoke, environmentOf(config, 'production'), 'production');
}

/** The ConfigError message that resolving the checks' `via` throws. */
function resolveError(checks: string, first?: string): string {
  try {
    resolve(checks, first);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the via to be rejected');
}

describe('smoke.checks[].via: the schema', () => {
  it('defaults to runner and keeps target or a target name', () => {
    const config = parseConfig(
      withChecks(
        '{ name: a, url: / }, { name: b, url: /, via: target }, { name: c, url: "http://green.internal:8080/health", via: self }',
      ),
      'runbook.yml',
    );
    expect(config.smoke?.checks.map((c) => c.via)).toEqual(['runner', 'target', 'self']);
  });

  const HELP = `expected runner, target or the name of one of the environment's targets (letters, digits, ".", "_" and "-")`;

  it.each([
    ['a name with a space', '"web 1"', 'got "web 1"'],
    ['a name starting with "-"', '-oProxyCommand', 'got "-oProxyCommand"'],
    ['a number', '1.5', 'got 1.5'],
    ['a list', '[web1]', 'got ["web1"]'],
  ])('rejects %s, naming the field, the value and what is allowed', (_name, value, got) => {
    const err = configError(withChecks(`{ name: a, url: /, via: ${value} }`));
    expect(err.message).toBe(`runbook.yml:7:36: smoke.checks[0].via: ${got}, ${HELP}`);
  });
});

describe('smoke.checks[].via: the environment', () => {
  it('maps target to the first target and a name to that target; runner needs none', () => {
    const targets = resolve('{ name: a, url: / }, { name: b, url: /, via: target }, { name: c, url: /, via: self }');
    expect([...targets].map(([via, t]) => [via, t.name, t.kind])).toEqual([
      ['target', 'web1', 'ssh'],
      ['self', 'self', 'local'],
    ]);
    expect(resolve('{ name: a, url: /, via: runner }').size).toBe(0);
  });

  it('rejects a target the environment does not have, naming the check, the value and the targets', () => {
    expect(resolveError('{ name: ready, url: /, via: web2 }')).toBe(
      'check ready: via "web2" is not a target of environment production (did you mean "web1"?); expected runner, target or one of: web1, self, engine',
    );
  });

  it('rejects docker targets, by name and as the first target', () => {
    expect(resolveError('{ name: ready, url: /, via: engine }')).toBe(
      'check ready: via "engine" is a docker target; checks go through ssh or local targets only',
    );
    expect(
      resolveError('{ name: ready, url: /, via: target }', '{ name: pod, docker: { host: "tcp://10.0.0.9:2376" } }'),
    ).toBe(
      `check ready: via "target" (the environment's first target, pod) is a docker target; checks go through ssh or local targets only`,
    );
  });
});
