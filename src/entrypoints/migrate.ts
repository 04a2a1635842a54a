import { migrateAction } from '../actions/migrate.js';
import { runModule } from '../actions/module.js';

void runModule(migrateAction);
