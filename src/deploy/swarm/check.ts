/** The target's engine must be a manager of an existing swarm: checked by pre-deploy-check, and by deploy first. */
import { UserError } from '../../core/errors.js';
import type { SwarmInfo } from '../../docker/swarm-types.js';
import type { SwarmApi } from './api.js';

/** Why this node cannot take the swarm driver's services (undefined: it can), from GET /info. */
export function managerProblem(target: string, info: SwarmInfo): string | undefined {
  const state = `Swarm.LocalNodeState ${info.localNodeState}`;
  if (info.localNodeState === 'inactive') {
    return `${target}: the Docker engine is not part of a swarm (${state}); the swarm driver deploys to a swarm that exists: run \`docker swarm init\` there (or join it to your swarm as a manager)`;
  }
  if (info.localNodeState !== 'active') {
    return `${target}: the engine's swarm is not usable (${state}${info.error ? `: ${info.error}` : ''}); ${info.localNodeState === 'locked' ? 'unlock it (`docker swarm unlock`)' : 'see `docker info` there'}`;
  }
  if (!info.controlAvailable) {
    return `${target}: the engine is a swarm worker (${state}, ControlAvailable false); services are created and updated on a manager: point the target (its docker-socket) at a manager, or promote this node`;
  }
  return undefined;
}

/** The node's swarm facts; throws UserError when it is not an active manager. */
export async function swarmManager(api: Pick<SwarmApi, 'swarmInfo'>, target: string): Promise<SwarmInfo> {
  const info = await api.swarmInfo();
  const problem = managerProblem(target, info);
  if (problem) throw new UserError(problem);
  return info;
}

/** The line pre-deploy-check reports for a manager. */
export function managerDetail(info: SwarmInfo): string {
  return `swarm manager (node ${info.nodeId.slice(0, 12)}; ${info.managers} manager(s), ${info.nodes} node(s))`;
}
