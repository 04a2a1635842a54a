/**
 * Rolling replicas of a compose service: the compose file stays the source of truth (`compose config` resolves it on
 * the target), and each replica is a container created through the Engine API from that resolved service, on its own
 * host port, so the engine driver's rolling, slots, drain, undo and rollback apply to compose apps unchanged.
 *
 * Why containers from the resolved config rather than a compose project per replica: a project per replica would
 * give each replica its own named volumes and networks (`<project>_data` becomes `<project-1>_data`), so data would
 * not survive a deploy; one project scaled by compose gives every replica the same port. Compose itself still reads
 * the files (env files, interpolation, extends), starts the service's dependencies and runs migrations.
 */
import { composeConfig, composeUp } from '../../commands/compose.js';
import type { ComposeConfig, Service } from '../../config/schema.js';
import { UserError } from '../../core/errors.js';
import { check } from '../../transports/files.js';
import type { EngineApi } from '../engine/api.js';
import { maskFileValue } from '../engine/env.js';
import type { ServiceDeploy } from '../engine/replicas.js';
import type { ServiceSite } from '../types.js';
import { composeEnvError, composeEnvMisses } from './env.js';
import { composeExecOptions, composeProjectHint } from './exec.js';
import { composeSecretKeys } from './secret-keys.js';
import { type ComposeService, composeServiceOf } from './template.js';

/** What the runbook says of a compose service rolling creates: its network, and whether health waits for Docker's. */
export interface ComposeReplicaService {
  network: 'host' | 'bridge';
  containerHealth: boolean;
}

/**
 * Where the runbook's service and the compose file disagree, as a message naming the keys; undefined when they agree:
 * `network` must be host exactly when the file says network_mode: host (the port of a replica is a variable there, a
 * published port otherwise); `health.container` needs a healthcheck the file does not disable.
 */
export function composeMismatch(name: string, s: ComposeReplicaService, svc: ComposeService): string | undefined {
  const host = svc.template.networkMode === 'host';
  if (host !== (s.network === 'host')) {
    return `the compose file runs ${name} ${host ? 'with network_mode: host' : `on network ${svc.template.networkMode}`}, so services.${name}.network must be ${host ? 'host (each replica gets its port in port-env)' : 'bridge (each replica publishes port on 127.0.0.1)'}`;
  }
  if (s.containerHealth && svc.template.healthcheck?.test[0] === 'NONE') {
    return `the compose file disables the healthcheck of ${name} (healthcheck: disable: true), and services.${name}.health.container waits for it: enable it there, or configure health.http`;
  }
  return undefined;
}

/** The engine driver's context for a compose service's replicas, with the resolved service. */
export type ComposedDeploy = ServiceDeploy & { composeService: ComposeService };

/**
 * Service `site.name` as `compose config` resolves it with the version variable at `version`. The values of its
 * secret variables (from env files, interpolated or passed through: secret-keys.ts) are registered for masking
 * before this returns; the resolved text itself is never logged. Throws UserError when compose fails or the service
 * has a key rolling replicas cannot carry.
 */
export async function resolveComposeService(
  site: ServiceSite,
  compose: ComposeConfig,
  version: string,
): Promise<ComposeService> {
  const { transport, name } = site.target;
  const secretKeys = await composeSecretKeys(transport, compose, site.name);
  const r = check(
    await transport.exec(composeConfig(compose), composeExecOptions(site, compose, version)),
    `compose config on ${name}`,
  );
  const svc = composeServiceOf(r.stdout, site.name, composeProjectHint(compose));
  for (const key of secretKeys) {
    const value = svc.template.env?.[key];
    if (value) maskFileValue(site.log, value, version);
  }
  return svc;
}

/**
 * The engine driver's context for replicas of the compose service at `version`: its containers are created from the
 * resolved service. Throws UserError when the runbook's `network` disagrees with the compose file (the port of a
 * replica is a variable with host networking, a published port otherwise).
 */
export async function composeReplicaDeploy(
  site: ServiceSite,
  docker: EngineApi,
  compose: ComposeConfig,
  version: string,
  release: string,
): Promise<ComposedDeploy> {
  const svc = await resolveComposeService(site, compose, version);
  const label = `${site.target.name}/${site.name}`;
  const mismatch = composeMismatch(site.name, composeReplicaOf(site.service), svc);
  if (mismatch) throw new UserError(`${label}: ${mismatch}`);
  // The release's env values were in the environment of compose config: the resolved service must carry them.
  const misses = composeEnvMisses(svc.template.env ?? {}, site.envOverrides ?? {});
  if (misses.length > 0) throw composeEnvError(label, site.name, misses);
  const portEnv = site.service['port-env'];
  if (svc.template.networkMode === 'host' && svc.template.env?.[portEnv] !== undefined) {
    site.log.info(`${label}: ${portEnv} of the compose file is set per replica to its host port`);
  }
  const range = site.service['host-ports'];
  if (svc.replaced.length > 0) {
    site.log.info(
      `${label}: ${svc.replaced.join(', ')} of the compose file ${svc.replaced.length > 1 ? 'are' : 'is'} replaced per replica${range ? ` (each replica gets its own port from host-ports ${range[0]}-${range[1]})` : ''}`,
    );
  }
  return { ...site, docker, release, image: svc.image, template: svc.template, composeService: svc };
}

/** The runbook's side of a compose service rolling creates (see composeMismatch). */
export function composeReplicaOf(s: Pick<Service, 'network' | 'health'>): ComposeReplicaService {
  return { network: s.network, containerHealth: s.health?.container === true };
}

/**
 * What the replicas need before the first one starts, as compose would make it: the named volumes and the network
 * (created with compose's labels, so compose sees them as its own; external ones must exist), then the depends_on
 * services, started and never recreated (`compose up -d --no-recreate`).
 */
export async function prepareComposeSite(d: ComposedDeploy, compose: ComposeConfig, version: string): Promise<void> {
  const { project } = d.composeService;
  const label = `${d.target.name}/${d.name}`;
  // External ones are the team's: they must exist (compose refuses to start without them; Docker would make an empty one).
  const missing = [
    ...(await Promise.all(
      d.composeService.volumes
        .filter((v) => v.external)
        .map(async (v) => ((await d.docker.hasVolume(v.name)) ? [] : [`volume ${v.name}`])),
    )),
    ...(await Promise.all(
      d.composeService.networks
        .filter((n) => n.external)
        .map(async (n) => ((await d.docker.hasNetwork(n.name)) ? [] : [`network ${n.name}`])),
    )),
  ].flat();
  if (missing.length > 0) {
    throw new UserError(
      `${label}: the compose file declares ${missing.join(', ')} external, and ${missing.length > 1 ? 'they do' : 'it does'} not exist on ${d.target.name}: create ${missing.length > 1 ? 'them' : 'it'} first (docker volume create / docker network create), or let compose make ${missing.length > 1 ? 'them' : 'it'} (remove external)`,
    );
  }
  for (const v of d.composeService.volumes) {
    if (v.external) continue;
    const labels = { 'com.docker.compose.project': project, 'com.docker.compose.volume': v.key };
    if (await d.docker.ensureVolume(v.name, labels)) d.log.info(`${label}: created volume ${v.name}`);
  }
  for (const net of d.composeService.networks) {
    if (net.external) continue;
    const labels = { 'com.docker.compose.project': project, 'com.docker.compose.network': net.key };
    if (await d.docker.ensureNetwork(net.name, labels)) d.log.info(`${label}: created network ${net.name}`);
  }
  if (d.composeService.dependsOn.length > 0) {
    d.log.info(`${label}: starting its dependencies if they are not running: ${d.composeService.dependsOn.join(', ')}`);
    const argv = composeUp(compose, d.composeService.dependsOn, { noRecreate: true, withDependencies: true });
    check(
      await d.target.transport.exec(argv, { ...composeExecOptions(d, compose, version), quiet: false }),
      `compose up on ${d.target.name}`,
    );
  }
}
