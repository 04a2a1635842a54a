/**
 * The GitHub client seam of a step: the API client (octokit with retries and rate-limit handling, ./client.ts), the
 * repository and the run's context. Made only when a step has a token and runs in a repository's workflow; the
 * client module loads on first use, so a step that never calls GitHub never pays for it.
 */
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../core/log-types.js';
import { type GitHubContext, githubContext } from './context.js';

export interface GitHub {
  octokit: Octokit;
  owner: string;
  repo: string;
  context: GitHubContext;
}

export interface GitHubDeps {
  env: Readonly<Record<string, string | undefined>>;
  log: Pick<Logger, 'warn' | 'debug' | 'info'>;
  signal?: AbortSignal;
}

/**
 * The seam for a step, or why there is none (no token, or no GITHUB_REPOSITORY: a terminal run or a misconfigured
 * workflow): the caller says what it skips, once.
 */
export async function githubFor(
  token: string | undefined,
  deps: GitHubDeps,
): Promise<{ github: GitHub } | { missing: string }> {
  const context = githubContext(deps.env);
  if (!token) return { missing: 'no github-token input' };
  if (!context.owner || !context.repo) return { missing: 'GITHUB_REPOSITORY (owner/repo) is not set' };
  const { githubClient } = await import('./client.js');
  const octokit = githubClient({ token, apiUrl: context.apiUrl, signal: deps.signal, log: deps.log });
  return { github: { octokit, owner: context.owner, repo: context.repo, context } };
}
