/**
 * rollback scopes image and traffic, whole flow: v1 then v2 deployed (rolling, engine driver, 2 replicas behind
 * nginx), then `rollback` → the exact Engine API calls, upstream files and journal.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, rollbackAction } from '../../../src/actions/catalog.js';
import { engineConfig, JOURNAL, LEASE, LOCK, replica, STATE } from './configs.js';
import type { Behaviour } from './fake-engine.js';
import { journalOf, runFlow, upstreamWrites } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };

/** v1 then v2 deployed; their release ids, container names and v1's image digest. */
async function v1ThenV2(world: World, config: string) {
  installNginx(world.host().transport);
  const ids: string[] = [];
  for (const version of ['v1', 'v2']) {
    const r = await runFlow(deployAction, { world, config, inputs: { ...ENV, version } });
    expect(r.failed).toEqual([]);
    ids.push(r.outputs['release-id'] ?? '');
  }
  const [a = '', b = ''] = ids;
  const image = world.host().engine.images.find((i) => i.repoTags.includes('shop/web:v1'));
  return {
    ids,
    v1: (s: number) => replica(a, s),
    v2: (s: number) => replica(b, s),
    digest: image?.repoDigests[0] ?? '',
  };
}

type Setup = Awaited<ReturnType<typeof v1ThenV2>>;

interface Case {
  name: string;
  config?: string;
  inputs: Record<string, string>;
  /** Change the world after the two deploys (remove kept containers, start v1 by hand, …). */
  arrange?: (world: World, s: Setup) => void;
  behave?: Record<string, Behaviour>;
  engineCalls: (s: Setup) => string[];
  upstreams: number[][];
  journal: string[][];
  failed?: (s: Setup) => RegExp;
}

const cases: Case[] = [
  {
    name: 'image: the kept v1 containers started, health-gated, added to nginx, then v2 drained and stopped (kept)',
    inputs: { scope: 'image' },
    engineCalls: ({ v1, v2 }) => [
      `startContainer ${v1(0)}`,
      `startContainer ${v1(1)}`,
      `stopContainer ${v2(0)} 10`,
      `stopContainer ${v2(1)} 10`,
    ],
    upstreams: [
      [18002, 18003, 18000, 18001],
      [18000, 18001],
    ],
    journal: [
      ['v1', 'live'],
      ['v2', 'rolled-back'],
    ],
  },
  {
    name: 'image: kept containers and the image gone: pulled again by its digest, new containers on free ports',
    inputs: { scope: 'image' },
    arrange: (world, { digest }) => {
      const engine = world.host().engine;
      for (const [id, c] of engine.containers) if (c.tags.includes('shop/web:v1')) engine.containers.delete(id);
      engine.images.splice(
        engine.images.findIndex((i) => i.repoDigests.includes(digest)),
        1,
      );
    },
    engineCalls: ({ v1, v2, digest }) => [
      `pullImage ${digest}`,
      `createContainer ${v1(0)}`,
      `startContainer ${v1(0)}`,
      `createContainer ${v1(1)}`,
      `startContainer ${v1(1)}`,
      `stopContainer ${v2(0)} 10`,
      `stopContainer ${v2(1)} 10`,
    ],
    upstreams: [
      [18002, 18003, 18000, 18001],
      [18000, 18001],
    ],
    journal: [
      ['v1', 'live'],
      ['v2', 'rolled-back'],
    ],
  },
  {
    name: 'image without a proxy: in place, v2 stopped first, then the kept v1 started',
    config: engineConfig({ nginx: false }),
    inputs: { scope: 'image' },
    engineCalls: ({ v1, v2 }) => [
      `stopContainer ${v2(0)} 10`,
      `stopContainer ${v2(1)} 10`,
      `startContainer ${v1(0)}`,
      `startContainer ${v1(1)}`,
    ],
    upstreams: [],
    journal: [
      ['v1', 'live'],
      ['v2', 'rolled-back'],
    ],
  },
  {
    name: 'image: v1 fails its health gate: stopped again, nginx never moved, v2 stays live',
    inputs: { scope: 'image' },
    behave: { 'shop/web:v1': { http: { status: 500, body: '{"status":"error"}' } } },
    engineCalls: ({ v1 }) => [
      `startContainer ${v1(0)}`,
      `startContainer ${v1(1)}`,
      `stopContainer ${v1(0)} 10`,
      `stopContainer ${v1(1)} 10`,
    ],
    upstreams: [],
    journal: [
      ['v1', 'superseded'],
      ['v2', 'live'],
    ],
    failed: () => /^web1\/web#\d \(port 1800\d\) not healthy within 10s \(deadline\)/,
  },
  {
    name: 'traffic: v1 is stopped, so the upstream alone cannot go back to it',
    inputs: { scope: 'traffic' },
    engineCalls: () => [],
    upstreams: [],
    journal: [
      ['v1', 'superseded'],
      ['v2', 'live'],
    ],
    failed: ({ ids }) =>
      new RegExp(
        `^web1/web: no container of ${ids[0]} is running, so traffic alone cannot go back to it; add image to the scope$`,
      ),
  },
  {
    name: 'traffic: v1 running again (by hand): only the upstream moves, no container is touched',
    inputs: { scope: 'traffic' },
    arrange: (world) => {
      for (const c of world.host().engine.containers.values()) if (c.tags.includes('shop/web:v1')) c.state = 'running';
    },
    engineCalls: () => [],
    upstreams: [[18000, 18001]],
    journal: [
      ['v1', 'live'],
      ['v2', 'rolled-back'],
    ],
  },
];

describe('rollback flow: image and traffic (engine driver)', () => {
  it.each(cases)('$name', async (c) => {
    const world = new World();
    const config = c.config ?? engineConfig();
    const s = await v1ThenV2(world, config);
    c.arrange?.(world, s);
    if (c.behave) world.behave(c.behave);

    const r = await runFlow(rollbackAction, { world, config, inputs: { ...ENV, ...c.inputs } });

    expect(r.engineCalls).toEqual(c.engineCalls(s));
    expect(upstreamWrites(r)).toEqual(c.upstreams);
    expect(journalOf(world).releases).toEqual(c.journal);
    if (c.failed) {
      expect(r.failed).toEqual([expect.stringMatching(c.failed(s))]);
      expect(journalOf(world).raw.releases[1]?.rollback).toMatchObject({ to: s.ids[0], error: expect.any(String) });
    } else {
      expect(r.failed).toEqual([]);
      expect(r.outputs).toEqual({
        'restored-release-id': s.ids[0],
        'restored-version': 'v1',
        'rolled-back-release-id': s.ids[1],
      });
    }
    expect(world.host().transport.fs.exists(LOCK)).toBe(false);
  });

  it('sends exactly these commands for image: lock, journal, two nginx switches, journal, unlock', async () => {
    const world = new World();
    await v1ThenV2(world, engineConfig());
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: ENV });
    const nginxSwitch = [
      'cat -- /etc/nginx/upstreams/shop.conf',
      'cat -- /run/nginx.pid',
      'ps -o pid= --ppid 100',
      'test -w /etc/nginx/upstreams',
      'write /etc/nginx/upstreams/shop.conf',
      'nginx -t',
      'nginx -s reload',
      'ps -o pid= --ppid 100',
    ];
    expect(r.steps).toEqual([
      `mkdir -p -- ${STATE}`,
      `mkdir -- ${LOCK}`,
      `write ${LEASE}`,
      `cat -- ${JOURNAL}`,
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`, // the rollback begins (recorded on v2)
      'cat -- /etc/nginx/upstreams/shop.conf', // as it was: what a failed rollback puts back
      ...nginxSwitch, // v2 and v1
      ...nginxSwitch, // v1 only
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`, // v1 live, v2 rolled back
      `cat -- ${LEASE}`,
      `rm -rf -- ${LOCK}`,
    ]);
    // The kept ports are probed through the target before the kept containers are started again.
    expect(r.tcp.slice(0, 2).map((t) => `${t.address} ${t.outcome}`)).toEqual([
      '127.0.0.1:18000 refused',
      '127.0.0.1:18001 refused',
    ]);
  });
});
