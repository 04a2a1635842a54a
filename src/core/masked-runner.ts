import type { Runner } from './runner.js';
import { untrusted } from './untrusted.js';

/**
 * The runner a step talks to, with every sink that leaves the step masked (RELIABILITY.md promise 17): outputs
 * (GITHUB_OUTPUT, the CLI's printed and `--json` outputs, the smoke `report`), the job summary, the failure line.
 * Log lines are masked by the logger before `write`. In CLI mode the failure line is also made inert (`untrusted`):
 * it is printed as is, not as a workflow command, and may quote a server. Every other method passes through, and
 * whatever the wrapped runner carries besides (the CLI's `outputs` map) stays reachable on the original object.
 */
export function maskedRunner(runner: Runner, mask: (text: string) => string): Runner {
  return {
    mode: runner.mode,
    debug: runner.debug,
    env: runner.env,
    getInput: (name) => runner.getInput(name),
    setOutput: (name, value) => runner.setOutput(name, mask(value)),
    appendSummary: (markdown) => runner.appendSummary(mask(markdown)),
    saveState: (name, value) => runner.saveState(name, value),
    getState: (name) => runner.getState(name),
    isPost: () => runner.isPost(),
    beginMain: () => runner.beginMain(),
    setFailed: (message) => runner.setFailed(runner.mode === 'cli' ? untrusted(mask(message)) : mask(message)),
    registerSecret: (value) => runner.registerSecret(value),
    write: (line) => runner.write(line),
  };
}
