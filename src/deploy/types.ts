import type { Config, Environment } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import type { RegistryAuth } from '../docker/types.js';
import type { Transport } from '../transports/types.js';
import type { EngineApi } from './engine/api.js';
import type { JournalStore, Release } from './journal.js';

/** The shapes deploy and rollback pass between the release, its services and the drivers. */

export interface DeployTarget {
  name: string;
  transport: Transport;
  /** The Docker Engine API (engine driver only). */
  docker?: EngineApi;
  /** The target's configured command environment. */
  env: Record<string, string>;
}

export interface DeployRequest {
  config: Config;
  environment: string;
  env: Environment;
  version: string;
  /** In deploy order. */
  services: string[];
  strategy: 'rolling' | 'recreate';
  driver: 'engine' | 'compose';
  actor: string;
  runUrl?: string;
  gitSha?: string;
  backupId?: string;
  registryAuth?: Omit<RegistryAuth, 'serveraddress'>;
}

export interface DeployDeps {
  targets: DeployTarget[];
  journal: JournalStore;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** Called once the release is journaled, before anything changes (so a failed run still names it). */
  onStart?: (release: Release, previous: Release | undefined) => void;
}
