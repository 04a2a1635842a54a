import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';
import { driverOf, resolveStrategy } from '../../../src/deploy/strategy.js';

type Subject = Pick<Config, 'strategy' | 'compose'>;
const COMPOSE = { directory: '/srv/shop' } as NonNullable<Config['compose']>;
const PROXY = { nginx: { 'upstream-file': '/etc/nginx/u.conf', upstream: 'u' } } as Config['strategy']['proxy'];
const config = (type: Config['strategy']['type'], driver?: 'engine' | 'compose', compose = false): Subject =>
  ({ strategy: { type, driver }, compose: compose ? COMPOSE : undefined }) as Subject;

describe('resolveStrategy: the one decision deploy and pre-deploy-check share', () => {
  it.each([
    {
      name: 'rolling, no compose section: engine',
      c: config('rolling'),
      want: { strategy: 'rolling', driver: 'engine' },
    },
    {
      name: 'recreate with compose',
      c: config('recreate', undefined, true),
      want: { strategy: 'recreate', driver: 'compose' },
    },
    {
      name: 'rolling, engine chosen beside compose',
      c: config('rolling', 'engine', true),
      want: { strategy: 'rolling', driver: 'engine' },
    },
    {
      name: 'the input overrides the type',
      c: config('rolling', undefined, true),
      input: 'recreate' as const,
      want: { strategy: 'recreate', driver: 'compose' },
    },
    // A compose service's replicas are created from the resolved compose file, each on its own port.
    {
      name: 'rolling with compose',
      c: config('rolling', undefined, true),
      want: { strategy: 'rolling', driver: 'compose' },
    },
    {
      name: 'rolling input with compose',
      c: config('recreate', undefined, true),
      input: 'rolling' as const,
      want: { strategy: 'rolling', driver: 'compose' },
    },
    // Blue-green and canary, with either driver (a compose service's replicas are the slots).
    {
      name: 'blue-green with compose',
      c: { ...config('blue-green', undefined, true), strategy: { type: 'blue-green', proxy: PROXY } } as Subject,
      want: { strategy: 'blue-green', driver: 'compose' },
    },
    {
      name: 'canary input on the engine',
      c: { ...config('rolling'), strategy: { type: 'rolling', proxy: PROXY, canary: {} } } as Subject,
      input: 'canary' as const,
      want: { strategy: 'canary', driver: 'engine' },
    },
  ])('$name', ({ c, input, want }) => {
    expect(resolveStrategy(c, input)).toEqual(want);
  });

  it.each([
    {
      name: 'blue-green without a proxy',
      c: config('blue-green'),
      message: /^strategy blue-green switches traffic, so it needs strategy.proxy: \{ nginx: … \}$/,
    },
    { name: 'canary without a proxy', c: config('canary'), message: /^strategy canary switches traffic/ },
    {
      name: 'canary as the input, with a proxy but no canary plan',
      c: { ...config('rolling'), strategy: { ...config('rolling').strategy, proxy: PROXY } } as Subject,
      input: 'canary' as const,
      message: /^strategy canary needs strategy.canary: \{ access-log: …/,
    },
    {
      name: 'driver compose without a compose section',
      c: config('recreate', 'compose'),
      message: /needs a compose section/,
    },
  ])('refuses $name with a ConfigError', ({ c, input, message }) => {
    expect(() => resolveStrategy(c, input)).toThrow(ConfigError);
    expect(() => resolveStrategy(c, input)).toThrow(message);
  });

  it('driverOf never throws: the configured driver, else compose when a compose section exists', () => {
    expect(driverOf(config('canary'))).toBe('engine');
    expect(driverOf(config('canary', undefined, true))).toBe('compose');
    expect(driverOf(config('rolling', 'engine', true))).toBe('engine');
  });
});

describe('keys only the engine driver applies', () => {
  it('are refused under the compose driver, each named, with where to write them instead', () => {
    const c = {
      ...config('recreate', undefined, true),
      services: { web: { volumes: [{ source: 'data', target: '/data', readOnly: false }], 'secret-env': { A: 'A' } } },
    } as unknown as Config;
    expect(() => resolveStrategy(c)).toThrow(ConfigError);
    expect(() => resolveStrategy(c)).toThrow(
      /^services\.web\.secret-env, services\.web\.volumes are for the engine driver, which creates the containers itself; with the compose driver the compose file says how its containers run/,
    );
  });

  it('are applied by the engine driver: no refusal', () => {
    const c = {
      ...config('rolling', 'engine', true),
      services: { web: { volumes: [{ source: 'data', target: '/data', readOnly: false }] } },
    } as unknown as Config;
    expect(resolveStrategy(c)).toEqual({ strategy: 'rolling', driver: 'engine' });
  });
});
