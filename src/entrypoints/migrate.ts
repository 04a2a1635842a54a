import { migrateAction } from '../actions/declare/migrate.js';
import { runModule } from '../actions/module.js';

void runModule(migrateAction);
