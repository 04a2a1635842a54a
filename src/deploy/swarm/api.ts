/** The part of the Docker Engine client the swarm driver uses: the seam its tests fake. */
import { UserError } from '../../core/errors.js';
import type {
  SwarmInfo,
  SwarmNode,
  SwarmSecret,
  SwarmService,
  SwarmServiceSpec,
  SwarmTask,
} from '../../docker/swarm-types.js';
import type { RegistryAuth } from '../../docker/types.js';
import type { EngineApi } from '../engine/api.js';

export interface SwarmApi {
  swarmInfo(): Promise<SwarmInfo>;
  inspectService(ref: string): Promise<SwarmService | undefined>;
  listServices(labels: Record<string, string>): Promise<SwarmService[]>;
  createService(spec: SwarmServiceSpec, opts?: { auth?: RegistryAuth }): Promise<string>;
  /** `rollback: true`: back to the service's PreviousSpec (the spec sent is the current one). */
  updateService(
    id: string,
    version: number,
    spec: SwarmServiceSpec,
    opts?: { auth?: RegistryAuth; rollback?: boolean },
  ): Promise<string[]>;
  removeService(id: string): Promise<void>;
  listTasks(serviceId: string): Promise<SwarmTask[]>;
  listNodes(): Promise<SwarmNode[]>;
  listSecrets(labels: Record<string, string>): Promise<SwarmSecret[]>;
  createSecret(name: string, value: string, labels: Record<string, string>): Promise<string>;
  removeSecret(id: string): Promise<void>;
}

/** The engine and swarm calls of one target's Engine API connection (the production DockerClient has both). */
export type SwarmEngine = EngineApi & SwarmApi;

const CALLS: ReadonlyArray<keyof SwarmApi> = [
  'swarmInfo',
  'inspectService',
  'listServices',
  'createService',
  'updateService',
  'removeService',
  'listTasks',
  'listNodes',
  'listSecrets',
  'createSecret',
  'removeSecret',
];

/** The target's engine as a SwarmEngine; throws when this connection cannot make Swarm calls. */
export function swarmEngineOf(target: string, docker: EngineApi | undefined): SwarmEngine {
  const api = docker as (EngineApi & Partial<SwarmApi>) | undefined;
  if (!api) throw new UserError(`${target}: the swarm driver needs the target's Engine API (its docker-socket)`);
  const missing = CALLS.filter((c) => typeof api[c] !== 'function');
  if (missing.length > 0) throw new Error(`${target}: this Engine API connection has no ${missing.join(', ')}`);
  return api as SwarmEngine;
}
