import { postMigrate, runMigrate } from '../actions/migrate.js';
import { runAction } from '../core/runner.js';

void runAction(runMigrate, postMigrate);
