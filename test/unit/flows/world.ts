/**
 * A world for flow tests: per target a recording transport (with its in-memory files) and a fake engine, shared by
 * consecutive runs (deploy v1, deploy v2, then rollback see the same journal, containers and upstream file), a
 * connector handing them to the session, and a run clock that starts where the previous run ended.
 */
import type { Clock } from '../../../src/core/clock.js';
import type { Connector, EngineConnection } from '../../../src/session/connector.js';
import { manualClock } from '../helpers/clock.js';
import { type Behaviour, type FakeContainer, FakeEngine } from './fake-engine.js';
import { type ExecRecord, RecordingTransport, type TcpRecord } from './recording-transport.js';

export interface Host {
  transport: RecordingTransport;
  engine: FakeEngine;
}

export class World {
  readonly execs: ExecRecord[] = [];
  readonly tcp: TcpRecord[] = [];
  readonly engineCalls: Array<{ target: string; call: string }> = [];
  /** `shell web1`, `engine web1`, `close`: what the session asked the connector for. */
  readonly connector: string[] = [];
  /** `docker:` targets' engines by target name: the version they answer, or the error connecting fails with. */
  readonly dockerTargets = new Map<string, { version: string } | Error>();
  /** Where the next run's clock starts. */
  now = Date.parse('2026-11-23T12:00:00Z');
  private readonly hosts = new Map<string, Host>();

  /** The host called `name` (created on first use, so a test can put files there before any run). */
  host(name = 'web1'): Host {
    let h = this.hosts.get(name);
    if (!h) {
      const engine = new FakeEngine(name, this.engineCalls);
      engine.behaviour = (c) => this.behaviour?.(c);
      const transport = new RecordingTransport(name, this);
      transport.listener = (port) => engine.listenerOn(port);
      h = { transport, engine };
      this.hosts.set(name, h);
    }
    return h;
  }

  /**
   * What containers do (on every host): by image reference (`shop/web:v2`, also for containers created from its
   * id), or by a function of the container.
   */
  behave(by: Record<string, Behaviour> | ((c: FakeContainer) => Behaviour | undefined)): void {
    this.behaviour =
      typeof by === 'function' ? by : (c: FakeContainer) => by[c.image] ?? c.tags.map((t) => by[t]).find(Boolean);
  }
  private behaviour: ((c: FakeContainer) => Behaviour | undefined) | undefined;

  /** The run clock: manual, starting at `now`. */
  clock(): Clock & { advance(ms: number): void } {
    return parkingClock(manualClock(this.now));
  }
}

/**
 * The connection seam of a world: the session's shells and Engine clients are the world's recording transports and
 * fake engines; every request is recorded in `world.connector` (`shell web1`, `engine web1`, `close`).
 */
export function recordingConnector(world: World): Connector {
  return {
    shell: async (target) => {
      world.connector.push(`shell ${target.name}`);
      return world.host(target.name).transport;
    },
    engine: async (target, shell): Promise<EngineConnection> => {
      world.connector.push(`engine ${target.name}`);
      const h = world.host(target.name);
      if (shell !== h.transport) throw new Error('engine asked for with a shell of another target');
      return h.engine;
    },
    dockerTarget: async (target) => {
      world.connector.push(`docker ${target.name}`);
      const engine = world.dockerTargets.get(target.name) ?? new Error(`${target.docker.host}: connect ECONNREFUSED`);
      if (engine instanceof Error) throw engine;
      return {
        label: target.docker.host,
        how: 'mutual TLS',
        apiVersion: '1.41',
        engineVersion: async () => engine.version,
        close: async () => {
          world.connector.push(`close docker ${target.name}`);
        },
      };
    },
    close: async () => {
      world.connector.push('close');
    },
  };
}

/**
 * manualClock, except that a sleep of a minute or more never elapses (it only rejects when its signal aborts). The
 * deploy lock renews its lease in a loop of `sleep(5 min, stop)` (DeployLock.keepAlive); with manualClock's instant
 * sleeps and this in-memory transport that loop is all microtasks: it renews the lease forever, starves the health
 * probes and the run never ends (tried: the worker ran out of memory). No step of these flows waits a minute
 * (health intervals, drains and lock polls are seconds).
 */
export function parkingClock<C extends Clock>(base: C, parkAtMs = 60_000): C {
  return {
    ...base,
    sleep: (ms: number, signal?: AbortSignal) =>
      ms < parkAtMs
        ? base.sleep(ms, signal)
        : new Promise<void>((_, reject) => {
            if (signal?.aborted) reject(signal.reason);
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
  };
}

/**
 * nginx on a target, as far as a switch needs it: the pid file, `nginx -t` (exit `testExit`), a reload that
 * replaces the master's workers, and `ps -o pid= --ppid <master>` listing them. The upstream file is a plain file
 * of the in-memory filesystem; nothing checks its syntax (the flows assert its bytes and the argv sent).
 */
export function installNginx(t: RecordingTransport, o: { testExit?: number; pidFile?: string } = {}): void {
  let generation = 0;
  t.fs.write(o.pidFile ?? '/run/nginx.pid', '100\n');
  t.script(['nginx', '-t'], () =>
    o.testExit
      ? { code: o.testExit, stderr: 'nginx: [emerg] invalid upstream' }
      : { stderr: 'nginx: test is successful' },
  );
  t.script(['nginx', '-s', 'reload'], () => {
    generation += 1;
    return {};
  });
  t.script(['ps', '-o', 'pid=', '--ppid', '100'], () => ({
    stdout: `${1000 + generation * 10 + 1}\n${1000 + generation * 10 + 2}\n`,
  }));
}

/** A migration tool's three argv lists, as the config's preset (or custom section) defines them. */
export interface ToolArgv {
  current: string[];
  upgrade: string[];
  /**
   * The argv prefix of a downgrade; the revision is read back from the argv by `revisionOf` (undefined: not a
   * downgrade but the upgrade, when both share the prefix, as rails `db:migrate` and `db:migrate VERSION=x` do).
   */
  downgrade: string[];
  revisionOf: (argv: string[]) => string | undefined;
  /** What `current` writes for a revision, as the real tool does (default: the revision on one stdout line). */
  print?: (revision: string) => { stdout?: string; stderr?: string };
}

/**
 * A schema that only has a revision: `current` prints it (as the tool does), `upgrade` moves it to `next`, a
 * downgrade sets the revision its argv names. No SQL runs; the flows assert the argv the tool was given.
 */
export function installSchema(
  t: RecordingTransport,
  tool: ToolArgv,
  o: { revision: string; next: string; upgradeExit?: number },
): { revision: () => string } {
  let revision = o.revision;
  t.script(tool.current, () => tool.print?.(revision) ?? { stdout: `${revision}\n` });
  const upgrade = () => {
    if (o.upgradeExit) return { code: o.upgradeExit, stderr: 'ERROR: canceling statement due to lock timeout' };
    revision = o.next;
    return { stdout: 'migrated\n' };
  };
  t.script(tool.upgrade, upgrade);
  t.script(tool.downgrade, (argv) => {
    const to = tool.revisionOf(argv);
    if (to === undefined) return upgrade();
    revision = to;
    return { stdout: 'downgraded\n' };
  });
  return { revision: () => revision };
}
