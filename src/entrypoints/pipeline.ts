import { pipelineAction } from '../actions/pipeline.js';
import { runModule } from '../actions/module.js';

void runModule(pipelineAction);
