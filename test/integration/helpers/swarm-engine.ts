/**
 * Docker engines of a test's own made a swarm — never the shared sandbox engine, which must not enter swarm mode —
 * with a registry of its own, so Swarm pulls by digest from 127.0.0.1 and nothing is looked up off the machine (Swarm
 * tries to pull every image it runs, and an image without a registry host would be asked of Docker Hub).
 *   engines   dockerd with its own data root (under the test's directory), exec root (/run/rbsw-<hex>: containerd's
 *             socket paths must stay short), pid file, Unix socket (mode 666), cgroup parent and containerd namespace;
 *             vfs storage, no bridge, no iptables (tasks run on the host network, as the swarm driver runs them)
 *   swarm     POST /swarm/init on the manager at 127.0.0.1 with a free cluster port and data path port; each of
 *             `workers` more engines joins it advertising 127.0.0.<2+i> (Swarm's gossip binds <address>:7946, so
 *             the nodes share the machine's network namespace on loopback addresses of their own, one such swarm
 *             per machine at a time). Their tasks share the host network: a task on a worker answers on 127.0.0.1
 *             as well as on its node's address. Returns once every node is Ready (and active).
 *   registry  Debian's docker-registry on a free 127.0.0.1 port, plain HTTP, no auth, storage under the directory
 *   images    runbook-test-app:<tag> copied from the sandbox engine (docker save | docker load: the sandbox is only
 *             read), pushed as `<registry>/<repo>:<as>` per `images` entry (`v3: 'never-healthy'`), then their
 *             registry-named tags removed from the engine, so a deploy pulls them by the registry's digest
 * close() stops the registry and the engines (their tasks with them) and removes the directories, exec roots and
 * cgroup parents. Needs root.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { freePortRange } from './ports.js';
import { sandboxPart } from './sandbox.js';

export interface SwarmEngine {
  dir: string;
  /** The manager's socket. */
  socket: string;
  /** `unix://<socket>` for the docker CLI. */
  host: string;
  /** `127.0.0.1:<port>` */
  registry: string;
  /** The node ids: the manager's first, then the workers'. */
  nodes: string[];
  /** The docker CLI against the manager: trimmed stdout; throws on a non-zero exit. */
  docker(...args: string[]): string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, seconds: number, ok: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await ok()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what}`);
}

async function gone(pid: number, seconds: number): Promise<boolean> {
  try {
    await until(`pid ${pid} to exit`, seconds, () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {}
}

/** One dockerd of the test's own. */
interface Engine {
  socket: string;
  log: string;
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

async function startEngine(dir: string): Promise<Engine> {
  const hex = randomBytes(4).toString('hex');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const execRoot = `/run/rbsw-${hex}`;
  const cgroup = `/rbsw-${hex}`;
  const socket = join(dir, 'docker.sock');
  const pidFile = join(dir, 'dockerd.pid');
  mkdirSync(execRoot, { recursive: true });
  const log = join(dir, 'dockerd.log');
  const logFd = openSync(log, 'a');
  // biome-ignore format: one flag and its value per line
  const dockerd = spawn('dockerd', [
    '--data-root', join(dir, 'data'),
    '--exec-root', execRoot,
    '--pidfile', pidFile,
    '-H', `unix://${socket}`,
    '--storage-driver', 'vfs',
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    '--cgroup-parent', cgroup,
    '--containerd-namespace', `rbsw${hex}`,
    '--containerd-plugins-namespace', `rbsw${hex}-plugins`,
  ], { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  dockerd.unref();
  const agent = new Agent({ connect: { socketPath: socket } });
  const api: Engine['api'] = async (method, path, body) => {
    const res = await request(`http://docker${path}`, {
      dispatcher: agent,
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`);
    return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
  };
  const stop = async (): Promise<void> => {
    await agent.close().catch(() => undefined);
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : dockerd.pid;
    if (pid) {
      signal(pid, 'SIGTERM');
      if (!(await gone(pid, 30))) signal(pid, 'SIGKILL');
    }
    const ctr = join(execRoot, 'containerd', 'containerd.pid');
    const cpid = existsSync(ctr) ? Number(readFileSync(ctr, 'utf8').trim()) : 0;
    if (cpid > 0) {
      signal(cpid, 'SIGTERM');
      await gone(cpid, 10);
    }
    // Swarm's network namespaces stay mounted under the exec root after dockerd exits.
    const netns = join(execRoot, 'netns');
    for (const ns of existsSync(netns) ? readdirSync(netns) : []) {
      try {
        execFileSync('umount', [join(netns, ns)], { stdio: 'ignore' });
      } catch {}
    }
    rmSync(execRoot, { recursive: true, force: true });
    try {
      execFileSync('rmdir', [`/sys/fs/cgroup${cgroup}`], { stdio: 'ignore' });
    } catch {}
  };
  try {
    await until(`dockerd answering on ${socket} (see ${log})`, 60, async () => {
      if (!existsSync(socket)) return false;
      try {
        const res = await request('http://docker/_ping', { dispatcher: agent });
        return (await res.body.text()) === 'OK';
      } catch {
        return false;
      }
    });
    chmodSync(socket, 0o666);
    return { socket, log, api, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const nodeIdOf = async (e: Engine): Promise<string> =>
  ((await e.api('GET', '/info')) as { Swarm: { NodeID: string } }).Swarm.NodeID;

/**
 * Start the manager (and `workers` more engines joined to its swarm), the registry, and push `images` (tag in the
 * registry → sandbox tag).
 */
export async function startSwarmEngine(
  repo: string,
  images: Record<string, string>,
  o: { workers?: number } = {},
): Promise<SwarmEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-engine-'));
  chmodSync(dir, 0o755);
  const engines: Engine[] = [];
  let registry: ChildProcess | undefined;
  const close = async (): Promise<void> => {
    registry?.kill('SIGTERM');
    // The workers first: a manager gone first leaves them retrying to reach it.
    for (const e of [...engines].reverse()) await e.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const host = `unix://${join(dir, 'manager', 'docker.sock')}`;
  const docker = (...args: string[]) =>
    execFileSync('docker', ['-H', host, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOCKER_CONFIG: join(dir, 'client') },
    }).trim();
  try {
    const manager = await startEngine(join(dir, 'manager'));
    engines.push(manager);
    const [clusterPort] = await freePortRange(3);
    const registryPort = clusterPort + 2;
    await manager.api('POST', '/swarm/init', {
      ListenAddr: `127.0.0.1:${clusterPort}`,
      AdvertiseAddr: `127.0.0.1:${clusterPort}`,
      DataPathPort: clusterPort + 1,
    });
    const nodes = [await nodeIdOf(manager)];
    const token = ((await manager.api('GET', '/swarm')) as { JoinTokens: { Worker: string } }).JoinTokens.Worker;
    for (let i = 0; i < (o.workers ?? 0); i++) {
      const worker = await startEngine(join(dir, `worker${i + 1}`));
      engines.push(worker);
      const addr = `127.0.0.${2 + i}:${clusterPort}`;
      await worker.api('POST', '/swarm/join', {
        ListenAddr: addr,
        AdvertiseAddr: addr,
        RemoteAddrs: [`127.0.0.1:${clusterPort}`],
        JoinToken: token,
      });
      nodes.push(await nodeIdOf(worker));
    }
    // Every node Ready and active before a service is made: Swarm's scheduler places tasks only on those.
    await until('every swarm node Ready', 30, async () => {
      const listed = (await manager.api('GET', '/nodes')) as Array<{
        Spec?: { Availability?: string };
        Status?: { State?: string };
      }>;
      return (
        listed.length === nodes.length &&
        listed.every((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active')
      );
    });
    // The registry: plain HTTP on 127.0.0.1 (dockerd trusts 127.0.0.0/8 registries without TLS), no auth.
    const registryAddr = `127.0.0.1:${registryPort}`;
    const conf = join(dir, 'registry.yml');
    writeFileSync(
      conf,
      `version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: ${join(dir, 'registry')} } }\nhttp: { addr: ${registryAddr}, secret: ${randomBytes(8).toString('hex')} }\n`,
    );
    registry = spawn('docker-registry', ['serve', conf], { stdio: 'ignore' });
    await until(`docker-registry on ${registryAddr}`, 20, async () => {
      try {
        const res = await request(`http://${registryAddr}/v2/`);
        await res.body.dump();
        return res.statusCode === 200;
      } catch {
        return false;
      }
    });
    // The images, from the sandbox engine (only read) into the manager, then into the registry.
    const sources = [...new Set(Object.values(images))].map((t) => `runbook-test-app:${t}`);
    const tar = join(dir, 'images.tar');
    execFileSync('docker', ['-H', sandboxPart('docker').host, 'save', '-o', tar, ...sources], { stdio: 'ignore' });
    docker('load', '-i', tar);
    rmSync(tar);
    for (const [as, tag] of Object.entries(images)) {
      const ref = `${registryAddr}/${repo}:${as}`;
      docker('tag', `runbook-test-app:${tag}`, ref);
      docker('push', '-q', ref);
      docker('rmi', ref);
    }
    return { dir, socket: manager.socket, host, registry: registryAddr, nodes, docker, close };
  } catch (err) {
    const log = engines.at(-1)?.log;
    const tail = log && existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    await close();
    throw new Error(`${(err as Error).message}\nlast lines of dockerd's log:\n${tail}`);
  }
}
