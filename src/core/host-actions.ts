import * as core from '@actions/core';
import type { ActionHost } from './host.js';

const POST_STATE = 'runbook-is-post';

/** The GitHub Actions runner, spoken to through @actions/core (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY). */
export function actionsHost(env: NodeJS.ProcessEnv = process.env): ActionHost {
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  return {
    mode: 'actions',
    debug: core.isDebug() || env.ACTIONS_STEP_DEBUG === 'true',
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary: async (markdown) => {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    isPost: () => core.getState(POST_STATE) === 'true',
    beginMain: () => core.saveState(POST_STATE, 'true'),
    setFailed: (message) => core.setFailed(message),
    registerSecret: (value) => core.setSecret(value),
    write,
    env,
  };
}
