/** actions/promote under @github/local-action, which imports this run() (docs/local-action.md). */
import { promoteAction } from '../actions/declare/promote.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(promoteAction);
