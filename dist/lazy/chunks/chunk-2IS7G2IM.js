import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/docker/wire.ts
var MAX_API_VERSION = "1.45";
var MIN_API_VERSION = "1.41";
function queryString(params) {
  const parts = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === void 0) continue;
    const text = typeof value === "boolean" ? value ? "1" : "0" : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}
function pathRef(ref, what, { slashes = false } = {}) {
  const parts = slashes ? ref.split("/") : [ref];
  if (ref === "" || parts.some((p) => p === "" || p === "." || p === "..") || /[\s\p{Cc}]/u.test(ref)) {
    throw new UserError(`invalid ${what} ${JSON.stringify(ref)}`);
  }
  return parts.map(encodeURIComponent).join("/");
}
function filtersJson(filters) {
  const used = Object.entries(filters).filter((e) => e[1] !== void 0 && e[1].length > 0);
  if (used.length === 0) return void 0;
  return JSON.stringify(Object.fromEntries(used));
}
function labelFilter(labels) {
  if (!labels) return void 0;
  return Object.entries(labels).map(([k, v]) => {
    if (k === "" || k.includes("=")) throw new UserError(`invalid label name ${JSON.stringify(k)}`);
    return `${k}=${v}`;
  });
}
function envList(env) {
  if (!env) return void 0;
  return Object.entries(env).map(([k, v]) => {
    if (!/^[^=\s\0]+$/.test(k)) throw new UserError(`invalid environment variable name ${JSON.stringify(k)}`);
    if (v.includes("\0")) throw new UserError(`the value of environment variable ${k} contains a NUL byte`);
    return `${k}=${v}`;
  });
}
var NS_PER_MS = 1e6;
function durationNs(ms, what) {
  if (ms === void 0) return void 0;
  if (!Number.isInteger(ms) || ms < 1) throw new UserError(`healthcheck ${what} must be a whole number \u2265 1 ms`);
  return ms * NS_PER_MS;
}
function portKey(port) {
  const text = String(port);
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(text);
  const n = Number(m?.[1]);
  if (!m || n < 1 || n > 65535) throw new UserError(`invalid container port ${JSON.stringify(text)}`);
  return `${n}/${m[2] ?? "tcp"}`;
}
function resourceConfig(spec) {
  const out = {};
  for (const b of spec.binds ?? []) {
    const [source = "", target = "", mode, ...rest] = b.split(":");
    if (source === "" || !target.startsWith("/") || mode !== void 0 && mode !== "ro" && mode !== "rw" || rest.length > 0) {
      throw new UserError(
        `container ${spec.name}: invalid volume ${JSON.stringify(b)} (expected source:/path[:ro|rw])`
      );
    }
  }
  if (spec.binds && spec.binds.length > 0) out.Binds = spec.binds;
  if (spec.extraHosts && spec.extraHosts.length > 0) out.ExtraHosts = spec.extraHosts;
  if (spec.memoryBytes !== void 0) {
    if (!Number.isSafeInteger(spec.memoryBytes) || spec.memoryBytes < 1) {
      throw new UserError(`container ${spec.name}: a memory limit is a whole number of bytes \u2265 1`);
    }
    out.Memory = spec.memoryBytes;
  }
  if (spec.nanoCpus !== void 0) {
    if (!Number.isSafeInteger(spec.nanoCpus) || spec.nanoCpus < 1) {
      throw new UserError(`container ${spec.name}: a CPU limit is a whole number of nano-CPUs \u2265 1`);
    }
    out.NanoCpus = spec.nanoCpus;
  }
  if (spec.log) out.LogConfig = { Type: spec.log.driver, Config: spec.log.options ?? {} };
  if (spec.capAdd && spec.capAdd.length > 0) out.CapAdd = spec.capAdd;
  if (spec.capDrop && spec.capDrop.length > 0) out.CapDrop = spec.capDrop;
  if (spec.init !== void 0) out.Init = spec.init;
  return out;
}
function isUserNetwork(mode) {
  return mode !== void 0 && !["host", "bridge", "none", "default"].includes(mode) && !mode.startsWith("container:");
}
function createContainerBody(spec) {
  if (!spec.image) throw new UserError(`container ${spec.name}: an image is required`);
  if (spec.networkMode === "host" && spec.portBindings && spec.portBindings.length > 0) {
    throw new UserError(
      `container ${spec.name}: port bindings have no effect with host networking (the app binds the host's ports)`
    );
  }
  const exposed = {};
  const bindings = {};
  for (const b of spec.portBindings ?? []) {
    const key = portKey(b.containerPort);
    exposed[key] = {};
    const hostPort = String(b.hostPort);
    if (!/^\d{1,5}$/.test(hostPort) || Number(hostPort) > 65535) {
      throw new UserError(`container ${spec.name}: invalid host port ${JSON.stringify(hostPort)}`);
    }
    bindings[key] = [...bindings[key] ?? [], { HostIp: b.hostIp ?? "", HostPort: hostPort }];
  }
  const hc = spec.healthcheck;
  if (hc && !["NONE", "CMD", "CMD-SHELL"].includes(hc.test[0] ?? "")) {
    throw new UserError(`container ${spec.name}: a healthcheck test starts with CMD, CMD-SHELL or NONE`);
  }
  if (hc && (!Number.isInteger(hc.retries) || hc.retries < 0)) {
    throw new UserError(`container ${spec.name}: healthcheck retries must be a whole number \u2265 0`);
  }
  if (spec.stopTimeoutSeconds !== void 0 && !(Number.isInteger(spec.stopTimeoutSeconds) && spec.stopTimeoutSeconds >= 0)) {
    throw new UserError(`container ${spec.name}: stopTimeoutSeconds must be a whole number \u2265 0`);
  }
  const hostConfig = {};
  if (spec.networkMode) hostConfig.NetworkMode = spec.networkMode;
  if (Object.keys(bindings).length > 0) hostConfig.PortBindings = bindings;
  if (spec.restartPolicy) {
    hostConfig.RestartPolicy = spec.restartPolicy === "on-failure" && spec.restartMaxRetries ? { Name: spec.restartPolicy, MaximumRetryCount: spec.restartMaxRetries } : { Name: spec.restartPolicy };
  }
  Object.assign(hostConfig, resourceConfig(spec));
  const body = {
    Image: spec.image,
    Env: envList(spec.env),
    Labels: spec.labels,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    User: spec.user,
    WorkingDir: spec.workingDir,
    ExposedPorts: Object.keys(exposed).length > 0 ? exposed : void 0,
    StopTimeout: spec.stopTimeoutSeconds,
    Healthcheck: hc && {
      Test: hc.test,
      Interval: durationNs(hc.intervalMs, "interval"),
      Timeout: durationNs(hc.timeoutMs, "timeout"),
      Retries: hc.retries,
      StartPeriod: durationNs(hc.startPeriodMs, "start period")
    },
    HostConfig: hostConfig,
    NetworkingConfig: spec.networkAliases && spec.networkAliases.length > 0 && isUserNetwork(spec.networkMode) ? { EndpointsConfig: { [spec.networkMode]: { Aliases: spec.networkAliases } } } : void 0
  };
  return JSON.parse(JSON.stringify(body));
}
function registryAuthHeader(auth) {
  const json = JSON.stringify({
    username: auth.username,
    password: auth.password,
    serveraddress: auth.serveraddress
  });
  const b64 = Buffer.from(json, "utf8").toString("base64url");
  return b64 + "=".repeat((4 - b64.length % 4) % 4);
}
function splitImageRef(ref) {
  if (ref === "" || /\s/.test(ref)) throw new UserError(`invalid image reference ${JSON.stringify(ref)}`);
  const at = ref.indexOf("@");
  if (at >= 0) {
    const name = ref.slice(0, at);
    const digest = ref.slice(at + 1);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest) || name === "") {
      throw new UserError(`invalid image reference ${JSON.stringify(ref)}`);
    }
    return { fromImage: splitImageRef(name).fromImage, tag: digest };
  }
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) {
    const tag = ref.slice(colon + 1);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new UserError(`invalid tag in image reference ${JSON.stringify(ref)}`);
    return { fromImage: ref.slice(0, colon), tag };
  }
  return { fromImage: ref, tag: "latest" };
}
function parseVersion(v) {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : void 0;
}
function compareApiVersions(a, b) {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not an API version: ${!pa ? a : b}`);
  return pa[0] - pb[0] || pa[1] - pb[1];
}
function negotiateApiVersion(serverApiVersion, serverMinApiVersion) {
  if (!parseVersion(serverApiVersion)) {
    throw new UserError(`the Docker daemon reported an unreadable API version ${JSON.stringify(serverApiVersion)}`);
  }
  const chosen = compareApiVersions(serverApiVersion, MAX_API_VERSION) < 0 ? serverApiVersion.trim() : MAX_API_VERSION;
  if (compareApiVersions(chosen, MIN_API_VERSION) < 0) {
    throw new UserError(
      `the Docker daemon speaks API ${serverApiVersion}, older than the ${MIN_API_VERSION} (Docker 20.10) this action needs: upgrade Docker on the target`
    );
  }
  if (serverMinApiVersion && parseVersion(serverMinApiVersion) && compareApiVersions(serverMinApiVersion, chosen) > 0) {
    throw new UserError(
      `the Docker daemon only accepts API ${serverMinApiVersion} and newer, but this action speaks at most ${MAX_API_VERSION}: upgrade runbook-actions`
    );
  }
  return chosen;
}

export {
  queryString,
  pathRef,
  filtersJson,
  labelFilter,
  envList,
  createContainerBody,
  registryAuthHeader,
  splitImageRef,
  negotiateApiVersion
};
