/** How a finished command's status reads in a message: `exit 3`, or `killed by SIGKILL` (never "exit -1"). */
import { errorLine } from '../core/stderr.js';
import type { ExecResult } from './types.js';

/** `exit <code>`, or `killed by <signal>` when the command ended by a signal (SSH and local report its name). */
export function exitText(r: Pick<ExecResult, 'code' | 'signal'>): string {
  if (r.signal) return `killed by ${r.signal.startsWith('SIG') ? r.signal : `SIG${r.signal}`}`;
  return r.code === -1 ? 'ended without an exit status' : `exit ${r.code}`;
}

/** Why a command failed, for a message: its first error line (stderr, else stdout, 300 characters), else its status. */
export function failureText(r: ExecResult): string {
  return errorLine(r.stderr).slice(0, 300) || errorLine(r.stdout).slice(0, 300) || exitText(r);
}
