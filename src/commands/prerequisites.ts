/**
 * Pure argv builders and output parsers for the deploy prerequisites pre-deploy-check asks a host about: the state
 * directory, sudo rules, nginx's master process, a Docker socket. Nothing here runs anything. The scripts are
 * constants; every value reaches them as a positional argument, never inside the script text.
 */

/**
 * Prints `<writable|not-writable> <exists|missing|not-a-directory> <dir>` for the state directory `$1`: `dir` is `$1`
 * itself when it exists, else its nearest existing ancestor (where deploy's `mkdir -p` would create it). Writability
 * is proven by writing (dd conv=fsync, as the journal is written) and removing a probe file `.runbook-probe.<shell
 * pid>` there; nothing is left behind, not even a created directory. A line `unreadable <file>` follows when `$2`
 * (the journal) exists but cannot be read. dd's error, if any, is on stderr.
 */
const STATE_DIR_SCRIPT = [
  'd=$1',
  'while [ ! -e "$d" ] && [ ! -L "$d" ]; do d=$(dirname -- "$d"); done',
  '[ "$d" = "$1" ] && where=exists || where=missing',
  'if [ ! -d "$d" ]; then echo "not-writable not-a-directory $d"; exit 0; fi',
  'p="$d/.runbook-probe.$$"',
  'if dd of="$p" conv=fsync status=none </dev/null; then w=writable; else w=not-writable; fi',
  'rm -f -- "$p" 2>/dev/null',
  'echo "$w $where $d"',
  'if [ -e "$2" ] && [ ! -r "$2" ]; then echo "unreadable $2"; fi',
  'exit 0',
].join('; ');

/** Probe the state directory `dir` (absolute) and the journal file in it; see STATE_DIR_SCRIPT for the output. */
export const stateDirProbeArgv = (dir: string, journal: string): string[] => [
  'sh',
  '-c',
  STATE_DIR_SCRIPT,
  'sh',
  dir,
  journal,
];

export interface StateDirProbe {
  writable: boolean;
  /** `exists`: `dir` is the state directory; `missing`: it is the nearest existing ancestor deploy would create it in. */
  state: 'exists' | 'missing' | 'not-a-directory';
  dir: string;
  /** The journal, when it exists but cannot be read. */
  unreadable?: string;
}

/** Parse the probe's stdout. Throws Error when it is not the probe's output (e.g. no POSIX sh on the host). */
export function parseStateDirProbe(stdout: string): StateDirProbe {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const m = /^(writable|not-writable) (exists|missing|not-a-directory) (\/.*)$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`unexpected output of the state directory probe: ${JSON.stringify(stdout.slice(0, 200))}`);
  const unreadable = lines.slice(1).find((l) => l.startsWith('unreadable '));
  return {
    writable: m[1] === 'writable',
    state: m[2] as StateDirProbe['state'],
    dir: m[3] ?? '',
    ...(unreadable ? { unreadable: unreadable.slice('unreadable '.length) } : {}),
  };
}

/** True when argv runs its command through sudo (`sudo …`, `/usr/bin/sudo …`). */
export const isSudo = (argv: readonly string[]): boolean => /(^|\/)sudo$/.test(argv[0] ?? '');

/** A sudo argv made non-interactive (`sudo -n …`): it fails instead of asking for a password. Others unchanged. */
export const sudoNonInteractive = (argv: readonly string[]): string[] =>
  isSudo(argv) ? [argv[0] ?? 'sudo', '-n', ...sudoRest(argv)] : [...argv];

/** A sudo argv without its program and without a `-n` the config already gave (it is added once). */
const sudoRest = (argv: readonly string[]): string[] => (argv[1] === '-n' ? argv.slice(2) : argv.slice(1));

/**
 * `sudo -n -l <command…>`: exits 0 and prints the command's full path when sudoers allows it; nothing is run. It does
 * not tell whether that command needs a password (see sudoListingArgv).
 */
export const sudoListArgv = (argv: readonly string[]): string[] => [argv[0] ?? 'sudo', '-n', '-l', ...sudoRest(argv)];

/** `sudo -n -l`: the user's sudoers entries, with their NOPASSWD tags. */
export const sudoListingArgv = (sudo = 'sudo'): string[] => [sudo, '-n', '-l'];

/**
 * Whether the entry that allows `command` (a full path with arguments, as `sudo -l <command>` prints it) carries
 * NOPASSWD, read from `sudo -l` output. Tags carry over to later commands of the same line (sudoers semantics); the
 * last matching entry wins. `unknown` when no listed command matches it (e.g. an alias sudo did not expand).
 */
export function sudoPasswordFor(listing: string, command: string): 'nopasswd' | 'passwd' | 'unknown' {
  const lines = listing.split('\n');
  const start = lines.findIndex((l) => /may run the following commands/.test(l));
  let verdict: 'nopasswd' | 'passwd' | 'unknown' = 'unknown';
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const entry = /^\s+\([^)]*\)\s*(.*)$/.exec(line)?.[1];
    if (entry === undefined) continue;
    let nopasswd = false;
    for (let spec of entry.split(/(?<!\\),\s*/)) {
      for (let tag = /^([A-Z_]+):\s*/.exec(spec); tag; tag = /^([A-Z_]+):\s*/.exec(spec)) {
        if (tag[1] === 'NOPASSWD') nopasswd = true;
        if (tag[1] === 'PASSWD') nopasswd = false;
        spec = spec.slice(tag[0].length);
      }
      if (!spec.startsWith('!') && commandMatches(spec.trim(), command)) verdict = nopasswd ? 'nopasswd' : 'passwd';
    }
  }
  return verdict;
}

/** sudoers command matching, simplified: ALL, the same command, a path without arguments (any), shell wildcards. */
function commandMatches(spec: string, command: string): boolean {
  if (spec === 'ALL' || spec === command) return true;
  if (!spec.includes(' ')) return command === spec || command.startsWith(`${spec} `);
  if (!/[*?[]/.test(spec)) return false;
  const pattern = spec
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(command);
}

/** The command line of process `pid` (`nginx: master process …`); exits 1 when there is no such process. */
export const processArgsArgv = (pid: number): string[] => ['ps', '-o', 'args=', '-p', String(pid)];

/** Exits 0 when this user may signal process `pid` (kill -0 sends nothing). */
export const signalCheckArgv = (pid: number): string[] => ['kill', '-0', String(pid)];

/** A pid file's process id, or undefined when the text is not one positive integer. */
export function parsePidFile(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const pid = Number(t);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when a process command line is nginx's master (`nginx: master process …`). */
export const isNginxMaster = (args: string): boolean => /nginx: master process/.test(args);

/** The value of `-c` (the config file) in an nginx argv or a master's `ps` args; undefined when not given. */
export function nginxConfOf(args: readonly string[] | string): string | undefined {
  const words = typeof args === 'string' ? args.trim().split(/\s+/) : [...args];
  const i = words.indexOf('-c');
  return i >= 0 ? words[i + 1] : undefined;
}

/** Prints where `$1` is found on the user's PATH (as the command would run); exits non-zero when it is not. */
export const commandPathArgv = (program: string): string[] => ['sh', '-c', 'command -v "$1"', 'sh', program];

/** Prints `ok`, `denied` (no read+write permission), `not-a-socket` or `missing` for the Unix socket `$1`. */
const SOCKET_SCRIPT =
  'if [ -S "$1" ]; then if [ -r "$1" ] && [ -w "$1" ]; then echo ok; else echo denied; fi; ' +
  'elif [ -e "$1" ]; then echo not-a-socket; else echo missing; fi';

export type SocketAccess = 'ok' | 'denied' | 'not-a-socket' | 'missing';

/** Whether this user may connect to the Unix socket `path`; see SOCKET_SCRIPT. */
export const socketAccessArgv = (path: string): string[] => ['sh', '-c', SOCKET_SCRIPT, 'sh', path];

/** Parse socketAccessArgv's output; undefined when it is something else. */
export function parseSocketAccess(stdout: string): SocketAccess | undefined {
  const t = stdout.trim();
  return t === 'ok' || t === 'denied' || t === 'not-a-socket' || t === 'missing' ? t : undefined;
}

/** The kernel's range of ports for outgoing connections (Linux): `32768\t60999`. */
export const ephemeralRangeArgv = (): string[] => ['cat', '--', '/proc/sys/net/ipv4/ip_local_port_range'];

/** `32768\t60999\n` → [32768, 60999]; undefined when it is not two port numbers. */
export function parseEphemeralRange(stdout: string): [number, number] | undefined {
  const [lo, hi] = stdout.trim().split(/\s+/).map(Number);
  return Number.isInteger(lo) && Number.isInteger(hi) && (lo as number) > 0 && (lo as number) <= (hi as number)
    ? [lo as number, hi as number]
    : undefined;
}
