/** Swarm services and tasks as the Engine API shows them, for the swarm driver's unit tests. */
import type { SwarmService, SwarmServiceSpec, SwarmTask } from '../../../src/docker/swarm-types.js';

/** A spec of release `release` with `replicas` tasks on `ports` (slot n → ports[n-1]). */
export function specOf(
  release: string,
  ports: number[],
  replicas = ports.length,
  image = `acme/api:${release}`,
): SwarmServiceSpec {
  return {
    Name: 'shop-production-api',
    Labels: {
      'io.runbook.app': 'shop',
      'io.runbook.env': 'production',
      'io.runbook.service': 'api',
      'io.runbook.release': release,
    },
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: { 'io.runbook.release': release, 'io.runbook.ports': ports.map((p, i) => `${i + 1}=${p}`).join(',') },
      },
    },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

export function serviceOf(
  spec: SwarmServiceSpec,
  o: { version?: number; previous?: SwarmServiceSpec; update?: [string, string, string?] } = {},
): SwarmService {
  return {
    id: 'svc1',
    version: o.version ?? 10,
    spec,
    ...(o.previous ? { previousSpec: o.previous } : {}),
    ...(o.update
      ? { updateStatus: { state: o.update[0], startedAt: o.update[1], completedAt: '', message: o.update[2] ?? '' } }
      : {}),
    createdAt: '2026-11-23T12:00:00Z',
    updatedAt: '2026-11-23T12:00:00Z',
  };
}

/** A task: `id`, its release's spec (for its labels), slot, state and desired state. */
export function taskOf(
  id: string,
  spec: SwarmServiceSpec,
  slot: number,
  state: string,
  desired = 'running',
  more: Partial<SwarmTask> = {},
): SwarmTask {
  return {
    id,
    serviceId: 'svc1',
    nodeId: 'node1',
    slot,
    desiredState: desired,
    state,
    message: state,
    err: '',
    containerId: `c-${id}`,
    exitCode: 0,
    labels: { ...(spec.TaskTemplate.ContainerSpec.Labels ?? {}) },
    image: spec.TaskTemplate.ContainerSpec.Image,
    createdAt: '2026-11-23T12:00:00Z',
    timestamp: '2026-11-23T12:00:00Z',
    ...more,
  };
}
