import { preDeployCheckInputs, runPreDeployCheck } from '../actions/pre-deploy-check.js';
import type { StepFn } from '../core/context.js';
import type { InputSpecs } from '../inputs/spec.js';

export interface CliCommand {
  summary: string;
  inputs: InputSpecs;
  main: StepFn;
  post?: StepFn;
}

/** Every action, runnable from a terminal with the same input names. */
export const commands: Record<string, CliCommand> = {
  'pre-deploy-check': {
    summary: 'Check config, hosts (reachable, disk, docker, compose), secrets and deploy windows',
    inputs: preDeployCheckInputs,
    main: runPreDeployCheck,
  },
};
