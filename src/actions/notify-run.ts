/**
 * The webhook notifications of a run (config `notifications:`): start, success, refusal, rollback, failure, with
 * the version, environment, actor and links (the run, the commit, the environment's URL and deployments page). A
 * hook that fails is a warning (../notify/send.ts); it never changes the run's outcome.
 */
import type { Config } from '../config/schema.js';
import { githubContext, runLinks } from '../github/context.js';
import type { NotifyKind } from '../notify/events.js';
import { notify } from '../notify/send.js';
import type { ActionRun } from './module.js';

export interface RunEvent {
  kind: NotifyKind;
  environment: string;
  version: string;
  url?: string;
  releaseId?: string;
  previousVersion?: string;
  restoredVersion?: string;
  reason?: string;
}

/** Send `e` to the hooks configured for its kind and environment (none configured: nothing happens). */
export async function notifyRun(run: ActionRun<unknown>, config: Config, e: RunEvent): Promise<void> {
  const hooks = config.notifications ?? [];
  if (hooks.length === 0) return;
  const context = githubContext(run.runner.env);
  const links = runLinks(context, e.environment);
  await notify(
    hooks,
    {
      ...e,
      app: config.app,
      actor: context.actor,
      links: { run: links.run, commit: links.commit, deployment: links.environment, environment: e.url },
    },
    // Not the run's signal: a cancelled run's failure is still told, each hook bounded by its own timeout.
    { env: run.runner.env, log: run.log },
  );
}
