/**
 * Rolling a fleet behind one load balancer back to the site as it was taken over: a host that served nothing then
 * leaves the balancer's upstream (its servers drained) and stops its replicas (kept); without a balancer, or in a
 * traffic rollback, such a host is left as it is or only drained. The Engine API and the upstream are the seams.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceDeploy } from '../../../src/deploy/engine/replicas.js';
import type { ServiceRelease } from '../../../src/deploy/journal.js';
import { restoreAdopted } from '../../../src/rollback/adopted.js';

/** web1's site: one running replica of ours on 18000, an upstream share recording what it is set to. */
function site(o: { balancer: boolean }) {
  const sets: string[][] = [];
  const stopped: string[] = [];
  const d = {
    config: { app: 'shop', strategy: { drain: 0 } },
    environment: 'production',
    name: 'api',
    service: { 'stop-grace': 1000 },
    target: { name: 'web1', ...(o.balancer ? { balancer: { address: '10.0.0.11' } } : {}) },
    proxy: {
      set: async (servers: Array<{ address: string }>) => {
        sets.push(servers.map((s) => s.address));
      },
    },
    docker: {
      listContainers: async () => [
        {
          id: 'c1',
          names: ['shop-production-api-v2-0'],
          state: 'running',
          labels: { 'io.runbook.release': 'v2', 'io.runbook.slot': '0', 'io.runbook.port': '18000' },
        },
      ],
      stopContainer: async (id: string) => {
        stopped.push(id);
      },
    },
    clock: { sleep: async () => {} },
    log: { info: () => {}, warn: () => {} },
  } as unknown as ServiceDeploy;
  return { d, sets, stopped };
}

/** The adopted release: the team's app served from web2 only. */
const ADOPTED = {
  image: 'adopted',
  replicas: [],
  servers: [{ target: 'web2', address: '127.0.0.1:17000', params: [] }],
} as unknown as ServiceRelease;

describe('restoreAdopted on a host that served nothing before the take-over', () => {
  it('behind a load balancer: its servers drained from the upstream, its replicas stopped (kept)', async () => {
    const { d, sets, stopped } = site({ balancer: true });
    await restoreAdopted(d, ADOPTED, 'image');
    expect(sets).toEqual([[]]);
    expect(stopped).toEqual(['c1']);
  });

  it('behind a load balancer, traffic only: drained, the replicas left running', async () => {
    const { d, sets, stopped } = site({ balancer: true });
    await restoreAdopted(d, ADOPTED, 'traffic');
    expect(sets).toEqual([[]]);
    expect(stopped).toEqual([]);
  });

  it('with its own nginx (no load balancer): left as it is', async () => {
    const { d, sets, stopped } = site({ balancer: false });
    await restoreAdopted(d, ADOPTED, 'image');
    expect(sets).toEqual([]);
    expect(stopped).toEqual([]);
  });
});
