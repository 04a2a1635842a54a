/**
 * Deployments and deployment statuses, as GitHub documents them: a deployment's commit status checks must pass
 * unless `required_contexts` says otherwise (409), a status's description is at most 140 characters (422), a new
 * `success` status marks the environment's earlier non-transient, non-production successful deployments `inactive`
 * (auto_inactive), lists come newest first.
 */
import {
  conflict,
  type Handler,
  type HandlerRequest,
  newestFirst,
  notFound,
  page,
  validationFailed,
} from './answers.js';
import { renderDeployment, renderDeploymentStatus } from './render.js';
import { latestStatuses } from './render-commits.js';
import type { DeploymentRecord, DeploymentStatusRecord } from './state.js';

const BOT = 'github-actions[bot]';

function find(req: HandlerRequest): DeploymentRecord | undefined {
  const id = Number(req.params.deployment_id);
  return req.state.deployments.find((d) => d.id === id && d.repo.toLowerCase() === req.repo.toLowerCase());
}

/** The contexts (statuses and check runs) that block a deployment of `sha`, as "context: state" lines. */
function failingContexts(req: HandlerRequest, sha: string, required: string[] | undefined): string[] {
  const statuses = latestStatuses(req.state.statuses(sha));
  const runs = req.state.checkRuns(sha);
  const contexts = required ?? [...new Set([...statuses.map((s) => s.context), ...runs.map((r) => r.name)])];
  const failing: string[] = [];
  for (const context of contexts) {
    const status = statuses.find((s) => s.context === context);
    const run = [...runs].reverse().find((r) => r.name === context);
    const ok =
      status?.state === 'success' ||
      (run !== undefined &&
        (run.status ?? 'completed') === 'completed' &&
        ['success', 'neutral', 'skipped'].includes(run.conclusion ?? 'success'));
    if (!ok) failing.push(`${context}: ${status?.state ?? run?.conclusion ?? run?.status ?? 'missing'}`);
  }
  return failing;
}

const createDeployment: Handler = (req) => {
  const b = req.body as {
    ref: string;
    task?: string;
    required_contexts?: string[];
    payload?: Record<string, unknown> | string;
    environment?: string;
    description?: string | null;
    transient_environment?: boolean;
    production_environment?: boolean;
  };
  const sha = req.state.sha(b.ref);
  const failing = failingContexts(req, sha, b.required_contexts);
  if (failing.length > 0) return conflict(req, `Conflict: Commit status checks failed for ${b.ref}.`);
  const environment = b.environment ?? 'production';
  const at = req.state.clock.iso();
  const d: DeploymentRecord = {
    id: req.state.nextId(),
    repo: req.repo,
    sha,
    ref: b.ref,
    task: b.task ?? 'deploy',
    environment,
    original_environment: environment,
    description: b.description ?? '',
    payload: b.payload === undefined || b.payload === '' ? {} : b.payload,
    transient_environment: b.transient_environment ?? false,
    production_environment: b.production_environment ?? environment === 'production',
    creator: BOT,
    created_at: at,
    updated_at: at,
    statuses: [],
  };
  req.state.deployments.push(d);
  return { status: 201, body: renderDeployment(d, req.ctx) };
};

const listDeployments: Handler = (req) => {
  const q = req.query as { sha?: string; ref?: string; task?: string; environment?: string };
  const matching = req.state.deployments.filter(
    (d) =>
      d.repo.toLowerCase() === req.repo.toLowerCase() &&
      (q.sha === undefined || d.sha === q.sha) &&
      (q.ref === undefined || d.ref === q.ref) &&
      (q.task === undefined || d.task === q.task) &&
      (q.environment === undefined || q.environment === null || d.environment === q.environment),
  );
  const { items, headers } = page(req, newestFirst(matching));
  return { status: 200, body: items.map((d) => renderDeployment(d, req.ctx)), headers };
};

const getDeployment: Handler = (req) => {
  const d = find(req);
  return d ? { status: 200, body: renderDeployment(d, req.ctx) } : notFound(req);
};

const createDeploymentStatus: Handler = (req) => {
  const d = find(req);
  if (!d) return notFound(req);
  const b = req.body as {
    state: DeploymentStatusRecord['state'];
    target_url?: string;
    log_url?: string;
    description?: string;
    environment?: string;
    environment_url?: string;
    auto_inactive?: boolean;
  };
  if ((b.description ?? '').length > 140) {
    return validationFailed(req, [
      {
        resource: 'DeploymentStatus',
        field: 'description',
        code: 'custom',
        message: 'description is too long (maximum is 140 characters)',
      },
    ]);
  }
  if (b.environment) d.environment = b.environment;
  const status = addStatus(req, d, {
    state: b.state,
    description: b.description ?? '',
    target_url: b.log_url ?? b.target_url ?? '',
    log_url: b.log_url ?? b.target_url ?? '',
    environment_url: b.environment_url ?? '',
  });
  if (b.state === 'success' && b.auto_inactive !== false) {
    for (const other of req.state.deployments) {
      const latest = other.statuses.at(-1);
      if (
        other.id !== d.id &&
        other.repo === d.repo &&
        other.environment === d.environment &&
        !other.transient_environment &&
        !other.production_environment &&
        latest?.state === 'success'
      ) {
        addStatus(req, other, { state: 'inactive', description: '', target_url: '', log_url: '', environment_url: '' });
      }
    }
  }
  return {
    status: 201,
    body: renderDeploymentStatus(d, status, req.ctx),
    headers: { location: `${req.ctx.apiUrl}/repos/${d.repo}/deployments/${d.id}/statuses/${status.id}` },
  };
};

function addStatus(
  req: HandlerRequest,
  d: DeploymentRecord,
  s: Omit<DeploymentStatusRecord, 'id' | 'creator' | 'created_at' | 'environment'>,
): DeploymentStatusRecord {
  const at = req.state.clock.iso();
  const status: DeploymentStatusRecord = {
    ...s,
    id: req.state.nextId(),
    environment: d.environment,
    creator: BOT,
    created_at: at,
  };
  d.statuses.push(status);
  d.updated_at = at;
  return status;
}

const listDeploymentStatuses: Handler = (req) => {
  const d = find(req);
  if (!d) return notFound(req);
  const { items, headers } = page(req, [...d.statuses].reverse());
  return { status: 200, body: items.map((s) => renderDeploymentStatus(d, s, req.ctx)), headers };
};

export const deploymentHandlers: Record<string, Handler> = {
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/get-deployment': getDeployment,
  'repos/create-deployment-status': createDeploymentStatus,
  'repos/list-deployment-statuses': listDeploymentStatuses,
};
