/** nginx upstream file content and the argv around a switch. Pure. */

/** The worker processes of an nginx master: a switch is done when workers started after the reload serve. */
export const workersArgv = (masterPid: number): string[] => ['ps', '-o', 'pid=', '--ppid', String(masterPid)];

export function parsePids(stdout: string): number[] {
  return stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}
