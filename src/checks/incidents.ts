import type { GitHubLog } from '../github/client.js';
import { type CheckResult, fail, pass } from './types.js';

export interface IncidentQuery {
  label: string;
  /** The environment checked: an incident issue the toolkit opened for another environment does not block it. */
  environment?: string;
  /** `owner/repo` (GITHUB_REPOSITORY). */
  repository?: string;
  token?: string;
  /** The REST API root (GITHUB_API_URL; GitHub Enterprise or a test server). */
  apiUrl?: string;
  signal?: AbortSignal;
  /** Rate-limit retries are warned here, octokit's request lines go to debug. */
  log?: GitHubLog;
}

const CHECK = 'open incidents';

/**
 * `checks.incident-label`: an open issue with this label blocks deploys (the runbooks' "no deploys during an
 * incident"). Fails closed: without a repository, a token, or an answer from the API, the check fails.
 */
export async function checkIncidents(q: IncidentQuery): Promise<CheckResult> {
  const [owner, repo] = (q.repository ?? '').split('/');
  if (!owner || !repo) {
    return fail(
      '*',
      CHECK,
      `incident-label is set, but GITHUB_REPOSITORY (owner/repo) is not: cannot look for open issues labelled "${q.label}"`,
    );
  }
  if (!q.token) {
    return fail(
      '*',
      CHECK,
      `incident-label is set: the input github-token is needed to read open issues labelled "${q.label}"`,
    );
  }
  // The GitHub client is loaded only when this check makes its call.
  const { apiError, githubClient } = await import('../github/client.js');
  const octokit = githubClient({ token: q.token, apiUrl: q.apiUrl, signal: q.signal, log: q.log });
  try {
    // Every page (pull requests with the label come back too, and must not hide an issue behind them), at most 10.
    let pages = 0;
    const data = await octokit.paginate(
      octokit.rest.issues.listForRepo,
      { owner, repo, labels: q.label, state: 'open', per_page: 100 },
      (response, done) => {
        if (++pages >= 10) done();
        return response.data;
      },
    );
    // An incident issue the toolkit opened for another environment (its marker names it) blocks that one only.
    const elsewhere = (body: string | null | undefined): boolean => {
      const env = /^<!-- runbook-actions:incident environment=(\S+) -->/.exec(body ?? '')?.[1];
      return env !== undefined && q.environment !== undefined && env !== q.environment;
    };
    const open = data.filter((i) => !i.pull_request && !elsewhere(i.body));
    if (open.length === 0) return pass('*', CHECK, `no open issue labelled "${q.label}" in ${owner}/${repo}`);
    const shown = open
      .slice(0, 3)
      .map((i) => `#${i.number} "${i.title.slice(0, 80)}" (${i.html_url})`)
      .join(', ');
    return fail(
      '*',
      CHECK,
      `${open.length} open issue${open.length === 1 ? '' : 's'} labelled "${q.label}": ${shown}${open.length > 3 ? ', …' : ''}`,
    );
  } catch (err) {
    const { status, message } = apiError(err);
    return fail(
      '*',
      CHECK,
      `cannot read the issues of ${owner}/${repo}${status ? ` (HTTP ${status})` : ''}: ${message}`,
    );
  }
}
