import { runSmokeTest } from '../actions/smoke-test.js';
import { runAction } from '../core/runner.js';

void runAction(runSmokeTest);
