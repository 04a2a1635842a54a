/**
 * The runner for @github/local-action (docs/local-action.md). local-action loads its .env file into process.env, so
 * INPUT_* variables reach the action as the Actions runner gives them; what the step hands back (outputs, state, the
 * job summary, the failure, secrets to mask) it collects only through its stand-in for @actions/core. This runner reads
 * inputs as the committed bundles do and sends those records through @actions/core: under local-action that is its
 * stub (the outputs table, `--post` with the saved state, GITHUB_STEP_SUMMARY), anywhere else the real toolkit, which
 * speaks the same runner protocol as src/core/runner-actions.ts. The bundles under dist/ never load this.
 */
import * as core from '@actions/core';
import type { ActionModule } from '../actions/module.js';
import { runModule } from '../actions/module.js';
import type { Runner } from '../core/runner.js';
import { actionsRunner } from '../core/runner-actions.js';

/** The state entry that marks the next run of an entry as the post step (as the runner protocol's one does). */
const POST_STATE = 'runbook-is-post';

export function toolkitRunner(env: NodeJS.ProcessEnv = process.env): Runner {
  const base = actionsRunner(env);
  return {
    ...base,
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    isPost: () => core.getState(POST_STATE) === 'true',
    beginMain: () => core.saveState(POST_STATE, 'true'),
    // As the runner's protocol: no GITHUB_STEP_SUMMARY, no summary (the toolkit would throw).
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
    },
    setFailed: (message) => {
      process.exitCode = 1;
      core.setFailed(message);
    },
    // Never `::add-mask::` on stdout: outside the Actions runner nothing swallows it, and the secret would be printed.
    registerSecret: (value) => core.setSecret(value),
    // The runner shows `::debug::` lines only with step debug on (ACTIONS_STEP_DEBUG / RUNNER_DEBUG); a terminal
    // shows everything it is given, so they are left out here unless asked for.
    write: (line) => {
      if (base.debug || !line.startsWith('::debug::')) base.write(line);
    },
  };
}

/**
 * The `run()` local-action imports from an entry under src/local-action/: the action's main, or its post step when
 * main ran first in this process (`--post` names the same entry).
 */
export function localRun(mod: ActionModule): () => Promise<void> {
  return async () => {
    await runModule(mod, { runner: toolkitRunner() });
  };
}
