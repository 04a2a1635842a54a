import { backupAction } from '../actions/declare/backup.js';
import { runModule } from '../actions/module.js';

void runModule(backupAction);
