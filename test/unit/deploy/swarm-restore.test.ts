/**
 * A rollback of a Swarm service (restore.ts) against a scripted Swarm: Swarm's own rollback to the previous spec
 * brings back the release's tasks, and the rollback returns the service as it left it — its version and tasks now,
 * which the journal then records for the release (finishRollback), in place of the ones its deploy left.
 */
import { describe, expect, it } from 'vitest';
import { finishRollback, type Journal, type Release } from '../../../src/deploy/journal.js';
import type { SwarmEngine } from '../../../src/deploy/swarm/api.js';
import { restoreSwarmService } from '../../../src/deploy/swarm/restore.js';
import { serviceOf, specOf, taskOf } from './swarm-fakes.js';
import { fakeProxy, NOW, OLD, scripted, siteOf } from './swarm-scripted.js';

const v1 = specOf('r1', [18000, 18001]);
const v2 = specOf('r2', [18002, 18003]);

const release = (id: string, version: number, status: Release['status']): Release => ({
  id,
  version: id,
  status,
  strategy: 'rolling',
  driver: 'swarm',
  startedAt: NOW,
  services: {
    api: {
      image: `acme/api:${id}`,
      replicas: [{ target: 'm1', id: `old-${id}`, name: 'shop-production-api.1', port: 18000 }],
      swarm: {
        id: 'svc1',
        name: 'shop-production-api',
        version,
        image: `acme/api:${id}`,
        tasks: [{ id: `old-${id}`, slot: 1, node: 'node1', address: '127.0.0.1:18000' }],
      },
    },
  },
});

describe('restoreSwarmService', () => {
  it("Swarm's rollback: the tasks now serving and the service's record as the rollback left it", async () => {
    const sw = scripted(
      [
        {
          service: serviceOf(v2, { version: 42, update: ['completed', OLD, 'update completed'], previous: v1 }),
          tasks: [taskOf('c', v2, 1, 'running'), taskOf('d', v2, 2, 'running')],
        },
      ],
      {
        afterRollback: [
          {
            service: serviceOf(v1, { version: 45, update: ['rollback_completed', NOW, 'rollback completed'] }),
            tasks: [
              taskOf('e', v1, 1, 'running'),
              taskOf('f', v1, 2, 'running', 'running', { nodeId: 'node2' }),
              taskOf('c', v2, 1, 'shutdown', 'shutdown'),
              taskOf('d', v2, 2, 'shutdown', 'shutdown'),
            ],
          },
        ],
      },
    );
    const api = {
      ...sw.api,
      swarmInfo: async () => ({
        localNodeState: 'active',
        controlAvailable: true,
        nodeId: 'node1',
        clusterId: 'c1',
        managers: 1,
        nodes: 2,
        error: '',
      }),
      listServices: async () => [],
      listSecrets: async () => [],
      createService: async () => 'never',
      removeService: async () => undefined,
      createSecret: async () => 'never',
      removeSecret: async () => undefined,
    } as unknown as SwarmEngine;
    const { proxy, writes } = fakeProxy(['127.0.0.1:18002', '127.0.0.1:18003'], sw.frame);
    const { site } = siteOf(api, proxy);
    const to = release('r1', 30, 'superseded');
    const from = release('r2', 42, 'live');
    const siteOnTarget = { ...site, target: { ...site.target, docker: api } };
    const done = await restoreSwarmService(siteOnTarget, to.services.api as NonNullable<Release['services'][string]>, {
      to,
      from,
      mode: 'image',
    });
    expect(sw.calls).toEqual(['update version 42 rollback=previous']);
    expect(done.replicas).toEqual([
      { target: 'm1', id: 'e', name: 'shop-production-api.1', port: 18000 },
      { target: 'm1', id: 'f', name: 'shop-production-api.2', port: 18001 },
    ]);
    expect(done.record).toEqual({
      id: 'svc1',
      name: 'shop-production-api',
      version: 45,
      image: 'acme/api:r1',
      tasks: [
        { id: 'e', slot: 1, node: 'node1', address: '127.0.0.1:18000' },
        { id: 'f', slot: 2, node: 'node2', address: '10.0.0.8:18001' },
      ],
    });
    expect(writes.at(-1)?.servers).toEqual(['10.0.0.8:18001', '127.0.0.1:18000']);

    // The journal records it for the release rolled back to; the release rolled back from keeps its own.
    const j: Journal = { format: 1, app: 'shop', environment: 'production', releases: [to, from] };
    finishRollback(j, {
      to: 'r1',
      from: 'r2',
      undone: [],
      scope: ['image'],
      replicas: { api: done.replicas },
      swarm: { api: done.record },
      at: NOW,
    });
    expect(j.releases[0]?.status).toBe('live');
    expect(j.releases[0]?.services.api?.swarm).toEqual(done.record);
    expect(j.releases[0]?.services.api?.replicas).toEqual(done.replicas);
    expect(j.releases[1]?.services.api?.swarm?.version).toBe(42);
  });

  it('a failed rollback leaves the journal’s records as they were', () => {
    const to = release('r1', 30, 'superseded');
    const from = release('r2', 42, 'live');
    const j: Journal = { format: 1, app: 'shop', environment: 'production', releases: [to, from] };
    const record = { id: 'svc1', name: 'shop-production-api', version: 45, image: 'acme/api:r1', tasks: [] };
    finishRollback(j, {
      to: 'r1',
      from: 'r2',
      undone: [],
      scope: ['image'],
      swarm: { api: record },
      error: 'x',
      at: NOW,
    });
    expect(j.releases[0]?.services.api?.swarm?.version).toBe(30);
  });
});
