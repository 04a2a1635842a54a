import type { ComposeConfig, Config, Service } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import { NginxUpstream } from '../proxy/nginx.js';
import { type ComposeDeploy, imageOfRelease } from './compose/recreate.js';
import type { EngineApi } from './engine/api.js';
import type { ServiceDeploy } from './engine/replicas.js';
import type { Release } from './journal.js';
import type { DeployTarget } from './types.js';

/** One service on one target, as deploy and rollback both drive it. */
export interface ServiceSite {
  config: Config;
  environment: string;
  target: DeployTarget;
  name: string;
  service: Service;
  proxy?: NginxUpstream;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

/** The site of service `name` on `target`: its config, the proxy in front of it (when it is the fronted one). */
export function serviceSite(
  config: Config,
  environment: string,
  services: readonly string[],
  target: DeployTarget,
  name: string,
  deps: { clock: Clock; log: Logger; signal?: AbortSignal },
): ServiceSite {
  const service = config.services?.[name];
  if (!service) throw new Error(`service ${name} is not in the config`);
  const proxy = frontedProxy(config, services, name, target, deps.clock, deps.log);
  return { config, environment, target, name, service, proxy, clock: deps.clock, log: deps.log, signal: deps.signal };
}

/** The nginx upstream in front of `name` on this target: strategy.proxy.nginx.service, else the first service. */
export function frontedProxy(
  config: Config,
  services: readonly string[],
  name: string,
  target: DeployTarget,
  clock: Clock,
  log: Logger,
): NginxUpstream | undefined {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx || (nginx.service ?? services[0]) !== name) return undefined;
  return new NginxUpstream(target.transport, nginx, clock, log);
}

export function composeDeployOf(
  s: ServiceSite,
  compose: ComposeConfig,
  version: string,
  previous: Release | undefined,
): ComposeDeploy {
  return {
    target: s.target.name,
    name: s.name,
    service: s.service,
    compose,
    transport: s.target.transport,
    targetEnv: s.target.env,
    version,
    previous: previous && imageOfRelease(previous, s.name, s.service),
    proxy: s.proxy,
    clock: s.clock,
    log: s.log,
    signal: s.signal,
  };
}

export function engineDeployOf(s: ServiceSite, docker: EngineApi, release: string, image: string): ServiceDeploy {
  return {
    owner: { app: s.config.app, env: s.environment, service: s.name },
    target: s.target.name,
    release,
    image,
    service: s.service,
    docker,
    transport: s.target.transport,
    proxy: s.proxy,
    maxSurge: s.config.strategy['max-surge'],
    drainMs: s.config.strategy.drain,
    clock: s.clock,
    log: s.log,
    signal: s.signal,
  };
}
