import type { Runner } from './runner.js';

// The CommonJS builtins, not their ES module wrappers: `import … from 'node:fs'` builds the wrapper's every export,
// which loads fs/promises, streams and readline (~3 ms of a step's start-up) for two synchronous calls.
const { appendFileSync, writeSync } = process.getBuiltinModule('node:fs');
const { EOL } = process.getBuiltinModule('node:os');

const POST_STATE = 'runbook-is-post';

/** Workflow-command escaping, as @actions/core does it (a value cannot end the command or start a new line). */
const escapeData = (s: string): string => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string): string => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/**
 * One `name=value` record for a runner file (GITHUB_OUTPUT, GITHUB_STATE). A one-line value is written as
 * `name=value`, which the runner reads up to the end of the line, so it cannot start another record. A value with a
 * line break needs a heredoc with a delimiter nobody can guess: only then is the random generator (node's crypto, a
 * few milliseconds to load) started, so a step that fails on its inputs does not pay for it.
 */
export function fileCommandRecord(name: string, value: string): string {
  if (/^[A-Za-z0-9_.-]+$/.test(name) && !/[\r\n]/.test(value)) return `${name}=${value}${EOL}`;
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('unexpected: a value holds its delimiter');
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/**
 * The GitHub Actions runner, spoken to the way @actions/core speaks to it: INPUT_* and STATE_* variables, records
 * appended to GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY, workflow commands on stdout. Every step pays its
 * start-up before it reads its first input, so this does not load @actions/core: its module graph (node:crypto for
 * its delimiters, the HTTP client of its OIDC helper) costs more than the few lines of the protocol it would save.
 */
export function actionsRunner(
  env: NodeJS.ProcessEnv = process.env,
  /** Where the step's log lines go: standard output (file descriptor 1), or a test's collector. */
  out: (text: string) => void = (text) => writeSync(1, text),
): Runner {
  // Straight to file descriptor 1, in order, synchronously (as process.stdout writes files and pipes on Linux),
  // without setting up the stream machinery of process.stdout.
  const write = (line: string): void => {
    out(`${line}\n`);
  };
  const command = (name: string, message: string, properties: Record<string, string> = {}): void => {
    const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(v)}`);
    write(`::${name}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}`);
  };
  /** A record for the runner's GITHUB_OUTPUT / GITHUB_STATE file, or the old stdout command without one. */
  const fileCommand = (file: 'GITHUB_OUTPUT' | 'GITHUB_STATE', fallback: string, name: string, value: string): void => {
    const path = env[file];
    if (path) appendFileSync(path, fileCommandRecord(name, value), 'utf8');
    else command(fallback, value, { name });
  };
  const getState = (name: string): string => env[`STATE_${name}`] ?? '';
  return {
    mode: 'actions',
    debug: env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true',
    // As core.getInput: the runner's variable name for the input, trimmed.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setOutput: (name, value) => fileCommand('GITHUB_OUTPUT', 'set-output', name, value),
    // As core.summary.addRaw(markdown, true).write(): appended, with a line end.
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, 'utf8');
    },
    saveState: (name, value) => fileCommand('GITHUB_STATE', 'save-state', name, value),
    getState,
    isPost: () => getState(POST_STATE) === 'true',
    beginMain: () => fileCommand('GITHUB_STATE', 'save-state', POST_STATE, 'true'),
    setFailed: (message) => {
      process.exitCode = 1;
      command('error', message);
    },
    registerSecret: (value) => command('add-mask', value),
    write,
    env,
  };
}
