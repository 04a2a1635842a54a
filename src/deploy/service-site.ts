import type { ComposeConfig, Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import { HostShare } from '../proxy/host-share.js';
import { NginxUpstream } from '../proxy/nginx.js';
import type { UpstreamSwitch } from '../proxy/upstream-switch.js';
import { type ComposeDeploy, imageOfRelease } from './compose/recreate.js';
import type { EngineApi } from './engine/api.js';
import type { ServiceDeploy } from './engine/replicas.js';
import type { Release } from './journal.js';
import type { DeployScope, DeployTarget, ServiceSite } from './types.js';

/**
 * The site of service `name` on `target`: the session's config and environment name, the service's config, the proxy
 * in front of it (when it is the fronted one of `services`; none while `deps.maintenance`: traffic stays on the
 * maintenance page, and the site is deployed as one without a proxy), with the release's `envOverrides` over the
 * service's env. Throws when the config has no such service.
 */
export function serviceSite(
  session: Pick<DeployScope, 'config' | 'environmentName'>,
  services: readonly string[],
  target: DeployTarget,
  name: string,
  deps: { clock: Clock; log: Logger; signal?: AbortSignal; maintenance?: boolean },
  envOverrides?: Readonly<Record<string, string>>,
): ServiceSite {
  const { config } = session;
  const configured = config.services?.[name];
  if (!configured) throw new Error(`service ${name} is not in the config`);
  const proxy = deps.maintenance ? undefined : frontedProxy(config, services, name, target, deps.clock, deps.log);
  const { clock, log, signal } = deps;
  // The release's env values win over the config's env (and so over env-file, as env does).
  const overridden = envOverrides !== undefined && Object.keys(envOverrides).length > 0;
  const service = overridden ? { ...configured, env: { ...(configured.env ?? {}), ...envOverrides } } : configured;
  return {
    config,
    environment: session.environmentName,
    target,
    name,
    service,
    ...(overridden ? { envOverrides } : {}),
    proxy,
    clock,
    log,
    signal,
  };
}

/**
 * The nginx upstream in front of `name` on this target (strategy.proxy.nginx.service, else the first service): the
 * target's own nginx, or its share of the load balancer's upstream when the environment has one.
 */
export function frontedProxy(
  config: Config,
  services: readonly string[],
  name: string,
  target: DeployTarget,
  clock: Clock,
  log: Logger,
): UpstreamSwitch | undefined {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx || (nginx.service ?? services[0]) !== name) return undefined;
  const seat = target.balancer;
  if (!seat) return new NginxUpstream(target.transport, nginx, clock, log, target.docker);
  const lb = new NginxUpstream(seat.target.transport, nginx, clock, log, seat.target.docker);
  return new HostShare(lb, seat.address, seat.lock, seat.hosts, seat);
}

/** The compose driver's context: the site itself, with the compose section, the version and the previous image. */
export function composeDeployOf(
  s: ServiceSite,
  compose: ComposeConfig,
  version: string,
  previous: Release | undefined,
): ComposeDeploy {
  return { ...s, compose, version, previous: previous && imageOfRelease(previous, s.name, s.service) };
}

/**
 * The engine driver's context: the site itself, with the target's Engine API, the release id, the image and the
 * secret-env values (by runner variable) its containers get.
 */
export function engineDeployOf(
  s: ServiceSite,
  docker: EngineApi,
  release: string,
  image: string,
  secrets?: Readonly<Record<string, string>>,
): ServiceDeploy {
  return { ...s, docker, release, image, secrets };
}
