/**
 * `strategy.swarm` — how Docker Swarm updates a service (`strategy.driver: swarm`): its UpdateConfig (and the same
 * values as RollbackConfig for Swarm's automatic rollback), and how long the deploy waits for the service to converge.
 * And what the driver needs of the environments, checked with the whole config (checkSwarmTargets).
 */
import * as z from 'zod';
import { zFraction, zInt } from './fields.js';
import { zDurationIn } from './units.js';

export const swarmSchema = z.strictObject({
  /** Tasks replaced at once (Swarm's update parallelism). */
  parallelism: zInt(1, 100).default(1),
  /** Pause between two batches of tasks. */
  delay: zDurationIn(0, 3_600_000).default(5000),
  /** start-first: the new task runs (healthy) before the old one stops; stop-first: the old one stops first. */
  order: z.enum(['start-first', 'stop-first'], { error: 'expected start-first or stop-first' }).default('start-first'),
  /** When a task of the update fails: rollback (Swarm goes back to the previous spec) or pause (it stops there). */
  'failure-action': z.enum(['rollback', 'pause'], { error: 'expected rollback or pause' }).default('rollback'),
  /** How long Swarm watches each updated task for a failure before it counts the task as updated. */
  monitor: zDurationIn(1000, 3_600_000).default(15_000),
  /** The share of failed tasks an update tolerates (0: the first failure is enough). */
  'max-failure-ratio': zFraction.default(0),
  /** The longest the deploy waits for the service to converge (every task of the release running and healthy). */
  'converge-timeout': zDurationIn(10_000, 6 * 3_600_000).default(600_000),
});

export type SwarmConfig = z.output<typeof swarmSchema>;

/** strategy.swarm with its defaults (the key is optional: only the swarm driver reads it). */
export function swarmSettings(strategy: { swarm?: SwarmConfig }): SwarmConfig {
  return strategy.swarm ?? swarmSchema.parse({});
}

interface SwarmTargetsView {
  environments: Record<string, { targets: Array<{ name: string }> }>;
  strategy: { driver?: string };
}

/**
 * strategy.driver swarm deploys through one swarm manager, which places the tasks on the swarm's nodes: an environment
 * with more targets is refused, naming them (the deploy would refuse it too, later).
 */
export function checkSwarmTargets(config: SwarmTargetsView, ctx: z.RefinementCtx): void {
  if (config.strategy.driver !== 'swarm') return;
  for (const [envName, env] of Object.entries(config.environments)) {
    if (env.targets.length <= 1) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['environments', envName, 'targets'],
      message: `got ${env.targets.length} targets (${env.targets.map((t) => t.name).join(', ')}) with strategy.driver swarm, expected one: the swarm manager (Swarm places the tasks on its nodes); give the manager alone`,
    });
  }
}
