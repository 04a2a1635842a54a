/**
 * The whole pipeline as a story against the sandbox, each step run the way the Actions runner runs a JavaScript
 * action (the committed dist entry, INPUT_* variables, GITHUB_OUTPUT/STATE/STEP_SUMMARY files, main then post, one
 * step's outputs fed to the next): v1; v2 with a migration, smoke passes; v3 (answers 200 with a degraded body) with
 * a migration → smoke fails → rollback → v2 serves at v2's schema. A writer inserts rows and a load client reads
 * through nginx the whole time. Used by the end-to-end test (which asserts) and by `npm run demo` (which tells it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStep, type StepResult } from './action-runner.js';
import { fetchFresh } from './deploy-env.js';
import { type Load, type LoadResult, startLoad } from './load.js';
import { psql, type SandboxPostgres } from './pg-sandbox.js';
import { REPO_ROOT } from './sandbox.js';
import { type StoryApp, storyWorld } from './story-world.js';
import { startWriter, type Writer, type WriterResult } from './writer.js';

export interface StoryStep {
  name: string;
  action: string;
  /** What the story expects: the rollback with nothing to go back to, and the degraded smoke test, fail. */
  expectFailure: boolean;
  startedAt: number;
  seconds: number;
  result: StepResult;
  post?: StepResult;
  note: string;
}

export interface Story {
  app: string;
  database: string;
  config: string;
  stateDir: string;
  steps: StoryStep[];
  writer: WriterResult;
  load: LoadResult;
  /** Only the requests sent while the rollback ran. */
  rollbackLoad: LoadResult;
  /** What nginx served at the end, and the schema revision. */
  served: string;
  revision: string;
  pg: SandboxPostgres & { password: string };
  kind: StoryApp;
  /**
   * The compose app's env-file secret: how many times it appeared in any step's output or outputs, or the journal,
   * beyond the runner's own `::add-mask::` command (0 expected); undefined for the engine app.
   */
  secretLeaks?: number;
}

export interface StoryOptions {
  /** engine (default) or compose: the app as a docker-compose.yml with an env file, rolled replica by replica. */
  kind?: StoryApp;
  app?: string;
  ports?: [number, number];
  /** Called after each step (the demo prints its timeline line). */
  onStep?: (s: StoryStep) => void;
  /** Called with a line of narration. */
  onNote?: (line: string) => void;
}

export async function runStory(o: StoryOptions = {}): Promise<Story> {
  const w = storyWorld(o.app ?? 'rbstory', o.ports ?? [18600, 18609], 'local', o.kind ?? 'engine');
  const { app, dir, config, pg, url } = w;
  const db = w.database;
  const common = { config, environment: 'sandbox' };
  const env = { DB_PASSWORD: pg.password };
  const t0 = performance.now();
  const steps: StoryStep[] = [];
  const note = (line: string) => o.onNote?.(line);

  const step = async (
    name: string,
    action: string,
    inputs: Record<string, string>,
    describe: (r: StepResult) => string,
    expectFailure = false,
  ): Promise<StepResult> => {
    const startedAt = (performance.now() - t0) / 1000;
    const result = await runStep(action, { inputs: { ...common, ...inputs }, env, timeoutMs: 180_000 });
    const hasPost = readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8').includes('\n  post:');
    const post = hasPost
      ? await runStep(action, { inputs: { ...common, ...inputs }, env, state: result.state, timeoutMs: 60_000 })
      : undefined;
    const s: StoryStep = {
      name,
      action,
      expectFailure,
      startedAt,
      seconds: (performance.now() - t0) / 1000 - startedAt,
      result,
      post,
      note: describe(result),
    };
    steps.push(s);
    o.onStep?.(s);
    return result;
  };
  const error = (r: StepResult) => /::error::(.*)/.exec(r.stdout)?.[1] ?? `exit ${r.code}`;

  const writer: Writer = startWriter(pg, db);
  let load: Load | undefined;
  let rollbackLoad: LoadResult | undefined;
  let loadResult: LoadResult | undefined;
  let written: WriterResult;
  try {
    note(`a writer inserts a row into ${db}.events every 50 ms for the whole story`);
    await step('pre-deploy-check', 'pre-deploy-check', {}, (r) => `passed=${r.outputs.passed}`);
    await step('deploy v1', 'deploy', { version: 'v1' }, (r) => `release ${r.outputs['release-id']} live`);
    load = startLoad(url, { workers: 2, ratePerSecond: 40 });
    note(`a load client reads ${url} at 40 req/s from here on`);
    await step('smoke-test v1', 'smoke-test', {}, (r) => `passed=${r.outputs.passed}`);
    await step('rollback (nothing before v1)', 'rollback', {}, error, true);

    note('v2 ships migration 0001 (orders.status)');
    w.ship('0001_add_status');
    const b2 = await step(
      'backup before v2',
      'backup',
      {},
      (r) => `${r.outputs['backup-id']} verified=${r.outputs.verified}`,
    );
    await step('migrate for v2', 'migrate', { 'backup-id': b2.outputs['backup-id'] ?? '' }, revisions);
    await step(
      'deploy v2',
      'deploy',
      { version: 'v2', 'backup-id': b2.outputs['backup-id'] ?? '' },
      (r) => `release ${r.outputs['release-id']} live`,
    );
    await step('smoke-test v2', 'smoke-test', {}, (r) => `passed=${r.outputs.passed}`);

    note('v3 ships migration 0003 (customers.loyalty_tier) and answers 200 with {"status":"degraded"}');
    w.ship('0003_needs_lock');
    const b3 = await step(
      'backup before v3',
      'backup',
      {},
      (r) => `${r.outputs['backup-id']} verified=${r.outputs.verified}`,
    );
    await step('migrate for v3', 'migrate', { 'backup-id': b3.outputs['backup-id'] ?? '' }, revisions);
    const d3 = await step(
      'deploy v3 (degraded)',
      'deploy',
      { version: 'degraded', 'backup-id': b3.outputs['backup-id'] ?? '' },
      (r) => `release ${r.outputs['release-id']} live (liveness passes)`,
    );
    await step('smoke-test v3', 'smoke-test', {}, error, true);

    const during = startLoad(url, { workers: 2, ratePerSecond: 40 });
    const rollbackInputs = {
      'release-id': d3.outputs['previous-release-id'] ?? '',
      scope: 'image,migration',
      reason: 'smoke test failed',
    };
    await step(
      'rollback',
      'rollback',
      rollbackInputs,
      (r) => `restored ${r.outputs['restored-version']}, schema ${r.outputs['migration-revision']}`,
    );
    rollbackLoad = await during.stop();
    await step('rollback again (safe)', 'rollback', rollbackInputs, (r) => `restored ${r.outputs['restored-version']}`);
  } finally {
    loadResult = await load?.stop();
    written = await writer.stop();
  }
  if (!loadResult || !rollbackLoad) throw new Error('the story ended before its load ran');
  note(`load: ${loadResult.requests} requests, ${loadResult.failed} failed`);
  const secret = w.secret;
  const printed = [
    ...steps
      .flatMap((x) => [x.result, ...(x.post ? [x.post] : [])])
      .flatMap((r) => [r.stdout, r.stderr, JSON.stringify(r.outputs)]),
    readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'),
  ].join('\n');
  const secretLeaks = secret && printed.replaceAll(`::add-mask::${secret}`, '').split(secret).length - 1;
  note(`writer: ${written.acked.length} rows acknowledged, ${written.failed} statements failed`);
  return {
    app,
    database: db,
    config,
    stateDir: join(dir, 'state'),
    steps,
    writer: written,
    load: loadResult,
    rollbackLoad,
    served: await fetchFresh(url),
    revision: psql(pg, db, 'SELECT max(version) FROM schema_migrations'),
    pg,
    kind: w.kind,
    secretLeaks: secret === undefined ? undefined : Number(secretLeaks),
  };
}

const revisions = (r: StepResult) => `${r.outputs['revision-before']} → ${r.outputs['revision-after']}`;
