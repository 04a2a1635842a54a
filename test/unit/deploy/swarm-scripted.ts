/**
 * A scripted Swarm for the swarm driver's unit tests: each frame is what the Engine API shows (the service, its
 * tasks) for a few polls; an nginx upstream in memory that records each switch with the frame it happened in; and the
 * site a watch (or a change of a service) runs with.
 */
import { PassThrough } from 'node:stream';
import { parseConfig } from '../../../src/config/loader.js';
import type { Config } from '../../../src/config/schema.js';
import type { SwarmEngine } from '../../../src/deploy/swarm/api.js';
import type { watchConvergence } from '../../../src/deploy/swarm/watch.js';
import type { SwarmService, SwarmTask } from '../../../src/docker/swarm-types.js';
import type { ContainerInfo } from '../../../src/docker/types.js';
import type { NginxUpstream } from '../../../src/proxy/nginx.js';
import type { UpstreamServer } from '../../../src/proxy/upstream-file.js';
import type { Transport } from '../../../src/transports/types.js';
import { manualClock } from '../helpers/clock.js';

export const POLLS_PER_FRAME = 12;
export const OLD = '2026-11-23T11:00:00Z';
export const NOW = '2026-11-23T12:00:00Z';

export interface Frame {
  service: SwarmService;
  tasks: SwarmTask[];
}

/**
 * A Swarm that shows each frame for POLLS_PER_FRAME polls (the last one for ever); `afterRollback` once asked to.
 * `calls` lists the updates (and rollbacks) asked of it.
 */
export function scripted(frames: Frame[], o: { afterRollback?: Frame[]; stopped?: Set<string> } = {}) {
  let script = frames;
  let at = 0;
  let polls = 0;
  const calls: string[] = [];
  const frame = () => script[Math.min(at, script.length - 1)] as Frame;
  const api = {
    inspectService: async () => frame().service,
    listTasks: async () => {
      const tasks = frame().tasks;
      if (++polls >= POLLS_PER_FRAME) {
        polls = 0;
        at++;
      }
      return tasks;
    },
    updateService: async (_id: string, version: number, _spec: unknown, opts?: { rollback?: boolean }) => {
      calls.push(`update version ${version}${opts?.rollback ? ' rollback=previous' : ''}`);
      if (opts?.rollback && o.afterRollback) {
        script = o.afterRollback;
        at = 0;
        polls = 0;
      }
      return [];
    },
    inspectContainer: async (id: string) =>
      ({
        state: { running: !o.stopped?.has(id), exitCode: 0, startedAt: NOW, status: 'running', pid: 1, finishedAt: '' },
      }) as ContainerInfo,
    containerLogs: async () => '',
    listNodes: async () => [
      { id: 'node1', hostname: 'm1', addr: '10.0.0.7', state: 'ready', availability: 'active', role: 'manager' },
      { id: 'node2', hostname: 'w1', addr: '10.0.0.8', state: 'ready', availability: 'active', role: 'worker' },
    ],
  };
  return { api: api as unknown as SwarmEngine, calls, frame: () => at };
}

/** An nginx upstream in memory: each switch recorded with the frame it happened in; `restored` the restores. */
export function fakeProxy(initial: string[], frameOf: () => number) {
  const writes: Array<{ frame: number; servers: string[] }> = [];
  const restored: Array<string | undefined> = [];
  const text = (list: readonly UpstreamServer[]) => list.map((s) => `server ${s.address};\n`).join('');
  let servers: UpstreamServer[] = initial.map((address) => ({ address }));
  const proxy = {
    current: async () => text(servers),
    read: async () => ({ text: text(servers), file: { servers } }),
    set: async (next: readonly UpstreamServer[]) => {
      servers = [...next];
      writes.push({ frame: frameOf(), servers: next.map((s) => s.address).sort() });
    },
    restore: async (before: string | undefined) => {
      restored.push(before);
    },
  };
  return { proxy: proxy as unknown as NginxUpstream, writes, restored };
}

/** Every port accepts a connection. */
export const transport = {
  name: 'm1',
  connectTcp: async () => new PassThrough(),
} as unknown as Transport;

export const config: Config = parseConfig(
  'app: shop\nenvironments:\n  production:\n    targets: [{ name: m1, local: true }]\nservices:\n  api: { image: acme/api, replicas: 2, network: host, host-ports: 18000-18009 }\nstrategy:\n  drain: 1s\n  driver: swarm\n',
  'runbook.yml',
);

/** The lines a site logs (warnings prefixed `warning: `), and the logger that keeps them. */
export function lineLog() {
  const lines: string[] = [];
  const log = {
    info: (l: string) => lines.push(l),
    warn: (l: string) => lines.push(`warning: ${l}`),
    debug: () => undefined,
    error: (l: string) => lines.push(`error: ${l}`),
    remote: () => undefined,
  };
  return { lines, log };
}

/** The site of a watch of service svc1 (shop-production-api) on target m1, the manager's node node1. */
export function siteOf(api: SwarmEngine, proxy: NginxUpstream) {
  const { lines, log } = lineLog();
  return {
    lines,
    site: {
      config,
      environment: 'production',
      target: { name: 'm1', transport, env: {} },
      name: 'api',
      // No health config: the gate is "keeps running and accepts connections for 3 s".
      service: config.services?.api,
      proxy,
      clock: manualClock(),
      log,
      api,
      serviceId: 'svc1',
      serviceName: 'shop-production-api',
      localNode: 'node1',
    } as unknown as Parameters<typeof watchConvergence>[0],
  };
}
