/** actions/smoke-test under @github/local-action, which imports this run() (docs/local-action.md). */
import { smokeTestAction } from '../actions/declare/smoke-test.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(smokeTestAction);
