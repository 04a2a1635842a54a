import { postPipeline, runPipeline } from '../actions/pipeline.js';
import { runAction } from '../core/runner.js';

void runAction(runPipeline, postPipeline);
