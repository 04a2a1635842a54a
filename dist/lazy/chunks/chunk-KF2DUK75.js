// src/commands/prerequisites.ts
var STATE_DIR_SCRIPT = [
  "d=$1",
  'while [ ! -e "$d" ] && [ ! -L "$d" ]; do d=$(dirname -- "$d"); done',
  '[ "$d" = "$1" ] && where=exists || where=missing',
  'if [ ! -d "$d" ]; then echo "not-writable not-a-directory $d"; exit 0; fi',
  'p="$d/.runbook-probe.$$"',
  'if dd of="$p" conv=fsync status=none </dev/null; then w=writable; else w=not-writable; fi',
  'rm -f -- "$p" 2>/dev/null',
  'echo "$w $where $d"',
  'if [ -e "$2" ] && [ ! -r "$2" ]; then echo "unreadable $2"; fi',
  "exit 0"
].join("; ");
var stateDirProbeArgv = (dir, journal) => [
  "sh",
  "-c",
  STATE_DIR_SCRIPT,
  "sh",
  dir,
  journal
];
function parseStateDirProbe(stdout) {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  const m = /^(writable|not-writable) (exists|missing|not-a-directory) (\/.*)$/.exec(lines[0] ?? "");
  if (!m) throw new Error(`unexpected output of the state directory probe: ${JSON.stringify(stdout.slice(0, 200))}`);
  const unreadable = lines.slice(1).find((l) => l.startsWith("unreadable "));
  return {
    writable: m[1] === "writable",
    state: m[2],
    dir: m[3] ?? "",
    ...unreadable ? { unreadable: unreadable.slice("unreadable ".length) } : {}
  };
}
var isSudo = (argv) => /(^|\/)sudo$/.test(argv[0] ?? "");
var sudoNonInteractive = (argv) => isSudo(argv) ? [argv[0] ?? "sudo", "-n", ...sudoRest(argv)] : [...argv];
var sudoRest = (argv) => argv[1] === "-n" ? argv.slice(2) : argv.slice(1);
var sudoListArgv = (argv) => [argv[0] ?? "sudo", "-n", "-l", ...sudoRest(argv)];
var sudoListingArgv = (sudo = "sudo") => [sudo, "-n", "-l"];
function sudoPasswordFor(listing, command) {
  const lines = listing.split("\n");
  const start = lines.findIndex((l) => /may run the following commands/.test(l));
  let verdict = "unknown";
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const entry = /^\s+\([^)]*\)\s*(.*)$/.exec(line)?.[1];
    if (entry === void 0) continue;
    let nopasswd = false;
    for (let spec of entry.split(/(?<!\\),\s*/)) {
      for (let tag = /^([A-Z_]+):\s*/.exec(spec); tag; tag = /^([A-Z_]+):\s*/.exec(spec)) {
        if (tag[1] === "NOPASSWD") nopasswd = true;
        if (tag[1] === "PASSWD") nopasswd = false;
        spec = spec.slice(tag[0].length);
      }
      if (!spec.startsWith("!") && commandMatches(spec.trim(), command)) verdict = nopasswd ? "nopasswd" : "passwd";
    }
  }
  return verdict;
}
function commandMatches(spec, command) {
  if (spec === "ALL" || spec === command) return true;
  if (!spec.includes(" ")) return command === spec || command.startsWith(`${spec} `);
  if (!/[*?[]/.test(spec)) return false;
  const pattern = spec.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(command);
}
var processArgsArgv = (pid) => ["ps", "-o", "args=", "-p", String(pid)];
var signalCheckArgv = (pid) => ["kill", "-0", String(pid)];
function parsePidFile(text) {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return void 0;
  const pid = Number(t);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : void 0;
}
var isNginxMaster = (args) => /nginx: master process/.test(args);
function nginxConfOf(args) {
  const words = typeof args === "string" ? args.trim().split(/\s+/) : [...args];
  const i = words.indexOf("-c");
  return i >= 0 ? words[i + 1] : void 0;
}
var commandPathArgv = (program) => ["sh", "-c", 'command -v "$1"', "sh", program];
var SOCKET_SCRIPT = 'if [ -S "$1" ]; then if [ -r "$1" ] && [ -w "$1" ]; then echo ok; else echo denied; fi; elif [ -e "$1" ]; then echo not-a-socket; else echo missing; fi';
var socketAccessArgv = (path) => ["sh", "-c", SOCKET_SCRIPT, "sh", path];
function parseSocketAccess(stdout) {
  const t = stdout.trim();
  return t === "ok" || t === "denied" || t === "not-a-socket" || t === "missing" ? t : void 0;
}
var ephemeralRangeArgv = () => ["cat", "--", "/proc/sys/net/ipv4/ip_local_port_range"];
function parseEphemeralRange(stdout) {
  const [lo, hi] = stdout.trim().split(/\s+/).map(Number);
  return Number.isInteger(lo) && Number.isInteger(hi) && lo > 0 && lo <= hi ? [lo, hi] : void 0;
}

export {
  stateDirProbeArgv,
  parseStateDirProbe,
  isSudo,
  sudoNonInteractive,
  sudoListArgv,
  sudoListingArgv,
  sudoPasswordFor,
  processArgsArgv,
  signalCheckArgv,
  parsePidFile,
  isNginxMaster,
  nginxConfOf,
  commandPathArgv,
  socketAccessArgv,
  parseSocketAccess,
  ephemeralRangeArgv,
  parseEphemeralRange
};
