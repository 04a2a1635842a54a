import { smokeTestAction } from '../actions/smoke-test.js';
import { runModule } from '../actions/module.js';

void runModule(smokeTestAction);
