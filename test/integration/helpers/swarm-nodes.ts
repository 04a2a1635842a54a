/**
 * A multi-node Docker Swarm for tests: N fleet hosts (helpers/fleet-hosts.ts), each in a network namespace of its own
 * with an address of its own, so each engine can advertise a distinct address. The first `managers` nodes are
 * managers (node1 initialises the swarm), the rest join as workers.
 *
 *   runner's namespace   bridge rbfs<id> 198.18.X.1/24 (X random, free)   — removed by stop()
 *   node<i>'s namespace  eth0 198.18.X.(10+i)/24 (a veth on the bridge), lo; sshd on port 22 of that address;
 *                        dockerd (nsenter --net, hostname node<i> via unshare --uts); a host-network service's
 *                        app listens on the node's own 127.0.0.1 (reach it with `inNode`, or through its sshd)
 *
 * Addresses are from 198.18.0.0/15 (RFC 2544 benchmarking), never a private range: the underlay 198.18.X.0/24, the
 * engines' and swarm's address pools (docker_gwbridge, ingress, overlays) 198.19.0.0/16, all inside the namespaces
 * but the bridge. Nothing routes out: the namespaces have no default route.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { type Fleet, type FleetHost, type FleetOptions, type HostNetwork, startFleetHosts } from './fleet-hosts.js';

const run = promisify(execFile);

const POOL = '198.19.0.0/16';

export interface SwarmNode extends FleetHost {
  netns: string;
  /** Its address on the test's bridge (the swarm's advertise address; its sshd listens on port 22 there). */
  address: string;
  role: 'manager' | 'worker';
  /** Its swarm node id. */
  nodeId: string;
}

export interface Swarm extends Omit<Fleet, 'hosts'> {
  nodes: SwarmNode[];
  /** node1: it initialised the swarm. */
  manager: SwarmNode;
  /** The underlay, e.g. 198.18.42.0/24, and its bridge in the runner's namespace (rbfs<id>). */
  subnet: string;
  bridge: string;
  /** Run argv (no shell) in the node's network namespace, e.g. `curl -s http://127.0.0.1:PORT/version`. */
  inNode(node: SwarmNode, argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Milliseconds the swarm part took (init, joins, every node Ready), after the hosts were up. */
  swarmMs: number;
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/** A /24 of 198.18.0.0/16 no route or address of the runner's namespace uses yet. */
async function freeSubnet(): Promise<number> {
  const used = `${(await run('ip', ['-4', 'route', 'show'])).stdout}\n${(await run('ip', ['-4', '-o', 'addr'])).stdout}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const x = 1 + Math.floor(Math.random() * 254);
    if (!used.includes(`198.18.${x}.`)) return x;
  }
  throw new Error('no free /24 in 198.18.0.0/16 on this machine');
}

/** FleetOptions.network: the bridge, then a namespace per node with a veth on it. Listed for the cleanup first. */
function bridgeNetwork(id: string, x: number): FleetOptions['network'] {
  return async (runDir, n) => {
    const bridge = `rbfs${id}`;
    const ns = (i: number) => `rbfs-${id}-${i}`;
    const veth = (i: number) => `rbfs${id}v${i}`;
    writeFileSync(`${runDir}/netns`, `${Array.from({ length: n }, (_, i) => ns(i + 1)).join('\n')}\n`);
    writeFileSync(`${runDir}/links`, `${bridge}\n`);
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `198.18.${x}.1/24`, 'dev', bridge);
    await ip('link', 'set', bridge, 'up');
    await Promise.all(
      Array.from({ length: n }, async (_, k) => {
        const i = k + 1;
        await ip('netns', 'add', ns(i));
        await ip('link', 'add', veth(i), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns(i));
        await ip('link', 'set', veth(i), 'master', bridge, 'up');
        await ip('-n', ns(i), 'addr', 'add', `198.18.${x}.${10 + i}/24`, 'dev', 'eth0');
        await ip('-n', ns(i), 'link', 'set', 'eth0', 'up');
        await ip('-n', ns(i), 'link', 'set', 'lo', 'up');
      }),
    );
    return (i: number): HostNetwork => ({
      netns: ns(i),
      address: `198.18.${x}.${10 + i}`,
      hostname: `node${i}`,
      daemon: { 'default-address-pools': [{ base: POOL, size: 24 }] },
    });
  };
}

/**
 * `n` fleet hosts that are separate machines as far as the deploy can tell: each in a network namespace of its own
 * (its own 198.18.X.(10+i) address and loopback, so every host's apps may use the same ports) — no swarm.
 */
export async function startIsolatedHosts(n: number, opts: Omit<FleetOptions, 'network'> = {}): Promise<Fleet> {
  const id = randomBytes(3).toString('hex');
  const x = await freeSubnet();
  return startFleetHosts(n, { ...opts, network: bridgeNetwork(id, x) });
}

/**
 * Start `n` swarm nodes (1 ≤ managers ≤ n; default 1 manager). Throws, leaving nothing behind, when a node does not
 * start or join. stop() removes the nodes, their namespaces and the bridge.
 */
export async function startSwarmNodes(
  n: number,
  opts: Omit<FleetOptions, 'network' | 'prefix'> & { managers?: number } = {},
): Promise<Swarm> {
  const managers = opts.managers ?? 1;
  if (managers < 1 || managers > n) throw new Error(`startSwarmNodes: managers must be 1…${n}, got ${managers}`);
  const id = randomBytes(3).toString('hex');
  const x = await freeSubnet();
  const fleet = await startFleetHosts(n, { ...opts, prefix: 'node', network: bridgeNetwork(id, x) });
  const started = Date.now();
  try {
    const docker = async (h: FleetHost, ...args: string[]) =>
      (await run('docker', ['-H', h.dockerHost, ...args])).stdout.trim();
    const [first, ...rest] = fleet.hosts as [FleetHost, ...FleetHost[]];
    const addressOf = (h: FleetHost) => h.ssh.host;
    await docker(
      first,
      'swarm',
      'init',
      '--advertise-addr',
      addressOf(first),
      '--listen-addr',
      `${addressOf(first)}:2377`,
      '--default-addr-pool',
      POOL,
      '--default-addr-pool-mask-length',
      '24',
    );
    const token = {
      manager: await docker(first, 'swarm', 'join-token', '-q', 'manager'),
      worker: await docker(first, 'swarm', 'join-token', '-q', 'worker'),
    };
    // Managers one at a time (raft grows one member at a time), then the workers at once.
    const role = (h: FleetHost): SwarmNode['role'] => (fleet.hosts.indexOf(h) < managers ? 'manager' : 'worker');
    const join = (h: FleetHost) =>
      docker(
        h,
        'swarm',
        'join',
        '--token',
        token[role(h)],
        '--advertise-addr',
        addressOf(h),
        '--listen-addr',
        `${addressOf(h)}:2377`,
        `${addressOf(first)}:2377`,
      );
    for (const h of rest.filter((h) => role(h) === 'manager')) await join(h);
    await Promise.all(rest.filter((h) => role(h) === 'worker').map(join));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = (await docker(first, 'node', 'ls', '--format', '{{.Status}}')).split('\n');
      if (states.length === n && states.every((s) => s === 'Ready')) break;
      if (Date.now() > deadline) throw new Error(`swarm nodes not all Ready after 30 s: ${states.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const nodes = await Promise.all(
      fleet.hosts.map(async (h): Promise<SwarmNode> => {
        const node = h as SwarmNode;
        node.address = addressOf(h);
        node.role = role(h);
        node.nodeId = await docker(h, 'info', '-f', '{{.Swarm.NodeID}}');
        if (!node.netns) throw new Error(`${h.name} has no network namespace`);
        return node;
      }),
    );
    const { hosts: _hosts, ...rest2 } = fleet;
    return {
      ...rest2,
      nodes,
      manager: nodes[0] as SwarmNode,
      subnet: `198.18.${x}.0/24`,
      bridge: `rbfs${id}`,
      swarmMs: Date.now() - started,
      inNode: async (node, argv) => {
        try {
          const r = await run('nsenter', [`--net=/run/netns/${node.netns}`, '--', ...argv]);
          return { code: 0, stdout: r.stdout, stderr: r.stderr };
        } catch (err) {
          const e = err as { code?: number; stdout?: string; stderr?: string };
          return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
        }
      },
    };
  } catch (err) {
    const logs = fleet.hosts.map(
      (h) => `${h.name}: ${readFileSync(h.dockerLog, 'utf8').split('\n').slice(-5).join('\n')}`,
    );
    await fleet.stop();
    throw new Error(`${(err as Error).message}\n${logs.join('\n')}`);
  }
}
