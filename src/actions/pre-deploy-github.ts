/**
 * pre-deploy-check's GitHub part: open incidents (an issue with `checks.incident-label`, or the label "incident" the
 * pipeline opens its incident issues with when a token is given) and the commit's CI (`checks.ci`). Both fail closed:
 * configured without a token or a repository, or without an answer from GitHub, they fail.
 */
import { checkCi } from '../checks/ci-status.js';
import { checkIncidents } from '../checks/incidents.js';
import { type CheckResult, fail } from '../checks/types.js';
import type { ChecksConfig } from '../config/schema-checks.js';
import type { ActionContext } from '../core/context.js';
import { githubContext } from '../github/context.js';
import { githubFor } from '../github/seam.js';
import type { ActionRun } from './module.js';

/**
 * The label of incident issues: the configured one, else "incident" when a token and a repository (a workflow run,
 * GITHUB_REPOSITORY) let the check run; a terminal run with a token but no repository is not refused for it.
 */
export function incidentLabel(
  checks: Pick<ChecksConfig, 'incident-label'>,
  token: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return checks['incident-label'] ?? (token && env.GITHUB_REPOSITORY ? DEFAULT_INCIDENT_LABEL : undefined);
}

export const DEFAULT_INCIDENT_LABEL = 'incident';

/** What the GitHub checks would ask, for the dry run's plan. */
export function githubPlan(
  checks: ChecksConfig,
  token: string | undefined,
  env: ActionContext['runner']['env'],
): string[] {
  const repository = env.GITHUB_REPOSITORY ?? '(GITHUB_REPOSITORY)';
  const label = incidentLabel(checks, token, env);
  const lines: string[] = [];
  if (label) lines.push(`GitHub: open issues labelled "${label}" in ${repository}`);
  if (checks.ci) {
    const which = checks.ci.required ? checks.ci.required.join(', ') : 'every check run and status';
    lines.push(
      `GitHub: CI green on ${githubContext(env).sha ?? '(GITHUB_SHA)'} (${which}; pending waited for up to ${Math.round(checks.ci.wait / 1000)}s)`,
    );
  }
  return lines;
}

/** Run the GitHub checks the config asks for (none: an empty list). */
export async function githubChecks(
  ctx: ActionContext,
  checks: ChecksConfig,
  token: string | undefined,
  environment: string,
): Promise<CheckResult[]> {
  const { runner, log } = ctx;
  const results: CheckResult[] = [];
  const label = incidentLabel(checks, token, runner.env);
  if (label) {
    results.push(
      await checkIncidents({
        label,
        environment,
        repository: runner.env.GITHUB_REPOSITORY,
        token,
        apiUrl: runner.env.GITHUB_API_URL,
        signal: ctx.signal,
        log,
      }),
    );
  }
  if (checks.ci) {
    const seam = await githubFor(token, { env: runner.env, log, signal: ctx.signal });
    const sha = githubContext(runner.env).sha;
    if ('missing' in seam) results.push(fail('*', 'CI on the commit', `checks.ci is set, but ${seam.missing}`));
    else if (!sha) results.push(fail('*', 'CI on the commit', 'checks.ci is set, but GITHUB_SHA is not'));
    else
      results.push(
        await log.group(`CI on ${sha.slice(0, 7)}`, () =>
          checkCi({
            github: seam.github,
            sha,
            config: checks.ci as NonNullable<ChecksConfig['ci']>,
            clock: ctx.clock,
            signal: ctx.signal,
            log,
          }),
        ),
      );
  }
  return results;
}

/**
 * A fork's pull request: nothing is connected to and nothing is read with a token. The step reports "skipped:
 * untrusted context" (outputs passed=false, result=skipped) and ends without failing the pull request; it is never
 * a pass.
 */
export function skipUntrusted(ctx: ActionRun<{ environment: string }>, why: string): void {
  const message = `skipped: untrusted context (${why}; it runs without the repository's secrets, so no host, CI or incident is checked)`;
  ctx.log.warn(message);
  ctx.runner.setOutput('passed', 'false');
  ctx.runner.setOutput('result', 'skipped');
  ctx.runner.setOutput(
    'report',
    JSON.stringify({ environment: ctx.inputs.environment, passed: false, skipped: message, checks: [] }),
  );
  ctx.report.verdict = { outcome: 'skipped', detail: message };
}
