/** pre-deploy-check with the swarm driver: the target's engine is a manager of an active swarm (GET /info). */
import { errorMessage } from '../core/errors.js';
import type { EngineApi } from '../deploy/engine/api.js';
import { swarmEngineOf } from '../deploy/swarm/api.js';
import { managerDetail, managerProblem } from '../deploy/swarm/check.js';
import { type CheckResult, fail, pass } from './types.js';

export async function checkSwarmManager(target: string, engine: () => Promise<EngineApi>): Promise<CheckResult> {
  try {
    const info = await swarmEngineOf(target, await engine()).swarmInfo();
    const problem = managerProblem(target, info);
    return problem ? fail(target, 'swarm', problem) : pass(target, 'swarm', managerDetail(info));
  } catch (err) {
    return fail(target, 'swarm', errorMessage(err));
  }
}
