/** Drift of a Swarm service against the live release of the journal: the service, its spec's release, its tasks. */
import { UserError } from '../../core/errors.js';
import type { EngineApi } from '../engine/api.js';
import { LABEL, type Owner } from '../engine/labels.js';
import type { Release } from '../journal.js';
import { swarmEngineOf } from './api.js';
import { managerProblem } from './check.js';
import { taskHost, taskView } from './converge.js';
import { swarmServiceName } from './spec.js';

/**
 * The differences (`drift`) and the upstream addresses the service's running tasks hold (`serving`: expected in the
 * upstream).
 */
export async function swarmDrift(
  target: string,
  docker: EngineApi,
  owner: Owner,
  live: Release,
): Promise<{ drift: string[]; serving: string[] }> {
  const api = swarmEngineOf(target, docker);
  const info = await api.swarmInfo();
  const problem = managerProblem(target, info);
  if (problem) throw new UserError(problem);
  const name = swarmServiceName(owner);
  const service = await api.inspectService(name);
  if (!service) return { drift: [`Swarm service ${name} of the live release ${live.version} is gone`], serving: [] };
  const drift: string[] = [];
  const release = service.spec.Labels?.[LABEL.release];
  if (release !== live.id)
    drift.push(`Swarm service ${name} runs the spec of release ${release ?? '?'}, not the live ${live.id}`);
  const state = service.updateStatus?.state;
  if (state && state !== 'completed' && state !== 'rollback_completed') {
    drift.push(
      `Swarm service ${name}: its last update is ${state.replace('_', ' ')} (${service.updateStatus?.message ?? ''})`,
    );
  }
  const tasks = (await api.listTasks(service.id)).map(taskView);
  const running = tasks.filter((t) => t.state === 'running' && t.desiredState === 'running');
  const desired = service.spec.Mode?.Replicated?.Replicas ?? 0;
  if (running.length !== desired) drift.push(`Swarm service ${name}: ${running.length} of ${desired} tasks running`);
  const remote = running.some((t) => t.node !== '' && t.node !== info.nodeId);
  const nodes = new Map(remote ? (await api.listNodes()).map((n) => [n.id, n.addr]) : []);
  const serving = running.flatMap((t) => {
    const host = taskHost(t, info.nodeId, nodes);
    return t.port === undefined || host === undefined ? [] : [`${host}:${t.port}`];
  });
  return { drift, serving };
}
