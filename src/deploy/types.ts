import type { Config, Service } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import type { RegistryAuth } from '../docker/types.js';
import type { UpstreamSwitch } from '../proxy/upstream-switch.js';
import type { Semaphore } from '../transports/semaphore.js';
import type { Transport } from '../transports/types.js';
import type { EngineApi } from './engine/api.js';
import type { EnvOverride } from './env-overrides.js';
import type { JournalStore, Release } from './journal.js';
import type { DeployStrategy } from './strategy.js';

/** The shapes deploy and rollback pass between the release, its services and the drivers. */

export interface DeployTarget {
  name: string;
  transport: Transport;
  /** The Docker Engine API (engine driver only). */
  docker?: EngineApi;
  /** The target's configured command environment. */
  env: Record<string, string>;
  /**
   * Where network checks of this host's replicas (health, readiness, takeover probes) run from: the load balancer,
   * reaching `127.0.0.1:port` of this host at its address. Default: `transport` itself.
   */
  probe?: Transport;
  /** The environment's load balancer (`load-balancer`), when it has one: its nginx fronts this host's replicas. */
  balancer?: BalancerSeat;
}

/** A host's seat at the environment's load balancer. */
export interface BalancerSeat {
  /** The load balancer's target: its shell (nginx's files) and Engine API (nginx in a container). */
  target: Pick<DeployTarget, 'name' | 'transport' | 'docker'>;
  /** Where the load balancer reaches this host (`10.0.0.5`; `127.0.0.1` for the balancer itself). */
  address: string;
  /** One per upstream file, shared by every host of the run: the hosts' changes to it are made one at a time. */
  lock: Semaphore;
  /**
   * The addresses of the hosts that run the fronted service; whether this host holds the servers of none; the
   * balancer's target name (how a view shows a server on the balancer's own loopback).
   */
  hosts: { owners: readonly string[]; claimsUnowned: boolean; balancer?: string };
  /**
   * Set when the rollout abandoned this host (it did not stop when told to): what its work still does afterwards
   * must not change the load balancer, which other hosts and later runs own by then.
   */
  closed?: boolean;
}

/**
 * The environment a deploy or rollback acts on and who runs it. The run's EnvironmentSession is one: requests hold
 * it rather than copies of its fields.
 */
export interface DeployScope {
  readonly config: Config;
  /** The environment's name (environments.<name>). */
  readonly environmentName: string;
  readonly who: { actor: string; runUrl?: string };
}

/** Registry credentials for pulls; the registry (serveraddress) is added per image by pullAuth. */
export type RegistryCreds = Omit<RegistryAuth, 'serveraddress'>;

export interface DeployRequest {
  /** The config, the environment's name and the run's identity (the session itself). */
  session: DeployScope;
  version: string;
  /** In deploy order. */
  services: string[];
  strategy: DeployStrategy;
  driver: 'engine' | 'compose' | 'swarm';
  gitSha?: string;
  backupId?: string;
  registryAuth?: RegistryCreds;
  /**
   * The values of the services' `secret-env` variables, by runner variable name: read from the runner's environment
   * by the action, registered for masking, and handed to the engine driver's container create only (never journaled).
   */
  secrets?: Readonly<Record<string, string>>;
  /**
   * The `env` input (checked against the config: env-overrides.ts) and `env-reset`: the release's values in force
   * are the live release's (unless reset) with these set; they are journaled on the release.
   */
  env?: { overrides: readonly EnvOverride[]; reset: boolean };
}

/**
 * One service on one target, as deploy and rollback both drive it. The drivers' contexts (ServiceDeploy,
 * ComposeDeploy) extend it, so an option is read where it lives (`d.config.strategy.drain`), never copied.
 */
export interface ServiceSite {
  /** The one config object (strategy options: drain in ms, max-surge …). */
  config: Config;
  /** The environment's name (environments.<name>). */
  environment: string;
  target: DeployTarget;
  /** The service's name (services.<name>). */
  name: string;
  /** The service's config, with the release's env values (envOverrides) over its `env`. */
  service: Service;
  /**
   * The release's env values for this service (the deploy's `env` input, journaled on the release): in `service.env`
   * for the engine driver, in the environment of the compose commands for the compose driver.
   */
  envOverrides?: Readonly<Record<string, string>>;
  /** The nginx upstream in front of this service on this target, when there is one. */
  proxy?: UpstreamSwitch;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

/** What restoring a release needs beside its request (deploy adds the journal). */
export interface SiteDeps {
  targets: DeployTarget[];
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** Maintenance mode is on: the proxy is left out (replicas start and stop; the upstream stays on the page). */
  maintenance?: boolean;
}

export interface DeployDeps extends SiteDeps {
  journal: JournalStore;
  /** Called once the release is journaled, before anything changes (so a failed run still names it). */
  onStart?: (release: Release, previous: Release | undefined) => void;
  /**
   * A fleet whose rollout stopped at a failed host (strategy.on-failure: rollback): put `previous` back on `hosts`,
   * the hosts already switched to `release`. Injected by the caller (the rollback code sits above deploy); without
   * it those hosts stay switched and the error says so. `log`: the host's own (its lines prefixed with its name).
   */
  undoHosts?: (hosts: DeployTarget[], release: Release, previous: Release, log: Logger) => Promise<void>;
}
