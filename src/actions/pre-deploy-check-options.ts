import type { NginxCandidateCheck } from '../checks/nginx.js';
import type { PrerequisiteOptions } from '../checks/prerequisites.js';
import type { TargetCheckOptions } from '../checks/target.js';
import type { ChecksConfig, Config, Service } from '../config/schema.js';
import { composeReplicaOf } from '../deploy/compose/replicas.js';
import { runsHere } from '../deploy/fleet/balancer.js';
import { type DeployDriver, usesEngine } from '../deploy/strategy.js';
import type { ShellTarget } from '../session/connector.js';

/** Secrets the environment must provide: the ones checks name, the database password and the services' secret-env. */
export function requiredSecretNames(config: Config, checks: ChecksConfig): string[] {
  const names = [...checks['required-secrets']];
  if (config.database) names.push(config.database['password-env']);
  // The runner variables services hand to their containers (secret-env): deploy refuses to start without them.
  for (const service of Object.values(config.services ?? {})) names.push(...Object.values(service['secret-env'] ?? {}));
  return [...new Set(names)];
}

/** What to check on every host, from the effective checks and the compose section. */
export function targetCheckOptions(
  config: Config,
  checks: ChecksConfig,
): Omit<TargetCheckOptions, 'timeoutMs' | 'signal'> {
  return {
    diskPaths: checks['disk-paths'],
    minFreeDisk: checks['min-free-disk'],
    docker: checks.docker,
    compose: checks.compose,
    composeCommand: config.compose?.command,
  };
}

/**
 * What deploy needs SSH direct-tcpip channels for on `target`, as a phrase for the report; undefined when nothing
 * (then a refusal only warns). HTTP health probes, the engine driver's free-port probes and smoke checks via this
 * target go through them.
 */
export function tcpNeedsOf(config: Config, driver: DeployDriver, target: string): string | undefined {
  const services = Object.values(config.services ?? {});
  const needs: string[] = [];
  if (services.some((s) => s.health?.http)) needs.push('HTTP health probes');
  if (usesEngine(driver, config.strategy.type) && services.some((s) => s['host-ports'])) needs.push('free-port probes');
  if (config.smoke?.checks.some((c) => c.via === target)) needs.push(`smoke checks via ${target}`);
  return needs.length > 0 ? needs.join(', ') : undefined;
}

/** The environment `target` (an object of the parsed config) belongs to. */
const environmentOfTarget = (config: Config, target: ShellTarget) =>
  Object.values(config.environments).find((e) => e.targets.includes(target));

/** Does `service` run on `target` (its roles; a load balancer only what its own roles name)? */
function runsThere(config: Config, target: ShellTarget, service: Service): boolean {
  const environment = environmentOfTarget(config, target);
  return environment ? runsHere(environment, target, service) : true;
}

/** Does deploy drive nginx on `target`: each host's own, or only the environment's load balancer when it has one? */
function runsNginx(config: Config, target: ShellTarget): boolean {
  const balancer = environmentOfTarget(config, target)?.['load-balancer'];
  return balancer === undefined || balancer === target.name;
}

/**
 * The deploy prerequisites of one shell target: the state directory on the primary target only (`stateDir` is the
 * session's paths), nginx when deploy drives it, the SSH channels on ssh targets, the compose file with the compose
 * driver. `nginxCandidate` is the upstream-layout candidate test, when one is plugged in.
 */
export function prerequisiteOptions(
  config: Config,
  target: ShellTarget,
  o: {
    driver: DeployDriver;
    stateDir?: { dir: string; journal: string };
    nginxCandidate?: NginxCandidateCheck;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): PrerequisiteOptions {
  const engine = usesEngine(o.driver, config.strategy.type);
  const composeRolling = o.driver === 'compose' && config.strategy.type !== 'recreate';
  return {
    stateDir: o.stateDir,
    nginx: runsNginx(config, target) ? config.strategy.proxy?.nginx : undefined,
    nginxCandidate: o.nginxCandidate,
    compose: o.driver === 'compose' ? config.compose : undefined,
    canary:
      config.strategy.type === 'canary' && config.strategy.canary
        ? { accessLog: config.strategy.canary['access-log'], routeFile: config.strategy.canary.route?.file }
        : undefined,
    composeReplicas: composeRolling
      ? Object.fromEntries(Object.entries(config.services ?? {}).map(([n, s]) => [n, composeReplicaOf(s)]))
      : undefined,
    hostPorts: engine
      ? Object.fromEntries(
          Object.entries(config.services ?? {}).flatMap(([n, s]) =>
            s['host-ports'] && runsThere(config, target, s) ? [[n, s['host-ports']]] : [],
          ),
        )
      : undefined,
    ssh:
      target.kind === 'ssh'
        ? {
            user: target.ssh.user,
            port: target.ssh.port,
            tcpNeededFor: tcpNeedsOf(config, o.driver, target.name),
            dockerSocket: engine ? target['docker-socket'] : undefined,
          }
        : undefined,
    env: target.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
  };
}
