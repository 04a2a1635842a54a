import {
  ConfigError
} from "./chunk-O2HJWNJA.js";
import "./chunk-SEWDMQ6Q.js";

// src/docker/endpoint.ts
function dockerEndpointOf(name, docker, env, log) {
  const unix = /^unix:\/\/(\/.*)$/.exec(docker.host);
  if (unix) return { kind: "unix", path: unix[1] ?? "" };
  const tcp = /^tcp:\/\/\[?([^\]]+?)\]?:(\d+)$/.exec(docker.host);
  if (!tcp) {
    throw new ConfigError(
      `target ${name}: ${docker.host}: reach a Docker socket over SSH as an ssh target with docker-socket instead`
    );
  }
  const [, host = "", port = ""] = tcp;
  const t = docker.tls;
  if (!t) return { kind: "tcp", host, port: Number(port), allowPlainTcp: docker["allow-plain-tcp"] };
  const read = (what, variable) => {
    const value = env[variable];
    if (value === void 0 || value.trim() === "") {
      throw new ConfigError(`target ${name}: the TLS ${what} variable ${variable} is not set (docker.tls)`);
    }
    return value;
  };
  const key = read("key", t["key-env"]);
  log.addSecret(key);
  return {
    kind: "tcp",
    host,
    port: Number(port),
    tls: { ca: read("CA", t["ca-env"]), cert: read("certificate", t["cert-env"]), key }
  };
}
export {
  dockerEndpointOf
};
