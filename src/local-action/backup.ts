/** actions/backup under @github/local-action, which imports this run() (docs/local-action.md). */
import { backupAction } from '../actions/declare/backup.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(backupAction);
