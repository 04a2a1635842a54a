/**
 * The pipeline's GitHub side at its end: the plan as one PR comment updated in place (a pull request's dry run), and
 * after an automatic rollback an incident issue opened or updated. A call GitHub refuses is a warning; it never
 * changes the pipeline's verdict.
 */

import { checksFor } from '../config/loader.js';
import type { Config } from '../config/schema.js';
import { apiErrorText } from '../github/api-error.js';
import { marker, openOrUpdateIssue, upsertComment } from '../github/comments.js';
import { githubContext, runLinks } from '../github/context.js';
import { githubFor } from '../github/seam.js';
import type { ActionRun } from './module.js';
import { incidentText, type PipelineStage, planComment } from './pipeline-report.js';
import { incidentLabel } from './pre-deploy-github.js';

type Run = ActionRun<unknown>;

interface About {
  token?: string;
  environment: string;
  version: string;
  verdict: { outcome: string; detail?: string };
  steps: PipelineStage[];
}

/** On a pull request: the plan as the PR's comment for this environment, created once, then updated in place. */
export async function postPlanComment(run: Run, o: About & { plans: Map<string, string[]> }): Promise<void> {
  const context = githubContext(run.runner.env);
  const pr = context.pullRequest;
  if (!pr) {
    run.log.debug('pr-comment: not a pull request run; no comment');
    return;
  }
  const seam = await githubFor(o.token, { env: run.runner.env, log: run.log, signal: run.signal });
  if ('missing' in seam) {
    run.log.warn(`the plan is not posted on pull request #${pr.number}: ${seam.missing}`);
    return;
  }
  const body = run.log.mask(planComment({ ...o, runUrl: runLinks(context).run }));
  try {
    const c = await upsertComment(seam.github, pr.number, marker('plan', `environment=${o.environment}`), body);
    run.log.info(`the plan is ${c.created ? 'posted on' : 'updated on'} pull request #${pr.number}: ${c.url}`);
  } catch (err) {
    run.log.warn(`the plan is not posted on pull request #${pr.number}: ${apiErrorText(err)}`);
  }
}

/** After an automatic rollback: the incident issue for this environment opened, or commented on when open. */
export async function reportIncident(run: Run, config: Config, o: About): Promise<void> {
  const label = incidentLabel(checksFor(config, o.environment), o.token, run.runner.env) ?? 'incident';
  const seam = await githubFor(o.token, { env: run.runner.env, log: run.log, signal: run.signal });
  if ('missing' in seam) {
    run.log.warn(`no incident issue opened: ${seam.missing}`);
    return;
  }
  const context = seam.github.context;
  const text = run.log.mask(incidentText({ ...o, label, runUrl: runLinks(context).run, actor: context.actor }));
  try {
    const issue = await openOrUpdateIssue(seam.github, {
      label,
      mark: marker('incident', `environment=${o.environment}`),
      title: `Incident: ${o.environment} rolled back from ${o.version}`,
      body: text,
      comment: text,
    });
    run.log.warn(
      `incident issue #${issue.number} ${issue.opened ? 'opened' : 'updated'} (${issue.url}): deploys checking "${label}" are blocked until it is closed`,
    );
  } catch (err) {
    run.log.warn(`no incident issue opened: ${apiErrorText(err)}`);
  }
}
