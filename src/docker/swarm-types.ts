/**
 * The shapes of Swarm's answers (API 1.41), as the swarm calls (swarm.ts) return them: a node's swarm state, services
 * and their specs, tasks, nodes and secrets. A service's spec stays Docker's JSON (`SwarmServiceSpec`), because an
 * update sends the whole spec back.
 */

/** What GET /info says about the node's part in a swarm. */
export interface SwarmInfo {
  /** `inactive`, `pending`, `active`, `error` or `locked`. */
  localNodeState: string;
  /** This node is a manager (it can create and update services). */
  controlAvailable: boolean;
  nodeId: string;
  /** The swarm's id (managers only). */
  clusterId: string;
  managers: number;
  nodes: number;
  /** Docker's error text for a node in state `error`. */
  error: string;
}

/**
 * A service spec as Docker's JSON (PascalCase keys): what create and update send and inspect returns. Only the keys
 * the toolkit writes are named; the rest pass through untouched.
 */
export interface SwarmServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: {
      Image: string;
      Labels?: Record<string, string>;
      Args?: string[];
      Env?: string[];
      User?: string;
      Hosts?: string[];
      Mounts?: Array<{ Type: 'volume' | 'bind'; Source: string; Target: string; ReadOnly?: boolean }>;
      StopGracePeriod?: number;
      Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
      Secrets?: Array<{
        SecretID: string;
        SecretName: string;
        File: { Name: string; UID: string; GID: string; Mode: number };
      }>;
      [key: string]: unknown;
    };
    Resources?: { Limits?: { MemoryBytes?: number; NanoCPUs?: number } };
    RestartPolicy?: { Condition: 'none' | 'on-failure' | 'any'; MaxAttempts?: number; Delay?: number };
    LogDriver?: { Name: string; Options?: Record<string, string> };
    Networks?: Array<{ Target: string }>;
    ForceUpdate?: number;
    [key: string]: unknown;
  };
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
  EndpointSpec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** UpdateConfig / RollbackConfig: durations in nanoseconds. */
export interface SwarmUpdateConfig {
  Parallelism: number;
  Delay: number;
  FailureAction: 'continue' | 'pause' | 'rollback';
  Monitor: number;
  MaxFailureRatio: number;
  Order: 'stop-first' | 'start-first';
}

/** `UpdateStatus` of a service: the last update (or rollback) Swarm ran and how it ended. */
export interface SwarmUpdateStatus {
  /** `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused`, `rollback_completed`. */
  state: string;
  startedAt: string;
  completedAt: string;
  message: string;
}

export interface SwarmService {
  id: string;
  /** Version.Index: an update must name the one it read. */
  version: number;
  spec: SwarmServiceSpec;
  previousSpec?: SwarmServiceSpec;
  updateStatus?: SwarmUpdateStatus;
  createdAt: string;
  updatedAt: string;
}

export interface SwarmTask {
  id: string;
  serviceId: string;
  /** The node Swarm placed it on ('' until it is assigned). */
  nodeId: string;
  slot: number;
  /** What Swarm wants: `running`, `shutdown`, `remove`, … */
  desiredState: string;
  /** Where it is: `new` … `preparing`, `starting`, `running`, `complete`, `shutdown`, `failed`, `rejected`, … */
  state: string;
  message: string;
  /** Why it failed, e.g. `task: non-zero exit (1)`. */
  err: string;
  containerId: string;
  exitCode: number;
  /** The labels of its container spec (the toolkit's release label is there). */
  labels: Record<string, string>;
  image: string;
  createdAt: string;
  /** When its state last changed. */
  timestamp: string;
}

/** A node of the swarm (GET /nodes): where its tasks are reached. */
export interface SwarmNode {
  id: string;
  hostname: string;
  /** Status.Addr: the address the node advertises (its tasks on the host network listen there). */
  addr: string;
  /** `ready`, `down`, … */
  state: string;
  /** `active`, `pause`, `drain`. */
  availability: string;
  role: string;
}

export interface SwarmSecret {
  id: string;
  name: string;
  labels: Record<string, string>;
}
