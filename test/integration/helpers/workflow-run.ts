/**
 * Runs an example workflow (workflows-examples/*.yml) end to end the way GitHub would run a `workflow_dispatch` of it,
 * on this machine: the dispatch inputs typed and checked against `on.workflow_dispatch.inputs`, jobs ordered by `needs`
 * (one at a time, in file order among the ready ones), each job's and step's `if:` evaluated with the status functions
 * (a job's `success()` means every job it depends on, transitively, succeeded; `failure()` that one failed), `env:` at
 * workflow, job and step level, step and job outputs, `needs.<job>.outputs/result`.
 *
 * Steps:
 * - `uses: acme/runbook-actions@…` (the root action) and `acme/runbook-actions/actions/<name>@…`: the action.yml is
 *   read; `with:` keys must be its inputs and its required inputs given (GitHub only warns: here it fails); defaults
 *   are filled in as the runner does; the committed bundle of `runs.main` runs through `runStep` (INPUT_*, the runner's
 *   files, cwd the workspace), and its `runs.post` after the job's last step (reverse order, with the saved state).
 * - `uses: actions/checkout@…`: nothing to do, the workspace is the checkout (its `with:` limited to what the examples
 *   pass).
 * - `run:` with bash (`bash -e`, or `bash --noprofile --norc -eo pipefail` with `shell: bash`, as the runner), cwd the
 *   workspace (or `working-directory`), GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY supported.
 * `environment:` (a name, or { name, url, deployment }) and `permissions:` / `concurrency:` are recorded, not enforced.
 * Every step gets the runner's variables (GITHUB_WORKSPACE, GITHUB_SHA, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_JOB,
 * GITHUB_API_URL, GITHUB_EVENT_PATH with the dispatch payload …). `github.token` is empty unless the test gives one
 * with a GitHub API to call (test/github-api); nothing is cancelled here, so `cancelled()` is false.
 * Anything else — another action, a matrix, `services:`, a reusable workflow, an unknown key, an expression outside
 * workflow-expr.ts's subset — throws: the run fails loudly, nothing is silently skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands, runStep } from './action-runner.js';
import { REPO_ROOT } from './sandbox.js';
import { type ExprScope, evaluateCondition, interpolate, toText, type Value } from './workflow-expr.js';

export const EXAMPLES_DIR = join(REPO_ROOT, 'workflows-examples');
const OWN_ACTIONS = /^acme\/runbook-actions(?:\/actions\/([a-z][a-z-]*))?@[\w./-]+$/;
const CHECKOUT = /^actions\/checkout@[0-9a-f]{40}$/;
const CHECKOUT_INPUTS = ['persist-credentials', 'ref', 'fetch-depth'];

/** The `github` context the harness defines (reading another field fails the run). */
export interface GithubContext {
  sha: string;
  run_id: string;
  run_attempt: string;
  actor: string;
  repository: string;
  server_url: string;
  api_url: string;
  token: string;
  event_name: string;
  ref: string;
  ref_name: string;
  workflow: string;
}

export interface WorkflowRunOptions {
  /** A file of workflows-examples/ (`rollback.yml`) or an absolute path. */
  workflow: string;
  /** The dispatch inputs, as typed in the Run workflow form. */
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** The checkout: every step's working directory and GITHUB_WORKSPACE (the team's runbook.yml lives here). */
  workspace: string;
  /** More runner environment for every step (e.g. GITHUB_API_URL of a fake GitHub API). */
  env?: Record<string, string>;
  github?: Partial<GithubContext>;
  /** The most one step may take (default 4 min; a job's timeout-minutes lowers it). */
  stepTimeoutMs?: number;
}

export type Result = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRun {
  id?: string;
  name: string;
  uses?: string;
  run?: string;
  /** The inputs given to the action (defaults filled in). */
  inputs?: Record<string, string>;
  outcome: Result;
  conclusion: Result;
  code: number | null;
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
  summary: string;
  /** How long the step (main) took. */
  ms: number;
  post?: { code: number | null; stdout: string; stderr: string };
}

export interface JobRun {
  id: string;
  name: string;
  result: Result;
  outputs: Record<string, string>;
  environment?: { name: string; url?: string; deployment?: string | boolean };
  permissions?: unknown;
  steps: StepRun[];
}

export interface WorkflowRun {
  conclusion: 'success' | 'failure';
  /** The workflow's concurrency group, evaluated. */
  concurrency?: { group: string; cancelInProgress: boolean };
  inputs: Record<string, Value>;
  jobs: Record<string, JobRun>;
  /** Job ids in the order they ran (skipped ones included). */
  order: string[];
  /** Every step's log, headed by the job and step: for failure messages. */
  log: string;
  /** A job by id (throws when there is none). */
  job(id: string): JobRun;
  /** A step of a job by its id or name (throws when there is none). */
  step(job: string, step: string): StepRun;
}

type Raw = Record<string, unknown>;

function only(where: string, obj: Raw, allowed: readonly string[]): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) throw new Error(`${where}: "${key}" is not supported by the workflow harness`);
}

const asRecord = (v: unknown, where: string): Raw => {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where} must be a mapping`);
  return v as Raw;
};

/** Dispatch inputs typed as GitHub types them, checked against the workflow's declaration. */
function dispatchInputs(on: unknown, given: Record<string, string | boolean | number>): Record<string, Value> {
  const triggers =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((t) => [t, null]))
        : asRecord(on, 'on');
  if (!('workflow_dispatch' in triggers)) throw new Error('the harness runs workflow_dispatch workflows only');
  const declared = asRecord(asRecord(triggers.workflow_dispatch, 'on.workflow_dispatch').inputs, 'inputs');
  for (const name of Object.keys(given))
    if (!(name in declared)) throw new Error(`dispatch input "${name}" is not declared by the workflow`);
  const out: Record<string, Value> = {};
  for (const [name, specRaw] of Object.entries(declared)) {
    const spec = asRecord(specRaw, `inputs.${name}`);
    only(`inputs.${name}`, spec, ['description', 'type', 'required', 'default', 'options']);
    const type = (spec.type as string | undefined) ?? 'string';
    const raw = given[name] ?? (spec.default as string | boolean | number | undefined);
    if (raw === undefined || raw === '') {
      if (spec.required === true) throw new Error(`dispatch input "${name}" is required`);
      out[name] = type === 'boolean' ? false : '';
      continue;
    }
    if (type === 'boolean') {
      if (!['true', 'false'].includes(String(raw))) throw new Error(`dispatch input "${name}" must be true or false`);
      out[name] = String(raw) === 'true';
    } else if (type === 'number') out[name] = Number(raw);
    else if (type === 'choice') {
      const options = (spec.options as unknown[] | undefined)?.map(String) ?? [];
      if (!options.includes(String(raw)))
        throw new Error(`dispatch input "${name}": "${raw}" is not one of ${options.join(', ')}`);
      out[name] = String(raw);
    } else if (type === 'string' || type === 'environment') out[name] = String(raw);
    else throw new Error(`dispatch input "${name}": type ${type} is not supported by the harness`);
  }
  return out;
}

interface Action {
  /** dist/<bundle>/index.js */
  bundle: string;
  post: boolean;
  inputs: Record<string, { required?: boolean; default?: string }>;
}

function ownAction(name: string | undefined): Action {
  const path = name ? join(REPO_ROOT, 'actions', name, 'action.yml') : join(REPO_ROOT, 'action.yml');
  let meta: { inputs?: Action['inputs']; runs: { using: string; main: string; post?: string; 'post-if'?: string } };
  try {
    meta = parse(readFileSync(path, 'utf8')) as typeof meta;
  } catch (err) {
    throw new Error(`no action at ${path}: ${(err as Error).message}`);
  }
  if (meta.runs.using !== 'node24') throw new Error(`${path}: runs.using ${meta.runs.using} is not supported`);
  const bundle = /(?:^|\/)dist\/([a-z-]+)\/index\.js$/.exec(meta.runs.main)?.[1];
  if (!bundle) throw new Error(`${path}: runs.main ${meta.runs.main} is not a dist bundle`);
  if (meta.runs.post && meta.runs.post !== meta.runs.main) throw new Error(`${path}: a post of another bundle`);
  if (meta.runs.post && (meta.runs['post-if'] ?? 'always()') !== 'always()')
    throw new Error(`${path}: post-if ${meta.runs['post-if']} is not supported`);
  return { bundle, post: Boolean(meta.runs.post), inputs: meta.inputs ?? {} };
}

/** Run a bash script as the runner's `run:` does; the runner's files read back. */
function runBash(
  script: string,
  o: { shell: 'default' | 'bash'; env: Record<string, string>; cwd: string; timeoutMs: number },
): Promise<{
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  summary: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'runner-run-'));
  const file = join(dir, 'script.sh');
  writeFileSync(file, script);
  const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' };
  const env: Record<string, string> = { ...o.env, RUNNER_TEMP: dir };
  for (const [key, name] of Object.entries(files)) {
    env[key] = join(dir, name);
    writeFileSync(env[key], '');
  }
  const argv = o.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', file] : ['-e', file];
  return new Promise((done, fail) => {
    const child = spawn('bash', argv, { env, cwd: o.cwd, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n(the harness killed the step after ${o.timeoutMs} ms)`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, o.timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (f: string) => readFileSync(join(dir, f), 'utf8');
      const result = {
        code,
        stdout,
        stderr,
        outputs: parseFileCommands(read('output')),
        env: parseFileCommands(read('env')),
        summary: read('summary'),
      };
      rmSync(dir, { recursive: true, force: true });
      done(result);
    });
  });
}

/** The jobs a job depends on, directly and through them. */
function ancestors(id: string, needsOf: Map<string, string[]>, seen = new Set<string>()): Set<string> {
  for (const n of needsOf.get(id) ?? []) {
    if (!seen.has(n)) {
      seen.add(n);
      ancestors(n, needsOf, seen);
    }
  }
  return seen;
}

const textMap = (obj: Raw, scope: ExprScope): Record<string, string> =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, interpolate(toText((v ?? null) as Value), scope)]));

export async function runWorkflow(o: WorkflowRunOptions): Promise<WorkflowRun> {
  const path = isAbsolute(o.workflow) ? o.workflow : join(EXAMPLES_DIR, o.workflow);
  const wf = asRecord(parse(readFileSync(path, 'utf8')), path);
  only('workflow', wf, ['name', 'run-name', 'on', 'permissions', 'concurrency', 'env', 'jobs']);
  const inputs = dispatchInputs(wf.on, o.inputs ?? {});
  const github: GithubContext = {
    sha: 'a'.repeat(40),
    run_id: String(Date.now()),
    run_attempt: '1',
    actor: 'octocat',
    repository: 'acme/shop',
    server_url: 'https://github.com',
    api_url: o.env?.GITHUB_API_URL ?? 'https://api.github.com',
    // No token unless a test gives one with a GitHub API to call (the fixture of test/github-api): nothing else is
    // reachable from here.
    token: '',
    event_name: 'workflow_dispatch',
    ref: 'refs/heads/main',
    ref_name: 'main',
    workflow: String(wf.name ?? path),
    ...o.github,
  };
  const secrets = { GITHUB_TOKEN: github.token, ...o.secrets };
  const base = { github: github as unknown as Value, inputs, vars: { ...o.vars }, secrets };
  const scope = (more: Record<string, Value>, status?: ExprScope['status']): ExprScope => ({
    contexts: { ...base, ...more },
    strict: ['github'],
    status,
  });
  const workflowEnv = textMap(asRecord(wf.env, 'env'), scope({ env: {} }));
  // The event's payload, as the runner writes it for every step (GITHUB_EVENT_PATH).
  const eventDir = mkdtempSync(join(tmpdir(), 'runner-event-'));
  const eventPath = join(eventDir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toText(v)])),
      ref: github.ref,
      repository: { full_name: github.repository },
      sender: { login: github.actor },
      workflow: path,
    }),
  );
  const runnerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_SHA: github.sha,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_ATTEMPT: github.run_attempt,
    GITHUB_ACTOR: github.actor,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_EVENT_PATH: eventPath,
    ...o.env,
  };

  let concurrency: WorkflowRun['concurrency'];
  if (wf.concurrency !== undefined) {
    const c = typeof wf.concurrency === 'string' ? { group: wf.concurrency } : asRecord(wf.concurrency, 'concurrency');
    only('concurrency', c, ['group', 'cancel-in-progress']);
    concurrency = {
      group: interpolate(String(c.group), scope({ env: {} })),
      cancelInProgress: c['cancel-in-progress'] === true,
    };
  }

  const jobsRaw = asRecord(wf.jobs, 'jobs');
  const needsOf = new Map<string, string[]>();
  for (const [id, j] of Object.entries(jobsRaw)) {
    const job = asRecord(j, `jobs.${id}`);
    only(`jobs.${id}`, job, [
      'name',
      'needs',
      'if',
      'runs-on',
      'timeout-minutes',
      'environment',
      'permissions',
      'outputs',
      'steps',
      'env',
      'concurrency',
    ]);
    const needs = job.needs === undefined ? [] : [job.needs].flat().map(String);
    for (const n of needs) if (!(n in jobsRaw)) throw new Error(`jobs.${id} needs an unknown job ${n}`);
    needsOf.set(id, needs);
  }

  const jobs: Record<string, JobRun> = {};
  const order: string[] = [];
  const log: string[] = [];
  try {
    while (order.length < needsOf.size) {
      const ready = [...needsOf.keys()].find(
        (id) => !order.includes(id) && (needsOf.get(id) ?? []).every((n) => order.includes(n)),
      );
      if (!ready) throw new Error('the jobs need each other in a cycle');
      order.push(ready);
      jobs[ready] = await runJob(ready);
    }
  } finally {
    rmSync(eventDir, { recursive: true, force: true });
  }

  async function runJob(id: string): Promise<JobRun> {
    const job = asRecord(jobsRaw[id], `jobs.${id}`);
    const above = [...ancestors(id, needsOf)].map((n) => jobs[n]?.result);
    const needs: Record<string, Value> = Object.fromEntries(
      (needsOf.get(id) ?? []).map((n) => [n, { result: jobs[n]?.result ?? null, outputs: jobs[n]?.outputs ?? {} }]),
    );
    const jobStatus = {
      success: () => above.every((r) => r === 'success'),
      failure: () => above.some((r) => r === 'failure'),
      cancelled: () => false,
    };
    const jobScope = scope({ needs, env: workflowEnv }, jobStatus);
    const name = interpolate(String(job.name ?? id), jobScope);
    const run: JobRun = {
      id,
      name,
      result: 'skipped',
      outputs: {},
      steps: [],
      permissions: job.permissions ?? wf.permissions,
    };
    if (!evaluateCondition(job.if as string | boolean | undefined, jobScope)) {
      log.push(`=== job ${id}: skipped`);
      return run;
    }
    if (job.environment !== undefined) {
      const e =
        typeof job.environment === 'string' ? { name: job.environment } : asRecord(job.environment, 'environment');
      only(`jobs.${id}.environment`, e, ['name', 'url', 'deployment']);
      run.environment = {
        name: interpolate(String(e.name), jobScope),
        ...(e.url !== undefined ? { url: interpolate(String(e.url), jobScope) } : {}),
        ...(e.deployment !== undefined ? { deployment: e.deployment as string | boolean } : {}),
      };
    }
    const jobEnv = { ...workflowEnv, ...textMap(asRecord(job.env, 'env'), scope({ needs, env: workflowEnv })) };
    const timeoutMs = Math.min(o.stepTimeoutMs ?? 240_000, Number(job['timeout-minutes'] ?? 360) * 60_000);
    const steps: Record<string, StepRun> = {};
    /** The steps context: each earlier step with an id, its outputs, outcome and conclusion. */
    const stepsContext = (): Value =>
      Object.fromEntries(
        Object.entries(steps).map(([k, r]) => [
          k,
          { outputs: r.outputs, outcome: r.outcome, conclusion: r.conclusion },
        ]),
      );
    const posts: {
      action: Action;
      inputs: Record<string, string>;
      env: Record<string, string>;
      state: Record<string, string>;
      step: StepRun;
    }[] = [];
    const addedEnv: Record<string, string> = {};
    let failed = false;
    log.push(`=== job ${id} (${name})`);
    const rawSteps = job.steps;
    if (!Array.isArray(rawSteps) || rawSteps.length === 0) throw new Error(`jobs.${id}: no steps`);
    for (const [n, s] of rawSteps.entries()) {
      const step = asRecord(s, `jobs.${id}.steps[${n}]`);
      const where = `jobs.${id}.steps[${n}]`;
      only(where, step, [
        'id',
        'name',
        'uses',
        'with',
        'run',
        'env',
        'if',
        'shell',
        'timeout-minutes',
        'continue-on-error',
        'working-directory',
      ]);
      if ((step.uses === undefined) === (step.run === undefined))
        throw new Error(`${where}: needs exactly one of uses and run`);
      const stepStatus = { success: () => !failed, failure: () => failed, cancelled: () => false };
      const ctx = { needs, steps: stepsContext(), env: { ...jobEnv, ...addedEnv } };
      const stepName = interpolate(String(step.name ?? step.uses ?? String(step.run).split('\n')[0]), scope(ctx));
      const record: StepRun = {
        ...(step.id !== undefined ? { id: String(step.id) } : {}),
        name: stepName,
        ...(step.uses !== undefined ? { uses: String(step.uses) } : { run: String(step.run) }),
        outcome: 'skipped',
        conclusion: 'skipped',
        code: null,
        outputs: {},
        stdout: '',
        stderr: '',
        summary: '',
        ms: 0,
      };
      run.steps.push(record);
      if (step.id !== undefined) steps[String(step.id)] = record;
      if (!evaluateCondition(step.if as string | boolean | undefined, scope(ctx, stepStatus))) {
        log.push(`--- ${id} / ${stepName}: skipped`);
        continue;
      }
      const env = { ...ctx.env, ...textMap(asRecord(step.env, 'env'), scope(ctx)) };
      const stepScope = scope({ ...ctx, env });
      const stepTimeout =
        step['timeout-minutes'] === undefined
          ? timeoutMs
          : Math.min(timeoutMs, Number(step['timeout-minutes']) * 60_000);
      const started = Date.now();
      const uses = step.uses === undefined ? undefined : String(step.uses);
      const withs = textMap(asRecord(step.with, `${where}.with`), stepScope);
      if (uses !== undefined && CHECKOUT.test(uses)) {
        only(`${where}.with`, withs, CHECKOUT_INPUTS);
        record.code = 0;
      } else if (uses !== undefined) {
        const m = OWN_ACTIONS.exec(uses);
        if (!m) throw new Error(`${where}: uses ${uses} is not an action the harness can run`);
        const action = ownAction(m[1]);
        for (const key of Object.keys(withs))
          if (!(key in action.inputs)) throw new Error(`${where}: ${uses} has no input "${key}"`);
        const given: Record<string, string> = {};
        for (const [input, spec] of Object.entries(action.inputs)) {
          const value =
            withs[input] ?? (spec.default !== undefined ? interpolate(String(spec.default), stepScope) : undefined);
          if (value === undefined) {
            if (spec.required) throw new Error(`${where}: ${uses} needs its required input "${input}"`);
            continue;
          }
          given[input] = value;
        }
        record.inputs = given;
        const r = await runStep(action.bundle, {
          inputs: given,
          env: { ...runnerEnv, GITHUB_JOB: id, ...env },
          cwd: o.workspace,
          timeoutMs: stepTimeout,
        });
        Object.assign(record, {
          code: r.code,
          stdout: r.stdout,
          stderr: r.stderr,
          outputs: r.outputs,
          summary: r.summary,
        });
        if (action.post)
          posts.unshift({
            action,
            inputs: given,
            env: { ...runnerEnv, GITHUB_JOB: id, ...env },
            state: r.state,
            step: record,
          });
      } else {
        if (step.shell !== undefined && step.shell !== 'bash')
          throw new Error(`${where}: shell ${String(step.shell)} is not supported`);
        const script = interpolate(String(step.run), stepScope);
        const cwd =
          step['working-directory'] === undefined
            ? o.workspace
            : resolve(o.workspace, interpolate(String(step['working-directory']), stepScope));
        const r = await runBash(script, {
          shell: step.shell === 'bash' ? 'bash' : 'default',
          env: { ...runnerEnv, GITHUB_JOB: id, ...env },
          cwd,
          timeoutMs: stepTimeout,
        });
        Object.assign(record, {
          code: r.code,
          stdout: r.stdout,
          stderr: r.stderr,
          outputs: r.outputs,
          summary: r.summary,
        });
        Object.assign(addedEnv, r.env);
      }
      record.ms = Date.now() - started;
      record.outcome = record.code === 0 ? 'success' : 'failure';
      const tolerate = step['continue-on-error'];
      if (tolerate !== undefined && typeof tolerate !== 'boolean')
        throw new Error(`${where}: continue-on-error must be true or false`);
      record.conclusion = record.outcome === 'failure' && tolerate === true ? 'success' : record.outcome;
      if (record.conclusion === 'failure') failed = true;
      log.push(
        `--- ${id} / ${stepName}: ${record.outcome} (exit ${record.code}, ${(record.ms / 1000).toFixed(1)}s)`,
        record.stdout,
        record.stderr,
      );
    }
    for (const p of posts) {
      const r = await runStep(p.action.bundle, {
        inputs: p.inputs,
        env: p.env,
        state: p.state,
        cwd: o.workspace,
        timeoutMs,
      });
      p.step.post = { code: r.code, stdout: r.stdout, stderr: r.stderr };
      log.push(`--- ${id} / post ${p.step.name}: exit ${r.code}`, r.stdout, r.stderr);
      if (r.code !== 0) failed = true;
    }
    run.result = failed ? 'failure' : 'success';
    // Outputs are evaluated whatever the result: a rollback job reads a failed deploy's release-id.
    run.outputs = textMap(asRecord(job.outputs, 'outputs'), scope({ needs, steps: stepsContext(), env: jobEnv }));
    log.push(`=== job ${id}: ${run.result}`);
    return run;
  }

  const conclusion = Object.values(jobs).some((j) => j.result === 'failure') ? 'failure' : 'success';
  // RUNBOOK_WORKFLOW_TIMINGS=1: each step's time on stderr, to see where a test's time goes.
  if (process.env.RUNBOOK_WORKFLOW_TIMINGS === '1')
    for (const j of Object.values(jobs))
      for (const st of j.steps)
        if (st.outcome !== 'skipped')
          process.stderr.write(`${path.split('/').pop()} ${j.id} / ${st.name}: ${st.ms} ms\n`);
  return {
    conclusion,
    ...(concurrency ? { concurrency } : {}),
    inputs,
    jobs,
    order,
    log: log.join('\n'),
    job: (jobId) => {
      const j = jobs[jobId];
      if (!j) throw new Error(`no job ${jobId} in the run (jobs: ${Object.keys(jobs).join(', ')})`);
      return j;
    },
    step: (jobId, stepId) => {
      const j = jobs[jobId];
      const s = j?.steps.find((x) => x.id === stepId || x.name === stepId);
      if (!s) throw new Error(`no step ${stepId} in job ${jobId}`);
      return s;
    },
  };
}
