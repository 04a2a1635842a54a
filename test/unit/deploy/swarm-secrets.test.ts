/** secret-env as Swarm secrets, the manager check, the image pin and which way a rollback goes. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import type { SwarmApi } from '../../../src/deploy/swarm/api.js';
import { managerProblem } from '../../../src/deploy/swarm/check.js';
import { assertOurs, pinnedImage } from '../../../src/deploy/swarm/deploy.js';
import { rollbackWay } from '../../../src/deploy/swarm/restore.js';
import { ensureSecrets, pruneSecrets, secretName } from '../../../src/deploy/swarm/secrets.js';
import type { SwarmSecret, SwarmService } from '../../../src/docker/swarm-types.js';
import { serviceOf, specOf } from './swarm-fakes.js';

const owner = { app: 'shop', env: 'production', service: 'api' };
const quiet = { info: () => undefined, warn: () => undefined };

/** Secrets and services in memory; calls recorded. */
function fakeSecrets(services: SwarmService[] = []) {
  const secrets: SwarmSecret[] = [];
  const calls: string[] = [];
  const api: Pick<SwarmApi, 'listSecrets' | 'createSecret' | 'removeSecret' | 'listServices'> = {
    listSecrets: async () => [...secrets],
    createSecret: async (name, value, labels) => {
      calls.push(`create ${name} (${value.length} chars)`);
      secrets.push({ id: `id-${name}`, name, labels });
      return `id-${name}`;
    },
    removeSecret: async (id) => {
      calls.push(`remove ${id}`);
      secrets.splice(
        secrets.findIndex((s) => s.id === id),
        1,
      );
    },
    listServices: async () => services,
  };
  return { api: api as SwarmApi, secrets, calls };
}

describe('secret names', () => {
  it('by content, keyed with the cluster id: the same value the same name, another value or swarm another', () => {
    const a = secretName(owner, 'DATABASE_URL', 'postgres://x', 'cluster1');
    expect(a).toMatch(/^shop-production-DATABASE_URL-[0-9a-f]{8}$/);
    expect(secretName(owner, 'DATABASE_URL', 'postgres://x', 'cluster1')).toBe(a);
    expect(secretName(owner, 'DATABASE_URL', 'postgres://y', 'cluster1')).not.toBe(a);
    expect(secretName(owner, 'DATABASE_URL', 'postgres://x', 'cluster2')).not.toBe(a);
    expect(a).not.toContain('postgres');
  });
});

describe('ensureSecrets and pruneSecrets', () => {
  it('makes a secret once per value and reuses it; labels say whose it is', async () => {
    const f = fakeSecrets();
    const first = await ensureSecrets(f.api, owner, { DATABASE_URL: 'SHOP_DB' }, { SHOP_DB: 'pg://one' }, 'c1', quiet);
    const again = await ensureSecrets(f.api, owner, { DATABASE_URL: 'SHOP_DB' }, { SHOP_DB: 'pg://one' }, 'c1', quiet);
    expect(again).toEqual(first);
    expect(f.calls).toEqual([`create ${first[0]?.secretName} (8 chars)`]);
    expect(f.secrets[0]?.labels).toEqual({
      'io.runbook.app': 'shop',
      'io.runbook.env': 'production',
      'io.runbook.secret-env': 'DATABASE_URL',
    });
  });

  it('refuses a value the action did not hand down, naming the runner variable only', async () => {
    const f = fakeSecrets();
    await expect(ensureSecrets(f.api, owner, { DATABASE_URL: 'SHOP_DB' }, {}, 'c1', quiet)).rejects.toThrow(
      /secret-env needs the runner environment variable SHOP_DB/,
    );
  });

  it("removes the secrets no service's spec or previous spec uses", async () => {
    const spec = specOf('r2', [1]);
    spec.TaskTemplate.ContainerSpec.Secrets = [
      { SecretID: 'in-spec', SecretName: 'a', File: { Name: 'A', UID: '0', GID: '0', Mode: 0o444 } },
    ];
    const previous = specOf('r1', [2]);
    previous.TaskTemplate.ContainerSpec.Secrets = [
      { SecretID: 'in-previous', SecretName: 'b', File: { Name: 'A', UID: '0', GID: '0', Mode: 0o444 } },
    ];
    const f = fakeSecrets([serviceOf(spec, { previous })]);
    const labels = { 'io.runbook.secret-env': 'A' };
    f.secrets.push(
      { id: 'in-spec', name: 'a', labels },
      { id: 'in-previous', name: 'b', labels },
      { id: 'unused', name: 'c', labels },
      { id: 'not-ours', name: 'd', labels: {} },
    );
    expect(await pruneSecrets(f.api, owner, quiet)).toEqual(['c']);
    expect(f.calls).toEqual(['remove unused']);
  });
});

describe('the manager check', () => {
  const info = (localNodeState: string, controlAvailable: boolean, error = '') => ({
    localNodeState,
    controlAvailable,
    nodeId: 'n1',
    clusterId: 'c1',
    managers: 1,
    nodes: 1,
    error,
  });
  it('names what GET /info said and what to do', () => {
    expect(managerProblem('m1', info('active', true))).toBeUndefined();
    expect(managerProblem('m1', info('inactive', false))).toBe(
      'm1: the Docker engine is not part of a swarm (Swarm.LocalNodeState inactive); the swarm driver deploys to a swarm that exists: run `docker swarm init` there (or join it to your swarm as a manager)',
    );
    expect(managerProblem('m1', info('active', false))).toBe(
      'm1: the engine is a swarm worker (Swarm.LocalNodeState active, ControlAvailable false); services are created and updated on a manager: point the target (its docker-socket) at a manager, or promote this node',
    );
    expect(managerProblem('m1', info('locked', false))).toMatch(/LocalNodeState locked\); unlock it/);
    expect(managerProblem('m1', info('error', false, 'raft failed'))).toMatch(/LocalNodeState error: raft failed\)/);
  });
});

describe('the image and the service', () => {
  it('pins the image by the digest of its own repository, or keeps the tag without one', () => {
    const digests = ['other/repo@sha256:aaa', 'ghcr.io/acme/api@sha256:bbb'];
    expect(pinnedImage('ghcr.io/acme/api:v2', { repoDigests: digests })).toBe('ghcr.io/acme/api:v2@sha256:bbb');
    expect(pinnedImage('acme/api:v2', { repoDigests: [] })).toBe('acme/api:v2');
  });

  it('never touches a service of that name it did not create', () => {
    expect(() => assertOurs('shop-production-api', { 'io.runbook.app': 'shop' }, owner)).toThrow(UserError);
    expect(() => assertOurs('shop-production-api', specOf('r1', [1]).Labels, owner)).not.toThrow();
  });
});

describe('rollbackWay', () => {
  const v1 = specOf('r1', [1], 1, 'acme/api:v1@sha256:1');
  const v2 = specOf('r2', [2], 1, 'acme/api:v2@sha256:2');
  const rec1 = { swarm: { id: 'svc1', name: 'n', version: 5, image: 'acme/api:v1@sha256:1' } };
  it("Swarm's rollback when the previous spec is the release (and the live one is the current)", () => {
    expect(rollbackWay(serviceOf(v2, { previous: v1 }), { id: 'r1' }, rec1, { id: 'r2' })).toBe('previous-spec');
  });
  it('the recorded spec when the previous spec is another release, another image, or gone', () => {
    const v0 = specOf('r0', [3]);
    expect(rollbackWay(serviceOf(v2, { previous: v1 }), { id: 'r0' }, rec1, { id: 'r2' })).toBe('recorded-spec');
    const moved = { swarm: { ...rec1.swarm, image: 'acme/api:v1@sha256:other' } };
    expect(rollbackWay(serviceOf(v2, { previous: v1 }), { id: 'r1' }, moved, { id: 'r2' })).toBe('recorded-spec');
    expect(rollbackWay(serviceOf(v2), { id: 'r1' }, rec1, { id: 'r2' })).toBe('recorded-spec');
    expect(rollbackWay(serviceOf(v0, { previous: v1 }), { id: 'r1' }, rec1, { id: 'r2' })).toBe('recorded-spec');
  });
  it('nothing to change when the service already runs the release', () => {
    expect(rollbackWay(serviceOf(v1, { previous: v2 }), { id: 'r1' }, rec1, { id: 'r2' })).toBe('already');
  });
});
