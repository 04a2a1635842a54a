/**
 * A fleet of N sandbox hosts for multi-host tests: each host is its own OpenSSH server (own host key, pinned) and its
 * own Docker engine (own data root, exec root, socket, containerd and cgroup parent; vfs storage, no bridge, no
 * iptables: containers use host networking, each app on its own 127.0.0.1 port), with the sandbox's test images
 * (runbook-test-app:v1 … flaky) present. The sandbox's own servers are only read from (its engine's images).
 *
 *   <tmpdir>/rbfleet-<pid>-XXXXXX/        one directory per run (mode 755: the login user reaches the sockets)
 *     id_ed25519(.pub), known_hosts       the run's fresh client key; every host's pinned host key
 *     host1/ … hostN/                     sshd_config, host_ed25519(.pub), authorized_keys, sshd.pid, sshd.log,
 *                                         daemon.json, docker.sock (root:<login user's group> 660), dockerd.pid,
 *                                         dockerd.log, data/ (data root), exec/ (exec root)
 *
 * The images come from a prepared data root (a dockerd that `docker load`ed the sandbox engine's `docker save` once),
 * cached in .sandbox/fleet-template/<hash of the image ids and dockerd's version>/ across test files and runs; each
 * host gets a copy of its metadata and hard links to its vfs layer trees (which dockerd never writes: a container's
 * layer is a copy; a plain copy when the cache is on another file system). `images: 'load'` runs `docker load` per
 * host instead (much slower; for comparison).
 *
 * Every engine reports the same `docker info` ID: dockerd 20.10 derives it from /etc/docker/key.json, one per machine
 * (the sandbox's engine has it too). Tell hosts apart by name, socket or swarm node id, never by that ID.
 *
 * stop() removes every container, stops each dockerd (then any containerd or shim it left), kills each sshd with its
 * connections, unmounts what dockerd left mounted (exec/netns/default), removes the hosts' cgroup parents and the
 * run's directory. If the process ends first (exit, or SIGTERM/SIGINT/SIGHUP: vitest ends its workers with SIGTERM),
 * the same cleanup is handed to a detached process; a run killed outright is cleaned by the next start (its pid is
 * gone). Processes are only ever signalled by the ids in their pid files (or as descendants of those), after checking
 * that their command line names this run's directory.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { SshOptions } from '../../../src/transports/ssh.js';
import { freePortRange } from './ports.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './sandbox.js';

const run = promisify(execFile);

const RUN_PREFIX = 'rbfleet-';
const TEMPLATE_CACHE = join(REPO_ROOT, '.sandbox', 'fleet-template');
const CONTAINERD_NS = 'rbfleet';

/** How each engine gets the test images. */
export type FleetImages = 'template' | 'load' | 'none';

export interface FleetOptions {
  /** The login user of every host's sshd (must exist, with a usable shell); default the sandbox's user. */
  user?: string;
  /** Default 'template' (a cached prepared data root, copied per host); 'load': docker load per host. */
  images?: FleetImages;
  /** Host names are `<prefix>1` … `<prefix>N`; default `host`. */
  prefix?: string;
  /** More sshd_config lines for every host (e.g. `AllowTcpForwarding no`). */
  sshdOptions?: string[];
  /**
   * Put each host in a network namespace of its own (helpers/swarm-nodes.ts): called with the run's directory once,
   * before any host starts; returns each host's place (index from 1). Default: every host on the runner's loopback.
   */
  network?: (runDir: string, n: number) => Promise<(index: number) => HostNetwork>;
  /**
   * Give each host a file system path of its own, as separate machines have: every host's sshd runs in a mount
   * namespace of its own (`unshare --mount`) where `at` (e.g. /srv/rbfleet, created if missing) is its directory
   * `<host dir>/fs` (owned by the login user). A config naming `/srv/rbfleet/…` (an upstream file, a state dir) then
   * means each host's own file, as on a real fleet; the test reaches it at `host.fsDir`.
   */
  ownFs?: { at: string };
}

/**
 * A host in a network namespace made by the test (`ip netns add`): its sshd and dockerd enter it (`nsenter --net`)
 * with a hostname of their own (`unshare --uts`); sshd listens on `address`, port 22. Whoever makes the namespaces
 * lists them (and any link it adds in the runner's namespace) in the run directory's `netns` and `links` files first:
 * the cleanup deletes what they name, after the processes in them are gone.
 */
export interface HostNetwork {
  netns: string;
  address: string;
  hostname: string;
  /** The engine's daemon.json (e.g. default-address-pools). */
  daemon?: Record<string, unknown>;
}

/** How long each part of a host's start took (ms), measured from startFleetHosts' call. */
export interface FleetHostTimings {
  /** sshd greeting on its port, counted from the host's own start. */
  sshd: number;
  /** The images in place (template copied, or `docker load` done) — 0 for 'none'. */
  images: number;
  /** dockerd answering /_ping, counted from its spawn. */
  dockerd: number;
  /** The whole host ready (sshd + engine with images), from the host's own start. */
  total: number;
}

export interface FleetHost {
  /** host1 … hostN (the target name in runbook.yml). */
  name: string;
  /** Its network namespace, when it has one (FleetOptions.network). */
  netns?: string;
  /** This host's directory under the run's. */
  dir: string;
  ssh: { host: string; port: number; user: string };
  /** `ssh-ed25519 AAAA…`: the host's public key. */
  hostKey: string;
  /** known_hosts pinning this host alone (`[127.0.0.1]:PORT ssh-ed25519 …`, or `ADDRESS ssh-ed25519 …` on port 22). */
  knownHosts: string;
  /** The inputs a step needs to reach this host alone. */
  inputs: { 'ssh-private-key': string; 'ssh-known-hosts': string };
  sshdLog: string;
  /** `<host dir>/fs`: what the host's commands see at `ownFs.at` (undefined without ownFs). */
  fsDir?: string;
  /** The listening sshd's pid (per-connection children are its descendants; changes with killSshd/startSshd). */
  sshdPid: number;
  /** The host's Docker socket (its `docker-socket:`); the login user's group may use it. */
  dockerSocket: string;
  /** `unix://<dockerSocket>`, for DOCKER_HOST. */
  dockerHost: string;
  dockerLog: string;
  /** The running dockerd's pid (changes with stopDocker/startDocker). */
  dockerdPid: number;
  timings: FleetHostTimings;
  /**
   * The runbook.yml target entry (flow YAML): `{ name, ssh: { host, port, user[, options] }, docker-socket[, roles] }`.
   * `roles` is written only when given (the config schema must accept it); `options` are more `ssh:` keys
   * (e.g. `connect-timeout: 2s`).
   */
  sshTargetYaml(o?: { roles?: readonly string[]; options?: string }): string;
  /** Options for connectSsh (src/transports/ssh.ts): this host, the run's key, this host's pinned key. */
  sshOptions(overrides?: Partial<SshOptions>): SshOptions;
  /** The docker CLI on the runner against this host's engine: trimmed stdout; throws on a non-zero exit. */
  docker(...args: string[]): string;
}

export interface Fleet {
  hosts: FleetHost[];
  /** The run's directory (removed by stop()). */
  dir: string;
  /** The run's client key (OpenSSH private key text) and its `ssh-ed25519 AAAA…` public key. */
  privateKey: string;
  publicKey: string;
  /** known_hosts pinning every host of the fleet. */
  knownHosts: string;
  /** The inputs a step needs to reach every host: the run's key and every host's pinned key. */
  inputs: { 'ssh-private-key': string; 'ssh-known-hosts': string };
  /** `targets:` value for every host (one flow YAML list); `roles` by host name, written only for the hosts named. */
  targetsYaml(roles?: Readonly<Record<string, readonly string[]>>): string;
  /** Wall time of the whole start (ms), the template build included when it was not cached. */
  startMs: number;
  /** Whether the template data root was built by this start (false: taken from the cache, or images not 'template'). */
  templateBuilt: boolean;
  /** Stop everything and remove the run's directory. Never throws; idempotent. */
  stop(): Promise<void>;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Cleanup: one bash script, run by stop() (async), on process exit (sync) and for a dead run's directory.        */
/* ------------------------------------------------------------------------------------------------------------- */

/**
 * `bash -c CLEANUP _ RUN_DIR`: for every host directory of RUN_DIR (any subdirectory with an sshd.pid or
 * dockerd.pid), kill the sshd tree; remove the containers and stop dockerd (SIGKILL after 20 s); kill what dockerd
 * left (containers' init processes, shims, containerd: by their pid files, checked against the run directory);
 * unmount what is mounted under RUN_DIR; remove the hosts' cgroup parents, the network namespaces and links listed in
 * RUN_DIR/netns and RUN_DIR/links; remove RUN_DIR.
 */
const CLEANUP = String.raw`
dir=$1
run_id=$(basename "$dir")
[ -d "$dir" ] || exit 0
# One cleanup of a directory at a time (stop(), the exit hand-off and the next start's sweep may meet).
{ exec 8>>"$dir/.cleanup-lock"; } 2>/dev/null || exit 0
flock -w 80 8
running() { [ -n "$1" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# ours PID: the process runs and its command line names the run directory.
ours() { running "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$dir/"; }
pidof_file() { [ -s "$1" ] && tr -dc '0-9' <"$1"; }
descendants() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do descendants "$c"; echo "$c"; done; }
wait_gone() { local i; for ((i = 0; i < $2 * 10; i++)); do running "$1" || return 0; sleep 0.1; done; return 1; }
clean_host() {
  local h=$1 pid kids sock task shim init ctr
  pid=$(pidof_file "$h/sshd.pid")
  if ours "$pid"; then
    kids=$(descendants "$pid")
    kill -KILL "$pid" $kids 2>/dev/null
  fi
  pid=$(pidof_file "$h/dockerd.pid")
  sock="$h/docker.sock"
  if ours "$pid"; then
    if [ -S "$sock" ]; then
      ids=$(timeout 10 docker -H "unix://$sock" ps -aq 2>/dev/null)
      [ -n "$ids" ] && timeout 20 docker -H "unix://$sock" rm -f $ids >/dev/null 2>&1
    fi
    kill -TERM "$pid" 2>/dev/null
    wait_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null
  fi
  # What a killed dockerd leaves: containers (each one's init is a child of its shim, whose command line names our
  # containerd's socket), the shims, containerd.
  for task in "$h"/exec/containerd/daemon/io.containerd.runtime.v2.task/*/*; do
    init=$(pidof_file "$task/init.pid")
    running "$init" || continue
    shim=$(awk '{print $4}' "/proc/$init/stat" 2>/dev/null)
    if ours "$shim"; then kill -KILL "$init" "$shim" 2>/dev/null; fi
  done
  ctr=$(pidof_file "$h/exec/containerd/containerd.pid")
  if ours "$ctr"; then
    kill -TERM "$ctr" 2>/dev/null
    wait_gone "$ctr" 5 || kill -KILL "$ctr" 2>/dev/null
  fi
}
for h in "$dir"/*; do
  [ -d "$h" ] || continue
  if [ -e "$h/sshd.pid" ] || [ -e "$h/dockerd.pid" ]; then clean_host "$h" & fi
done
wait
# Mounts under the run directory (dockerd leaves exec/netns/default), deepest first.
awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null
done
for c in /sys/fs/cgroup/*/"$run_id"-*; do
  [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
done
# Network namespaces and links the run made (helpers/swarm-nodes.ts), named in its files.
if [ -s "$dir/netns" ]; then
  while read -r ns; do [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null; done <"$dir/netns"
fi
if [ -s "$dir/links" ]; then
  # A bridge whose namespaces the kernel is still tearing down (a busy machine) may refuse at first: retried for 5 s.
  while read -r link; do
    [ -n "$link" ] || continue
    for _ in $(seq 50); do
      ip link del "$link" 2>/dev/null
      [ -e "/sys/class/net/$link" ] || break
      sleep 0.1
    done
  done <"$dir/links"
fi
rm -rf "$dir"
`;

const live = new Set<string>();
let exitHookInstalled = false;

async function cleanup(dir: string): Promise<void> {
  try {
    await run('bash', ['-c', CLEANUP, 'fleet-cleanup', dir], { timeout: 90_000 });
  } catch {
    // Best effort; what is left is found by the next start (its pid is gone by then).
  }
}

/** The cleanup of `dir` in a session of its own, outliving this process (which may be SIGKILLed next). */
function cleanupDetached(dir: string): void {
  try {
    spawn('bash', ['-c', CLEANUP, 'fleet-cleanup', dir], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    // The next start sweeps it.
  }
}

/**
 * On exit, and on SIGTERM/SIGINT/SIGHUP (vitest ends its fork workers with SIGTERM, SIGKILL 0.5 s later, so no
 * exit handler of theirs runs): hand every live run's cleanup to a detached process, then die of the signal as
 * before (re-raised when no other handler is installed).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const handOff = (): void => {
    for (const dir of live) cleanupDetached(dir);
    live.clear();
  };
  process.once('exit', handOff);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      handOff();
      process.off(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Where runs live: the temporary directory, or /tmp when its path is too long for the unix sockets under it (the
 * suite's per-run TMPDIR is; containerd's sockets sit four levels down and must stay under 108 bytes).
 */
function runsRoot(): string {
  return tmpdir().length > 40 ? '/tmp' : tmpdir();
}

/** Clean the directories of fleet runs whose process is gone (killed before its stop()); never a live run's. */
async function sweepDeadRuns(): Promise<void> {
  const root = runsRoot();
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  const dead = names.filter((n) => {
    const m = /^rbfleet-(\d+)-[A-Za-z0-9]{6}$/.exec(n);
    return m !== null && Number(m[1]) !== process.pid && !pidRunning(Number(m[1]));
  });
  await Promise.all(dead.map((n) => cleanup(join(root, n))));
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Engines                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------- */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface EngineDir {
  /** The host (or template) directory: docker.sock, dockerd.pid, dockerd.log, daemon.json, data/, exec/. */
  dir: string;
  /** The cgroup parent's name (its directories are removed by the cleanup: `<run id>-…`). */
  cgroup: string;
  /** Group owning the socket (the login user's), or undefined for root only. */
  group?: string;
  /** The host's network namespace, when it has one. */
  net?: HostNetwork;
}

/** The argv prefix that runs a program in the host's network namespace, under its own hostname. */
function inNetns(net: HostNetwork | undefined): string[] {
  if (!net) return [];
  return [
    'nsenter',
    `--net=/run/netns/${net.netns}`,
    '--',
    'unshare',
    '--uts',
    '--',
    'sh',
    '-c',
    'hostname "$0" && exec "$@"',
    net.hostname,
  ];
}

function dockerdArgv(e: EngineDir): string[] {
  return [
    '--config-file',
    join(e.dir, 'daemon.json'),
    '--data-root',
    join(e.dir, 'data'),
    '--exec-root',
    join(e.dir, 'exec'),
    '--pidfile',
    join(e.dir, 'dockerd.pid'),
    '-H',
    `unix://${join(e.dir, 'docker.sock')}`,
    ...(e.group ? ['--group', e.group] : []),
    '--storage-driver',
    'vfs',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    '--bridge=none',
    '--cgroup-parent',
    `/${e.cgroup}`,
    '--containerd-namespace',
    CONTAINERD_NS,
    '--containerd-plugins-namespace',
    `${CONTAINERD_NS}-plugins`,
  ];
}

/** Start dockerd for `e` (in a session of its own, so a terminal's ^C reaches the test, not it); wait for /_ping. */
async function startEngine(e: EngineDir): Promise<number> {
  writeFileSync(join(e.dir, 'daemon.json'), `${JSON.stringify(e.net?.daemon ?? {})}\n`);
  const socket = join(e.dir, 'docker.sock');
  rmSync(socket, { force: true });
  const log = openSync(join(e.dir, 'dockerd.log'), 'a');
  let child: ChildProcess;
  try {
    const argv = [...inNetns(e.net), 'dockerd', ...dockerdArgv(e)];
    child = spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  child.unref();
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ping(socket)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `dockerd in ${e.dir} did not answer /_ping (exit ${child.exitCode}); its log ends:\n${tail(join(e.dir, 'dockerd.log'))}`,
      );
    }
    await sleep(25);
  }
  return child.pid ?? 0;
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** The sandbox engine's test images (as tagged) and what identifies them (ids + dockerd's version). */
function sandboxImages(): { refs: string[]; key: string; host: string } {
  const docker = sandboxPart('docker');
  const app = sandboxPart('app');
  const refs = app.tags.map((t) => `${app.image}:${t}`);
  const ids = execFileSync('docker', ['-H', docker.host, 'image', 'inspect', '-f', '{{.Id}}', ...refs], {
    encoding: 'utf8',
  });
  const version = execFileSync('dockerd', ['--version'], { encoding: 'utf8' });
  const key = createHash('sha256')
    .update(`${refs.join(' ')}\n${ids}\n${version}`)
    .digest('hex')
    .slice(0, 16);
  return { refs, key, host: docker.host };
}

/**
 * The cached template for the sandbox's current images: `<cache>/<key>/data` (a stopped engine's data root holding
 * them) and `<cache>/<key>/images.tar` (their `docker save`). Built when missing, in a run directory of its own
 * (cleaned like any run's), then renamed into place: concurrent builders race harmlessly.
 */
async function ensureTemplate(): Promise<{ data: string; tar: string; built: boolean }> {
  const images = sandboxImages();
  const final = join(TEMPLATE_CACHE, images.key);
  const ready = { data: join(final, 'data'), tar: join(final, 'images.tar') };
  if (existsSync(join(final, 'complete'))) return { ...ready, built: false };
  mkdirSync(TEMPLATE_CACHE, { recursive: true });
  const build = mkdtempSync(join(runsRoot(), `${RUN_PREFIX}${process.pid}-`));
  live.add(build);
  installExitHook();
  try {
    const engine = join(build, 'template');
    mkdirSync(engine);
    const tar = join(build, 'images.tar');
    await run('docker', ['-H', images.host, 'save', '-o', tar, ...images.refs]);
    const pid = await startEngine({ dir: engine, cgroup: `${basename(build)}-template` });
    await run('docker', ['-H', `unix://${join(engine, 'docker.sock')}`, 'load', '-q', '-i', tar]);
    process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pid, 30_000))) throw new Error(`the template dockerd (pid ${pid}) did not stop`);
    const staged = mkdtempSync(join(TEMPLATE_CACHE, '.staged-'));
    await run('mv', [join(engine, 'data'), join(staged, 'data')]);
    await run('mv', [tar, join(staged, 'images.tar')]);
    writeFileSync(join(staged, 'complete'), `${images.refs.join('\n')}\n`);
    try {
      renameSync(staged, final);
    } catch {
      rmSync(staged, { recursive: true, force: true }); // another run put it there first
    }
    // Templates of images the sandbox no longer has.
    for (const old of readdirSync(TEMPLATE_CACHE)) {
      if (old !== images.key && !old.startsWith('.'))
        rmSync(join(TEMPLATE_CACHE, old), { recursive: true, force: true });
    }
    return { ...ready, built: true };
  } finally {
    await cleanup(build);
    live.delete(build);
  }
}

/** A host's data root from the template: metadata copied, the vfs layer trees hard-linked (dockerd never writes them). */
async function copyTemplate(template: string, dest: string): Promise<void> {
  mkdirSync(dest, { mode: 0o710 });
  const entries = readdirSync(template).filter((n) => n !== 'vfs');
  await run('cp', ['-a', ...entries.map((n) => join(template, n)), dest]);
  if (!existsSync(join(template, 'vfs'))) return;
  try {
    await run('cp', ['-a', '--link', join(template, 'vfs'), dest]);
  } catch {
    rmSync(join(dest, 'vfs'), { recursive: true, force: true });
    await run('cp', ['-a', join(template, 'vfs'), dest]); // another file system: no hard links
  }
}

/* ------------------------------------------------------------------------------------------------------------- */
/* sshd                                                                                                            */
/* ------------------------------------------------------------------------------------------------------------- */

function greets(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, host);
    const timer = setTimeout(() => done(false), 1000);
    function done(ok: boolean) {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    }
    s.once('data', (d) => done(d.toString().startsWith('SSH-2.0-')));
    s.once('error', () => done(false));
  });
}

function sshdConfig(o: { port: number; listen: string; dir: string; user: string; more: readonly string[] }): string {
  return [
    '# A fleet host of test/integration/helpers/fleet-hosts.ts',
    `Port ${o.port}`,
    `ListenAddress ${o.listen}`,
    `HostKey ${join(o.dir, 'host_ed25519')}`,
    `PidFile ${join(o.dir, 'sshd.pid')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    `AuthorizedKeysFile ${join(o.dir, 'authorized_keys')}`,
    'StrictModes no',
    `AllowUsers ${o.user}`,
    'PermitRootLogin no',
    'Subsystem sftp internal-sftp',
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    'MaxStartups 100:30:200',
    'MaxSessions 10',
    ...o.more,
    '',
  ].join('\n');
}

/** How a host's sshd was started: what startSshd(host) runs again (same config, port, host key, namespaces). */
interface SshdLaunch {
  argv: string[];
  port: number;
  listen: string;
  dir: string;
}

/**
 * Start the host's sshd (foreground, in a session of its own): on a free port of 127.0.0.1 (retried when the port
 * was taken meanwhile), or on port 22 of its address in its own network namespace.
 */
async function launchSshd(
  dir: string,
  user: string,
  more: readonly string[],
  net: HostNetwork | undefined,
  ownFs?: { at: string; dir: string },
): Promise<{ port: number; pid: number; launch: SshdLaunch }> {
  // In a mount namespace of its own, `at` is this host's directory (exec keeps the pid: the freeze finds it).
  const mounted = ownFs
    ? [
        'unshare',
        '--mount',
        '--propagation',
        'private',
        '--',
        'sh',
        '-c',
        'mount --bind "$1" "$2" && shift 2 && exec "$@"',
        'sh',
        ownFs.dir,
        ownFs.at,
      ]
    : [];
  const config = join(dir, 'sshd_config');
  const logPath = join(dir, 'sshd.log');
  const listen = net?.address ?? '127.0.0.1';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = net ? 22 : (await freePortRange(1))[0];
    writeFileSync(config, sshdConfig({ port, listen, dir, user, more }));
    await run('/usr/sbin/sshd', ['-t', '-f', config]);
    const argv = [...inNetns(net), ...mounted, '/usr/sbin/sshd', '-D', '-f', config, '-E', logPath];
    const launch = { argv, port, listen, dir };
    const pid = await spawnSshd(launch);
    if (pid !== undefined) return { port, pid, launch };
  }
  throw new Error(`the sshd in ${dir} did not start; its log ends:\n${tail(logPath)}`);
}

/** Spawn `launch.argv` and wait (5 s at most) for its greeting: its pid, or undefined (killed) when none came. */
async function spawnSshd(launch: SshdLaunch): Promise<number | undefined> {
  const child = spawn(launch.argv[0] as string, launch.argv.slice(1), { detached: true, stdio: 'ignore' });
  child.unref();
  // Until the first greeting, the pid file may not be written yet: the one the cleanup reads.
  writeFileSync(join(launch.dir, 'sshd.pid'), `${child.pid}\n`);
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return undefined;
    if (await greets(launch.port, launch.listen)) return child.pid ?? 0;
    await sleep(50);
  }
  if (child.exitCode === null) child.kill('SIGKILL');
  return undefined;
}

/** The pids of `pid`'s descendants (children first found, then theirs), from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses; the last ')' ends it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * SIGSTOP the host's sshd: the listener first (no new connection is served: the kernel still accepts the TCP
 * connection, but no greeting ever comes), then every process under it (per-connection sshd, the sessions and their
 * commands), so open connections hang too. Repeated until the tree stops growing.
 */
export function freezeSshd(host: FleetHost): void {
  signalAll([host.sshdPid], 'SIGSTOP');
  const stopped = new Set<number>();
  for (let round = 0; round < 10; round++) {
    const fresh = descendants(host.sshdPid).filter((p) => !stopped.has(p));
    if (fresh.length === 0) return;
    signalAll(fresh, 'SIGSTOP');
    for (const p of fresh) stopped.add(p);
  }
}

/** SIGCONT the host's sshd and everything under it. */
export function thawSshd(host: FleetHost): void {
  signalAll([...descendants(host.sshdPid), host.sshdPid], 'SIGCONT');
}

/**
 * Kill the host's sshd as a lost machine would drop it: the listener and every process under it (per-connection
 * sshd, sessions, their commands) are first stopped (a killed parent's children would leave its tree, and a running
 * listener could fork more), then SIGKILLed together, so every open SSH connection breaks at once and new ones are
 * refused. Resolves when the listener is gone (at most 10 s). The host's dockerd, containers and nginx keep running.
 */
export async function killSshd(host: FleetHost): Promise<void> {
  const pid = host.sshdPid;
  if (!pidRunning(pid)) return;
  signalAll([pid], 'SIGSTOP');
  const tree = new Set<number>([pid]);
  for (let round = 0; round < 10; round++) {
    const fresh = descendants(pid).filter((p) => !tree.has(p));
    if (fresh.length === 0) break;
    signalAll(fresh, 'SIGSTOP');
    for (const p of fresh) tree.add(p);
  }
  signalAll([...tree], 'SIGKILL');
  if (!(await waitGone(pid, 10_000))) throw new Error(`${host.name}: sshd (pid ${pid}) did not die within 10 s`);
}

/**
 * Start the host's sshd again after killSshd: the same command line (its sshd_config, port, host key, network and
 * mount namespaces), so the pinned host key and the target's address still hold. Resolves once it greets.
 */
export async function startSshd(host: FleetHost): Promise<void> {
  if (pidRunning(host.sshdPid)) throw new Error(`${host.name}: sshd (pid ${host.sshdPid}) still runs`);
  const launch = sshds.get(host);
  if (!launch) throw new Error(`${host.name} is not a host of startFleetHosts`);
  const pid = await spawnSshd(launch);
  if (pid === undefined)
    throw new Error(`${host.name}: sshd did not start again; its log ends:\n${tail(host.sshdLog)}`);
  host.sshdPid = pid;
}

const sshds = new WeakMap<FleetHost, SshdLaunch>();

/**
 * Stop the host's dockerd: SIGTERM (it stops its containers with their grace, then its containerd) and wait for it
 * (at most 30 s). `SIGKILL` kills it as a crash would: its containerd goes with it, the containers keep running
 * (under their shims) and serving until startDocker — dockerd, without live-restore, then stops them (they show
 * Exited) — or stop().
 */
export async function stopDocker(host: FleetHost, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const pid = host.dockerdPid;
  if (!pidRunning(pid)) return;
  process.kill(pid, signal);
  if (!(await waitGone(pid, 30_000))) throw new Error(`${host.name}: dockerd (pid ${pid}) did not stop within 30 s`);
}

/**
 * Start the host's dockerd again after stopDocker (same data root, socket and flags). After a SIGKILL its containerd
 * died with it but may linger as a zombie (PID 1 here reaps late), which dockerd would take for a running containerd
 * and wait for: its pid file goes first.
 */
export async function startDocker(host: FleetHost): Promise<void> {
  if (pidRunning(host.dockerdPid)) throw new Error(`${host.name}: dockerd (pid ${host.dockerdPid}) still runs`);
  const ctrPid = join(host.dir, 'exec/containerd/containerd.pid');
  if (existsSync(ctrPid) && !pidRunning(Number(readFileSync(ctrPid, 'utf8').trim()))) rmSync(ctrPid, { force: true });
  (host as { dockerdPid: number }).dockerdPid = await startEngine(engineOf(host));
}

const engines = new WeakMap<FleetHost, EngineDir>();
function engineOf(host: FleetHost): EngineDir {
  const e = engines.get(host);
  if (!e) throw new Error(`${host.name} is not a host of startFleetHosts`);
  return e;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* The fleet                                                                                                       */
/* ------------------------------------------------------------------------------------------------------------- */

function primaryGroup(user: string): string {
  return execFileSync('id', ['-gn', user], { encoding: 'utf8' }).trim();
}

/** Start `n` hosts in parallel (see the file's comment). Throws, leaving nothing behind, when one does not start. */
export async function startFleetHosts(n: number, opts: FleetOptions = {}): Promise<Fleet> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`startFleetHosts: n must be a positive integer, got ${n}`);
  if (process.getuid?.() !== 0) throw new Error('startFleetHosts needs root (dockerd and sshd of its own)');
  const t0 = Date.now();
  const user = opts.user ?? sandboxSsh().user;
  const group = primaryGroup(user);
  const images = opts.images ?? 'template';
  const prefix = opts.prefix ?? 'host';
  await sweepDeadRuns();
  mkdirSync('/run/sshd', { recursive: true });

  const dir = mkdtempSync(join(runsRoot(), `${RUN_PREFIX}${process.pid}-`));
  // containerd's sockets live in each host's exec root: unix socket paths stay under 108 bytes.
  if (`${dir}/${prefix}${n}/exec/containerd/containerd.sock.ttrpc`.length > 100) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the fleet's directory ${dir} is too long for unix sockets; set TMPDIR to a shorter directory`);
  }
  chmodSync(dir, 0o755);
  live.add(dir);
  installExitHook();
  const stop = async (): Promise<void> => {
    if (!live.has(dir)) return;
    await cleanup(dir);
    live.delete(dir);
  };
  try {
    const netOf = opts.network ? await opts.network(dir, n) : undefined;
    const template = images === 'none' ? undefined : await ensureTemplate();
    const key = join(dir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${basename(dir)}-client`, '-f', key]);
    const privateKey = readFileSync(key, 'utf8');
    const publicKey = readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const runId = basename(dir);

    const startHost = async (i: number): Promise<FleetHost> => {
      const started = Date.now();
      const name = `${prefix}${i}`;
      const hdir = join(dir, name);
      mkdirSync(hdir, { mode: 0o755 });
      chmodSync(hdir, 0o755); // the login user reads authorized_keys and reaches docker.sock
      const net = netOf?.(i);
      const address = net?.address ?? '127.0.0.1';
      const engine: EngineDir = { dir: hdir, cgroup: `${runId}-${name}`, group, ...(net ? { net } : {}) };
      const sshdPart = (async () => {
        const hostKeyPath = join(hdir, 'host_ed25519');
        await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${runId}-${name}`, '-f', hostKeyPath]);
        writeFileSync(join(hdir, 'authorized_keys'), `${publicKey}\n`, { mode: 0o644 });
        const fs = opts.ownFs ? { at: opts.ownFs.at, dir: join(hdir, 'fs') } : undefined;
        if (fs) {
          mkdirSync(fs.at, { recursive: true, mode: 0o755 });
          mkdirSync(fs.dir, { mode: 0o755 });
          await run('chown', [`${user}:`, fs.dir]);
        }
        const { port, pid, launch } = await launchSshd(hdir, user, opts.sshdOptions ?? [], net, fs);
        const hostKey = readFileSync(`${hostKeyPath}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
        return { port, pid, launch, hostKey, ms: Date.now() - started };
      })();
      const dockerPart = (async () => {
        let imagesMs = 0;
        if (template && images === 'template') {
          await copyTemplate(template.data, join(hdir, 'data'));
          imagesMs = Date.now() - started;
        }
        const spawned = Date.now();
        const pid = await startEngine(engine);
        const dockerdMs = Date.now() - spawned;
        if (template && images === 'load') {
          const loading = Date.now();
          await run('docker', ['-H', `unix://${join(hdir, 'docker.sock')}`, 'load', '-q', '-i', template.tar]);
          imagesMs = Date.now() - loading;
        }
        return { pid, imagesMs, dockerdMs };
      })();
      const [s, d] = await Promise.all([sshdPart, dockerPart]);
      const knownHosts = `${s.port === 22 ? address : `[${address}]:${s.port}`} ${s.hostKey}\n`;
      const dockerSocket = join(hdir, 'docker.sock');
      const host: FleetHost = {
        name,
        ...(net ? { netns: net.netns } : {}),
        dir: hdir,
        ...(opts.ownFs ? { fsDir: join(hdir, 'fs') } : {}),
        ssh: { host: address, port: s.port, user },
        hostKey: s.hostKey,
        knownHosts,
        inputs: { 'ssh-private-key': privateKey, 'ssh-known-hosts': knownHosts },
        sshdLog: join(hdir, 'sshd.log'),
        sshdPid: s.pid,
        dockerSocket,
        dockerHost: `unix://${dockerSocket}`,
        dockerLog: join(hdir, 'dockerd.log'),
        dockerdPid: d.pid,
        timings: { sshd: s.ms, images: d.imagesMs, dockerd: d.dockerdMs, total: Date.now() - started },
        sshTargetYaml: (o = {}) => {
          const more = o.options ? `, ${o.options}` : '';
          const roles = o.roles ? `, roles: [${o.roles.join(', ')}]` : '';
          return `{ name: ${name}, ssh: { host: ${address}, port: ${s.port}, user: ${user}${more} }, docker-socket: ${dockerSocket}${roles} }`;
        },
        sshOptions: (overrides = {}) => ({
          name,
          host: address,
          port: s.port,
          user,
          privateKey,
          knownHosts,
          insecureIgnoreHostKey: false,
          connectTimeoutMs: 5000,
          keepaliveIntervalMs: 5000,
          ...overrides,
        }),
        docker: (...args) =>
          execFileSync('docker', ['-H', `unix://${dockerSocket}`, ...args], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          }).trim(),
      };
      engines.set(host, engine);
      sshds.set(host, s.launch);
      return host;
    };

    const hosts = await Promise.all(Array.from({ length: n }, (_, i) => startHost(i + 1)));
    const knownHosts = hosts.map((h) => h.knownHosts).join('');
    writeFileSync(join(dir, 'known_hosts'), knownHosts, { mode: 0o644 });
    return {
      hosts,
      dir,
      privateKey,
      publicKey,
      knownHosts,
      inputs: { 'ssh-private-key': privateKey, 'ssh-known-hosts': knownHosts },
      targetsYaml: (roles = {}) => {
        const entries = hosts.map((h) => h.sshTargetYaml(roles[h.name] ? { roles: roles[h.name] } : {}));
        return `[${entries.join(', ')}]`;
      },
      startMs: Date.now() - t0,
      templateBuilt: template?.built ?? false,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
