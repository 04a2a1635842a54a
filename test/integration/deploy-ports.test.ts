import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { deployEnv } from './helpers/deploy-env.js';

describe('host port allocation', () => {
  it('skips a port of host-ports that something else already listens on', async () => {
    const squatter = createServer((s) => s.destroy());
    await new Promise<void>((r) => squatter.listen(18170, '127.0.0.1', r));
    try {
      const env = deployEnv({ app: 'rbports', ports: [18170, 18179], replicas: 1 });
      const r = await env.deploy('v1');
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('local: port 18170 is taken by something else; skipping it');
      // 18171 when the engine is fresh; 18172 when an earlier run's replica still holds 18171 (and is retired).
      const ports =
        env
          .journal()
          .releases.at(-1)
          ?.services.api?.replicas.map((x) => x.port) ?? [];
      expect(ports).toHaveLength(1);
      expect([18171, 18172]).toContain(ports[0]);
      expect(await env.served()).toBe('v1');
    } finally {
      squatter.close();
    }
  });
});
