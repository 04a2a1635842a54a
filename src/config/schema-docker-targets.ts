/**
 * What a `docker:` target (its Engine API, no shell) can be deployed with, checked with the whole config: the engine
 * driver drives its containers through the API, its health is probed over TCP from the load balancer (or the runner),
 * and nginx's files are on the load balancer. What would need a shell on it is refused here, naming the key.
 */
import type * as z from 'zod';
import { runsOn } from './schema-fleet.js';

interface DockerTargetsView {
  environments: Record<
    string,
    {
      'load-balancer'?: string;
      targets: Array<{ name: string; kind: string; roles?: string[]; docker?: { host: string } }>;
    }
  >;
  services?: Record<string, { roles?: string[]; 'env-file'?: string }>;
  compose?: unknown;
  strategy: { driver?: string; proxy?: unknown };
}

/**
 * For every `docker:` target of every environment: the driver is the engine driver (compose runs its CLI on the
 * host), no service it runs reads an `env-file` (a file on the host), and with `strategy.proxy` the environment has
 * a `load-balancer` (nginx's upstream file and reload need a shell; the load balancer is an ssh or local target,
 * checked by checkLoadBalancer).
 */
export function checkDockerTargets(config: DockerTargetsView, ctx: z.RefinementCtx): void {
  const driver = config.strategy.driver ?? (config.compose === undefined ? 'engine' : 'compose');
  for (const [envName, env] of Object.entries(config.environments)) {
    env.targets.forEach((t, i) => {
      if (t.kind !== 'docker') return;
      const path = ['environments', envName, 'targets', i, 'docker'];
      const what = `target ${t.name} is a docker: target (${t.docker?.host ?? 'its Engine API'}, no shell)`;
      if (driver === 'compose') {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${what}, and the compose driver${config.strategy.driver === undefined ? ' (chosen because the config has a compose section)' : ''} runs the compose CLI on the host: set strategy.driver: engine (services with image:), or make ${t.name} an ssh target with docker-socket`,
        });
      }
      if (config.strategy.proxy !== undefined && env['load-balancer'] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${what}, so no nginx of its own can be switched there: with strategy.proxy, set environments.${envName}.load-balancer to the ssh or local target whose nginx fronts every host`,
        });
      }
    });
  }
  // One issue per service: the first docker: target it runs on.
  for (const [name, service] of Object.entries(config.services ?? {})) {
    const file = service['env-file'];
    if (file === undefined) continue;
    const on = Object.entries(config.environments).flatMap(([envName, env]) =>
      env.targets.filter((t) => t.kind === 'docker' && runsOn(t, service)).map((t) => ({ envName, t })),
    )[0];
    if (!on) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['services', name, 'env-file'],
      message: `got ${file}, a file read on the target, and ${name} runs on ${on.t.name} of environment ${on.envName}, a docker: target with no file system to read it from: use env (plain values) or secret-env (from the runner's environment) instead`,
    });
  }
}
