import { backupAction } from '../actions/backup.js';
import { runModule } from '../actions/module.js';

void runModule(backupAction);
