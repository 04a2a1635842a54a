import { postDeploy, runDeploy } from '../actions/deploy.js';
import { runAction } from '../core/runner.js';

void runAction(runDeploy, postDeploy);
