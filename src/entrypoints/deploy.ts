import { deployAction } from '../actions/deploy.js';
import { runModule } from '../actions/module.js';

void runModule(deployAction);
