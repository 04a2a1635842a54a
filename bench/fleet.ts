/**
 * fleet: the wall time of one deploy (v2 over v1, rolling, 2 replicas of `web` behind nginx on every host, the engine
 * driver) to N simulated hosts, batch-size 100% (every host at once), against a 1-host deploy in the same run; and
 * the baseline, batch-size 1 (one host after another), for 10 hosts.
 *
 * A simulated host is the flow tests' fakes (test/unit/flows: a recording transport with its in-memory files and
 * nginx, a fake Docker Engine) behind an injected network: every command, Engine API call and TCP probe waits one
 * round trip (20–50 ms, seeded), an image pull 400–800 ms, opening a host's shell three round trips (the SSH
 * handshake) and its Engine API one. The deploy is the deploy action's own code path (runModule, the session, the
 * journal and lock on host1), with the system clock: the config's health interval (1s), stable period (2s) and drain
 * (1s) are really waited. v1 is put in place the same way but without the latency; only v2 is timed.
 *   npm run bench -- fleet [hosts… (default 1 100 1000)] [--no-real]
 * One JSON line per case:
 *   {"bench":"fleet","hosts":N,"seconds":S,"ratio_vs_1":R,"simulated":true,…}
 *   {"bench":"fleet","hosts":10,"baseline":"sequential",…}
 * with the phases of the run (seconds): connect (the run's start to the release's first line: lock, journal, the
 * session opening every host), rollout (from there to the last host done), after (the last host done to "is live":
 * journal, retention), and the calls per host (simulated only).
 * Then (unless --no-real) the same deploy to 1, 5 and 10 real hosts ("simulated":false, ratio against the real 1-host deploy): see
 * realCase. It needs root and the sandbox, and refuses to start while a test run (vitest run) uses the sandbox.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployAction } from '../src/actions/catalog.js';
import { runModule } from '../src/actions/module.js';
import { systemClock } from '../src/core/clock.js';
import type { EngineApi } from '../src/deploy/engine/api.js';
import type { Connector } from '../src/session/connector.js';
import { FLEET_FS, startFleetSite } from '../test/integration/helpers/fleet-site.js';
import { startIsolatedHosts } from '../test/integration/helpers/swarm-nodes.js';
import { type FleetOptions, fleetConfig, fleetWorld, hostNames } from '../test/unit/flows/fleet-world.js';
import { recordingConnector, type World } from '../test/unit/flows/world.js';
import { memoryRunner } from '../test/unit/helpers/runner.js';

/** Timings of the simulated network (ms). */
const RTT = { min: 20, max: 50 };
const PULL = { min: 400, max: 800 };
const HANDSHAKE_RTTS = 3;

/** The deploy's timings: short, as a team would set them for a fleet, and the same for every case. */
const TIMINGS: FleetOptions = { replicas: 2, interval: '1s', stable: '2s', deadline: '60s', drain: '1s' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** mulberry32: the same latencies in every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENGINE_CALLS = [
  'pullImage',
  'inspectImage',
  'tagImage',
  'removeImage',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'listContainers',
  'inspectContainer',
  'containerLogs',
  'execInContainer',
  'waitContainer',
  'connectNetwork',
  'hasVolume',
  'hasNetwork',
  'ensureVolume',
  'ensureNetwork',
] as const satisfies ReadonlyArray<keyof EngineApi>;

interface Net {
  rtt: () => number;
  pull: () => number;
  /** Calls (commands, Engine API calls, TCP probes) by host. */
  calls: Map<string, number>;
  /** Off while v1 is put in place (the timed deploy is v2). */
  on: boolean;
}

function network(seed: number): Net {
  const rand = seeded(seed);
  const between = (r: { min: number; max: number }) => () => r.min + rand() * (r.max - r.min);
  const off = () => 0;
  const rtt = between(RTT);
  const pull = between(PULL);
  const net: Net = { rtt, pull, calls: new Map(), on: true };
  net.rtt = () => (net.on ? rtt() : off());
  net.pull = () => (net.on ? pull() : off());
  return net;
}

/** Put the host `name` of `world` behind the simulated network: every call waits its round trip first. */
function simulate(world: World, name: string, net: Net): void {
  const { transport, engine } = world.host(name);
  const count = () => net.calls.set(name, (net.calls.get(name) ?? 0) + 1);
  const exec = transport.exec.bind(transport);
  transport.exec = async (argv, opts) => {
    count();
    await sleep(net.rtt());
    return exec(argv, opts);
  };
  const connectTcp = transport.connectTcp.bind(transport);
  transport.connectTcp = async (host, port) => {
    count();
    await sleep(net.rtt());
    return connectTcp(host, port);
  };
  const calls = engine as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const verb of ENGINE_CALLS) {
    const call = calls[verb]?.bind(engine);
    if (!call) continue;
    calls[verb] = async (...args: unknown[]) => {
      count();
      await sleep(verb === 'pullImage' ? net.pull() : net.rtt());
      return call(...args);
    };
  }
}

/** The world's connector, with an SSH handshake per shell and a round trip per Engine API connection. */
function slowConnector(world: World, net: Net): Connector {
  const inner = recordingConnector(world);
  return {
    ...inner,
    shell: async (target) => {
      await sleep(HANDSHAKE_RTTS * net.rtt());
      return inner.shell(target);
    },
    engine: async (target, shell) => {
      await sleep(net.rtt());
      return inner.engine(target, shell);
    },
  };
}

interface Run {
  seconds: number;
  phases: { connect: number; rollout: number; after: number };
}

/**
 * One deploy of `version` through the deploy action (in this process, as runModule runs it); throws when it fails.
 * `connector`: the simulated hosts' (none: the live one, SSH to the hosts with the `inputs` given).
 */
async function deploy(
  config: string,
  version: string,
  o: { connector?: Connector; inputs?: Record<string, string>; environment?: string } = {},
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-fleet-'));
  const path = join(dir, 'runbook.yml');
  writeFileSync(path, config);
  const { runner, record } = memoryRunner({
    config: path,
    environment: o.environment ?? 'production',
    version,
    ...o.inputs,
  });
  const stamped: Array<[number, string]> = [];
  runner.write = (line) => {
    stamped.push([performance.now(), line]);
  };
  const t0 = performance.now();
  const ok = await runModule(deployAction, {
    runner,
    clock: systemClock,
    signals: new EventEmitter(),
    ...(o.connector ? { connector: o.connector } : {}),
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
  const t1 = performance.now();
  if (!ok) throw new Error(`deploy ${version} failed: ${record.failed.join('; ')}`);
  const at = (re: RegExp, last = false) => {
    const hits = stamped.filter(([, l]) => re.test(l));
    return (last ? hits.at(-1) : hits[0])?.[0];
  };
  // Connected: the session opened every host (then the release is journaled and its first line logged).
  const begun = at(/^release \S+: v\d+ \(/) ?? t0;
  // One host: no batches; its work ends with its group.
  const done = at(/^(host\d+: done in |::endgroup::)/, true) ?? t1;
  const live = at(/^release \S+ \(v\d+\) is live/) ?? t1;
  const s = (ms: number) => Math.round(ms / 10) / 100;
  return { seconds: s(t1 - t0), phases: { connect: s(begun - t0), rollout: s(done - begun), after: s(live - done) } };
}

/** v1, then v2 timed, on `hosts` simulated hosts. */
async function simulatedCase(hosts: number, batch: string): Promise<Run & { callsPerHost: number }> {
  const world = fleetWorld(hosts);
  const net = network(hosts);
  for (const name of hostNames(hosts)) simulate(world, name, net);
  const config = fleetConfig({ ...TIMINGS, hosts, batch });
  // v1 in place without the network's latency (only v2 is timed).
  net.on = false;
  await deploy(config, 'v1', { connector: slowConnector(world, net) });
  net.on = true;
  net.calls.clear();
  const run = await deploy(config, 'v2', { connector: slowConnector(world, net) });
  const calls = [...net.calls.values()];
  return { ...run, callsPerHost: Math.round(calls.reduce((a, b) => a + b, 0) / calls.length) };
}

/**
 * REAL HOSTS: `hosts` machines of their own as far as the deploy can tell (test/integration/helpers/fleet-hosts.ts
 * through swarm-nodes.ts startIsolatedHosts: each its own sshd with a pinned key, Docker engine with the sandbox's
 * test images, network namespace and /srv/rbfleet), each with its own nginx in front of its replicas
 * (helpers/fleet-site.ts), as test/integration/fleet.test.ts runs them. The same service, timings and batch-size as
 * the simulated cases, the image runbook-test-app (pull: never: it is on every host). v1 untimed, then v2 timed.
 * Needs root and the sandbox; never while a full test run uses it (main() checks).
 */
async function realCase(hosts: number): Promise<Run> {
  const fleet = await startIsolatedHosts(hosts, { ownFs: { at: FLEET_FS } });
  try {
    const site = await startFleetSite(fleet.hosts);
    try {
      const config = `app: rbflbench
environments:
  fleet:
    targets: ${fleet.targetsYaml()}
    state-dir: ${FLEET_FS}/state
checks: { min-free-disk: 1%, docker: false, compose: false }
services:
  api:
    image: runbook-test-app
    replicas: ${TIMINGS.replicas}
    network: host
    host-ports: 18000-18009
    stop-grace: 2s
    pull: never
    health:
      http: { path: /health, expect: { status: 200 } }
      interval: ${TIMINGS.interval}
      timeout: 2s
      deadline: ${TIMINGS.deadline}
      stable: ${TIMINGS.stable}
strategy:
  type: rolling
  max-surge: 1
  drain: ${TIMINGS.drain}
  batch-size: 100%
  prune-images: false
${site.proxyYaml}`;
      const o = { inputs: fleet.inputs, environment: 'fleet' };
      await deploy(config, 'v1', o);
      return await deploy(config, 'v2', o);
    } finally {
      site.stop();
    }
  } finally {
    await fleet.stop();
  }
}

/** Whether a full test run (vitest) is using the sandbox now. */
function testRunInProgress(): boolean {
  try {
    return execFileSync('pgrep', ['-f', 'vitest run'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
}

export async function main(args: string[]): Promise<void> {
  // The real hosts too, unless told not to (or a test run is using the sandbox).
  const real = !args.includes('--no-real');
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const cases = sizes.length > 0 ? sizes : [1, 100, 1000];
  const one = await simulatedCase(1, '100%');
  const line = (hosts: number, r: Run & { callsPerHost?: number }, extra: Record<string, unknown> = {}) =>
    console.log(
      JSON.stringify({
        bench: 'fleet',
        hosts,
        seconds: r.seconds,
        ratio_vs_1: Math.round((r.seconds / one.seconds) * 100) / 100,
        simulated: true,
        ...extra,
        phases: r.phases,
        ...(r.callsPerHost === undefined ? {} : { calls_per_host: r.callsPerHost }),
      }),
    );
  for (const hosts of cases) {
    const r = hosts === 1 ? one : await simulatedCase(hosts, '100%');
    line(hosts, r);
  }
  line(10, await simulatedCase(10, '1'), { baseline: 'sequential' });
  if (real) {
    if (testRunInProgress()) {
      console.error('fleet --real: a test run (vitest run) is using the sandbox now; the real-host cases did not run');
      return;
    }
    let base: number | undefined;
    for (const hosts of [1, 5, 10]) {
      const r = await realCase(hosts);
      base ??= r.seconds;
      console.log(
        JSON.stringify({
          bench: 'fleet',
          hosts,
          seconds: r.seconds,
          ratio_vs_1: Math.round((r.seconds / base) * 100) / 100,
          simulated: false,
          phases: r.phases,
        }),
      );
    }
  }
}
