/**
 * The fleet infrastructure (helpers/fleet-hosts.ts) for multi-host tests: three hosts, each its own sshd (own pinned
 * host key) and its own Docker engine with the test images; reached over SSH with the repo's transport; apps on host
 * networking, one port per host; a frozen sshd hangs new and open connections until thawed; a stopped engine; and
 * stop() leaves nothing behind. Then helpers/swarm-nodes.ts: three engines in network namespaces of their own form
 * one Docker Swarm (one manager, two workers) that rolls a global host-network service node by node.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type SshTransport } from '../../src/transports/ssh.js';
import { captureLogger } from './helpers/capture-logger.js';
import {
  type Fleet,
  type FleetHost,
  freezeSshd,
  startDocker,
  startFleetHosts,
  stopDocker,
  thawSshd,
} from './helpers/fleet-hosts.js';
import { freePortRange } from './helpers/ports.js';
import { fetchText } from './helpers/sandbox-docker.js';
import { type Swarm, startSwarmNodes } from './helpers/swarm-nodes.js';

let fleet: Fleet;
const open: SshTransport[] = [];

async function connect(i: number, overrides = {}): Promise<SshTransport> {
  const t = await connectSsh(fleet.hosts[i]!.sshOptions(overrides), captureLogger());
  open.push(t);
  return t;
}

/** GET /version of the app on 127.0.0.1:`port`, polled until it answers (5 s at most; '' when it never did). */
async function answer(port: number): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const text = await fetchText(`http://127.0.0.1:${port}/version`).catch(() => '');
    if (text !== '') return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  return '';
}

/** Whether `p` is still pending after `ms`. */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending');
  const timer = new Promise((r) => setTimeout(() => r(marker), ms));
  return (
    (await Promise.race([
      p.then(
        () => 'settled',
        () => 'settled',
      ),
      timer,
    ])) === marker
  );
}

function running(pid: number): boolean {
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

beforeAll(async () => {
  fleet = await startFleetHosts(3);
  const lines = fleet.hosts.map((h) => `${h.name}: ${JSON.stringify(h.timings)}`);
  console.log(
    `fleet of 3 started in ${fleet.startMs} ms (template built: ${fleet.templateBuilt})\n${lines.join('\n')}`,
  );
});

afterAll(async () => {
  for (const t of open) await t.close().catch(() => {});
  await fleet?.stop();
});

describe('a fleet of three sandbox hosts', () => {
  it('gives each host its own sshd, host key and Docker engine, with the test images', () => {
    const hosts = fleet.hosts;
    expect(hosts.map((h) => h.name)).toEqual(['host1', 'host2', 'host3']);
    expect(new Set(hosts.map((h) => h.ssh.port)).size).toBe(3);
    expect(new Set(hosts.map((h) => h.hostKey)).size).toBe(3);
    expect(new Set(hosts.map((h) => h.dockerSocket)).size).toBe(3);
    for (const h of hosts) {
      expect(h.docker('info', '-f', '{{.DockerRootDir}} {{.Driver}}')).toBe(`${join(h.dir, 'data')} vfs`);
      expect(h.docker('image', 'inspect', '-f', '{{.Id}}', 'runbook-test-app:v1')).toMatch(/^sha256:/);
      expect(h.docker('images', '-q', 'runbook-test-app').split('\n').length).toBeGreaterThanOrEqual(8);
      expect(h.sshTargetYaml()).toBe(
        `{ name: ${h.name}, ssh: { host: 127.0.0.1, port: ${h.ssh.port}, user: ${h.ssh.user} }, docker-socket: ${h.dockerSocket} }`,
      );
      expect(fleet.knownHosts).toContain(h.knownHosts);
    }
    expect(fleet.targetsYaml({ host1: ['db'] })).toContain(`docker-socket: ${hosts[0]!.dockerSocket}, roles: [db] }`);
  });

  it('runs `docker -H unix://<its socket> ps` over each host’s sshd, the host key pinned', async () => {
    for (const [i, h] of fleet.hosts.entries()) {
      const t = await connect(i);
      const r = await t.exec(['docker', '-H', h.dockerHost, 'ps', '--format', '{{.ID}}'], { quiet: true });
      expect({ host: h.name, code: r.code, stderr: r.stderr }).toEqual({ host: h.name, code: 0, stderr: '' });
    }
    // host1's key pinned for host2's address: refused, each host has a key of its own.
    const [host1, host2] = fleet.hosts as [FleetHost, FleetHost];
    const wrong = host1.knownHosts.replace(`]:${host1.ssh.port} `, `]:${host2.ssh.port} `);
    const err = await connectSsh(host2.sshOptions({ knownHosts: wrong }), captureLogger()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/host key/i);
  });

  it('serves runbook-test-app:v1 on host networking, one port per host, each engine seeing only its own', async () => {
    const [first] = await freePortRange(3);
    fleet.hosts.forEach((h, i) => {
      h.docker(
        'run',
        '-d',
        '--pull=never',
        '--network',
        'host',
        '--name',
        'fleet-app',
        '-e',
        `PORT=${first + i}`,
        'runbook-test-app:v1',
      );
    });
    for (const [i, h] of fleet.hosts.entries()) {
      expect({ host: h.name, text: await answer(first + i) }).toEqual({ host: h.name, text: 'v1' });
      expect(h.docker('ps', '-q').split('\n')).toHaveLength(1);
    }
  });

  it('freezing a host’s sshd hangs new and open connections; thawing restores them', async () => {
    const host2 = fleet.hosts[1]!;
    const before = await connect(1);
    freezeSshd(host2);
    try {
      const started = Date.now();
      const err = await connectSsh(host2.sshOptions({ connectTimeoutMs: 1500 }), captureLogger()).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      const echo = before.exec(['echo', 'thawed'], { quiet: true });
      expect(await pendingAfter(echo, 1000)).toBe(true);
      // The other hosts are not affected.
      expect((await (await connect(0)).exec(['true'], { quiet: true })).code).toBe(0);
      thawSshd(host2);
      expect((await echo).stdout.trim()).toBe('thawed');
    } finally {
      thawSshd(host2);
    }
    expect((await (await connect(1)).exec(['true'], { quiet: true })).code).toBe(0);
  });

  it('stopDocker stops a host’s engine alone; startDocker brings it back', async () => {
    const host3 = fleet.hosts[2]!;
    const t = await connect(2);
    await stopDocker(host3);
    const down = await t.exec(['docker', '-H', host3.dockerHost, 'ps'], { quiet: true });
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/Cannot connect to the Docker daemon/);
    expect(fleet.hosts[0]!.docker('ps', '-q')).not.toBe('');
    await startDocker(host3);
    expect((await t.exec(['docker', '-H', host3.dockerHost, 'ps'], { quiet: true })).code).toBe(0);
  });

  it('stop() leaves no process, mount, cgroup or directory behind, an engine killed as in a crash included', async () => {
    const dir = fleet.dir;
    const host3 = fleet.hosts[2]!;
    const [port] = await freePortRange(1);
    host3.docker('run', '-d', '--pull=never', '--network', 'host', '-e', `PORT=${port}`, 'runbook-test-app:v1');
    expect(await answer(port)).toBe('v1');
    const pids: number[] = [];
    for (const h of fleet.hosts) {
      pids.push(h.sshdPid, h.dockerdPid, Number(readFileSync(join(h.dir, 'exec/containerd/containerd.pid'), 'utf8')));
      // Each running container's init and its shim (its parent).
      const tasks = join(h.dir, 'exec/containerd/daemon/io.containerd.runtime.v2.task/rbfleet');
      for (const id of existsSync(tasks) ? readdirSync(tasks) : []) {
        const init = Number(readFileSync(join(tasks, id, 'init.pid'), 'utf8'));
        pids.push(init, Number(readFileSync(`/proc/${init}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]));
      }
    }
    expect(pids).toHaveLength(3 * 3 + 3 * 2);
    expect(pids.filter((p) => !running(p))).toEqual([]);
    // host3's engine dies as in a crash: its app, under its shim, keeps serving.
    await stopDocker(host3, 'SIGKILL');
    expect(await answer(port)).toBe('v1');
    for (const t of open.splice(0)) await t.close();
    await fleet.stop();
    expect(pids.filter(running)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    const cgroups = readdirSync('/sys/fs/cgroup').flatMap((c) =>
      fleet.hosts.map((h) => `/sys/fs/cgroup/${c}/${basename(dir)}-${h.name}`).filter((p) => existsSync(p)),
    );
    expect(cgroups).toEqual([]);
  });
});

describe('a three-node Docker Swarm, one engine per network namespace', () => {
  let swarm: Swarm;
  const port = 24_000 + Math.floor(Math.random() * 1000); // in the nodes' own namespaces: free in each

  beforeAll(async () => {
    swarm = await startSwarmNodes(3, { managers: 1 });
    const lines = swarm.nodes.map((h) => `${h.name} ${h.address} ${h.role}: ${JSON.stringify(h.timings)}`);
    console.log(
      `swarm of 3 in ${swarm.subnet}: hosts ${swarm.startMs} ms, swarm ${swarm.swarmMs} ms\n${lines.join('\n')}`,
    );
  });
  afterAll(async () => {
    await swarm?.stop();
  });

  const versions = async (): Promise<string[]> =>
    Promise.all(
      swarm.nodes.map(async (n) =>
        (await swarm.inNode(n, ['curl', '-s', '-m', '2', `http://127.0.0.1:${port}/version`])).stdout.trim(),
      ),
    );

  it('has every node Ready at its own address, reached over its own sshd (port 22)', async () => {
    const ls = swarm.manager.docker('node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}');
    expect(
      ls
        .split('\n')
        .map((l) => l.trim())
        .sort(),
    ).toEqual(['node1 Ready Leader', 'node2 Ready', 'node3 Ready']);
    expect(new Set(swarm.nodes.map((n) => n.address)).size).toBe(3);
    for (const node of swarm.nodes) {
      const t = await connectSsh(node.sshOptions(), captureLogger());
      try {
        const r = await t.exec(['docker', '-H', node.dockerHost, 'info', '-f', '{{.Swarm.NodeAddr}} {{.Name}}'], {
          quiet: true,
        });
        expect(r.stdout.trim()).toBe(`${node.address} ${node.name}`);
      } finally {
        await t.close();
      }
    }
  });

  it('runs a global host-network service on every node and rolls it one node at a time', async () => {
    swarm.manager.docker(
      'service',
      'create',
      '-d',
      '--name',
      'fleet-web',
      '--mode',
      'global',
      '--network',
      'host',
      '-e',
      `PORT=${port}`,
      '--update-parallelism',
      '1',
      '--update-delay',
      '0s',
      '--update-monitor',
      '1s',
      '--update-failure-action',
      'rollback',
      'runbook-test-app:v1',
    );
    for (let i = 0; i < 100 && (await versions()).some((v) => v !== 'v1'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    swarm.manager.docker('service', 'update', '-q', '--image', 'runbook-test-app:v2', 'fleet-web');
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
  });

  it('stop() removes the nodes, their namespaces and the bridge', async () => {
    const netns = swarm.nodes.map((n) => n.netns);
    const dir = swarm.dir;
    expect(readFileSync('/proc/net/dev', 'utf8')).toContain(swarm.bridge);
    await swarm.stop();
    expect(existsSync(dir)).toBe(false);
    const left = readdirSync('/run/netns').filter((n) => netns.includes(n));
    expect(left).toEqual([]);
    // The kernel removes a bridge whose namespaces are going away asynchronously: gone within seconds.
    for (let i = 0; i < 100 && readFileSync('/proc/net/dev', 'utf8').includes(swarm.bridge); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync('/proc/net/dev', 'utf8')).not.toContain(swarm.bridge);
  });
});
