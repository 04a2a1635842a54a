import { preDeployCheckAction } from '../actions/pre-deploy-check.js';
import { runModule } from '../actions/module.js';

void runModule(preDeployCheckAction);
