import { deployAction } from '../actions/declare/deploy.js';
import { runModule } from '../actions/module.js';

void runModule(deployAction);
