import type { Runner } from '../../../src/core/runner.js';

/** An in-memory Runner (the runner seam), recording everything the action does. */
export function memoryRunner(
  inputs: Record<string, string> = {},
  opts: { mode?: 'actions' | 'cli'; debug?: boolean; env?: Record<string, string>; post?: boolean } = {},
) {
  const record = {
    lines: [] as string[],
    outputs: new Map<string, string>(),
    state: new Map<string, string>(),
    summary: [] as string[],
    failed: [] as string[],
    secrets: [] as string[],
  };
  if (opts.post) record.state.set('post', 'true');
  const runner: Runner = {
    mode: opts.mode ?? 'actions',
    debug: opts.debug ?? false,
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => {
      record.outputs.set(name, value);
    },
    appendSummary: async (md) => {
      record.summary.push(md);
    },
    saveState: (name, value) => {
      record.state.set(name, value);
    },
    getState: (name) => record.state.get(name) ?? '',
    isPost: () => record.state.get('post') === 'true',
    beginMain: () => {},
    setFailed: (message) => {
      record.failed.push(message);
    },
    registerSecret: (value) => {
      record.secrets.push(value);
    },
    write: (line) => {
      record.lines.push(line);
    },
    env: opts.env ?? {},
  };
  return { runner, record };
}
