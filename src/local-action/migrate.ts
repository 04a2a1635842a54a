/** actions/migrate under @github/local-action, which imports this run() (docs/local-action.md). */
import { migrateAction } from '../actions/declare/migrate.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(migrateAction);
