/**
 * checkBalancerReach: from the load balancer, each host that runs a service behind it is probed at its address on a
 * port it listens on now (its sshd, its Docker endpoint's port); the balancer's connections are the seam.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkBalancerReach } from '../../../src/checks/balancer.js';
import { parseConfig } from '../../../src/config/loader.js';

const config = parseConfig(
  `app: shop
environments:
  production:
    load-balancer: lb1
    targets:
      - { name: lb1, ssh: { host: 10.0.0.2, user: deploy }, roles: [lb] }
      - { name: web1, ssh: { host: 10.0.0.11, user: deploy }, roles: [web] }
      - { name: web2, ssh: { host: 10.0.1.12, user: deploy, port: 2222 }, roles: [web], address: 10.0.0.250 }
      - { name: api1, docker: { host: 'tcp://10.0.0.13:2376' }, roles: [web] }
      - { name: jobs1, ssh: { host: 10.0.0.21, user: deploy }, roles: [worker] }
services:
  api: { image: ghcr.io/acme/api, roles: [web], network: host, host-ports: 18000-18009 }
strategy: { proxy: { nginx: { upstream-file: /etc/nginx/up.conf, upstream: shop } } }
`,
  'runbook.yml',
);

describe('checkBalancerReach', () => {
  it('passes the hosts the balancer reaches, warns naming the address it does not; skips itself and other roles', async () => {
    const env = config.environments.production;
    if (!env) throw new Error('no environment');
    const asked: string[] = [];
    const lb = {
      connectTcp: async (host: string, port: number) => {
        asked.push(`${host}:${port}`);
        if (host === '10.0.0.250') throw new Error('connect ETIMEDOUT');
        return new PassThrough();
      },
    };
    const results = await checkBalancerReach(env, Object.values(config.services ?? {}), async () => lb);
    expect(asked.sort()).toEqual(['10.0.0.11:22', '10.0.0.13:2376', '10.0.0.250:2222']);
    expect(results.map((r) => [r.target, r.status])).toEqual([
      ['web1', 'pass'],
      ['web2', 'warn'],
      ['api1', 'pass'],
    ]);
    expect(results[1]?.detail).toBe(
      "lb1 could not connect to 10.0.0.250:2222 (connect ETIMEDOUT): nginx on lb1 sends this host's requests to 10.0.0.250 (targets[].address) — check the address, or that a firewall lets lb1 through",
    );
    // A balancer that cannot be reached: nothing more to say here (its own checks failed).
    expect(await checkBalancerReach(env, [], () => Promise.reject(new Error('no route')))).toEqual([]);
  });
});
