import { promoteAction } from '../actions/declare/promote.js';
import { runModule } from '../actions/module.js';

void runModule(promoteAction);
