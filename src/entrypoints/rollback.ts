import { postRollback, runRollback } from '../actions/rollback.js';
import { runAction } from '../core/runner.js';

void runAction(runRollback, postRollback);
