import { runBackup } from '../actions/backup.js';
import { runAction } from '../core/runner.js';

void runAction(runBackup);
