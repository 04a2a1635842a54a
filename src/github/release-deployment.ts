/**
 * The GitHub deployment of one release, as the deploy and rollback steps use it: made lazily (the seam and octokit
 * load only when a token is given), started when the release starts, finished with the release's outcome. Without a
 * token or a repository the step says once what it does not record, and goes on.
 */
import { CancelledError, isUserError } from '../core/errors.js';
import type { Runner } from '../core/runner.js';
import { type DeploymentFacts, type DeploymentState, GitHubDeployment } from './deployments.js';
import { type GitHub, type GitHubDeps, githubFor } from './seam.js';

export interface ReleaseDeploymentOptions {
  token?: string;
  environment: string;
  url?: string;
  runner: Pick<Runner, 'setOutput'>;
}

/** The deployment of a release being deployed: `start` when its id is known, then `finish` once. */
export class ReleaseDeployment {
  private made?: Promise<GitHubDeployment | undefined>;

  private constructor(
    private readonly github: GitHub | undefined,
    private readonly o: ReleaseDeploymentOptions,
    private readonly deps: GitHubDeps,
  ) {}

  /** A tracker; without a token or a repository, one that records nothing (and says so at debug level). */
  static async open(o: ReleaseDeploymentOptions, deps: GitHubDeps): Promise<ReleaseDeployment> {
    const seam = await githubFor(o.token, deps);
    if ('missing' in seam) deps.log.info(`no GitHub deployment recorded: ${seam.missing}`);
    return new ReleaseDeployment('github' in seam ? seam.github : undefined, o, deps);
  }

  /** Create the deployment and its in_progress status (in the background; `finish` waits for it). */
  start(facts: Omit<DeploymentFacts, 'environment' | 'url'>): void {
    const github = this.github;
    if (!github || this.made) return;
    this.made = (async () => {
      const d = await GitHubDeployment.create(
        github,
        { ...facts, environment: this.o.environment, url: this.o.url },
        this.deps,
      );
      if (!d) return undefined;
      this.o.runner.setOutput('deployment-id', String(d.id));
      await d.status('in_progress', `deploying ${facts.version} (${facts.releaseId})`);
      return d;
    })();
  }

  /** The deployment's final status for this step (or a further in_progress, e.g. a canary left paused). */
  async finish(state: DeploymentState, text: string): Promise<number | undefined> {
    const d = await this.made;
    if (!d) return undefined;
    await d.status(state, text);
    return d.id;
  }

  /** The status an error ends a release with: failure for what the deploy refused or found, error otherwise. */
  static stateOf(err: unknown): DeploymentState {
    return isUserError(err) && !(err instanceof CancelledError) ? 'failure' : 'error';
  }
}

/**
 * After a rollback: the failed release's deployment (`deploymentId`) marked failure, and the restored release recorded
 * as a deployment of its own with a success status, which makes it the environment's active deployment.
 */
export async function recordRollback(
  o: ReleaseDeploymentOptions & {
    deploymentId?: number;
    failed: { releaseId: string; version?: string };
    restored: { releaseId: string; version: string; gitSha?: string };
  },
  deps: GitHubDeps,
): Promise<number | undefined> {
  const seam = await githubFor(o.token, deps);
  if ('missing' in seam) {
    if (o.deploymentId) deps.log.warn(`GitHub deployment ${o.deploymentId} not marked failed: ${seam.missing}`);
    return undefined;
  }
  const { github } = seam;
  const facts = { environment: o.environment, url: o.url };
  if (o.deploymentId) {
    await GitHubDeployment.existing(
      github,
      o.deploymentId,
      { ...facts, version: o.failed.version ?? '', releaseId: o.failed.releaseId },
      deps,
    ).status('failure', `rolled back to ${o.restored.version} (${o.restored.releaseId})`);
  }
  const restored = await GitHubDeployment.create(
    github,
    {
      ...facts,
      version: o.restored.version,
      releaseId: o.restored.releaseId,
      rollbackOf: o.failed.releaseId,
      ref: o.restored.gitSha,
    },
    deps,
  );
  if (!restored) return undefined;
  await restored.status('success', `restored ${o.restored.version} (${o.restored.releaseId}) after a rollback`);
  o.runner.setOutput('deployment-id', String(restored.id));
  return restored.id;
}

/** A further status on a deployment an earlier step created (the pipeline's success after its smoke test). */
export async function postStatus(
  o: ReleaseDeploymentOptions & { deploymentId: number; version: string; releaseId: string },
  state: DeploymentState,
  text: string,
  deps: GitHubDeps,
): Promise<void> {
  const seam = await githubFor(o.token, deps);
  if ('missing' in seam) return;
  await GitHubDeployment.existing(
    seam.github,
    o.deploymentId,
    { environment: o.environment, url: o.url, version: o.version, releaseId: o.releaseId },
    deps,
  ).status(state, text);
}
