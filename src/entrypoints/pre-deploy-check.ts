import { runPreDeployCheck } from '../actions/pre-deploy-check.js';
import { runAction } from '../core/runner.js';

void runAction(runPreDeployCheck);
