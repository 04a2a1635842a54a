/** actions/maintenance under @github/local-action, which imports this run() (docs/local-action.md). */
import { maintenanceAction } from '../actions/declare/maintenance.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(maintenanceAction);
