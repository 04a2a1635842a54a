/** actions/rollback under @github/local-action, which imports this run() (docs/local-action.md). */
import { rollbackAction } from '../actions/declare/rollback.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(rollbackAction);
