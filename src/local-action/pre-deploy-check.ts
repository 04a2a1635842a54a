/** actions/pre-deploy-check under @github/local-action, which imports this run() (docs/local-action.md). */
import { preDeployCheckAction } from '../actions/declare/pre-deploy-check.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(preDeployCheckAction);
