import {
  formatDuration
} from "./chunk-7D2NJDCB.js";
import {
  createContainerBody,
  envList,
  filtersJson,
  labelFilter,
  negotiateApiVersion,
  pathRef,
  queryString,
  registryAuthHeader,
  splitImageRef
} from "./chunk-2IS7G2IM.js";
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

// src/docker/containers.ts
var STOP_SLACK_MS = 3e4;
function containerPath(id) {
  return `/containers/${pathRef(id, "container id")}`;
}
async function createContainer(http, logger, spec, opts) {
  const body = createContainerBody(spec);
  const created = await http.json(
    {
      method: "POST",
      path: "/containers/create",
      query: { name: spec.name },
      body,
      context: `creating container ${spec.name}`
    },
    opts
  );
  for (const warning of created?.Warnings ?? []) logger.warn(`docker: creating ${spec.name}: ${warning}`);
  if (!created?.Id) throw new Error(`Docker created ${spec.name} but returned no id`);
  return created.Id;
}
async function startContainer(http, id, opts) {
  await http.send(
    { method: "POST", path: `${containerPath(id)}/start`, okStatuses: [304], context: `starting ${id}` },
    opts
  );
}
async function stopContainer(http, id, graceSeconds, opts = {}) {
  const t = Math.max(0, Math.floor(graceSeconds));
  await http.send(
    {
      method: "POST",
      path: `${containerPath(id)}/stop`,
      query: { t },
      okStatuses: [304],
      context: `stopping ${id}`
    },
    { ...opts, timeoutMs: opts.timeoutMs ?? t * 1e3 + STOP_SLACK_MS }
  );
}
async function killContainer(http, id, signal, opts) {
  await http.send(
    { method: "POST", path: `${containerPath(id)}/kill`, query: { signal }, context: `killing ${id}` },
    opts
  );
}
async function renameContainer(http, id, name, opts) {
  await http.send(
    { method: "POST", path: `${containerPath(id)}/rename`, query: { name }, context: `renaming ${id} to ${name}` },
    opts
  );
}
async function removeContainer(http, id, opts = {}) {
  await http.send(
    {
      method: "DELETE",
      path: containerPath(id),
      query: { force: opts.force, v: opts.volumes },
      context: `removing container ${id}`
    },
    opts
  );
}
async function listContainers(http, opts = {}) {
  const filters = filtersJson({ label: labelFilter(opts.labels) });
  const raw = await http.json(
    { method: "GET", path: "/containers/json", query: { all: opts.all, filters } },
    opts
  );
  return (Array.isArray(raw) ? raw : []).map(parseContainerSummary);
}
async function inspectContainer(http, id, opts) {
  return parseContainer(await http.json({ method: "GET", path: `${containerPath(id)}/json` }, opts));
}
async function tryInspectContainer(http, id, opts) {
  try {
    return await inspectContainer(http, id, opts);
  } catch (err) {
    if (isNotFound(err)) return void 0;
    throw err;
  }
}
async function waitContainer(http, id, opts) {
  const raw = await http.json(
    {
      method: "POST",
      path: `${containerPath(id)}/wait`,
      query: { condition: "not-running" },
      long: true,
      context: `waiting for ${id}`
    },
    opts
  );
  return typeof raw?.StatusCode === "number" ? raw.StatusCode : -1;
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

// src/docker/swarm-parse.ts
function obj2(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
}
function str2(v) {
  return typeof v === "string" ? v : "";
}
function num2(v, fallback = 0) {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
function labels2(v) {
  const out = {};
  for (const [k, val] of Object.entries(obj2(v))) if (typeof val === "string") out[k] = val;
  return out;
}
function parseSwarmInfo(v) {
  const swarm = obj2(obj2(v).Swarm);
  return {
    localNodeState: str2(swarm.LocalNodeState) || "inactive",
    controlAvailable: swarm.ControlAvailable === true,
    nodeId: str2(swarm.NodeID),
    clusterId: str2(obj2(swarm.Cluster).ID),
    managers: num2(swarm.Managers),
    nodes: num2(swarm.Nodes),
    error: str2(swarm.Error)
  };
}
function parseService(v) {
  const j = obj2(v);
  const status = j.UpdateStatus === void 0 || j.UpdateStatus === null ? void 0 : obj2(j.UpdateStatus);
  return {
    id: str2(j.ID),
    version: num2(obj2(j.Version).Index),
    spec: obj2(j.Spec),
    ...j.PreviousSpec ? { previousSpec: obj2(j.PreviousSpec) } : {},
    ...status ? {
      updateStatus: {
        state: str2(status.State),
        startedAt: str2(status.StartedAt),
        completedAt: str2(status.CompletedAt),
        message: str2(status.Message)
      }
    } : {},
    createdAt: str2(j.CreatedAt),
    updatedAt: str2(j.UpdatedAt)
  };
}
function parseTask(v) {
  const j = obj2(v);
  const status = obj2(j.Status);
  const container = obj2(status.ContainerStatus);
  const spec = obj2(obj2(j.Spec).ContainerSpec);
  return {
    id: str2(j.ID),
    serviceId: str2(j.ServiceID),
    nodeId: str2(j.NodeID),
    slot: num2(j.Slot),
    desiredState: str2(j.DesiredState),
    state: str2(status.State),
    message: str2(status.Message),
    err: str2(status.Err),
    containerId: str2(container.ContainerID),
    exitCode: num2(container.ExitCode),
    labels: labels2(spec.Labels),
    image: str2(spec.Image),
    createdAt: str2(j.CreatedAt),
    timestamp: str2(status.Timestamp)
  };
}
function parseNode(v) {
  const j = obj2(v);
  const spec = obj2(j.Spec);
  const status = obj2(j.Status);
  return {
    id: str2(j.ID),
    hostname: str2(obj2(j.Description).Hostname),
    addr: str2(status.Addr),
    state: str2(status.State),
    availability: str2(spec.Availability),
    role: str2(spec.Role)
  };
}
function parseSecret(v) {
  const j = obj2(v);
  const spec = obj2(j.Spec);
  return { id: str2(j.ID), name: str2(spec.Name), labels: labels2(spec.Labels) };
}

// src/docker/swarm.ts
function authHeaders(logger, auth) {
  if (!auth) return {};
  const header = registryAuthHeader(auth);
  if (auth.password) logger.addSecret(auth.password);
  logger.addSecret(header);
  return { "x-registry-auth": header };
}
async function swarmInfo(http, opts) {
  return parseSwarmInfo(await http.json({ method: "GET", path: "/info" }, opts));
}
async function inspectService(http, ref, opts) {
  try {
    const raw = await http.json({ method: "GET", path: `/services/${pathRef(ref, "service")}` }, opts);
    return parseService(raw);
  } catch (err) {
    if (isNotFound(err)) return void 0;
    throw err;
  }
}
async function listServices(http, labels3, opts) {
  const filters = filtersJson({ label: labelFilter(labels3) });
  const raw = await http.json({ method: "GET", path: "/services", query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseService);
}
async function createService(http, logger, spec, opts = {}) {
  const created = await http.json(
    {
      method: "POST",
      path: "/services/create",
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `creating service ${spec.Name}`
    },
    opts
  );
  if (created?.Warning) logger.warn(`docker: creating service ${spec.Name}: ${created.Warning}`);
  if (!created?.ID) throw new Error(`Docker created service ${spec.Name} but returned no id`);
  return created.ID;
}
async function updateService(http, logger, id, version, spec, opts = {}) {
  const answer = await http.json(
    {
      method: "POST",
      path: `/services/${pathRef(id, "service")}/update`,
      query: { version, rollback: opts.rollback ? "previous" : void 0 },
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `${opts.rollback ? "rolling back" : "updating"} service ${spec.Name}`
    },
    opts
  );
  const warnings = answer?.Warnings ?? [];
  for (const w of warnings) logger.warn(`docker: service ${spec.Name}: ${w}`);
  return warnings;
}
async function removeService(http, id, opts) {
  await http.send(
    { method: "DELETE", path: `/services/${pathRef(id, "service")}`, context: `removing service ${id}` },
    opts
  );
}
async function listTasks(http, serviceId, opts) {
  const filters = filtersJson({ service: [serviceId] });
  const raw = await http.json({ method: "GET", path: "/tasks", query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseTask);
}
async function listNodes(http, opts) {
  const raw = await http.json({ method: "GET", path: "/nodes" }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseNode);
}
async function listSecrets(http, labels3, opts) {
  const filters = filtersJson({ label: labelFilter(labels3) });
  const raw = await http.json({ method: "GET", path: "/secrets", query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseSecret);
}
async function createSecret(http, name, value, labels3, opts) {
  const created = await http.json(
    {
      method: "POST",
      path: "/secrets/create",
      body: { Name: name, Labels: labels3, Data: Buffer.from(value, "utf8").toString("base64") },
      context: `creating secret ${name}`
    },
    opts
  );
  if (!created?.ID) throw new Error(`Docker created secret ${name} but returned no id`);
  return created.ID;
}
async function removeSecret(http, id, opts) {
  await http.send(
    { method: "DELETE", path: `/secrets/${pathRef(id, "secret")}`, context: `removing secret ${id}` },
    opts
  );
}

// src/docker/volumes-networks.ts
async function connectNetwork(http, network, id, aliases = [], opts) {
  await http.send(
    {
      method: "POST",
      path: `/networks/${encodeURIComponent(network)}/connect`,
      body: { Container: id, EndpointConfig: aliases.length > 0 ? { Aliases: aliases } : {} },
      context: `connecting ${id.slice(0, 12)} to network ${network}`
    },
    opts
  );
}
async function hasVolume(http, name, opts) {
  const path = `/volumes/${encodeURIComponent(name)}`;
  return await http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404;
}
async function hasNetwork(http, name, opts) {
  const path = `/networks/${encodeURIComponent(name)}`;
  return await http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404;
}
async function ensureVolume(http, name, labels3, opts) {
  const path = `/volumes/${encodeURIComponent(name)}`;
  if (await http.send({ method: "GET", path, okStatuses: [404] }, opts) !== 404) return false;
  await http.json(
    {
      method: "POST",
      path: "/volumes/create",
      body: { Name: name, Labels: labels3 },
      context: `creating volume ${name}`
    },
    opts
  );
  return true;
}
async function ensureNetwork(http, name, labels3, opts) {
  if (await hasNetwork(http, name, opts)) return false;
  await http.json(
    {
      method: "POST",
      path: "/networks/create",
      body: { Name: name, Labels: labels3, CheckDuplicate: true },
      context: `creating network ${name}`
    },
    opts
  );
  return true;
}

// src/docker/client.ts
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
  // ── containers (containers.ts) ──
  /** POST /containers/create?name=… → the new container's id. */
  createContainer(spec, opts) {
    return createContainer(this.http, this.logger, spec, opts);
  }
  /** Starting a running container is not an error (Docker answers 304). */
  startContainer(id, opts) {
    return startContainer(this.http, id, opts);
  }
  /**
   * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `graceSeconds`. Stopping a stopped container is not an
   * error. The deadline covers the grace period.
   */
  stopContainer(id, graceSeconds, opts = {}) {
    return stopContainer(this.http, id, graceSeconds, opts);
  }
  /** Docker answers 409 when the container is not running. */
  killContainer(id, signal, opts) {
    return killContainer(this.http, id, signal, opts);
  }
  renameContainer(id, name, opts) {
    return renameContainer(this.http, id, name, opts);
  }
  /** `force` kills a running container first; `volumes` removes its anonymous volumes. */
  removeContainer(id, opts = {}) {
    return removeContainer(this.http, id, opts);
  }
  /** GET /containers/json; `labels` all must match (Docker's `label` filter). */
  listContainers(opts = {}) {
    return listContainers(this.http, opts);
  }
  /** GET /containers/{id}/json; a missing container is a DockerApiError with isNotFound. */
  inspectContainer(id, opts) {
    return inspectContainer(this.http, id, opts);
  }
  /** inspectContainer, or undefined when there is no such container. */
  tryInspectContainer(id, opts) {
    return tryInspectContainer(this.http, id, opts);
  }
  // ── volumes and networks (volumes-networks.ts) ──
  /** Join container `id` to `network`, answering to `aliases` there (POST /networks/{network}/connect). */
  connectNetwork(network, id, aliases = [], opts) {
    return connectNetwork(this.http, network, id, aliases, opts);
  }
  /** Whether the named volume exists (GET /volumes/{name}). */
  hasVolume(name, opts) {
    return hasVolume(this.http, name, opts);
  }
  /** Whether the network exists (GET /networks/{name}). */
  hasNetwork(name, opts) {
    return hasNetwork(this.http, name, opts);
  }
  /**
   * The named volume `name`, created (local driver, with `labels`) when it does not exist; an existing one is left as
   * it is, labels and all. Returns whether it was created. GET /volumes/{name}, POST /volumes/create.
   */
  ensureVolume(name, labels3, opts) {
    return ensureVolume(this.http, name, labels3, opts);
  }
  /**
   * The network `name`, created (bridge driver, with `labels`) when it does not exist; an existing one is left as it
   * is. Returns whether it was created. GET /networks/{name}, POST /networks/create.
   */
  ensureNetwork(name, labels3, opts) {
    return ensureNetwork(this.http, name, labels3, opts);
  }
  // ── logs, exec, wait ──
  /** The container's output, stdout and stderr interleaved. */
  async containerLogs(id, opts = {}) {
    const { tty } = await this.inspectContainer(id, opts);
    return containerLogs(this.http, id, tty, opts);
  }
  execInContainer(id, argv, opts) {
    return execInContainer(this.http, id, argv, opts);
  }
  /** Block until the container stops (POST /containers/{id}/wait); its exit code. Long deadline. */
  waitContainer(id, opts) {
    return waitContainer(this.http, id, opts);
  }
  // ── swarm (a manager node: services, tasks, secrets; see swarm.ts) ──
  swarmInfo(opts) {
    return swarmInfo(this.http, opts);
  }
  inspectService(ref, opts) {
    return inspectService(this.http, ref, opts);
  }
  listServices(labels3, opts) {
    return listServices(this.http, labels3, opts);
  }
  createService(spec, opts) {
    return createService(this.http, this.logger, spec, opts);
  }
  updateService(id, version, spec, opts) {
    return updateService(this.http, this.logger, id, version, spec, opts);
  }
  removeService(id, opts) {
    return removeService(this.http, id, opts);
  }
  listTasks(serviceId, opts) {
    return listTasks(this.http, serviceId, opts);
  }
  listNodes(opts) {
    return listNodes(this.http, opts);
  }
  listSecrets(labels3, opts) {
    return listSecrets(this.http, labels3, opts);
  }
  createSecret(name, value, labels3, opts) {
    return createSecret(this.http, name, value, labels3, opts);
  }
  removeSecret(id, opts) {
    return removeSecret(this.http, id, opts);
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
