import {
  Semaphore
} from "../chunks/chunk-3VB7SYYX.js";
import {
  holdLock
} from "../chunks/chunk-A62OTTOU.js";
import {
  DeployLock
} from "../chunks/chunk-TKA3YQTM.js";
import {
  mapLimit
} from "../chunks/chunk-HFQKBZ7N.js";
import {
  ProbeVia,
  authorityOf,
  balancerAddressOf,
  balancerHosts,
  runsHere
} from "../chunks/chunk-TSVKQNYQ.js";
import {
  usesEngine
} from "../chunks/chunk-UXZUOFCM.js";
import {
  JournalStore,
  stateDirs
} from "../chunks/chunk-PDADLHLK.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  environmentOf,
  loadConfig
} from "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  CancelledError,
  ConfigError,
  UserError
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/transports/runner-tcp.ts
import { connect as netConnect } from "node:net";
var RUNNER_CONNECT_TIMEOUT_MS = 1e4;
function connectFromRunner(host, port, opts = {}) {
  const timeoutMs = opts.timeoutMs ?? RUNNER_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new CancelledError(`connecting to ${authorityOf(host, port)} was cancelled`));
      return;
    }
    const socket = netConnect({ host, port, noDelay: true });
    const fail = (err) => {
      done();
      socket.destroy();
      reject(err);
    };
    const onError = (err) => fail(err);
    const onAbort = () => fail(new CancelledError(`connecting to ${authorityOf(host, port)} was cancelled`));
    const timer = setTimeout(
      () => fail(new UserError(`no TCP connection to ${authorityOf(host, port)} within ${timeoutMs} ms (from the runner)`)),
      timeoutMs
    );
    const done = () => {
      clearTimeout(timer);
      socket.off("error", onError);
      opts.signal?.removeEventListener("abort", onAbort);
    };
    socket.once("error", onError);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      done();
      resolve(socket);
    });
  });
}
var RunnerNetwork = class {
  constructor(timeoutMs = RUNNER_CONNECT_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
  }
  timeoutMs;
  name = "the runner";
  connectTcp(host, port) {
    return connectFromRunner(host, port, { timeoutMs: this.timeoutMs });
  }
  exec(argv) {
    return Promise.reject(this.refuse(`run ${argv[0] ?? "a command"}`));
  }
  upload(remotePath, _source) {
    return Promise.reject(this.refuse(`write ${remotePath}`));
  }
  download(remotePath) {
    return Promise.reject(this.refuse(`read ${remotePath}`));
  }
  async close() {
  }
  refuse(what) {
    return new UserError(`the runner's network only opens TCP connections; it cannot ${what}`);
  }
};

// src/session/identity.ts
import { hostname, userInfo } from "node:os";
function runIdentity(vars) {
  if (vars.GITHUB_RUN_ID && vars.GITHUB_REPOSITORY) {
    const server = vars.GITHUB_SERVER_URL ?? "https://github.com";
    const runUrl = `${server}/${vars.GITHUB_REPOSITORY}/actions/runs/${vars.GITHUB_RUN_ID}`;
    return { holder: runUrl, actor: vars.GITHUB_ACTOR ?? "unknown", runUrl };
  }
  const who = `${userInfo().username}@${hostname()}`;
  return { holder: `cli:${who}`, actor: who };
}

// src/session/session.ts
var CONNECT_AT_ONCE = 50;
var EnvironmentSession = class _EnvironmentSession {
  constructor(config, environmentName, environment, connector, ctx) {
    this.config = config;
    this.environmentName = environmentName;
    this.environment = environment;
    this.connector = connector;
    this.ctx = ctx;
    this.paths = stateDirs(environment["state-dir"], environmentName);
    this.who = runIdentity(ctx.runner.env);
  }
  config;
  environmentName;
  environment;
  connector;
  ctx;
  /** Where the journal and lock live on the primary target: derived here and nowhere else. */
  paths;
  who;
  shells = /* @__PURE__ */ new Map();
  engines = /* @__PURE__ */ new Map();
  hold;
  /** Load and validate the config, pick the environment. Opens no connection. Throws ConfigError. */
  static async open(ctx, inputs, connector) {
    const config = await loadConfig(inputs.config);
    const environment = environmentOf(config, inputs.environment);
    return new _EnvironmentSession(config, inputs.environment, environment, connector, ctx);
  }
  /** `app/environment`, as logs and the lock name the environment. */
  get label() {
    return `${this.config.app}/${this.environmentName}`;
  }
  /** The first target: it holds the journal, the lock and the backups, so it needs a shell. Throws ConfigError. */
  get primaryTarget() {
    const primary = this.environment.targets[0];
    if (!primary || primary.kind === "docker") {
      throw new ConfigError(
        `environment ${this.environmentName}: the first target holds the journal, lock and backups and must be an ssh or local target`
      );
    }
    return primary;
  }
  /** The shell of a target, connected once per run. */
  shell(target) {
    return once(this.shells, target.name, () => this.connector.shell(target));
  }
  /** The primary target's shell. */
  primary() {
    return this.shell(this.primaryTarget);
  }
  /** The Docker Engine API of a target (its socket, tunnelled through its SSH connection), connected once per run. */
  engine(target) {
    return once(this.engines, target.name, async () => this.connector.engine(target, await this.shell(target)));
  }
  /** The engine of a `docker:` target (no shell), opened for the caller, who closes it. */
  dockerTarget(target) {
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
  async deployTargets(driver, strategy) {
    const drives = usesEngine(driver, strategy);
    const lb = this.environment["load-balancer"];
    const services = Object.values(this.config.services ?? {});
    const engine = (t) => drives && (services.length === 0 || services.some((s) => runsHere(this.environment, t, s))) || this.config.strategy.proxy?.nginx?.container !== void 0 && (lb === void 0 || lb === t.name);
    for (const t of this.environment.targets) if (t.kind === "docker") this.assertEngineDriven(t, driver);
    const targets = await mapLimit(this.environment.targets, CONNECT_AT_ONCE, async (t) => {
      if (t.kind === "docker") return this.engineOnly(t);
      const transport = await this.shell(t);
      const docker = engine(t) ? await this.engine(t) : void 0;
      return { name: t.name, transport, docker, env: t.env };
    });
    return this.seated(targets);
  }
  /** The Engine API of a `docker:` target for deploy and rollback, connected once per run (closed by close()). */
  dockerEngine(target) {
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
  async engineOnly(target) {
    const lbName = this.environment["load-balancer"];
    const lb = this.environment.targets.find((t) => t.name === lbName);
    const from = lb && lb.kind !== "docker" ? await this.shell(lb) : new RunnerNetwork();
    const address = balancerAddressOf(target, lbName ?? "");
    const docker = await this.dockerEngine(target);
    return { name: target.name, transport: new ProbeVia(from, address, target.name), docker, env: {} };
  }
  /** A docker: target is driven only through its Engine API: the engine driver (compose and swarm need a shell). */
  assertEngineDriven(target, driver) {
    if (driver === "engine") return;
    throw new ConfigError(
      `target ${target.name}: a docker: target (${target.docker.host}) has only its Engine API, and the ${driver} driver needs a shell on the host; deploy it with the engine driver, or make it an ssh target with docker-socket`
    );
  }
  /**
   * With a `load-balancer`, every host gets its seat there (its address, the one lock of the upstream file) and its
   * replicas' network checks are made from the balancer, as nginx reaches them.
   */
  seated(targets) {
    const name = this.environment["load-balancer"];
    const lb = targets.find((t) => t.name === name);
    if (name === void 0 || !lb) return targets;
    const lock = new Semaphore(1);
    const { owners, claimer } = balancerHosts(this.config, this.environment);
    return targets.map((t) => {
      const config = this.environment.targets.find((c) => c.name === t.name);
      const address = config ? balancerAddressOf(config, name) : "127.0.0.1";
      const seat = { target: lb, address, lock, hosts: { owners, claimsUnowned: t.name === claimer, balancer: name } };
      if (t === lb) return { ...t, balancer: seat };
      return { ...t, balancer: seat, probe: new ProbeVia(lb.transport, address, t.name, t.transport, name) };
    });
  }
  /** The journal on the primary target. */
  async journal() {
    return new JournalStore(await this.primary(), this.paths.journal, this.config.app, this.environmentName);
  }
  /** The deploy lock of this environment (read it, or force it for `runbook unlock`). */
  async deployLock() {
    return new DeployLock(await this.primary(), this.paths.lock, this.ctx.clock, this.ctx.log, this.label);
  }
  /**
   * Hold the environment's deploy lock until `onCleanup` runs what this registers. Re-entrant: the root pipeline
   * takes it before its first change and every stage inside holds it again, so it is released only when the
   * outermost holder ends; each inner hold first renews the lease, so a stage never starts once the lock was taken
   * away (it throws saying who holds it now). Waits up to `waitMs` for another run's lock; throws naming the holder.
   */
  async lock(scope, waitMs) {
    if (!this.hold) {
      this.hold = await holdLock(await this.deployLock(), this.ctx, this.who, waitMs, scope.signal);
    } else {
      await this.hold.confirm();
    }
    const hold = this.hold;
    hold.count += 1;
    scope.onCleanup(async () => {
      hold.count -= 1;
      if (hold.count > 0) return;
      if (this.hold === hold) this.hold = void 0;
      await hold.release();
    });
  }
  /** True while this run holds the deploy lock. */
  get locked() {
    return this.hold !== void 0;
  }
  /** Close every connection the session opened (Engine clients first, then the shells). */
  async close() {
    const engines = [...this.engines.values()];
    this.engines.clear();
    this.shells.clear();
    await Promise.allSettled(engines.map(async (e) => (await e).close()));
    await this.connector.close();
  }
};
function once(opened, key, open) {
  let made = opened.get(key);
  if (!made) {
    made = open();
    opened.set(key, made);
    made.catch(() => opened.delete(key));
  }
  return made;
}
export {
  EnvironmentSession
};
