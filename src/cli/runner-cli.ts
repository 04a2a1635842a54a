import type { Runner } from '../core/runner.js';

const { appendFileSync } = process.getBuiltinModule('node:fs');

export interface CliHostOptions {
  inputs: ReadonlyMap<string, string>;
  debug: boolean;
  summaryFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the step's log lines go (default stderr: stdout is for results). */
  write?: (line: string) => void;
  /** Where the failure line goes (default: `write`). */
  fail?: (line: string) => void;
}

/** The CLI's runner, with what the CLI prints after the run: the outputs, and the failure when the step failed. */
export type CliRunner = Runner & { outputs: Map<string, string>; failure: () => string | undefined };

/** The terminal as the runner: inputs from flags, outputs kept for the CLI to print, state in memory for the post step. */
export function cliRunner(o: CliHostOptions): CliRunner {
  const state = new Map<string, string>();
  const outputs = new Map<string, string>();
  const write = o.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fail = o.fail ?? write;
  let failure: string | undefined;
  return {
    mode: 'cli',
    debug: o.debug,
    outputs,
    failure: () => failure,
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
      failure ??= message;
      fail(`✖ ${message}`);
    },
    registerSecret: () => {},
    write,
    env: o.env ?? process.env,
  };
}
