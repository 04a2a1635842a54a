/**
 * The toolkit's health gate of one Swarm task (deploy/health.ts waitHealthy judges it): reached from the target at the
 * task's address, its state from its container on the manager's node, or from what Swarm reports of a task on another
 * node, whose engine the manager does not reach.
 */
import type { HealthConfig } from '../../config/schema.js';
import type { GateSubject } from '../health.js';
import type { ServiceSite } from '../types.js';
import type { SwarmEngine } from './api.js';
import type { TaskView } from './converge.js';

/** What a task's gate needs of the watch's site. */
export interface TaskGateSite extends Pick<ServiceSite, 'target' | 'name'> {
  api: Pick<SwarmEngine, 'inspectContainer' | 'containerLogs'>;
  /** `<app>-<env>-<service>`, for messages. */
  serviceName: string;
  /** The manager's own node: its tasks' containers are inspected there. */
  localNode: string;
}

/**
 * The gate of one task: from the target, on its address. Its state from its container on the manager's node; a task
 * on another node (whose engine the manager does not reach) is judged by what Swarm reports of it (`latest`).
 */
export function subjectOf(w: TaskGateSite, t: TaskView, host: string, latest: () => TaskView | undefined): GateSubject {
  const local = t.node === '' || t.node === w.localNode;
  return {
    label: `${w.target.name}/${w.name} task ${w.serviceName}.${t.slot}${t.port === undefined ? '' : local ? ` (port ${t.port})` : ` (${host}:${t.port}, node ${t.node.slice(0, 12)})`}`,
    host,
    port: t.port,
    acceptPort: t.port,
    state: async () => {
      if (!local) {
        const now = latest();
        return { running: now?.state === 'running' && now.desiredState === 'running', exitCode: now?.exitCode ?? -1 };
      }
      const info = await w.api.inspectContainer(t.containerId);
      return {
        running: info.state.running,
        exitCode: info.state.exitCode,
        health: info.state.health?.status,
        startedAt: info.state.startedAt,
      };
    },
    logsTail: () => (local ? w.api.containerLogs(t.containerId, { tail: 20 }) : Promise.resolve('')),
  };
}

/** The service's health config for a task Swarm already runs: healthy now (Swarm's monitor is the stable period). */
export function taskHealth(h: HealthConfig | undefined): HealthConfig | undefined {
  return h && { ...h, stable: 0 };
}
