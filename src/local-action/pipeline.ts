/** The root action (the whole pipeline) under @github/local-action, which imports this run() (docs/local-action.md). */
import { pipelineAction } from '../actions/declare/pipeline.js';
import { localRun } from './toolkit-runner.js';

export const run = localRun(pipelineAction);
