import type { Environment, LocalTarget, SmokeConfig, SshTarget } from '../config/schema.js';
import { zChecksInput } from '../config/schema-smoke.js';
import { closest, show } from '../config/text.js';
import { ConfigError, UserError } from '../core/errors.js';
import { balancerAddressOf } from '../deploy/fleet/balancer.js';
import type { smokeInputs } from '../inputs/smoke.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { parseLateInput } from '../inputs/spec.js';
import type { EnvironmentSession } from '../session/session.js';
import { checkSmokeSecrets, runSmokeSuite, smokeSummary } from '../smoke/suite.js';
import type { Transport } from '../transports/types.js';
import type { ActionRun } from './module.js';

/**
 * The target behind each `via` of the checks other than `runner` (`target`: the environment's first target). An
 * unknown name or a docker target fails here, before any connection or request.
 */
export function viaTargets(
  smoke: SmokeConfig,
  environment: Environment,
  environmentName: string,
): Map<string, SshTarget | LocalTarget> {
  const out = new Map<string, SshTarget | LocalTarget>();
  const names = environment.targets.map((t) => t.name);
  for (const c of smoke.checks) {
    if (c.via === 'runner' || out.has(c.via)) continue;
    const target = c.via === 'target' ? environment.targets[0] : environment.targets.find((t) => t.name === c.via);
    if (target === undefined) {
      const guess = closest(c.via, names);
      throw new ConfigError(
        `check ${c.name}: via ${show(c.via)} is not a target of environment ${environmentName}` +
          `${guess === undefined ? '' : ` (did you mean ${show(guess)}?)`}; expected runner, target or one of: ${names.join(', ')}`,
      );
    }
    if (target.kind === 'docker') {
      // No shell, so no connection can start there; its load balancer reaches it at its address, as nginx does.
      const which = c.via === 'target' ? ` (the environment's first target, ${target.name})` : '';
      const lb = environment['load-balancer'];
      const instead =
        lb === undefined
          ? ''
          : ` (to check ${target.name}'s replicas, use via ${show(lb)}, its load balancer, with ${target.name}'s address ${balancerAddressOf(target, lb)} in the url)`;
      throw new ConfigError(
        `check ${c.name}: via ${show(c.via)}${which} is a docker target; checks go through ssh or local targets only${instead}`,
      );
    }
    out.set(c.via, target);
  }
  return out;
}

/** The connection a check's `via` names, from the run's session (one connection per target). */
export function viaTransport(
  targets: ReadonlyMap<string, SshTarget | LocalTarget>,
  session: EnvironmentSession,
): (via: string) => Promise<Transport> {
  return async (via) => {
    const target = targets.get(via);
    if (!target) throw new ConfigError(`smoke: no target for via ${show(via)}`);
    return session.shell(target);
  };
}

/** smoke-test: the configured checks (retried until `wait`), then an optional load sample against thresholds. */
export async function runSmokeTest(ctx: ActionRun<ParsedInputs<typeof smokeInputs>>): Promise<void> {
  const { log, runner, inputs } = ctx;
  const given = inputs.checks === undefined ? undefined : parseLateInput('checks', inputs.checks, zChecksInput);
  const session = await ctx.session();
  const { config, environment, environmentName } = session;
  const smoke = given ? { ...config.smoke, checks: given } : config.smoke;
  if (!smoke) throw new ConfigError('smoke-test needs checks: the input "checks" or a smoke section in the config');
  checkSmokeSecrets(ctx, smoke);
  const targets = viaTargets(smoke, environment, environmentName);
  if (inputs['dry-run']) {
    for (const c of smoke.checks) {
      const via = targets.get(c.via);
      log.info(`would check ${c.name}: ${c.method} ${c.url}${via ? ` (via target ${via.name})` : ''}`);
    }
    return;
  }
  const verdict = await runSmokeSuite(ctx, smoke, {
    base: inputs.url ?? environment.url,
    waitMs: inputs.wait ?? smoke.wait ?? 0,
    transportFor: targets.size > 0 ? viaTransport(targets, session) : undefined,
  });
  const { passed, checks, sample } = verdict;
  runner.setOutput('passed', String(passed));
  runner.setOutput('report', JSON.stringify({ environment: environmentName, passed, checks, sample }));
  await runner.appendSummary(smokeSummary(verdict));
  if (!passed) throw new UserError(`smoke test failed: ${verdict.problems.join(' | ')}`);
}
