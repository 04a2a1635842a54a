import {
  CommandOutput,
  feedStdin,
  watchCommand
} from "../chunks/chunk-7D2NJDCB.js";
import {
  systemClock
} from "../chunks/chunk-VA52T2SJ.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/transports/local.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { chmod, open, rename, rm } from "node:fs/promises";
import { connect as netConnect } from "node:net";
import { pipeline } from "node:stream/promises";
var SECRET_ENV = /* @__PURE__ */ new Set(["GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"]);
function childEnvironment(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === void 0 || SECRET_ENV.has(name) || name.toUpperCase().startsWith("INPUT_")) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
var LocalTransport = class {
  constructor(name, logger) {
    this.name = name;
    this.logger = logger;
  }
  name;
  logger;
  exec(argv, opts = {}) {
    const [program, ...args] = argv;
    if (program === void 0 || program === "") return Promise.reject(new Error("cannot run an empty command"));
    return new Promise((resolve, reject) => {
      const output = new CommandOutput(this.logger, this.name, opts.quiet === true);
      const child = spawn(program, args, {
        shell: false,
        cwd: opts.cwd,
        env: childEnvironment({ ...opts.env, ...opts.secretEnv }),
        stdio: ["pipe", "pipe", "pipe"],
        // Own process group, so a timeout or cancel kills everything the command started.
        detached: true
      });
      let settled = false;
      const settle = (fn) => {
        if (settled) return;
        settled = true;
        disarm();
        fn();
      };
      const disarm = watchCommand(
        program,
        opts,
        () => killGroup(child.pid, () => child.kill("SIGKILL")),
        (err) => settle(() => reject(err))
      );
      child.stdout.on("data", (c) => output.push("stdout", c));
      child.stderr.on("data", (c) => output.push("stderr", c));
      child.on("error", (err) => {
        if (opts.cwd !== void 0 && !existsSync(opts.cwd)) {
          settle(() => resolve({ code: 2, stdout: "", stderr: `cd: ${opts.cwd}: No such file or directory
` }));
          return;
        }
        const code = err.code === "ENOENT" ? 127 : err.code === "EACCES" ? 126 : 1;
        settle(() => resolve({ code, stdout: "", stderr: `${program}: ${err.message}
` }));
      });
      child.on("close", (code, signal) => {
        const text = output.finish();
        settle(() => resolve(signal ? { code: -1, signal, ...text } : { code: code ?? -1, ...text }));
      });
      child.stdin.on("error", () => {
      });
      feedStdin(child.stdin, opts.stdin);
    });
  }
  async upload(path, source, opts = {}) {
    const mode = opts.mode ?? 384;
    const tmp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      await pipeline(source, createWriteStream(tmp, { flags: "wx", mode }));
      await chmod(tmp, mode);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new UserError(`could not upload to ${path}: ${err.message}`);
    }
  }
  async download(path) {
    try {
      const handle = await open(path, "r");
      return handle.createReadStream({ autoClose: true });
    } catch (err) {
      throw new UserError(`could not read ${path}: ${err.message}`);
    }
  }
  /** A TCP connection from the runner itself. */
  connectTcp(host, port) {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, noDelay: true });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", reject);
    });
  }
  async close() {
  }
};
function killGroup(pid, fallback) {
  try {
    if (pid === void 0) throw new Error("no pid");
    process.kill(-pid, "SIGKILL");
  } catch {
    fallback();
  }
}

// src/transports/pool.ts
var TargetPool = class {
  constructor(creds, log, signal) {
    this.creds = creds;
    this.log = log;
    this.signal = signal;
  }
  creds;
  log;
  signal;
  open = /* @__PURE__ */ new Map();
  get(target) {
    let t = this.open.get(target.name);
    if (!t) {
      t = this.connect(target);
      this.open.set(target.name, t);
    }
    return t;
  }
  async connect(target) {
    if ("local" in target) return new LocalTransport(target.name, this.log);
    if ("docker" in target) {
      throw new ConfigError(
        `target ${target.name}: docker targets (${target.docker.host}) are not supported by this action yet; use ssh or local`
      );
    }
    const { privateKey, passphrase, knownHosts, insecureIgnoreHostKey } = this.creds;
    if (!privateKey) throw new ConfigError(`target ${target.name} uses SSH: the input "ssh-private-key" is required`);
    if (!knownHosts && !insecureIgnoreHostKey) {
      throw new ConfigError(
        `target ${target.name} uses SSH: the input "ssh-known-hosts" is required to pin its host key (ssh-keyscan -p ${target.ssh.port} ${target.ssh.host}, then verify the fingerprint)`
      );
    }
    const { connectSsh } = await import("../chunks/ssh-CBC6PHIS.js");
    return connectSsh(
      {
        name: target.name,
        host: target.ssh.host,
        port: target.ssh.port,
        user: target.ssh.user,
        privateKey,
        passphrase,
        knownHosts: knownHosts ?? "",
        insecureIgnoreHostKey,
        connectTimeoutMs: target.ssh["connect-timeout"],
        keepaliveIntervalMs: target.ssh["keepalive-interval"],
        jump: target.ssh.jump,
        signal: this.signal
      },
      this.log
    );
  }
  async close() {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
};

// src/session/connector.ts
function liveConnector(creds, log, signal, clock = systemClock, vars = {}) {
  const pool = new TargetPool(creds, log, signal);
  return {
    shell: (target) => pool.get(target),
    engine: async (target, shell) => {
      const [{ connectDocker }, { SshTransport }] = await Promise.all([
        import("../chunks/connect-7TT6DU3D.js"),
        import("../chunks/ssh-CBC6PHIS.js")
      ]);
      const socket = target["docker-socket"];
      return shell instanceof SshTransport ? connectDocker(
        { kind: "stream", label: `${target.name}:${socket}`, open: () => shell.openUnixSocket(socket) },
        log,
        { clock }
      ) : connectDocker({ kind: "unix", path: socket }, log, { clock });
    },
    dockerTarget: async (target) => {
      const { client, label, how, named } = await openDockerTarget(target, log, clock, vars, 15e3);
      return {
        label,
        how,
        apiVersion: client.apiVersion,
        engineVersion: () => client.version().then(
          (v) => v.engineVersion,
          (err) => {
            throw named(err);
          }
        ),
        close: () => client.close()
      };
    },
    // No client-wide abort signal, as for engine(): the undo of a cancelled deploy still needs the engine.
    dockerEngine: async (target) => (await openDockerTarget(target, log, clock, vars)).client,
    close: () => pool.close()
  };
}
async function openDockerTarget(target, log, clock, vars, timeoutMs) {
  const [{ connectDocker, endpointLabel }, { dockerEndpointOf }] = await Promise.all([
    import("../chunks/connect-7TT6DU3D.js"),
    import("../chunks/endpoint-5O6VBBOR.js")
  ]);
  const endpoint = dockerEndpointOf(target.name, target.docker, vars, log);
  const how = endpoint.kind === "tcp" ? endpoint.tls ? "mutual TLS" : "PLAIN TCP" : "Unix socket";
  const label = endpointLabel(endpoint);
  const named = (err) => new UserError(`${label} (${how}): ${errorMessage(err)}`);
  const client = await connectDocker(endpoint, log, { ...timeoutMs ? { timeoutMs } : {}, clock }).catch(
    (err) => {
      throw named(err);
    }
  );
  return { client, label, how, named };
}
export {
  liveConnector
};
