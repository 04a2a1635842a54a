import {
  runsOn
} from "./chunk-ZZX7I4WI.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/core/address.ts
function authorityOf(host, port) {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
var isLoopback = (host) => host === "127.0.0.1" || host === "localhost";

// src/deploy/fleet/balancer.ts
function balancerAddressOf(target, balancer) {
  if (target.name === balancer) return "127.0.0.1";
  if (target.address !== void 0) return target.address;
  if (target.kind === "ssh") return target.ssh.host;
  if (target.kind === "docker") {
    const m = /^(?:tcp|ssh):\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)/.exec(target.docker.host);
    if (m?.[1]) return m[1].replace(/^\[|\]$/g, "");
  }
  return "127.0.0.1";
}
function runsHere(environment, target, service) {
  if (environment["load-balancer"] === target.name && !target.roles) return false;
  return runsOn(target, service);
}
function balancerHosts(config, environment) {
  const lb = environment["load-balancer"];
  if (lb === void 0) return { owners: [] };
  const fronted = config.strategy.proxy?.nginx.service ?? config.strategy.order?.[0] ?? Object.keys(config.services ?? {})[0];
  const service = fronted === void 0 ? void 0 : config.services?.[fronted];
  const running = environment.targets.filter((t) => runsHere(environment, t, service));
  return { owners: running.map((t) => balancerAddressOf(t, lb)), claimer: running[0]?.name };
}
var ProbeVia = class {
  constructor(balancer, address, host, shell, balancerName) {
    this.balancer = balancer;
    this.address = address;
    this.shell = shell;
    this.balancerName = balancerName;
    this.name = shell?.name ?? host;
  }
  balancer;
  address;
  shell;
  balancerName;
  name;
  async exec(argv, opts) {
    return this.need("run commands").exec(argv, opts);
  }
  async upload(remotePath, source, opts) {
    return this.need(`write ${remotePath}`).upload(remotePath, source, opts);
  }
  async download(remotePath) {
    return this.need(`read ${remotePath}`).download(remotePath);
  }
  connectTcp(host, port) {
    if (host === this.balancerName) return this.balancer.connectTcp("127.0.0.1", port);
    return this.balancer.connectTcp(isLoopback(host) ? this.address : host, port);
  }
  async close() {
  }
  need(what) {
    if (this.shell) return this.shell;
    throw new NoShellError(`${this.name} is a docker: target: there is no shell to ${what} (only its Engine API)`);
  }
};
var NoShellError = class extends UserError {
  name = "NoShellError";
};
var probeOf = (target) => target.probe ?? target.transport;

export {
  authorityOf,
  isLoopback,
  balancerAddressOf,
  runsHere,
  balancerHosts,
  ProbeVia,
  probeOf
};
