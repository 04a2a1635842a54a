/**
 * What the runner tells a step about the workflow run, read from the variables GitHub sets for every step
 * (docs.github.com, "Store information in variables" → default environment variables) and, for the event, from the
 * JSON file GITHUB_EVENT_PATH names (the webhook payload of the event that started the run). Read from the injected
 * environment (the runner seam), never from `process.env` directly, so tests give their own.
 */
const { readFileSync } = process.getBuiltinModule('node:fs');

export interface PullRequestFacts {
  number: number;
  /** `owner/repo` the head branch lives in; a fork's differs from the base repository's. */
  headRepo?: string;
  baseRepo?: string;
  headSha?: string;
}

export interface GitHubContext {
  /** `owner/repo` (GITHUB_REPOSITORY), undefined outside a workflow run. */
  repository?: string;
  owner?: string;
  repo?: string;
  /** The commit the run is for (GITHUB_SHA; for a pull request, the head commit from the event). */
  sha?: string;
  serverUrl: string;
  apiUrl: string;
  runId?: string;
  runAttempt?: string;
  actor?: string;
  eventName?: string;
  ref?: string;
  pullRequest?: PullRequestFacts;
}

type Env = Readonly<Record<string, string | undefined>>;

interface EventPayload {
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
}

function readEvent(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

/** The run's context from the runner's variables and its event file. */
export function githubContext(env: Env): GitHubContext {
  const repository = env.GITHUB_REPOSITORY || undefined;
  const [owner, repo] = repository?.split('/') ?? [];
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request;
  const pullRequest =
    pr?.number !== undefined
      ? {
          number: pr.number,
          headRepo: pr.head?.repo?.full_name,
          baseRepo: pr.base?.repo?.full_name,
          headSha: pr.head?.sha,
        }
      : undefined;
  return {
    repository: owner && repo ? repository : undefined,
    owner: owner || undefined,
    repo: repo || undefined,
    sha: pullRequest?.headSha ?? (env.GITHUB_SHA || undefined),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    actor: env.GITHUB_ACTOR || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    ref: env.GITHUB_REF || undefined,
    pullRequest,
  };
}

/** The links a report carries: this run's page, the commit's page, an environment's deployments page. */
export function runLinks(
  c: GitHubContext,
  environment?: string,
): { run?: string; commit?: string; environment?: string } {
  if (!c.repository) return {};
  const base = `${c.serverUrl}/${c.repository}`;
  return {
    run: c.runId
      ? `${base}/actions/runs/${c.runId}${c.runAttempt && c.runAttempt !== '1' ? `/attempts/${c.runAttempt}` : ''}`
      : undefined,
    commit: c.sha ? `${base}/commit/${c.sha}` : undefined,
    environment: environment ? `${base}/deployments/${encodeURIComponent(environment)}` : undefined,
  };
}

/**
 * Why this run must not be trusted with the environment, or undefined: a pull request from a fork (its head
 * repository differs from the base, or is gone), which GitHub runs without the repository's secrets
 * (docs.github.com, "Using secrets in GitHub Actions": secrets are not passed to workflows triggered by a pull
 * request from a fork). Such a check is "skipped: untrusted context", never a pass.
 */
export function untrustedReason(c: GitHubContext): string | undefined {
  const pr = c.pullRequest;
  if (!pr || !c.eventName?.startsWith('pull_request')) return undefined;
  if (!pr.headRepo) return `pull request #${pr.number} comes from a repository that no longer exists`;
  const base = pr.baseRepo ?? c.repository;
  if (base && pr.headRepo.toLowerCase() !== base.toLowerCase())
    return `pull request #${pr.number} comes from the fork ${pr.headRepo}`;
  return undefined;
}
