import { smokeTestAction } from '../actions/declare/smoke-test.js';
import { runModule } from '../actions/module.js';

void runModule(smokeTestAction);
