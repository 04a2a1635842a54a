import { maintenanceAction } from '../actions/declare/maintenance.js';
import { runModule } from '../actions/module.js';

void runModule(maintenanceAction);
