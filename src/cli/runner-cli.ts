import type { Runner } from '../core/runner.js';

const { appendFileSync } = process.getBuiltinModule('node:fs');

export interface CliHostOptions {
  inputs: ReadonlyMap<string, string>;
  debug: boolean;
  summaryFile?: string;
  env?: NodeJS.ProcessEnv;
  write?: (line: string) => void;
}

/** The terminal as the runner: inputs from flags, outputs printed, state kept in memory for the post step. */
export function cliRunner(o: CliHostOptions): Runner & { outputs: Map<string, string> } {
  const state = new Map<string, string>();
  const outputs = new Map<string, string>();
  const write = o.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return {
    mode: 'cli',
    debug: o.debug,
    outputs,
    getInput: (name) => (o.inputs.get(name) ?? '').trim(),
    setOutput: (name, value) => {
      outputs.set(name, value);
    },
    appendSummary: async (markdown) => {
      if (o.summaryFile) appendFileSync(o.summaryFile, `${markdown}\n`);
    },
    saveState: (name, value) => {
      state.set(name, value);
    },
    getState: (name) => state.get(name) ?? '',
    isPost: () => false,
    beginMain: () => {},
    setFailed: (message) => {
      write(`✖ ${message}`);
      process.exitCode = 1;
    },
    registerSecret: () => {},
    write,
    env: o.env ?? process.env,
  };
}
