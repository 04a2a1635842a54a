/**
 * strategy.driver swarm in the config: strategy.swarm's keys and the one target per environment (each refusal names the
 * key, the value, what is allowed), and what the driver needs of the services, refused by resolveStrategy before any
 * connection.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { swarmSettings } from '../../../src/config/schema-swarm.js';
import { ConfigError } from '../../../src/core/errors.js';
import { resolveStrategy, usesEngine } from '../../../src/deploy/strategy.js';
import { configError, minimal } from '../config/helpers.js';

const service = (lines: string) =>
  `services:\n  api:\n    image: ghcr.io/acme/api\n${lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
const swarm = (lines = '') => `strategy:\n  driver: swarm\n${lines}`;

describe('strategy.swarm', () => {
  it('parses every key, durations in ms', () => {
    const c = parseConfig(
      minimal(
        swarm(
          '  swarm: { parallelism: 3, delay: 0s, order: stop-first, failure-action: pause, monitor: 1m, max-failure-ratio: 0.5, converge-timeout: 2h }\n',
        ),
      ),
      'runbook.yml',
    );
    expect(swarmSettings(c.strategy)).toEqual({
      parallelism: 3,
      delay: 0,
      order: 'stop-first',
      'failure-action': 'pause',
      monitor: 60_000,
      'max-failure-ratio': 0.5,
      'converge-timeout': 7_200_000,
    });
  });

  it.each([
    ['parallelism: 0', 'strategy.swarm.parallelism: got 0, expected a whole number from 1 to 100'],
    ['parallelism: 101', 'strategy.swarm.parallelism: got 101, expected a whole number from 1 to 100'],
    ['delay: 2h', 'strategy.swarm.delay: got "2h", expected a duration from 0s to 1h'],
    ['order: rolling', 'strategy.swarm.order: got "rolling", expected start-first or stop-first'],
    ['failure-action: continue', 'strategy.swarm.failure-action: got "continue", expected rollback or pause'],
    ['monitor: 500ms', 'strategy.swarm.monitor: got "500ms", expected a duration from 1s to 1h'],
    ['max-failure-ratio: 2', 'strategy.swarm.max-failure-ratio: got 2, expected a fraction from 0 to 1'],
    ['converge-timeout: 5s', 'strategy.swarm.converge-timeout: got "5s", expected a duration from 10s to 6h'],
    ['paralelism: 2', 'strategy.swarm.paralelism: unknown key "paralelism" (did you mean "parallelism"?)'],
  ])('%s is refused, naming the key, the value and what is allowed', (line, message) => {
    expect(configError(minimal(swarm(`  swarm: { ${line} }\n`))).message).toContain(message);
  });

  it('an environment of several targets is refused when the config is read, naming them and what is allowed', () => {
    const text = `app: shop
environments:
  staging:
    targets: [{ name: manager, local: true }]
  production:
    targets: [{ name: m1, local: true }, { name: m2, local: true }]
${swarm()}`;
    expect(configError(text).message).toContain(
      'environments.production.targets: got 2 targets (m1, m2) with strategy.driver swarm, expected one: the swarm manager (Swarm places the tasks on its nodes); give the manager alone',
    );
    expect(configError(text).message).not.toContain('environments.staging');
    // The same environments with another driver: a fleet.
    expect(() => parseConfig(text.replace('driver: swarm', 'driver: engine'), 'runbook.yml')).not.toThrow();
  });

  it('driver swarm is a third driver; an unknown one lists the three', () => {
    expect(configError(minimal('strategy:\n  driver: nomad\n')).message).toContain(
      'strategy.driver: got "nomad", expected engine, compose or swarm',
    );
    expect(usesEngine('swarm', 'rolling')).toBe(true);
  });
});

describe('what the swarm driver needs of the services (resolveStrategy)', () => {
  const resolve = (text: string, input?: 'rolling' | 'recreate' | 'blue-green' | 'canary') =>
    resolveStrategy(parseConfig(minimal(text), 'runbook.yml'), input);
  const refusal = (text: string, input?: 'rolling' | 'recreate' | 'blue-green' | 'canary') => {
    try {
      resolve(text, input);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('a host-network service with enough host ports deploys', () => {
    expect(resolve(`${service('replicas: 2\nnetwork: host\nhost-ports: 18000-18003')}${swarm()}`)).toEqual({
      strategy: 'rolling',
      driver: 'swarm',
    });
  });

  it('another strategy than rolling is Swarm’s to do', () => {
    expect(refusal(`${service('network: host\nhost-ports: 18000-18001')}${swarm()}`, 'recreate')).toBe(
      "strategy recreate with strategy.driver swarm: Swarm replaces a service's tasks itself, in a rolling update (strategy.swarm.order start-first or stop-first, parallelism, delay); use strategy.type rolling",
    );
  });

  it('a bridge network, too few host ports, no host ports behind an HTTP check, a clashing _FILE, host-gateway', () => {
    expect(refusal(`${service('replicas: 2\nport: 8000\nhost-ports: 18000-18009')}${swarm()}`)).toBe(
      'services.api.network is bridge: the swarm driver runs every task on the host network, each on its own port from host-ports (told in PORT), so nginx reaches each task directly; set network: host',
    );
    expect(refusal(`${service('replicas: 3\nnetwork: host\nhost-ports: 18000-18004')}${swarm()}`)).toBe(
      'services.api.host-ports 18000-18004 has 5 ports; with 3 replicas the swarm driver needs at least 6 (2 × replicas): an update starts its tasks on ports the running ones do not hold',
    );
    expect(refusal(`${service('replicas: 2\nnetwork: host\nhealth: { http: { path: /health } }')}${swarm()}`)).toBe(
      "services.api.host-ports is not set: an HTTP health check needs each task's port; set a range of at least 4 ports (2 × replicas), like 18000-18003",
    );
    expect(
      refusal(
        `${service('network: host\nhost-ports: 18000-18001\nsecret-env: [TOKEN]\nenv: { TOKEN_FILE: /x }\nextra-hosts: [gw.internal:host-gateway]')}${swarm()}`,
      ),
    ).toBe(
      "services.api.extra-hosts gw.internal:host-gateway: host-gateway is the bridge's gateway, and swarm tasks run on the host network (the host is 127.0.0.1 there); give an address; services.api.env.TOKEN_FILE is set, but the swarm driver sets it to /run/secrets/TOKEN (the Swarm secret of secret-env TOKEN); remove it from env",
    );
  });
});
