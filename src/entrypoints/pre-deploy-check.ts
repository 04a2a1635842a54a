import { preDeployCheckAction } from '../actions/declare/pre-deploy-check.js';
import { runModule } from '../actions/module.js';

void runModule(preDeployCheckAction);
