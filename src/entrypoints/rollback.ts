import { rollbackAction } from '../actions/rollback.js';
import { runModule } from '../actions/module.js';

void runModule(rollbackAction);
