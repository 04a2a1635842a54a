/**
 * The load balancer's config and facts: load-balancer refused where it cannot work (with the field, the value and
 * what is allowed), each host's address, which hosts run the fronted service and which holds the servers of none,
 * and ProbeVia's TCP connections made from the balancer.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import {
  balancerAddressOf,
  balancerHosts,
  NoShellError,
  ProbeVia,
  runsHere,
} from '../../../src/deploy/fleet/balancer.js';
import type { Transport } from '../../../src/transports/types.js';
import { configError } from '../config/helpers.js';

const config = (
  env: string,
  strategy = 'strategy: { proxy: { nginx: { upstream-file: /etc/nginx/up.conf, upstream: shop } } }',
) =>
  `app: shop
environments:
  production:
${env}
services:
  api: { image: ghcr.io/acme/api, roles: [web], network: host, host-ports: 18000-18009 }
  jobs: { image: ghcr.io/acme/jobs }
${strategy}
`;
const FLEET = `    load-balancer: lb1
    targets:
      - { name: lb1, ssh: { host: 10.0.0.2, user: deploy } }
      - { name: web1, ssh: { host: 10.0.0.11, user: deploy }, roles: [web] }
      - { name: web2, ssh: { host: 10.0.1.12, user: deploy }, roles: [web], address: 10.0.0.12 }
      - { name: web3, docker: { host: 'tcp://[fd00::13]:2376' }, roles: [web] }`;

describe('load-balancer in the config', () => {
  it('accepts a fleet behind one target', () => {
    const c = parseConfig(config(FLEET), 'runbook.yml');
    expect(c.environments.production?.['load-balancer']).toBe('lb1');
  });

  it.each([
    [
      '    load-balancer: lb9\n    targets: [{ name: web1, local: true }]',
      'environments.production.load-balancer: unknown target "lb9" (targets: web1)',
    ],
    [
      "    load-balancer: lb1\n    targets: [{ name: web1, local: true }, { name: lb1, docker: { host: 'tcp://10.0.0.2:2376' } }]",
      'environments.production.load-balancer: target lb1 is a docker: target',
    ],
  ])('refuses %j', (env, message) => {
    expect(configError(config(env)).message).toContain(message);
  });

  it('refuses a service whose ports are published on 127.0.0.1 only (bridge network): the balancer cannot reach them', () => {
    const bridged = config(FLEET).replace('network: host, ', '');
    expect(configError(bridged).message).toContain(
      "services.api.network: bridge: environment production has load-balancer lb1, which reaches each host's replicas at the host's address",
    );
  });

  it('refuses one without strategy.proxy.nginx, and with a canary or the swarm driver', () => {
    expect(configError(config(FLEET, 'strategy: { type: rolling }')).message).toContain(
      'a load balancer moves traffic through strategy.proxy.nginx',
    );
    const canary = configError(
      config(
        FLEET,
        'strategy:\n  type: canary\n  canary: { access-log: /var/log/nginx/c.log, steps: [{ weight: 10, pause: 1m }] }\n  proxy: { nginx: { upstream-file: /etc/nginx/up.conf, upstream: shop } }',
      ),
    ).message;
    expect(canary).toContain('strategy canary measures each host’s own nginx; with load-balancer use rolling');
  });
});

describe('balancer facts', () => {
  const c = parseConfig(config(FLEET), 'runbook.yml');
  const env = c.environments.production;
  if (!env) throw new Error('no environment');
  const [lb1, web1, web2, web3] = env.targets as [never, never, never, never];

  it('addresses: the balancer itself 127.0.0.1, else address, the ssh host, a docker endpoint’s host', () => {
    expect([lb1, web1, web2, web3].map((t) => balancerAddressOf(t, 'lb1'))).toEqual([
      '127.0.0.1',
      '10.0.0.11',
      '10.0.0.12',
      'fd00::13',
    ]);
  });

  it('the balancer without roles runs nothing; a service without roles runs on every other host', () => {
    expect(runsHere(env, lb1, c.services?.jobs)).toBe(false);
    expect(runsHere(env, web1, c.services?.jobs)).toBe(true);
    expect(runsHere(env, web1, c.services?.api)).toBe(true);
    expect(balancerHosts(c, env)).toEqual({ owners: ['10.0.0.11', '10.0.0.12', 'fd00::13'], claimer: 'web1' });
  });
});

describe('ProbeVia', () => {
  const opened: string[] = [];
  const balancer = {
    name: 'lb1',
    connectTcp: async (host: string, port: number) => {
      opened.push(`${host}:${port}`);
      return new PassThrough();
    },
  } as unknown as Transport;

  it("opens a host's 127.0.0.1 ports at its address from the balancer, other addresses as given", async () => {
    const via = new ProbeVia(balancer, '10.0.0.11', 'web1');
    await via.connectTcp('127.0.0.1', 18001);
    await via.connectTcp('10.0.0.99', 5432);
    expect(opened).toEqual(['10.0.0.11:18001', '10.0.0.99:5432']);
    // `<balancer>:port` (a view's name for the balancer's own loopback) is the balancer's 127.0.0.1.
    await new ProbeVia(balancer, '10.0.0.11', 'web1', undefined, 'lb1').connectTcp('lb1', 8000);
    expect(opened.at(-1)).toBe('127.0.0.1:8000');
  });

  it('a host without a shell refuses commands and files, naming itself', async () => {
    const via = new ProbeVia(balancer, '10.0.0.13', 'web3');
    await expect(via.exec(['true'])).rejects.toThrow(NoShellError);
    await expect(via.exec(['true'])).rejects.toThrow('web3 is a docker: target: there is no shell to run commands');
    await expect(via.download('/etc/app.env')).rejects.toThrow('no shell to read /etc/app.env');
  });
});
