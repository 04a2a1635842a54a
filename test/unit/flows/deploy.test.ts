/**
 * deploy, whole flow through the connection seam: inputs + config → the exact Engine API calls, nginx upstreams and
 * commands. Engine driver (no compose section); `web` has 2 replicas on host ports 18000-18009 behind nginx.
 */
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/actions/catalog.js';
import { engineConfig, LOCK, replica } from './configs.js';
import type { Behaviour } from './fake-engine.js';
import { journalOf, runFlow, upstreamWrites } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const UNHEALTHY: Behaviour = { http: { status: 503, body: '{"status":"starting"}' }, logs: 'db not reachable\n' };

/** A world where `versions` were deployed one after the other (rolling, all healthy). Returns their release ids. */
async function deployed(world: World, versions: string[], config = engineConfig()): Promise<string[]> {
  const ids: string[] = [];
  for (const version of versions) {
    const r = await runFlow(deployAction, { world, config, inputs: { ...ENV, version } });
    expect(r.failed).toEqual([]);
    ids.push(r.outputs['release-id'] ?? '');
  }
  return ids;
}

interface Case {
  name: string;
  before: string[];
  inputs: Record<string, string>;
  /** Change the world before the run (e.g. something else listening on a port). */
  arrange?: (world: World) => void;
  behave?: Record<string, Behaviour> | ((c: { name: string; image: string; tags: string[] }) => Behaviour | undefined);
  /** Container names are built from the release ids: [...before, this run]. */
  engineCalls: (ids: string[]) => string[];
  upstreams: number[][];
  journal: string[][];
  failed?: RegExp;
}

const v1v2 = (ids: string[]) => ({
  v1: (s: number) => replica(ids[0] ?? '', s),
  v2: (s: number) => replica(ids[1] ?? '', s),
});

/** Recreate of v2 over v1 whose new replicas fail: v1 stopped, v2 started, then v2 removed and v1 started again. */
function recreateUndone(ids: string[]): string[] {
  const { v1, v2 } = v1v2(ids);
  return [
    'pullImage shop/web:v2',
    `stopContainer ${v1(0)} 10`,
    `stopContainer ${v1(1)} 10`,
    `createContainer ${v2(0)}`,
    `startContainer ${v2(0)}`,
    `createContainer ${v2(1)}`,
    `startContainer ${v2(1)}`,
    `removeContainer ${v2(0)} force`,
    `removeContainer ${v2(1)} force`,
    `startContainer ${v1(0)}`,
    `startContainer ${v1(1)}`,
  ];
}

const cases: Case[] = [
  {
    name: 'rolling, first release: pulled, one replica at a time, each added to nginx once healthy',
    before: [],
    inputs: { version: 'v1' },
    engineCalls: ([id = '']) => [
      'pullImage shop/web:v1',
      `createContainer ${replica(id, 0)}`,
      `startContainer ${replica(id, 0)}`,
      `createContainer ${replica(id, 1)}`,
      `startContainer ${replica(id, 1)}`,
    ],
    upstreams: [[18000], [18000, 18001]],
    journal: [['v1', 'live']],
  },
  {
    name: 'rolling, first release, port 18000 taken by something else: skipped, replicas on 18001 and 18002',
    before: [],
    inputs: { version: 'v1' },
    arrange: (world) => world.host().transport.busyPorts.add(18000),
    engineCalls: ([id = '']) => [
      'pullImage shop/web:v1',
      `createContainer ${replica(id, 0)}`,
      `startContainer ${replica(id, 0)}`,
      `createContainer ${replica(id, 1)}`,
      `startContainer ${replica(id, 1)}`,
    ],
    upstreams: [[18001], [18001, 18002]],
    journal: [['v1', 'live']],
  },
  {
    name: 'rolling over v1: surge one new replica on a free port, then drain and stop (keep) one old one',
    before: ['v1'],
    inputs: { version: 'v2' },
    engineCalls: (ids) => {
      const { v1, v2 } = v1v2(ids);
      return [
        'pullImage shop/web:v2',
        `createContainer ${v2(0)}`,
        `startContainer ${v2(0)}`,
        `stopContainer ${v1(0)} 10`,
        `createContainer ${v2(1)}`,
        `startContainer ${v2(1)}`,
        `stopContainer ${v1(1)} 10`,
      ];
    },
    upstreams: [
      [18000, 18001, 18002],
      [18001, 18002],
      [18001, 18002, 18003],
      [18002, 18003],
    ],
    journal: [
      ['v1', 'superseded'],
      ['v2', 'live'],
    ],
  },
  {
    name: 'rolling, the first new replica never gets healthy: it is removed, nginx and v1 are never touched',
    before: ['v1'],
    inputs: { version: 'v2' },
    behave: { 'shop/web:v2': UNHEALTHY },
    engineCalls: (ids) => {
      const { v2 } = v1v2(ids);
      return [
        'pullImage shop/web:v2',
        `createContainer ${v2(0)}`,
        `startContainer ${v2(0)}`,
        `removeContainer ${v2(0)} force`,
      ];
    },
    upstreams: [],
    journal: [
      ['v1', 'live'],
      ['v2', 'failed'],
    ],
    failed:
      /^web1\/web#0 \(port 18002\) not healthy within 10s \(deadline\) after \d+ attempts; last answer: status 503, expected 200; status is "starting", expected "ok"/,
  },
  {
    name: 'rolling, the second new replica fails after one old one was retired: undo restarts it and restores nginx',
    before: ['v1'],
    inputs: { version: 'v2' },
    behave: (c) => (c.image === 'shop/web:v2' && c.name.endsWith('-1') ? UNHEALTHY : undefined),
    engineCalls: (ids) => {
      const { v1, v2 } = v1v2(ids);
      return [
        'pullImage shop/web:v2',
        `createContainer ${v2(0)}`,
        `startContainer ${v2(0)}`,
        `stopContainer ${v1(0)} 10`,
        `createContainer ${v2(1)}`,
        `startContainer ${v2(1)}`,
        `removeContainer ${v2(1)} force`,
        `startContainer ${v1(0)}`,
        `removeContainer ${v2(0)} force`,
      ];
    },
    upstreams: [
      [18000, 18001, 18002],
      [18001, 18002],
      [18000, 18001],
    ],
    journal: [
      ['v1', 'live'],
      ['v2', 'failed'],
    ],
    failed: /^web1\/web#1 \(port 18003\) not healthy within 10s/,
  },
  {
    name: 'recreate over v1: old replicas stopped (kept), new ones on the same ports, so nginx is left as it is',
    before: ['v1'],
    inputs: { version: 'v2', strategy: 'recreate' },
    engineCalls: (ids) => {
      const { v1, v2 } = v1v2(ids);
      return [
        'pullImage shop/web:v2',
        `stopContainer ${v1(0)} 10`,
        `stopContainer ${v1(1)} 10`,
        `createContainer ${v2(0)}`,
        `startContainer ${v2(0)}`,
        `createContainer ${v2(1)}`,
        `startContainer ${v2(1)}`,
      ];
    },
    upstreams: [],
    journal: [
      ['v1', 'superseded'],
      ['v2', 'live'],
    ],
  },
  {
    name: 'recreate, the new replicas fail: they are removed first (they hold the ports), then v1 started again',
    before: ['v1'],
    inputs: { version: 'v2', strategy: 'recreate' },
    behave: { 'shop/web:v2': UNHEALTHY },
    engineCalls: recreateUndone,
    upstreams: [],
    journal: [
      ['v1', 'live'],
      ['v2', 'failed'],
    ],
    failed: /^web1\/web#\d \(port 1800\d\) not healthy within 10s/,
  },
  {
    name: 'recreate, a new replica exits at once: the same undo, failed with its exit code',
    before: ['v1'],
    inputs: { version: 'v2', strategy: 'recreate' },
    behave: (c) => (c.image === 'shop/web:v2' && c.name.endsWith('-0') ? { exits: 3 } : undefined),
    engineCalls: recreateUndone,
    upstreams: [],
    journal: [
      ['v1', 'live'],
      ['v2', 'failed'],
    ],
    failed: /^web1\/web#0 \(port 18000\) exited \(code 3\) while starting$/,
  },
];

describe('deploy flow (engine driver)', () => {
  it.each(cases)('$name', async (c) => {
    const world = new World();
    installNginx(world.host().transport);
    const ids = await deployed(world, c.before);
    c.arrange?.(world);
    if (c.behave) world.behave(c.behave);

    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, ...c.inputs } });

    ids.push(r.outputs['release-id'] ?? '');
    expect(r.engineCalls).toEqual(c.engineCalls(ids));
    expect(upstreamWrites(r)).toEqual(c.upstreams);
    expect(journalOf(world).releases).toEqual(c.journal);
    expect(r.ok).toBe(c.failed === undefined);
    if (c.failed) expect(r.failed).toEqual([expect.stringMatching(c.failed)]);
    else expect(r.failed).toEqual([]);
    expect(r.outputs['previous-release-id']).toBe(ids.at(-2) ?? '');
    expect(r.connector).toEqual(['shell web1', 'engine web1', 'close']);
    // The lock is free again whatever happened.
    expect(world.host().transport.fs.exists(LOCK)).toBe(false);
  });
});
