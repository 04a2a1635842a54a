/**
 * Swarm calls of the Engine API (API 1.41): the node's swarm state (GET /info), services (create, inspect, update —
 * also `rollback=previous` —, remove), their tasks, and secrets. Answers are mapped to small shapes, tolerant of
 * missing fields; a service's spec is kept as Docker's JSON (`SwarmServiceSpec`), because an update sends the whole
 * spec back.
 */
import type { Logger } from '../core/log-types.js';
import { isNotFound } from './errors.js';
import type { DockerHttp } from './http.js';
import type { CallOptions, RegistryAuth } from './types.js';
import { filtersJson, labelFilter, pathRef, registryAuthHeader } from './wire.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function labels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

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
  EndpointSpec?: Json;
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

export function parseSwarmInfo(v: unknown): SwarmInfo {
  const swarm = obj(obj(v).Swarm);
  return {
    localNodeState: str(swarm.LocalNodeState) || 'inactive',
    controlAvailable: swarm.ControlAvailable === true,
    nodeId: str(swarm.NodeID),
    clusterId: str(obj(swarm.Cluster).ID),
    managers: num(swarm.Managers),
    nodes: num(swarm.Nodes),
    error: str(swarm.Error),
  };
}

export function parseService(v: unknown): SwarmService {
  const j = obj(v);
  const status = j.UpdateStatus === undefined || j.UpdateStatus === null ? undefined : obj(j.UpdateStatus);
  return {
    id: str(j.ID),
    version: num(obj(j.Version).Index),
    spec: obj(j.Spec) as unknown as SwarmServiceSpec,
    ...(j.PreviousSpec ? { previousSpec: obj(j.PreviousSpec) as unknown as SwarmServiceSpec } : {}),
    ...(status
      ? {
          updateStatus: {
            state: str(status.State),
            startedAt: str(status.StartedAt),
            completedAt: str(status.CompletedAt),
            message: str(status.Message),
          },
        }
      : {}),
    createdAt: str(j.CreatedAt),
    updatedAt: str(j.UpdatedAt),
  };
}

export function parseTask(v: unknown): SwarmTask {
  const j = obj(v);
  const status = obj(j.Status);
  const container = obj(status.ContainerStatus);
  const spec = obj(obj(j.Spec).ContainerSpec);
  return {
    id: str(j.ID),
    serviceId: str(j.ServiceID),
    nodeId: str(j.NodeID),
    slot: num(j.Slot),
    desiredState: str(j.DesiredState),
    state: str(status.State),
    message: str(status.Message),
    err: str(status.Err),
    containerId: str(container.ContainerID),
    exitCode: num(container.ExitCode),
    labels: labels(spec.Labels),
    image: str(spec.Image),
    createdAt: str(j.CreatedAt),
    timestamp: str(status.Timestamp),
  };
}

export function parseNode(v: unknown): SwarmNode {
  const j = obj(v);
  const spec = obj(j.Spec);
  const status = obj(j.Status);
  return {
    id: str(j.ID),
    hostname: str(obj(j.Description).Hostname),
    addr: str(status.Addr),
    state: str(status.State),
    availability: str(spec.Availability),
    role: str(spec.Role),
  };
}

function parseSecret(v: unknown): SwarmSecret {
  const j = obj(v);
  const spec = obj(j.Spec);
  return { id: str(j.ID), name: str(spec.Name), labels: labels(spec.Labels) };
}

/** The X-Registry-Auth header of a create or update (so that every node can pull), registered for masking. */
function authHeaders(logger: Logger, auth: RegistryAuth | undefined): Record<string, string> {
  if (!auth) return {};
  const header = registryAuthHeader(auth);
  if (auth.password) logger.addSecret(auth.password);
  logger.addSecret(header);
  return { 'x-registry-auth': header };
}

/** GET /info → the node's swarm state. */
export async function swarmInfo(http: DockerHttp, opts?: CallOptions): Promise<SwarmInfo> {
  return parseSwarmInfo(await http.json<unknown>({ method: 'GET', path: '/info' }, opts));
}

/** GET /services/{name or id}; undefined when there is no such service. */
export async function inspectService(
  http: DockerHttp,
  ref: string,
  opts?: CallOptions,
): Promise<SwarmService | undefined> {
  try {
    const raw = await http.json<unknown>({ method: 'GET', path: `/services/${pathRef(ref, 'service')}` }, opts);
    return parseService(raw);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** GET /services with all of `labels`. */
export async function listServices(
  http: DockerHttp,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<SwarmService[]> {
  const filters = filtersJson({ label: labelFilter(labels) });
  const raw = await http.json<unknown>({ method: 'GET', path: '/services', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseService);
}

/** POST /services/create → the new service's id. */
export async function createService(
  http: DockerHttp,
  logger: Logger,
  spec: SwarmServiceSpec,
  opts: CallOptions & { auth?: RegistryAuth } = {},
): Promise<string> {
  const created = await http.json<{ ID?: string; Warning?: string }>(
    {
      method: 'POST',
      path: '/services/create',
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `creating service ${spec.Name}`,
    },
    opts,
  );
  if (created?.Warning) logger.warn(`docker: creating service ${spec.Name}: ${created.Warning}`);
  if (!created?.ID) throw new Error(`Docker created service ${spec.Name} but returned no id`);
  return created.ID;
}

/**
 * POST /services/{id}/update?version=… with the whole spec; `rollback: true` asks Swarm to go back to the service's
 * PreviousSpec (the spec sent is then the current one, as the docker CLI sends it). Returns Docker's warnings.
 */
export async function updateService(
  http: DockerHttp,
  logger: Logger,
  id: string,
  version: number,
  spec: SwarmServiceSpec,
  opts: CallOptions & { auth?: RegistryAuth; rollback?: boolean } = {},
): Promise<string[]> {
  const answer = await http.json<{ Warnings?: string[] | null }>(
    {
      method: 'POST',
      path: `/services/${pathRef(id, 'service')}/update`,
      query: { version, rollback: opts.rollback ? 'previous' : undefined },
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `${opts.rollback ? 'rolling back' : 'updating'} service ${spec.Name}`,
    },
    opts,
  );
  const warnings = answer?.Warnings ?? [];
  for (const w of warnings) logger.warn(`docker: service ${spec.Name}: ${w}`);
  return warnings;
}

/** DELETE /services/{id}. */
export async function removeService(http: DockerHttp, id: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'DELETE', path: `/services/${pathRef(id, 'service')}`, context: `removing service ${id}` },
    opts,
  );
}

/** GET /tasks of one service (every task Swarm still keeps: running ones and its recent history). */
export async function listTasks(http: DockerHttp, serviceId: string, opts?: CallOptions): Promise<SwarmTask[]> {
  const filters = filtersJson({ service: [serviceId] });
  const raw = await http.json<unknown>({ method: 'GET', path: '/tasks', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseTask);
}

/** GET /nodes: every node of the swarm (managers only). */
export async function listNodes(http: DockerHttp, opts?: CallOptions): Promise<SwarmNode[]> {
  const raw = await http.json<unknown>({ method: 'GET', path: '/nodes' }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseNode);
}

/** GET /secrets with all of `labels`. */
export async function listSecrets(
  http: DockerHttp,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<SwarmSecret[]> {
  const filters = filtersJson({ label: labelFilter(labels) });
  const raw = await http.json<unknown>({ method: 'GET', path: '/secrets', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseSecret);
}

/** POST /secrets/create with the value (sent base64, as Docker wants it) → the secret's id. */
export async function createSecret(
  http: DockerHttp,
  name: string,
  value: string,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<string> {
  const created = await http.json<{ ID?: string }>(
    {
      method: 'POST',
      path: '/secrets/create',
      body: { Name: name, Labels: labels, Data: Buffer.from(value, 'utf8').toString('base64') },
      context: `creating secret ${name}`,
    },
    opts,
  );
  if (!created?.ID) throw new Error(`Docker created secret ${name} but returned no id`);
  return created.ID;
}

/** DELETE /secrets/{id}. Docker refuses (400/409) one a service still uses. */
export async function removeSecret(http: DockerHttp, id: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'DELETE', path: `/secrets/${pathRef(id, 'secret')}`, context: `removing secret ${id}` },
    opts,
  );
}
