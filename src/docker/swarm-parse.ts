/**
 * Swarm's JSON answers mapped to the shapes of swarm-types.ts, tolerant of missing fields (Swarm omits what is not
 * set yet: a task's node, an UpdateStatus) so an answer never crashes the mapping. No I/O.
 */
import type { SwarmInfo, SwarmNode, SwarmSecret, SwarmService, SwarmServiceSpec, SwarmTask } from './swarm-types.js';

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

/** GET /info → the node's part in a swarm (`inactive` when it says nothing). */
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

/** A service of GET /services: its spec kept as Docker's JSON, its UpdateStatus when it has one. */
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

/** A task of GET /tasks: its state, its container and the labels of its container spec. */
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

/** A node of GET /nodes: its address (Status.Addr), state, availability and role. */
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

/** A secret of GET /secrets: id, name, labels (never a value: Docker does not return it). */
export function parseSecret(v: unknown): SwarmSecret {
  const j = obj(v);
  const spec = obj(j.Spec);
  return { id: str(j.ID), name: str(spec.Name), labels: labels(spec.Labels) };
}
