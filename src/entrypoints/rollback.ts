import { rollbackAction } from '../actions/declare/rollback.js';
import { runModule } from '../actions/module.js';

void runModule(rollbackAction);
