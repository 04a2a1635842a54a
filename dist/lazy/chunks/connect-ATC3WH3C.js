import {
  formatDuration
} from "./chunk-7D2NJDCB.js";
import {
  require_undici
} from "./chunk-C6LFNWKB.js";
import {
  systemClock
} from "./chunk-VA52T2SJ.js";
import {
  CancelledError,
  ConnectionError,
  TimeoutError,
  UserError
} from "./chunk-O2HJWNJA.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// src/docker/connect.ts
var import_undici = __toESM(require_undici(), 1);

// src/docker/errors.ts
var DockerApiError = class extends UserError {
  name = "DockerApiError";
  method;
  path;
  statusCode;
  dockerMessage;
  inStream;
  constructor(info, context) {
    const where = `${info.method} ${info.path}`;
    const status = info.inStream ? "reported in the response stream" : `HTTP ${info.statusCode}`;
    super(`${context ? `${context}: ` : ""}${info.dockerMessage} (Docker API ${where}: ${status})`);
    this.method = info.method;
    this.path = info.path;
    this.statusCode = info.statusCode;
    this.dockerMessage = info.dockerMessage;
    this.inStream = info.inStream ?? false;
  }
};
function isNotFound(err) {
  return err instanceof DockerApiError && err.statusCode === 404;
}
var MAX_MESSAGE = 2e3;
function dockerMessageOf(body, statusCode) {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed.message === "string" && parsed.message.trim() !== "") return parsed.message.trim();
  } catch {
  }
  if (text === "") return `HTTP ${statusCode} with an empty body`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}\u2026` : text;
}

// src/docker/parse.ts
function obj(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
}
function str(v, fallback = "") {
  return typeof v === "string" ? v : fallback;
}
function num(v, fallback = 0) {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
function strings(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}
function labels(v) {
  const out = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === "string") out[k] = val;
  return out;
}
var stripSlash = (name) => name.replace(/^\//, "");
function parseVersionInfo(v) {
  const j = obj(v);
  const min = str(j.MinAPIVersion);
  return {
    apiVersion: str(j.ApiVersion),
    ...min ? { minApiVersion: min } : {},
    engineVersion: str(j.Version),
    os: str(j.Os),
    arch: str(j.Arch)
  };
}
function toDockerVersion(v, apiVersion) {
  const info = parseVersionInfo(v);
  return {
    apiVersion,
    serverApiVersion: info.apiVersion,
    engineVersion: info.engineVersion,
    os: info.os,
    arch: info.arch
  };
}
function parseImage(v) {
  const j = obj(v);
  return {
    id: str(j.Id),
    repoTags: strings(j.RepoTags),
    repoDigests: strings(j.RepoDigests),
    labels: labels(obj(j.Config).Labels),
    created: str(j.Created)
  };
}
function parseContainerSummary(v) {
  const j = obj(v);
  const created = num(j.Created);
  return {
    id: str(j.Id),
    names: strings(j.Names).map(stripSlash),
    image: str(j.Image),
    imageId: str(j.ImageID),
    labels: labels(j.Labels),
    state: str(j.State),
    status: str(j.Status),
    created: created > 0 ? new Date(created * 1e3).toISOString() : ""
  };
}
function parseHealth(v) {
  if (v === null || v === void 0) return void 0;
  const j = obj(v);
  return {
    status: str(j.Status),
    failingStreak: num(j.FailingStreak),
    log: (Array.isArray(j.Log) ? j.Log : []).map((entry) => {
      const e = obj(entry);
      return { exitCode: num(e.ExitCode, -1), output: str(e.Output), start: str(e.Start), end: str(e.End) };
    })
  };
}
function parseContainer(v) {
  const j = obj(v);
  const config = obj(j.Config);
  const state = obj(j.State);
  const health = parseHealth(state.Health);
  return {
    id: str(j.Id),
    name: stripSlash(str(j.Name)),
    image: str(config.Image),
    imageId: str(j.Image),
    labels: labels(config.Labels),
    env: strings(config.Env),
    state: {
      status: str(state.Status),
      running: state.Running === true,
      exitCode: num(state.ExitCode),
      startedAt: str(state.StartedAt),
      finishedAt: str(state.FinishedAt),
      pid: num(state.Pid),
      ...health ? { health } : {}
    },
    restartCount: num(j.RestartCount),
    networkMode: str(obj(j.HostConfig).NetworkMode),
    tty: config.Tty === true
  };
}
function parseExecInspect(v) {
  const j = obj(v);
  return { running: j.Running === true, exitCode: typeof j.ExitCode === "number" ? j.ExitCode : null };
}

// src/docker/streams.ts
var STREAMS = { 0: "stdin", 1: "stdout", 2: "stderr" };
var HEADER = 8;
var DEFAULT_OUTPUT_LIMIT = 16 * 1024 * 1024;
var Demuxer = class {
  constructor(limit = DEFAULT_OUTPUT_LIMIT) {
    this.limit = limit;
  }
  limit;
  pending = Buffer.alloc(0);
  parts = { stdout: [], stderr: [], combined: [] };
  sizes = { stdout: 0, stderr: 0, combined: 0 };
  truncated = false;
  push(chunk) {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    for (; ; ) {
      if (buf.length < HEADER) break;
      const type = buf[0] ?? -1;
      const stream = STREAMS[type];
      if (!stream || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) {
        throw new Error(`not a multiplexed Docker stream (frame header ${buf.subarray(0, HEADER).toString("hex")})`);
      }
      const size = buf.readUInt32BE(4);
      if (buf.length < HEADER + size) break;
      if (stream !== "stdin") this.add(stream, buf.subarray(HEADER, HEADER + size));
      buf = buf.subarray(HEADER + size);
    }
    this.pending = Buffer.from(buf);
  }
  /** Bytes of an unfinished frame at the end (0 when the stream ended cleanly). */
  get leftover() {
    return this.pending.length;
  }
  text(which) {
    return Buffer.concat(this.parts[which]).toString("utf8");
  }
  add(stream, data) {
    for (const key of [stream, "combined"]) {
      const room = this.limit - this.sizes[key];
      if (room <= 0) {
        this.truncated = true;
        continue;
      }
      const kept = data.length > room ? data.subarray(0, room) : data;
      if (kept.length < data.length) this.truncated = true;
      this.parts[key].push(Buffer.from(kept));
      this.sizes[key] += kept.length;
    }
  }
};
var LineSplitter = class {
  rest = "";
  decoder = new TextDecoder("utf-8");
  push(chunk) {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    return lines.map((l) => l.trim()).filter((l) => l !== "");
  }
  end() {
    const last = (this.rest + this.decoder.decode()).trim();
    this.rest = "";
    return last === "" ? [] : [last];
  }
};
function pullLineError(line) {
  const detail = line.errorDetail?.message;
  if (typeof detail === "string" && detail !== "") return detail;
  if (typeof line.error === "string" && line.error !== "") return line.error;
  if (line.errorDetail !== void 0 || line.error !== void 0) return "the pull failed (no message from Docker)";
  return void 0;
}
function parsePullLine(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}
var LAYER_DONE = /* @__PURE__ */ new Set(["Pull complete", "Already exists", "Download complete"]);
var PullTracker = class {
  constructor(ref, intervalMs) {
    this.ref = ref;
    this.intervalMs = intervalMs;
  }
  ref;
  intervalMs;
  layers = /* @__PURE__ */ new Map();
  lastReport = Number.NEGATIVE_INFINITY;
  status = "";
  digest;
  finalStatus;
  /** Feed one line; returns a summary when one is due. Throws nothing: errors are the caller's (pullLineError). */
  push(line, now) {
    const status = typeof line.status === "string" ? line.status : "";
    if (status.startsWith("Digest: ")) this.digest = status.slice("Digest: ".length).trim();
    if (status.startsWith("Status: ")) this.finalStatus = status;
    if (status !== "") this.status = status;
    if (typeof line.id === "string" && /^[a-f0-9]{12}$/.test(line.id)) {
      const layer = this.layers.get(line.id) ?? { current: 0, total: 0, done: false };
      const d = line.progressDetail;
      if (status === "Downloading" && d && typeof d.current === "number") {
        layer.current = d.current;
        if (typeof d.total === "number" && d.total > 0) layer.total = d.total;
      }
      if (LAYER_DONE.has(status)) {
        layer.done = true;
        if (layer.total > 0) layer.current = layer.total;
      }
      this.layers.set(line.id, layer);
    }
    if (now - this.lastReport < this.intervalMs) return void 0;
    this.lastReport = now;
    return this.summary();
  }
  summary() {
    const layers = [...this.layers.values()];
    return {
      ref: this.ref,
      status: this.status,
      layersDone: layers.filter((l) => l.done).length,
      layersTotal: layers.length,
      bytesDone: layers.reduce((s, l) => s + l.current, 0),
      bytesTotal: layers.reduce((s, l) => s + l.total, 0)
    };
  }
};
function formatPullProgress(p) {
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const bytes = p.bytesTotal > 0 ? `, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)}` : "";
  return `pulling ${p.ref}: ${p.layersDone}/${p.layersTotal} layers${bytes}${p.status ? ` (${p.status})` : ""}`;
}

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
function labelFilter(labels2) {
  if (!labels2) return void 0;
  return Object.entries(labels2).map(([k, v]) => {
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

// src/docker/exec.ts
async function demux(body, what) {
  const demuxer = new Demuxer();
  try {
    for await (const chunk of body) demuxer.push(chunk);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("not a multiplexed")) {
      throw new UserError(`${what}: ${err.message}`);
    }
    throw err;
  }
  return demuxer;
}
async function containerLogs(http, id, tty, opts = {}) {
  const req = {
    method: "GET",
    path: `/containers/${pathRef(id, "container id")}/logs`,
    query: {
      stdout: true,
      stderr: true,
      tail: opts.tail === void 0 ? void 0 : String(Math.max(0, Math.floor(opts.tail))),
      since: opts.sinceSeconds === void 0 ? void 0 : Math.floor(http.clock.now().getTime() / 1e3 - opts.sinceSeconds)
    },
    context: `reading the logs of ${id}`
  };
  return http.call(req, opts, async (body) => {
    if (tty) return body.text();
    return (await demux(body, `logs of ${id}`)).text("combined");
  });
}
async function execInContainer(http, id, argv, opts = {}) {
  if (argv.length === 0 || argv[0] === "") throw new UserError(`exec in ${id}: an empty command`);
  const program = argv[0];
  const created = await http.json(
    {
      method: "POST",
      path: `/containers/${pathRef(id, "container id")}/exec`,
      body: {
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Cmd: argv,
        Env: envList(opts.env),
        User: opts.user,
        WorkingDir: opts.workingDir
      },
      context: `exec \`${program}\` in ${id}`
    },
    opts
  );
  const execId = created?.Id;
  if (!execId) throw new UserError(`exec \`${program}\` in ${id}: Docker returned no exec id`);
  const execPath = `/exec/${pathRef(execId, "exec id")}`;
  const { clock } = http;
  const started = clock.now().getTime();
  const demuxer = await http.call(
    {
      method: "POST",
      path: `${execPath}/start`,
      body: { Detach: false, Tty: false },
      long: true,
      context: `exec \`${program}\` in ${id}`
    },
    opts,
    (body) => demux(body, `exec \`${program}\` in ${id}`)
  );
  const remaining = () => ({
    ...opts,
    ...opts.timeoutMs !== void 0 ? { timeoutMs: Math.max(1e3, opts.timeoutMs - (clock.now().getTime() - started)) } : {}
  });
  for (let attempt = 0; ; attempt++) {
    const state = parseExecInspect(await http.json({ method: "GET", path: `${execPath}/json` }, remaining()));
    if (!state.running && state.exitCode !== null) {
      return { code: state.exitCode, stdout: demuxer.text("stdout"), stderr: demuxer.text("stderr") };
    }
    if (attempt >= 50) {
      throw new UserError(`exec \`${program}\` in ${id}: its output ended but Docker reports no exit code`);
    }
    await clock.sleep(Math.min(20 * (attempt + 1), 200));
  }
}

// src/docker/images.ts
var DEFAULT_PROGRESS_INTERVAL_MS = 2e3;
async function pullImage(http, logger, ref, opts = {}) {
  const { fromImage, tag } = splitImageRef(ref);
  const headers = {};
  if (opts.auth) {
    const header = registryAuthHeader(opts.auth);
    if (opts.auth.password) logger.addSecret(opts.auth.password);
    logger.addSecret(header);
    headers["x-registry-auth"] = header;
  }
  const tracker = new PullTracker(ref, opts.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
  const report = opts.onProgress ?? ((p) => logger.info(formatPullProgress(p)));
  const req = {
    method: "POST",
    path: "/images/create",
    query: { fromImage, tag },
    headers,
    long: true,
    context: `pulling ${ref}`
  };
  const path = http.fullPath(req);
  return http.call(req, opts, async (body) => {
    const lines = new LineSplitter();
    const handle = (text) => {
      const line = parsePullLine(text);
      if (!line) {
        logger.debug(`docker: pull ${ref}: ignoring a line that is not JSON`);
        return;
      }
      const failure = pullLineError(line);
      if (failure !== void 0) {
        throw new DockerApiError(
          { method: "POST", path, statusCode: 200, dockerMessage: failure, inStream: true },
          `pulling ${ref}`
        );
      }
      const due = tracker.push(line, http.clock.now().getTime());
      if (due) report(due);
    };
    for await (const chunk of body) for (const text of lines.push(chunk)) handle(text);
    for (const text of lines.end()) handle(text);
    report(tracker.summary());
    return {
      ...tracker.digest ? { digest: tracker.digest } : {},
      ...tracker.finalStatus ? { status: tracker.finalStatus } : {}
    };
  });
}
async function inspectImage(http, ref, opts) {
  try {
    const raw = await http.json(
      { method: "GET", path: `/images/${pathRef(ref, "image reference", { slashes: true })}/json` },
      opts
    );
    return parseImage(raw);
  } catch (err) {
    if (isNotFound(err)) return void 0;
    throw err;
  }
}
async function tagImage(http, source, repo, tag, opts) {
  await http.send(
    {
      method: "POST",
      path: `/images/${pathRef(source, "image reference", { slashes: true })}/tag`,
      query: { repo, tag },
      context: `tagging ${source} as ${repo}:${tag}`
    },
    opts
  );
}
async function removeImage(http, ref, opts = {}) {
  await http.send(
    {
      method: "DELETE",
      path: `/images/${pathRef(ref, "image reference", { slashes: true })}`,
      query: { force: opts.force, noprune: opts.noPrune },
      context: `removing image ${ref}`
    },
    opts
  );
}

// src/docker/client.ts
var STOP_SLACK_MS = 3e4;
var DockerClient = class {
  constructor(http, server) {
    this.http = http;
    this.server = server;
  }
  http;
  server;
  closing;
  /** The endpoint's name in messages, e.g. `unix:///var/run/docker.sock`. */
  get label() {
    return this.http.label;
  }
  /** The negotiated API version, e.g. `1.41`. */
  get apiVersion() {
    return this.server.apiVersion;
  }
  /** GET /v1.xx/version, fresh. */
  async version(opts) {
    return toDockerVersion(await this.http.json({ method: "GET", path: "/version" }, opts), this.apiVersion);
  }
  // ── images ──
  pullImage(ref, opts) {
    return pullImage(this.http, this.logger, ref, opts);
  }
  inspectImage(ref, opts) {
    return inspectImage(this.http, ref, opts);
  }
  tagImage(source, repo, tag, opts) {
    return tagImage(this.http, source, repo, tag, opts);
  }
  removeImage(ref, opts) {
    return removeImage(this.http, ref, opts);
  }
  // ── containers ──
  /** POST /containers/create?name=… → the new container's id. */
  async createContainer(spec, opts) {
    const body = createContainerBody(spec);
    const created = await this.http.json(
      {
        method: "POST",
        path: "/containers/create",
        query: { name: spec.name },
        body,
        context: `creating container ${spec.name}`
      },
      opts
    );
    for (const warning of created?.Warnings ?? []) this.logger.warn(`docker: creating ${spec.name}: ${warning}`);
    if (!created?.Id) throw new Error(`Docker created ${spec.name} but returned no id`);
    return created.Id;
  }
  /** Starting a running container is not an error (Docker answers 304). */
  async startContainer(id, opts) {
    await this.http.send(
      { method: "POST", path: `${this.container(id)}/start`, okStatuses: [304], context: `starting ${id}` },
      opts
    );
  }
  /**
   * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `graceSeconds`. Stopping a stopped container is not an
   * error. The deadline covers the grace period.
   */
  async stopContainer(id, graceSeconds, opts = {}) {
    const t = Math.max(0, Math.floor(graceSeconds));
    await this.http.send(
      {
        method: "POST",
        path: `${this.container(id)}/stop`,
        query: { t },
        okStatuses: [304],
        context: `stopping ${id}`
      },
      { ...opts, timeoutMs: opts.timeoutMs ?? t * 1e3 + STOP_SLACK_MS }
    );
  }
  /** Docker answers 409 when the container is not running. */
  async killContainer(id, signal, opts) {
    await this.http.send(
      { method: "POST", path: `${this.container(id)}/kill`, query: { signal }, context: `killing ${id}` },
      opts
    );
  }
  async renameContainer(id, name, opts) {
    await this.http.send(
      { method: "POST", path: `${this.container(id)}/rename`, query: { name }, context: `renaming ${id} to ${name}` },
      opts
    );
  }
  /** `force` kills a running container first; `volumes` removes its anonymous volumes. */
  async removeContainer(id, opts = {}) {
    await this.http.send(
      {
        method: "DELETE",
        path: this.container(id),
        query: { force: opts.force, v: opts.volumes },
        context: `removing container ${id}`
      },
      opts
    );
  }
  /** GET /containers/json; `labels` all must match (Docker's `label` filter). */
  async listContainers(opts = {}) {
    const filters = filtersJson({ label: labelFilter(opts.labels) });
    const raw = await this.http.json(
      { method: "GET", path: "/containers/json", query: { all: opts.all, filters } },
      opts
    );
    return (Array.isArray(raw) ? raw : []).map(parseContainerSummary);
  }
  /** GET /containers/{id}/json; a missing container is a DockerApiError with isNotFound. */
  async inspectContainer(id, opts) {
    return parseContainer(await this.http.json({ method: "GET", path: `${this.container(id)}/json` }, opts));
  }
  /** inspectContainer, or undefined when there is no such container. */
  async tryInspectContainer(id, opts) {
    try {
      return await this.inspectContainer(id, opts);
    } catch (err) {
      if (isNotFound(err)) return void 0;
      throw err;
    }
  }
  // ── volumes and networks ──
  /** Join container `id` to `network`, answering to `aliases` there (POST /networks/{network}/connect). */
  async connectNetwork(network, id, aliases = [], opts) {
    await this.http.send(
      {
        method: "POST",
        path: `/networks/${encodeURIComponent(network)}/connect`,
        body: { Container: id, EndpointConfig: aliases.length > 0 ? { Aliases: aliases } : {} },
        context: `connecting ${id.slice(0, 12)} to network ${network}`
      },
      opts
    );
  }
  /** Whether the named volume exists (GET /volumes/{name}). */
  async hasVolume(name, opts) {
    const path = `/volumes/${encodeURIComponent(name)}`;
    return await this.http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404;
  }
  /** Whether the network exists (GET /networks/{name}). */
  async hasNetwork(name, opts) {
    const path = `/networks/${encodeURIComponent(name)}`;
    return await this.http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404;
  }
  /**
   * The named volume `name`, created (local driver, with `labels`) when it does not exist; an existing one is left as
   * it is, labels and all. Returns whether it was created. GET /volumes/{name}, POST /volumes/create.
   */
  async ensureVolume(name, labels2, opts) {
    const path = `/volumes/${encodeURIComponent(name)}`;
    if (await this.http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404) return false;
    await this.http.json(
      {
        method: "POST",
        path: "/volumes/create",
        body: { Name: name, Labels: labels2 },
        context: `creating volume ${name}`
      },
      opts
    );
    return true;
  }
  /**
   * The network `name`, created (bridge driver, with `labels`) when it does not exist; an existing one is left as it
   * is. Returns whether it was created. GET /networks/{name}, POST /networks/create.
   */
  async ensureNetwork(name, labels2, opts) {
    if (await this.hasNetwork(name, opts)) return false;
    await this.http.json(
      {
        method: "POST",
        path: "/networks/create",
        body: { Name: name, Labels: labels2, CheckDuplicate: true },
        context: `creating network ${name}`
      },
      opts
    );
    return true;
  }
  /** The container's output, stdout and stderr interleaved. */
  async containerLogs(id, opts = {}) {
    const { tty } = await this.inspectContainer(id, opts);
    return containerLogs(this.http, id, tty, opts);
  }
  execInContainer(id, argv, opts) {
    return execInContainer(this.http, id, argv, opts);
  }
  /** Block until the container stops (POST /containers/{id}/wait); its exit code. Long deadline. */
  async waitContainer(id, opts) {
    const raw = await this.http.json(
      {
        method: "POST",
        path: `${this.container(id)}/wait`,
        query: { condition: "not-running" },
        long: true,
        context: `waiting for ${id}`
      },
      opts
    );
    return typeof raw?.StatusCode === "number" ? raw.StatusCode : -1;
  }
  /** Close the connections (in-flight calls get a moment to finish, then are cut). Idempotent. */
  close() {
    this.closing ??= (async () => {
      const dispatcher = this.http.dispatcher;
      const timer = setTimeout(() => void dispatcher.destroy().catch(() => {
      }), 1e3);
      try {
        await dispatcher.close();
      } catch {
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.closing;
  }
  get logger() {
    return this.http.logger;
  }
  container(id) {
    return `/containers/${pathRef(id, "container id")}`;
  }
};

// src/docker/http.ts
var TLS_UNTRUSTED = /* @__PURE__ */ new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED"
]);
function connectionHint(code, tls = false) {
  if (!code) return "";
  if (TLS_UNTRUSTED.has(code)) return " \u2014 the daemon\u2019s TLS certificate is not trusted by the given CA";
  if (tls && (code === "UND_ERR_SOCKET" || code === "ECONNRESET")) {
    return " \u2014 over TLS this is how dockerd refuses a client certificate it does not trust (is it signed by the CA dockerd was started with?)";
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return " \u2014 the daemon\u2019s TLS certificate does not name this host";
  if (code.startsWith("ERR_SSL_") && /ALERT|CERTIFICATE/.test(code)) {
    return " \u2014 the daemon refused the TLS handshake (is the client certificate signed by the CA dockerd trusts?)";
  }
  if (code === "ECONNREFUSED") return " \u2014 nothing listens there (is dockerd running?)";
  if (code === "ENOENT") return " \u2014 the socket does not exist (is dockerd running?)";
  if (code === "EACCES") return " \u2014 permission denied on the socket (is the user in the docker group?)";
  if (code.startsWith("HPE_")) return " \u2014 the answer is not HTTP (a TLS port reached without TLS?)";
  return "";
}
var DockerHttp = class {
  constructor(dispatcher, label, logger, defaults) {
    this.dispatcher = dispatcher;
    this.label = label;
    this.logger = logger;
    this.defaults = defaults;
  }
  dispatcher;
  label;
  logger;
  defaults;
  /** Set once negotiated; every versioned path starts with `/v${apiVersion}`. */
  apiVersion;
  /** The client's clock (see HttpDefaults.clock). */
  get clock() {
    return this.defaults.clock;
  }
  fullPath(req) {
    const prefix = req.versioned === false ? "" : `/v${this.requireVersion()}`;
    return `${prefix}${req.path}${queryString(req.query ?? {})}`;
  }
  /**
   * Send the request and hand a successful response's body to `consume`. The deadline and the signals stay armed
   * until `consume` returns, so a stalled stream is cut too.
   */
  async call(req, opts, consume) {
    const path = this.fullPath(req);
    const what = `${req.method} ${path}`;
    const timeoutMs = opts?.timeoutMs ?? (req.long ? this.defaults.longTimeoutMs : this.defaults.timeoutMs);
    const signals = [this.defaults.signal, opts?.signal].filter((s) => s !== void 0);
    const cancelled = () => new CancelledError(`Docker API ${what} on ${this.label} was cancelled`);
    if (signals.some((s) => s.aborted)) throw cancelled();
    const ac = new AbortController();
    const onAbort = () => ac.abort(cancelled());
    for (const s of signals) s.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () => ac.abort(new TimeoutError(`Docker API ${what} on ${this.label} timed out after ${formatDuration(timeoutMs)}`)),
      timeoutMs
    );
    let body;
    try {
      const headers = { ...req.headers };
      let payload;
      if (req.body !== void 0) {
        payload = JSON.stringify(req.body);
        headers["content-type"] = "application/json";
      }
      const res = await this.dispatcher.request({
        method: req.method,
        path,
        headers,
        body: payload,
        signal: ac.signal
      });
      body = res.body;
      this.logger.debug(`docker: ${what} \u2192 ${res.statusCode}`);
      const ok = res.statusCode >= 200 && res.statusCode < 300 || (req.okStatuses ?? []).includes(res.statusCode);
      if (!ok) {
        const text = await res.body.text();
        const info = { method: req.method, path, statusCode: res.statusCode };
        throw new DockerApiError({ ...info, dockerMessage: dockerMessageOf(text, res.statusCode) }, req.context);
      }
      return await consume(res.body, res.statusCode);
    } catch (err) {
      body?.destroy();
      if (ac.signal.aborted) throw ac.signal.reason;
      throw this.mapError(err, what);
    } finally {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener("abort", onAbort);
    }
  }
  /** The parsed JSON answer (undefined for an empty body, e.g. 204/304). */
  json(req, opts) {
    return this.call(req, opts, async (body) => {
      const text = await body.text();
      if (text.trim() === "") return void 0;
      try {
        return JSON.parse(text);
      } catch {
        throw new UserError(`Docker API ${req.method} ${req.path} on ${this.label} answered with invalid JSON`);
      }
    });
  }
  /** For calls whose answer does not matter: the body is drained so the connection can be reused. */
  async send(req, opts) {
    return this.call(req, opts, async (body, status) => {
      await body.dump({ limit: 1024 * 1024 });
      return status;
    });
  }
  requireVersion() {
    if (!this.apiVersion) throw new Error("DockerHttp: the API version has not been negotiated yet");
    return this.apiVersion;
  }
  mapError(err, what) {
    if (err instanceof UserError) return err;
    if (err instanceof Error) {
      const code = err.code;
      if (typeof code === "string") {
        const detail = TLS_UNTRUSTED.has(code) ? `TLS verification failed (${code})` : err.message || code;
        return new ConnectionError(
          `could not talk to the Docker daemon at ${this.label} (${what}): ${detail}${connectionHint(code, this.defaults.tls)}`,
          { cause: err }
        );
      }
    }
    return err;
  }
};

// src/docker/connect.ts
var DEFAULT_TIMEOUT_MS = 3e4;
var DEFAULT_LONG_TIMEOUT_MS = 10 * 6e4;
var CONNECT_TIMEOUT_MS = 1e4;
function endpointLabel(endpoint) {
  switch (endpoint.kind) {
    case "unix":
      return `unix://${endpoint.path}`;
    case "tcp":
      return `tcp://${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
    case "stream":
      return endpoint.label;
  }
}
function checkPem(value, field, label) {
  if (typeof value !== "string" || !value.includes("-----BEGIN ")) {
    throw new UserError(`Docker TLS for ${label}: ${field} is not a PEM text (expected "-----BEGIN \u2026")`);
  }
}
function poolTarget(endpoint, logger) {
  const label = endpointLabel(endpoint);
  switch (endpoint.kind) {
    case "unix":
      if (!endpoint.path) throw new UserError("Docker endpoint: the Unix socket path is empty");
      return { origin: "http://localhost", options: { socketPath: endpoint.path } };
    case "stream":
      return {
        origin: "http://docker",
        options: {
          connect: (_opts, callback) => {
            endpoint.open().then(
              (stream) => callback(null, stream),
              (err) => callback(err instanceof Error ? err : new Error(String(err)), null)
            );
          }
        }
      };
    case "tcp": {
      const { host, port, tls } = endpoint;
      if (!host || /[\s/]/.test(host)) throw new UserError(`Docker endpoint: invalid host ${JSON.stringify(host)}`);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new UserError(`Docker endpoint ${label}: invalid port ${port}`);
      }
      const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
      if (tls) {
        checkPem(tls.ca, "ca", label);
        checkPem(tls.cert, "cert", label);
        checkPem(tls.key, "key", label);
        logger.addSecret(tls.key);
        return {
          origin: `https://${authority}`,
          options: {
            connect: {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              rejectUnauthorized: true,
              timeout: CONNECT_TIMEOUT_MS
            }
          }
        };
      }
      if (!endpoint.allowPlainTcp) {
        throw new UserError(
          `Docker endpoint ${label} has no TLS: anyone who can reach that port controls the daemon (root on the host). Give the CA, client certificate and key for mutual TLS, reach the socket through SSH, or set allow-plain-tcp if this network is trusted`
        );
      }
      logger.warn(
        `Docker endpoint ${label}: talking to the daemon over PLAIN TCP without TLS (allow-plain-tcp is set) \u2014 anyone on the network path can read and hijack this connection and take over the host`
      );
      return { origin: `http://${authority}`, options: { connect: { timeout: CONNECT_TIMEOUT_MS } } };
    }
  }
}
async function connectDocker(endpoint, logger, opts = {}) {
  const label = endpointLabel(endpoint);
  const { origin, options } = poolTarget(endpoint, logger);
  const pool = new import_undici.Pool(origin, {
    ...options,
    connections: opts.maxConnections ?? 4,
    pipelining: 1,
    keepAliveTimeout: 3e4,
    keepAliveMaxTimeout: 6e4,
    // Deadlines are ours (DockerHttp), per call; undici's would cut long pulls and waits.
    headersTimeout: 0,
    bodyTimeout: 0
  });
  const http = new DockerHttp(pool, label, logger, {
    ...opts.signal ? { signal: opts.signal } : {},
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    longTimeoutMs: opts.longTimeoutMs ?? DEFAULT_LONG_TIMEOUT_MS,
    tls: endpoint.kind === "tcp" && endpoint.tls !== void 0,
    clock: opts.clock ?? systemClock
  });
  try {
    const raw = await http.json({ method: "GET", path: "/version", versioned: false });
    const info = parseVersionInfo(raw);
    if (!info.apiVersion) throw new UserError(`${label} did not answer GET /version like a Docker daemon`);
    http.apiVersion = negotiateApiVersion(info.apiVersion, info.minApiVersion);
    logger.debug(
      `docker: ${label} is Docker ${info.engineVersion || "(unknown version)"} with API ${info.apiVersion}; using API ${http.apiVersion}`
    );
    return new DockerClient(http, {
      apiVersion: http.apiVersion,
      serverApiVersion: info.apiVersion,
      engineVersion: info.engineVersion,
      os: info.os,
      arch: info.arch
    });
  } catch (err) {
    await pool.destroy().catch(() => {
    });
    throw err;
  }
}
export {
  connectDocker,
  endpointLabel
};
