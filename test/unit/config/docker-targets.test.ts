/**
 * `docker:` targets deploy with the engine driver only (schema-docker-targets.ts): what would need a shell on such a
 * target is refused when the config is parsed, naming the key, the value and what to use instead.
 */
import { describe, expect, it } from 'vitest';
import { viaTargets } from '../../../src/actions/smoke-test.js';
import { environmentOf, parseConfig } from '../../../src/config/loader.js';
import { configError } from './helpers.js';

const TLS = '{ ca-env: DOCKER_TLS_CA, cert-env: DOCKER_TLS_CERT, key-env: DOCKER_TLS_KEY }';
const NGINX = `  proxy:
    nginx: { upstream-file: /etc/nginx/conf.d/api.conf, upstream: api, test: [nginx, -t], reload: [nginx, -s, reload] }
`;

/** A fleet: lb1 (local, the primary) and api1 (docker, tcp with mutual TLS); `lb` adds load-balancer: lb1. */
function fleet(o: { lb?: boolean; service?: string; top?: string; strategy?: string } = {}): string {
  return `app: shop
environments:
  production:
    targets:
      - { name: lb1, local: true, roles: [lb] }
      - { name: api1, roles: [web], docker: { host: "tcp://198.18.7.11:2376", tls: ${TLS} } }
${o.lb ? '    load-balancer: lb1\n' : ''}services:
  api:
    image: ghcr.io/acme/api
    roles: [web]
    network: host
    host-ports: 18000-18009
${o.service ?? ''}${o.top ?? ''}strategy:
  type: rolling
${o.strategy ?? ''}`;
}

describe('docker: targets in the config', () => {
  it('parse with the engine driver, behind a load balancer', () => {
    const config = parseConfig(fleet({ lb: true, strategy: NGINX }), 'runbook.yml');
    expect(config.environments.production?.targets[1]).toMatchObject({ name: 'api1', kind: 'docker' });
    // Without a proxy there is nothing to switch, so no load balancer is needed either.
    expect(() => parseConfig(fleet(), 'runbook.yml')).not.toThrow();
  });

  it('refuse env-file on a service that runs there: the file cannot be read without a shell', () => {
    const err = configError(fleet({ service: '    env-file: /etc/shop/api.env\n' }));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain('services.api.env-file');
    expect(err.message).toContain(
      'got /etc/shop/api.env, a file read on the target, and api runs on api1 of environment production, a docker: target with no file system to read it from: use env (plain values) or secret-env (from the runner',
    );
    // A service whose roles keep it off the docker target may read one.
    const elsewhere = fleet({ service: '    env-file: /etc/shop/api.env\n' }).replace(
      '    roles: [web]\n',
      '    roles: [lb]\n',
    );
    expect(() => parseConfig(elsewhere, 'runbook.yml')).not.toThrow();
  });

  it('refuse the compose driver, said or chosen by a compose section', () => {
    const said = configError(fleet({ strategy: '  driver: compose\n', top: 'compose: { directory: /srv/shop }\n' }));
    expect(said.message).toContain('environments.production.targets[1].docker');
    expect(said.message).toContain(
      'target api1 is a docker: target (tcp://198.18.7.11:2376, no shell), and the compose driver runs the compose CLI on the host: set strategy.driver: engine (services with image:), or make api1 an ssh target with docker-socket',
    );
    const chosen = configError(fleet({ top: 'compose: { directory: /srv/shop }\n' }));
    expect(chosen.message).toContain('the compose driver (chosen because the config has a compose section) runs');
    // A compose section beside strategy.driver: engine is not the driver.
    expect(() =>
      parseConfig(fleet({ strategy: '  driver: engine\n', top: 'compose: { directory: /srv/shop }\n' }), 'runbook.yml'),
    ).not.toThrow();
  });

  it('refuse strategy.proxy without a load balancer: there is no nginx of its own to switch', () => {
    const err = configError(fleet({ strategy: NGINX }));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain('environments.production.targets[1].docker');
    expect(err.message).toContain(
      'target api1 is a docker: target (tcp://198.18.7.11:2376, no shell), so no nginx of its own can be switched there: with strategy.proxy, set environments.production.load-balancer to the ssh or local target whose nginx fronts every host',
    );
  });

  it('refuse a docker: target as the load balancer (checkLoadBalancer)', () => {
    const err = configError(fleet({ lb: true, strategy: NGINX }).replace('load-balancer: lb1', 'load-balancer: api1'));
    expect(err.message).toContain('environments.production.load-balancer');
    expect(err.message).toContain('target api1 is a docker: target; the load balancer');
  });

  it('refuse a smoke check via a docker: target, naming its load balancer and address instead', () => {
    const config = parseConfig(
      fleet({
        lb: true,
        strategy: NGINX,
        top: 'smoke:\n  checks: [{ name: ready, url: "http://127.0.0.1:18000/health", via: api1 }]\n',
      }),
      'runbook.yml',
    );
    const smoke = config.smoke;
    if (!smoke) throw new Error('no smoke section');
    expect(() => viaTargets(smoke, environmentOf(config, 'production'), 'production')).toThrow(
      `check ready: via "api1" is a docker target; checks go through ssh or local targets only (to check api1's replicas, use via "lb1", its load balancer, with api1's address 198.18.7.11 in the url)`,
    );
  });
});
