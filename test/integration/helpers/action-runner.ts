/**
 * Runs an action's committed bundle the way the GitHub Actions runner runs a JavaScript action: `node
 * dist/<name>/index.js` with INPUT_* variables and GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, main
 * then (optionally) post with the saved state as STATE_* variables.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordApp } from './run-apps.js';
import { REPO_ROOT } from './sandbox.js';

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

/** Parse the runner's file-command format: `name=value` lines or `name<<DELIM` … `DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export const inputEnvName = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export interface RunStepOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** State saved by main, given to post as STATE_* variables. */
  state?: Record<string, string>;
  /** Called with the child once it started (to send signals). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
  /** The step's working directory, where a relative `config` is found (the runner's GITHUB_WORKSPACE; default: the
   * repository root). */
  cwd?: string;
}

export function runStep(action: string, o: RunStepOptions = {}): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), `runner-${action}-`));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    ...o.env,
  };
  for (const [key, file] of Object.entries(files)) {
    env[key] = join(dir, file);
    writeFileSync(env[key], '');
  }
  for (const [name, value] of Object.entries(o.inputs ?? {})) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(o.state ?? {})) env[`STATE_${name}`] = value;
  const cwd = o.cwd ?? REPO_ROOT;
  recordApp(o.inputs?.config ?? 'runbook.yml', cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', action, 'index.js')], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
      const result = {
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(read('output')),
        state: parseFileCommands(read('state')),
        summary: read('summary'),
      };
      // The runner's temp directory goes with the step (a good neighbour leaves no /tmp/runner-* behind).
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
    o.onSpawn?.(child);
  });
}
