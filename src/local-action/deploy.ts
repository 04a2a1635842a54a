/** actions/deploy under @github/local-action, which imports this run() (docs/local-action.md). */
import { deployAction } from '../actions/declare/deploy.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(deployAction);
