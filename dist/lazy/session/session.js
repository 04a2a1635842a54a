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
  usesEngine
} from "../chunks/chunk-UXZUOFCM.js";
import {
  JournalStore,
  stateDirs
} from "../chunks/chunk-436IDX2P.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import {
  environmentOf,
  loadConfig
} from "../chunks/chunk-DDKB5RHD.js";
import "../chunks/chunk-4B5OZQ7C.js";
import "../chunks/chunk-IRZF3WT6.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  ConfigError
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

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
   * rolling replicas of a compose service, or nginx in a container.
   */
  async deployTargets(driver, strategy) {
    const engine = usesEngine(driver, strategy) || this.config.strategy.proxy?.nginx?.container !== void 0;
    const shells = this.environment.targets.map((t) => this.requireShell(t));
    return mapLimit(shells, CONNECT_AT_ONCE, async (shell) => {
      const transport = await this.shell(shell);
      const docker = engine ? await this.engine(shell) : void 0;
      return { name: shell.name, transport, docker, env: shell.env };
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
  requireShell(target) {
    if (target.kind === "docker") {
      throw new ConfigError(
        `target ${target.name}: deploy needs a shell on the host for its journal, lock and proxy; use an ssh (or local) target with docker-socket instead of docker: ${target.docker.host}`
      );
    }
    return target;
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
