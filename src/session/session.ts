import type { EngineProbe } from '../checks/engine.js';
import { environmentOf, loadConfig } from '../config/loader.js';
import type { Config, DockerTarget, Environment, Target } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { mapLimit } from '../core/map-limit.js';
import { balancerAddressOf, balancerHosts, ProbeVia, runsHere } from '../deploy/fleet/balancer.js';
import { JournalStore, stateDirs } from '../deploy/journal.js';
import { DeployLock } from '../deploy/lock.js';
import { usesEngine } from '../deploy/strategy.js';
import type { DeployTarget } from '../deploy/types.js';
import { RunnerNetwork } from '../transports/runner-tcp.js';
import { Semaphore } from '../transports/semaphore.js';
import type { Transport } from '../transports/types.js';
import type { Connector, EngineConnection, ShellTarget } from './connector.js';
import { type RunIdentity, runIdentity } from './identity.js';
import { holdLock, type LockHold } from './lock-hold.js';

/** The inputs a session opens from (every action has them). */
export interface SessionInputs {
  config: string;
  environment: string;
}

/**
 * One run's view of an environment, opened once from the parsed inputs and shared by every step of the run (the
 * root pipeline's stages included): the config, the environment, one connection per target (shell and Engine API,
 * opened on first use), the primary target with the journal and the deploy lock. Closed by the run's cleanup.
 */
/** Connections a fleet opens at once (sshd's MaxStartups default lets 10 unauthenticated ones in per host). */
const CONNECT_AT_ONCE = 50;

export class EnvironmentSession {
  /** Where the journal and lock live on the primary target: derived here and nowhere else. */
  readonly paths: { dir: string; journal: string; lock: string };
  readonly who: RunIdentity;
  private readonly shells = new Map<string, Promise<Transport>>();
  private readonly engines = new Map<string, Promise<EngineConnection>>();
  private hold: LockHold | undefined;

  private constructor(
    readonly config: Config,
    /** The environment's name (environments.<name>). */
    readonly environmentName: string,
    /** The environment's section of the config. */
    readonly environment: Environment,
    private readonly connector: Connector,
    private readonly ctx: Pick<ActionContext, 'runner' | 'log' | 'clock' | 'signal'>,
  ) {
    this.paths = stateDirs(environment['state-dir'], environmentName);
    this.who = runIdentity(ctx.runner.env);
  }

  /** Load and validate the config, pick the environment. Opens no connection. Throws ConfigError. */
  static async open(
    ctx: Pick<ActionContext, 'runner' | 'log' | 'clock' | 'signal'>,
    inputs: SessionInputs,
    connector: Connector,
  ): Promise<EnvironmentSession> {
    const config = await loadConfig(inputs.config);
    const environment = environmentOf(config, inputs.environment);
    return new EnvironmentSession(config, inputs.environment, environment, connector, ctx);
  }

  /** `app/environment`, as logs and the lock name the environment. */
  get label(): string {
    return `${this.config.app}/${this.environmentName}`;
  }

  /** The first target: it holds the journal, the lock and the backups, so it needs a shell. Throws ConfigError. */
  get primaryTarget(): ShellTarget {
    const primary = this.environment.targets[0];
    if (!primary || primary.kind === 'docker') {
      throw new ConfigError(
        `environment ${this.environmentName}: the first target holds the journal, lock and backups and must be an ssh or local target`,
      );
    }
    return primary;
  }

  /** The shell of a target, connected once per run. */
  shell(target: ShellTarget): Promise<Transport> {
    return once(this.shells, target.name, () => this.connector.shell(target));
  }

  /** The primary target's shell. */
  primary(): Promise<Transport> {
    return this.shell(this.primaryTarget);
  }

  /** The Docker Engine API of a target (its socket, tunnelled through its SSH connection), connected once per run. */
  engine(target: ShellTarget): Promise<EngineConnection> {
    return once(this.engines, target.name, async () => this.connector.engine(target, await this.shell(target)));
  }

  /** The engine of a `docker:` target (no shell), opened for the caller, who closes it. */
  dockerTarget(target: DockerTarget): Promise<EngineProbe> {
    return this.connector.dockerTarget(target);
  }

  /**
   * Every target as the deploy and rollback drivers use it: its shell, and its Engine API for the engine driver,
   * rolling replicas of a compose service, or nginx in a container. A `docker:` target has no shell: its Engine API
   * (kept open for the run), and a transport that opens TCP connections to its address as the load balancer's nginx
   * does (from the load balancer's host; without one, from the runner) and refuses commands and files (NoShellError).
   * The config refuses what would need its shell (env-file, the compose driver, a proxy without a load balancer:
   * schema-docker-targets.ts). Throws ConfigError (and opens nothing) for a docker: target when the driver is not
   * the engine driver.
   */
  async deployTargets(driver: 'engine' | 'compose' | 'swarm', strategy?: string): Promise<DeployTarget[]> {
    // The engine driver drives containers; nginx in a container is tested and reloaded through the engine too.
    const drives = usesEngine(driver, strategy);
    const lb = this.environment['load-balancer'];
    const services = Object.values(this.config.services ?? {});
    // A host's engine is opened when it runs a service (a load balancer running none needs no Docker), or when
    // nginx runs in a container there.
    const engine = (t: Target) =>
      (drives && (services.length === 0 || services.some((s) => runsHere(this.environment, t, s)))) ||
      (this.config.strategy.proxy?.nginx?.container !== undefined && (lb === undefined || lb === t.name));
    for (const t of this.environment.targets) if (t.kind === 'docker') this.assertEngineDriven(t, driver);
    // A fleet's connections open side by side (at most CONNECT_AT_ONCE at a time), in the configured order.
    const targets = await mapLimit(this.environment.targets, CONNECT_AT_ONCE, async (t): Promise<DeployTarget> => {
      if (t.kind === 'docker') return this.engineOnly(t);
      const transport = await this.shell(t);
      const docker = engine(t) ? await this.engine(t) : undefined;
      return { name: t.name, transport, docker, env: t.env };
    });
    return this.seated(targets);
  }

  /** The Engine API of a `docker:` target for deploy and rollback, connected once per run (closed by close()). */
  dockerEngine(target: DockerTarget): Promise<EngineConnection> {
    const open = this.connector.dockerEngine?.bind(this.connector);
    if (!open) {
      return Promise.reject(new ConfigError(`target ${target.name}: this connector cannot open a docker: target`));
    }
    return once(this.engines, target.name, () => open(target));
  }

  /**
   * A `docker:` target as a deploy target: its Engine API, and network checks of its replicas made where nginx
   * makes its requests from (the load balancer) or, without one, from the runner, to `127.0.0.1:port` of the target
   * at its address. No shell: a command or file asked of it throws NoShellError naming it.
   */
  private async engineOnly(target: DockerTarget): Promise<DeployTarget> {
    const lbName = this.environment['load-balancer'];
    const lb = this.environment.targets.find((t) => t.name === lbName);
    const from = lb && lb.kind !== 'docker' ? await this.shell(lb) : new RunnerNetwork();
    const address = balancerAddressOf(target, lbName ?? '');
    const docker = await this.dockerEngine(target);
    return { name: target.name, transport: new ProbeVia(from, address, target.name), docker, env: {} };
  }

  /** A docker: target is driven only through its Engine API: the engine driver (compose and swarm need a shell). */
  private assertEngineDriven(target: DockerTarget, driver: string): void {
    if (driver === 'engine') return;
    throw new ConfigError(
      `target ${target.name}: a docker: target (${target.docker.host}) has only its Engine API, and the ${driver} driver needs a shell on the host; deploy it with the engine driver, or make it an ssh target with docker-socket`,
    );
  }

  /**
   * With a `load-balancer`, every host gets its seat there (its address, the one lock of the upstream file) and its
   * replicas' network checks are made from the balancer, as nginx reaches them.
   */
  private seated(targets: DeployTarget[]): DeployTarget[] {
    const name = this.environment['load-balancer'];
    const lb = targets.find((t) => t.name === name);
    if (name === undefined || !lb) return targets;
    const lock = new Semaphore(1);
    const { owners, claimer } = balancerHosts(this.config, this.environment);
    return targets.map((t) => {
      const config = this.environment.targets.find((c) => c.name === t.name);
      const address = config ? balancerAddressOf(config, name) : '127.0.0.1';
      const seat = { target: lb, address, lock, hosts: { owners, claimsUnowned: t.name === claimer, balancer: name } };
      if (t === lb) return { ...t, balancer: seat };
      return { ...t, balancer: seat, probe: new ProbeVia(lb.transport, address, t.name, t.transport, name) };
    });
  }

  /** The journal on the primary target. */
  async journal(): Promise<JournalStore> {
    return new JournalStore(await this.primary(), this.paths.journal, this.config.app, this.environmentName);
  }

  /** The deploy lock of this environment (read it, or force it for `runbook unlock`). */
  async deployLock(): Promise<DeployLock> {
    return new DeployLock(await this.primary(), this.paths.lock, this.ctx.clock, this.ctx.log, this.label);
  }

  /**
   * Hold the environment's deploy lock until `onCleanup` runs what this registers. Re-entrant: the root pipeline
   * takes it before its first change and every stage inside holds it again, so it is released only when the
   * outermost holder ends; each inner hold first renews the lease, so a stage never starts once the lock was taken
   * away (it throws saying who holds it now). Waits up to `waitMs` for another run's lock; throws naming the holder.
   */
  async lock(scope: Pick<ActionContext, 'onCleanup' | 'signal'>, waitMs: number): Promise<void> {
    if (!this.hold) {
      this.hold = await holdLock(await this.deployLock(), this.ctx, this.who, waitMs, scope.signal);
    } else {
      // Held since an earlier stage: make sure nobody removed it meanwhile (runbook unlock) before changing more.
      await this.hold.confirm();
    }
    const hold = this.hold;
    hold.count += 1;
    scope.onCleanup(async () => {
      hold.count -= 1;
      if (hold.count > 0) return;
      if (this.hold === hold) this.hold = undefined;
      await hold.release();
    });
  }

  /** True while this run holds the deploy lock. */
  get locked(): boolean {
    return this.hold !== undefined;
  }

  /** Close every connection the session opened (Engine clients first, then the shells). */
  async close(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    this.shells.clear();
    await Promise.allSettled(engines.map(async (e) => (await e).close()));
    await this.connector.close();
  }
}

/** The connection `open()` makes for `key`, made once and shared; a failed attempt is forgotten so the next retries. */
function once<T>(opened: Map<string, Promise<T>>, key: string, open: () => Promise<T>): Promise<T> {
  let made = opened.get(key);
  if (!made) {
    made = open();
    opened.set(key, made);
    made.catch(() => opened.delete(key));
  }
  return made;
}
