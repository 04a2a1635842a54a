/**
 * Fleets in the flow tests: a runbook.yml with several targets (each with its own recording transport, fake engine
 * and nginx in the world), the journal on the first of them, the host states a release recorded, and a host whose
 * connection hangs (every command and Engine API call waits until its signal aborts, forever without one).
 */
import type { Journal, Release } from '../../../src/deploy/journal.js';
import { JOURNAL, UPSTREAM } from './configs.js';
import { FakeEngine } from './fake-engine.js';
import { installNginx, World } from './world.js';

export interface FleetOptions {
  hosts?: number;
  /** strategy.batch-size as written in YAML (`3`, `100%`); none: the default (one host after another). */
  batch?: string;
  onFailure?: 'rollback' | 'pause';
  hostTimeout?: string;
  /** host1 and host2 play web (they run `api`), host3 plays worker (it runs `jobs`). */
  roles?: boolean;
  replicas?: number;
  /** Health and drain timings (defaults: interval 1s, deadline 10s, stable 2s; drain 5s). */
  interval?: string;
  deadline?: string;
  stable?: string;
  drain?: string;
}

/** `host1` … `hostN`. */
export const hostNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `host${i + 1}`);

const health = (o: FleetOptions) => `
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: ${o.interval ?? '1s'}
      timeout: 1s
      deadline: ${o.deadline ?? '10s'}
      stable: ${o.stable ?? '2s'}`;

/**
 * `web` (or, with roles, `api` on the web hosts and `jobs` on the worker) behind nginx on every host, rolling; the
 * engine driver. The hosts are ssh targets named host1 … hostN.
 */
export function fleetConfig(o: FleetOptions = {}): string {
  const names = hostNames(o.hosts ?? 3);
  const targets = names
    .map((name, i) => {
      const role = o.roles ? `\n        roles: [${i < names.length - 1 ? 'web' : 'worker'}]` : '';
      return `      - name: ${name}\n        ssh: { host: 10.0.${Math.floor(i / 250)}.${(i % 250) + 1}, user: deploy }${role}`;
    })
    .join('\n');
  const services = o.roles
    ? `  api:
    image: shop/api
    roles: [web]
    replicas: ${o.replicas ?? 1}
    port: 8080
    host-ports: 18000-18009
    stop-grace: 10s${health(o)}
  jobs:
    image: shop/jobs
    roles: [worker]
    stop-grace: 10s`
    : `  web:
    image: shop/web
    replicas: ${o.replicas ?? 1}
    port: 8080
    host-ports: 18000-18009
    stop-grace: 10s${health(o)}`;
  const fleet = [
    o.batch === undefined ? '' : `  batch-size: ${o.batch}`,
    o.onFailure === undefined ? '' : `  on-failure: ${o.onFailure}`,
    o.hostTimeout === undefined ? '' : `  host-timeout: ${o.hostTimeout}`,
  ]
    .filter(Boolean)
    .join('\n');
  return `app: shop
environments:
  production:
    targets:
${targets}
services:
${services}
strategy:
  type: rolling
  max-surge: 1
  drain: ${o.drain ?? '5s'}
${fleet}
  proxy:
    nginx:
      upstream-file: ${UPSTREAM}
      upstream: shop_${o.roles ? 'api' : 'web'}
`;
}

/** A world of `n` hosts, nginx installed on each. */
export function fleetWorld(n = 3): World {
  const world = new World();
  for (const name of hostNames(n)) installNginx(world.host(name).transport);
  return world;
}

/** The journal, on the first host. */
export function fleetJournal(world: World): Journal {
  return JSON.parse(world.host('host1').transport.fs.files.get(JOURNAL) ?? '{"releases":[]}') as Journal;
}

/** Where each host stood when `release` ended, as journaled: `{ host1: 'live', … }`. */
export function hostStates(release: Release | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(release?.hosts ?? {}).map(([h, o]) => [h, o.state]));
}

/** The images of the containers running on a host's engine (sorted), e.g. `['shop/web:v1']`. */
export function runningImages(engine: FakeEngine): string[] {
  return [...engine.containers.values()]
    .filter((c) => c.state === 'running')
    .map((c) => c.tags.find((t) => t.includes(':')) ?? c.image)
    .sort();
}

/** The host ports nginx's upstream file on a host sends traffic to now. */
export function upstreamPorts(world: World, host: string): number[] {
  const text = world.host(host).transport.fs.files.get(UPSTREAM) ?? '';
  return [...text.matchAll(/server 127\.0\.0\.1:(\d+) max_fails/g)].map((m) => Number(m[1]));
}

/** A promise that settles only when `signal` aborts (rejecting with its reason); never without a signal. */
function hangUntil(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * From now on, the host's connection hangs: every command and every Engine API call (both go over its SSH
 * connection) waits until the signal it was given aborts, and forever when it was given none. Returns how many
 * calls hung, and how many of them were ended by their signal.
 */
export function hangHost(world: World, name: string): { hung: () => number; aborted: () => number } {
  const { transport, engine } = world.host(name);
  let hung = 0;
  let aborted = 0;
  const hang = (signal: AbortSignal | undefined): Promise<never> => {
    hung += 1;
    return hangUntil(signal).catch((e: unknown) => {
      aborted += 1;
      throw e;
    });
  };
  transport.exec = (_argv, opts) => hang(opts?.signal);
  transport.connectTcp = () => hang(undefined);
  engine.pullImage = (_ref, opts) => hang(opts?.signal);
  for (const verb of [
    'inspectImage',
    'listContainers',
    'createContainer',
    'startContainer',
    'inspectContainer',
  ] as const)
    engine[verb] = () => hang(undefined);
  return { hung: () => hung, aborted: () => aborted };
}

/** The Engine API calls that change something, by host, from `world.engineCalls[from]` on. */
export function changesByHost(world: World, from: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of world.engineCalls.slice(from)) {
    if (FakeEngine.changes([c.call]).length === 0) continue;
    out[c.target] = [...(out[c.target] ?? []), c.call];
  }
  return out;
}
