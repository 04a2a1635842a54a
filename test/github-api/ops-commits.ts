/**
 * A commit's CI, as the checks API and the statuses API report it: check runs (filter `latest` by default: the newest
 * run of each name), the combined status (the newest status per context), and the commit itself (minimal).
 */
import { type Handler, page } from './answers.js';
import { renderCheckRun, renderCombined, renderCommit, renderStatus } from './render-commits.js';

const listForRef: Handler = (req) => {
  const q = req.query as { check_name?: string; status?: string; filter?: string };
  const ref = String(req.params.ref);
  const sha = req.state.sha(ref);
  let runs = req.state.checkRuns(ref);
  if ((q.filter ?? 'latest') === 'latest') {
    const seen = new Set<string>();
    runs = [...runs].reverse().filter((r) => !seen.has(r.name) && Boolean(seen.add(r.name)));
    runs.reverse();
  }
  runs = runs.filter(
    (r) =>
      (q.check_name === undefined || r.name === q.check_name) &&
      (q.status === undefined || (r.status ?? 'completed') === q.status),
  );
  const { items, headers } = page(req, runs);
  return {
    status: 200,
    body: {
      total_count: runs.length,
      check_runs: items.map((r) => renderCheckRun(r, sha, req.repo, req.state, req.ctx)),
    },
    headers,
  };
};

const combinedStatus: Handler = (req) => {
  const sha = req.state.sha(String(req.params.ref));
  const { latest, head } = renderCombined(sha, req.repo, req.state, req.ctx);
  const { items, headers } = page(req, latest);
  return {
    status: 200,
    body: {
      ...head,
      total_count: latest.length,
      statuses: items.map((s) => renderStatus(s, sha, req.repo, req.state, req.ctx)),
    },
    headers,
  };
};

const getCommit: Handler = (req) => {
  const sha = req.state.sha(String(req.params.ref));
  return { status: 200, body: renderCommit(sha, req.repo, req.ctx) };
};

/** As for the workflow's GITHUB_TOKEN (an installation token): GitHub refuses GET /user to it. */
const getAuthenticated: Handler = (req) => ({
  status: 403,
  body: { message: 'Resource not accessible by integration', documentation_url: req.op.docs, status: '403' },
});

export const commitHandlers: Record<string, Handler> = {
  'users/get-authenticated': getAuthenticated,
  'checks/list-for-ref': listForRef,
  'repos/get-combined-status-for-ref': combinedStatus,
  'repos/get-commit': getCommit,
};
