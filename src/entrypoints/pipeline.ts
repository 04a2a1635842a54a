import { pipelineAction } from '../actions/declare/pipeline.js';
import { runModule } from '../actions/module.js';

void runModule(pipelineAction);
