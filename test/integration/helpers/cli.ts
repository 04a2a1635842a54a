/** Running the CLI bundle as a user would, and reading step output as a log reader sees it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { recordApp } from './run-apps.js';
import { REPO_ROOT } from './sandbox.js';

/** Run dist/cli.js with `args`; resolves with the exit code and everything it printed. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd: string = REPO_ROOT,
): Promise<{ code: number | null; out: string }> {
  const at = args.findIndex((a) => a === '--config' || a === '-c');
  recordApp(at >= 0 ? args[at + 1] : 'runbook.yml', cwd);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** What a log reader sees: the runner consumes ::add-mask:: lines (they carry the values it must hide). */
export function shown(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}
