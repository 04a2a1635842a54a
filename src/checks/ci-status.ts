/**
 * `checks.ci`: is the commit green? GitHub keeps two kinds of CI results on a commit (docs.github.com, "About status
 * checks"): check runs (REST "List check runs for a Git reference", GitHub Actions jobs among them) and commit
 * statuses (REST "Get the combined status for a specific reference", the latest per context). A check run counts
 * green when it completed as success, neutral or skipped; a status when its state is success. The jobs of this very
 * workflow run are left out (their pages are `…/actions/runs/<GITHUB_RUN_ID>/…`): this check runs inside one of them.
 * Pending results — and no result at all yet — are asked for again every `poll` until `wait` has passed, then the
 * check fails, naming them.
 */

import type { CiCheckConfig } from '../config/schema-checks.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log-types.js';
import { apiErrorText } from '../github/api-error.js';
import type { GitHub } from '../github/seam.js';
import { type CheckResult, fail, pass } from './types.js';

const CHECK = 'CI on the commit';

type State = 'success' | 'pending' | 'failure';

interface Result {
  name: string;
  state: State;
  /** The conclusion or state as GitHub gave it. */
  as: string;
}

export interface CiQuery {
  github: GitHub;
  sha: string;
  config: CiCheckConfig;
  clock: Clock;
  signal: AbortSignal;
  log: Pick<Logger, 'info'>;
}

const GREEN_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

async function readResults(q: CiQuery): Promise<Result[]> {
  const { octokit, owner, repo, context } = q.github;
  const own = context.runId ? `/actions/runs/${context.runId}/` : undefined;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: q.sha,
    filter: 'latest',
    per_page: 100,
  });
  const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: q.sha, per_page: 100 });
  const results: Result[] = [];
  for (const r of runs) {
    if (own && [r.html_url, r.details_url].some((u) => u?.includes(own))) continue;
    if (r.status !== 'completed') results.push({ name: r.name, state: 'pending', as: r.status });
    else {
      const c = r.conclusion ?? 'none';
      results.push({ name: r.name, state: GREEN_CONCLUSIONS.has(c) ? 'success' : 'failure', as: c });
    }
  }
  for (const s of combined.data.statuses) {
    const state: State = s.state === 'success' ? 'success' : s.state === 'pending' ? 'pending' : 'failure';
    results.push({ name: s.context, state, as: s.state });
  }
  const ignored = new Set(q.config.ignore ?? []);
  return results.filter((r) => !ignored.has(r.name));
}

const names = (rs: { name: string }[]): string =>
  rs
    .slice(0, 5)
    .map((r) => r.name)
    .join(', ') + (rs.length > 5 ? `, … (${rs.length} in all)` : '');

/** The verdict on the commit's CI: pass, or fail (red, still pending or nothing reported after `wait`). */
export async function checkCi(q: CiQuery): Promise<CheckResult> {
  const short = q.sha.slice(0, 7);
  const deadline = q.clock.now().getTime() + q.config.wait;
  for (;;) {
    let results: Result[];
    try {
      results = await readResults(q);
    } catch (err) {
      return fail('*', CHECK, `cannot read the checks of ${short}: ${apiErrorText(err)}`);
    }
    const required = q.config.required;
    const missing = (required ?? []).filter((n) => !results.some((r) => r.name === n));
    const counted = required ? results.filter((r) => required.includes(r.name)) : results;
    const red = counted.filter((r) => r.state === 'failure');
    if (red.length > 0)
      return fail(
        '*',
        CHECK,
        `${red.length} failed on ${short}: ${red
          .slice(0, 5)
          .map((r) => `${r.name} (${r.as})`)
          .join(', ')}${red.length > 5 ? ', …' : ''}`,
      );
    const pending = [...counted.filter((r) => r.state === 'pending'), ...missing.map((name) => ({ name }))];
    // Nothing reported yet is CI not started yet (a push starts CI and the deploy together): waited for like pending.
    const nothing = counted.length === 0 && pending.length === 0;
    if (pending.length === 0 && !nothing)
      return pass('*', CHECK, `${counted.length} green on ${short}: ${names(counted)}`);
    const left = deadline - q.clock.now().getTime();
    if (nothing && left <= 0)
      return fail(
        '*',
        CHECK,
        `no check run or status reported on ${short} within ${Math.round(q.config.wait / 1000)}s: a commit without CI cannot pass checks.ci (name the checks in checks.ci.required, or remove checks.ci)`,
      );
    if (nothing) pending.push({ name: '(no check reported yet)' });
    if (left <= 0) {
      const what = missing.length > 0 ? ` (never reported: ${missing.join(', ')})` : '';
      return fail(
        '*',
        CHECK,
        `${pending.length} still pending on ${short} after ${Math.round(q.config.wait / 1000)}s: ${names(pending)}${what}`,
      );
    }
    q.log.info(
      `CI: waiting for ${pending.length} pending on ${short} (${names(pending)}); asking again in ${Math.round(Math.min(q.config.poll, left) / 1000)}s, giving up in ${Math.ceil(left / 1000)}s`,
    );
    await q.clock.sleep(Math.min(q.config.poll, left), q.signal);
  }
}
