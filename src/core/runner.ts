/**
 * The runner an action runs under: the GitHub Actions runner, or a terminal (the CLI). The action code sees only this seam, so
 * the same `run()` serves both, and tests drive it with the real runner protocol (INPUT_*, GITHUB_OUTPUT, …).
 */
export interface Runner {
  readonly mode: 'actions' | 'cli';
  /** Step debug on (ACTIONS_STEP_DEBUG / RUNNER_DEBUG, or --debug). */
  readonly debug: boolean;
  /** Raw input value, '' when absent. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  appendSummary(markdown: string): Promise<void>;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** True when this process is the action's post step. */
  isPost(): boolean;
  /** Called as main starts, so the runner knows the next run of the same entry is the post step. */
  beginMain(): void;
  setFailed(message: string): void;
  /** Register a value with the runner's own masking (add-mask). */
  registerSecret(value: string): void;
  /** Write one line of log output. */
  write(line: string): void;
  /** Environment visible to the action (secrets named by the config are read from here). */
  readonly env: Readonly<Record<string, string | undefined>>;
}
