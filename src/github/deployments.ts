/**
 * GitHub deployments for releases (REST: "Deployments" and "Deployment statuses", docs.github.com/rest/deployments):
 * one deployment per pipeline run, created when the release starts (ref = the commit, the environment, a payload
 * with the release id and version), statuses in_progress → success / failure / error with `environment_url` (the
 * environment's `url` from the config) and `log_url` (the run). A rollback marks the failed deployment `failure` and
 * records the restored release as a deployment of its own whose `success` status (auto_inactive) makes it the
 * environment's active one.
 *
 * Bookkeeping never decides a deploy: a call GitHub refuses is a warning naming the status and GitHub's message.
 */
import { apiError, apiErrorText } from './api-error.js';
import { runLinks } from './context.js';
import type { GitHub, GitHubDeps } from './seam.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentFacts {
  environment: string;
  version: string;
  releaseId: string;
  /** The environment's public URL (config `environments.<name>.url`). */
  url?: string;
  /** The commit to record; default the run's. */
  ref?: string;
  /** The release this deployment rolls back from (a rollback's deployment). */
  rollbackOf?: string;
  production?: boolean;
}

/** What a 403 or 404 from the deployments API means for a workflow token: a permission the job does not grant. */
const permissionHint = (err: unknown): string =>
  [403, 404].includes(apiError(err).status ?? 0) ? " (the job's permissions need deployments: write)" : '';

/** GitHub caps a deployment status's description at 140 characters. */
const description = (text: string): string => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/** One deployment on GitHub and the statuses this run posts on it. */
export class GitHubDeployment {
  constructor(
    private readonly github: GitHub,
    readonly id: number,
    private readonly facts: DeploymentFacts,
    private readonly deps: GitHubDeps,
  ) {}

  /** Create the deployment (no GitHub merge, no GitHub-side context check: pre-deploy-check does that). */
  static async create(github: GitHub, facts: DeploymentFacts, deps: GitHubDeps): Promise<GitHubDeployment | undefined> {
    const ref = facts.ref ?? github.context.sha;
    if (!ref) {
      deps.log.warn('no GitHub deployment recorded: the run has no commit (GITHUB_SHA)');
      return undefined;
    }
    try {
      const { data } = await github.octokit.rest.repos.createDeployment({
        owner: github.owner,
        repo: github.repo,
        ref,
        environment: facts.environment,
        auto_merge: false,
        required_contexts: [],
        description: description(
          facts.rollbackOf
            ? `rollback of ${facts.rollbackOf}: ${facts.version} (${facts.releaseId})`
            : `${facts.version} (${facts.releaseId})`,
        ),
        payload: {
          tool: 'runbook-actions',
          release: facts.releaseId,
          version: facts.version,
          ...(facts.rollbackOf ? { rollback_of: facts.rollbackOf } : {}),
        },
        production_environment: facts.production,
        transient_environment: false,
      });
      if (!('id' in data)) {
        deps.log.warn(`no GitHub deployment recorded: GitHub answered "${data.message ?? 'no deployment'}"`);
        return undefined;
      }
      deps.log.info(`GitHub deployment ${data.id} (${facts.environment}, ${facts.version})`);
      return new GitHubDeployment(github, data.id, facts, deps);
    } catch (err) {
      deps.log.warn(
        `no GitHub deployment recorded for ${facts.environment}: ${apiErrorText(err)}${permissionHint(err)}`,
      );
      return undefined;
    }
  }

  /** A deployment this run did not create (the deploy step's `deployment-id`), to post statuses on. */
  static existing(github: GitHub, id: number, facts: DeploymentFacts, deps: GitHubDeps): GitHubDeployment {
    return new GitHubDeployment(github, id, facts, deps);
  }

  /** Post a status; false (and a warning) when GitHub refuses it. */
  async status(state: DeploymentState, text: string): Promise<boolean> {
    const links = runLinks(this.github.context, this.facts.environment);
    try {
      await this.github.octokit.rest.repos.createDeploymentStatus({
        owner: this.github.owner,
        repo: this.github.repo,
        deployment_id: this.id,
        state,
        description: description(text),
        environment: this.facts.environment,
        ...(this.facts.url ? { environment_url: this.facts.url } : {}),
        ...(links.run ? { log_url: links.run } : {}),
        auto_inactive: true,
      });
      return true;
    } catch (err) {
      this.deps.log.warn(
        `GitHub deployment ${this.id}: the ${state} status was not recorded: ${apiErrorText(err)}${permissionHint(err)}`,
      );
      return false;
    }
  }
}
