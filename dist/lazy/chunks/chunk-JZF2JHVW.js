import {
  envList
} from "./chunk-2IS7G2IM.js";
import {
  LABEL,
  ownerLabels
} from "./chunk-EJKV34LF.js";
import {
  quoteArg,
  toRemoteCommand
} from "./chunk-MOIZCRN3.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/deploy/swarm/api.ts
var CALLS = [
  "swarmInfo",
  "inspectService",
  "listServices",
  "createService",
  "updateService",
  "removeService",
  "listTasks",
  "listNodes",
  "listSecrets",
  "createSecret",
  "removeSecret"
];
function swarmEngineOf(target, docker) {
  const api = docker;
  if (!api) throw new UserError(`${target}: the swarm driver needs the target's Engine API (its docker-socket)`);
  const missing = CALLS.filter((c) => typeof api[c] !== "function");
  if (missing.length > 0) throw new Error(`${target}: this Engine API connection has no ${missing.join(", ")}`);
  return api;
}

// src/deploy/swarm/check.ts
function managerProblem(target, info) {
  const state = `Swarm.LocalNodeState ${info.localNodeState}`;
  if (info.localNodeState === "inactive") {
    return `${target}: the Docker engine is not part of a swarm (${state}); the swarm driver deploys to a swarm that exists: run \`docker swarm init\` there (or join it to your swarm as a manager)`;
  }
  if (info.localNodeState !== "active") {
    return `${target}: the engine's swarm is not usable (${state}${info.error ? `: ${info.error}` : ""}); ${info.localNodeState === "locked" ? "unlock it (`docker swarm unlock`)" : "see `docker info` there"}`;
  }
  if (!info.controlAvailable) {
    return `${target}: the engine is a swarm worker (${state}, ControlAvailable false); services are created and updated on a manager: point the target (its docker-socket) at a manager, or promote this node`;
  }
  return void 0;
}
async function swarmManager(api, target) {
  const info = await api.swarmInfo();
  const problem = managerProblem(target, info);
  if (problem) throw new UserError(problem);
  return info;
}
function managerDetail(info) {
  return `swarm manager (node ${info.nodeId.slice(0, 12)}; ${info.managers} manager(s), ${info.nodes} node(s))`;
}

// src/deploy/swarm/ports.ts
var PORTS_LABEL = "io.runbook.ports";
function portsLabel(ports) {
  return ports.map((p, i) => `${i + 1}=${p}`).join(",");
}
function parsePortsLabel(text) {
  const out = /* @__PURE__ */ new Map();
  for (const part of (text ?? "").split(",")) {
    const m = /^(\d+)=(\d+)$/.exec(part.trim());
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}
function taskPort(labels, slot) {
  return parsePortsLabel(labels[PORTS_LABEL]).get(slot);
}
function portTemplate(ports) {
  if (ports.length === 0) return "0";
  const branches = ports.map((p, i) => `${i === 0 ? "{{if" : "{{else if"} eq .Task.Slot "${i + 1}"}}${p}`);
  return `${branches.join("")}{{else}}0{{end}}`;
}
async function choosePorts(where, range, replicas, avoid, busy) {
  const out = [];
  const taken = [];
  for (let port = range[0]; port <= range[1] && out.length < replicas; port++) {
    if (avoid.has(port)) continue;
    if (await busy(port)) {
      taken.push(port);
      continue;
    }
    out.push(port);
  }
  if (out.length < replicas) {
    const held = [...avoid].filter((p) => p >= range[0] && p <= range[1]).sort((a, b) => a - b);
    throw new UserError(
      `${where}: host-ports ${range[0]}-${range[1]} has ${out.length} free port(s) for ${replicas} new task(s) (held by the running tasks: ${held.join(", ") || "none"}; taken by something else: ${taken.join(", ") || "none"}); widen host-ports`
    );
  }
  return out;
}

// src/deploy/swarm/health.ts
var NS_PER_MS = 1e6;
var RETRIES = 3;
function ere(text) {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, "\\$&");
}
function jsonPattern(path, value) {
  if (path.includes(".") || path.includes("*")) return void 0;
  const v = typeof value === "string" ? `"${ere(JSON.stringify(value).slice(1, -1))}"` : ere(String(value));
  return `"${ere(path)}"[[:space:]]*:[[:space:]]*${v}`;
}
function healthScript(http, portEnv) {
  const headers = Object.entries(http.headers ?? {});
  const https = http.scheme === "https";
  const wget = [
    "wget",
    "-q",
    "-O",
    "-",
    ...headers.map(([k, v]) => `--header=${k}: ${v}`),
    ...https ? ["--no-check-certificate"] : []
  ];
  const curl = ["curl", "-fsS", ...headers.flatMap(([k, v]) => ["-H", `${k}: ${v}`]), ...https ? ["-k"] : []];
  const lines = [
    `url=${quoteArg(`${http.scheme}://127.0.0.1:`)}"\${${portEnv}}"${quoteArg(http.path)}`,
    `if command -v wget >/dev/null 2>&1; then body=$(${toRemoteCommand(wget)} "$url") || exit 1`,
    `elif command -v curl >/dev/null 2>&1; then body=$(${toRemoteCommand(curl)} "$url") || exit 1`,
    `else echo 'the image has neither wget nor curl for the health check' >&2; exit 1; fi`
  ];
  for (const [path, value] of Object.entries(http.expect?.json ?? {})) {
    const pattern = jsonPattern(path, value);
    if (pattern === void 0) continue;
    const expected = `${path}: ${JSON.stringify(value)}`;
    lines.push(
      `printf '%s' "$body" | grep -Eq ${quoteArg(pattern)} || { echo ${quoteArg(`expected ${expected}, got:`)} "$body"; exit 1; }`
    );
  }
  return lines.join("\n");
}
function containerHealthcheck(s) {
  const h = s.health;
  if (!h?.http) return void 0;
  return {
    Test: ["CMD-SHELL", healthScript(h.http, s["port-env"])],
    Interval: h.interval * NS_PER_MS,
    Timeout: h.timeout * NS_PER_MS,
    Retries: RETRIES,
    StartPeriod: h.deadline * NS_PER_MS
  };
}

// src/deploy/swarm/spec.ts
var NS_PER_MS2 = 1e6;
function swarmServiceName(o) {
  return `${o.app}-${o.env}-${o.service}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}
function updateConfigOf(c) {
  return {
    Parallelism: c.parallelism,
    Delay: c.delay * NS_PER_MS2,
    FailureAction: c["failure-action"],
    Monitor: c.monitor * NS_PER_MS2,
    MaxFailureRatio: c["max-failure-ratio"],
    Order: c.order
  };
}
function taskEnv(i) {
  const env = { ...i.fileEnv ?? {}, ...i.service.env ?? {} };
  for (const s of i.secrets) env[`${s.name}_FILE`] = `/run/secrets/${s.name}`;
  if (i.ports.length > 0) env[i.service["port-env"]] = portTemplate(i.ports);
  return env;
}
var RESTART = {
  no: "none",
  "on-failure": "on-failure",
  always: "any",
  "unless-stopped": "any"
};
function buildServiceSpec(i) {
  const s = i.service;
  const release = { [LABEL.release]: i.release };
  const health = containerHealthcheck(s);
  const spec = {
    Name: swarmServiceName(i.owner),
    Labels: { ...ownerLabels(i.owner), ...release },
    TaskTemplate: {
      ContainerSpec: {
        Image: i.image,
        // The service's own labels, then the toolkit's (the schema refuses io.runbook.* in labels anyway).
        Labels: {
          ...s.labels ?? {},
          ...release,
          ...i.ports.length > 0 ? { [PORTS_LABEL]: portsLabel(i.ports) } : {}
        },
        ...s.command ? { Args: [...s.command] } : {},
        Env: envList(taskEnv(i)) ?? [],
        ...s.user ? { User: s.user } : {},
        // Docker's NAME:ADDRESS as Swarm's hosts-file lines, ADDRESS NAME.
        ...s["extra-hosts"] ? {
          Hosts: s["extra-hosts"].map((h) => `${h.slice(h.indexOf(":") + 1)} ${h.slice(0, h.indexOf(":"))}`)
        } : {},
        ...s.volumes ? {
          Mounts: s.volumes.map((v) => ({
            Type: v.source.startsWith("/") ? "bind" : "volume",
            Source: v.source,
            Target: v.target,
            ReadOnly: v.readOnly
          }))
        } : {},
        StopGracePeriod: s["stop-grace"] * NS_PER_MS2,
        ...health ? { Healthcheck: health } : {},
        ...i.secrets.length > 0 ? {
          Secrets: i.secrets.map((x) => ({
            SecretID: x.secretId,
            SecretName: x.secretName,
            File: { Name: x.name, UID: "0", GID: "0", Mode: 292 }
          }))
        } : {}
      },
      ...s.memory !== void 0 || s.cpus !== void 0 ? {
        Resources: {
          Limits: {
            ...s.memory !== void 0 ? { MemoryBytes: s.memory } : {},
            ...s.cpus !== void 0 ? { NanoCPUs: Math.round(s.cpus * 1e9) } : {}
          }
        }
      } : {},
      RestartPolicy: {
        Condition: RESTART[s.restart.name],
        ...s.restart.maxRetries ? { MaxAttempts: s.restart.maxRetries } : {}
      },
      ...s.log ? { LogDriver: { Name: s.log.driver, ...s.log.options ? { Options: { ...s.log.options } } : {} } } : {},
      Networks: [{ Target: "host" }]
    },
    Mode: { Replicated: { Replicas: s.replicas } },
    UpdateConfig: updateConfigOf(i.swarm),
    RollbackConfig: updateConfigOf(i.swarm)
  };
  return spec;
}

// src/deploy/swarm/converge.ts
function taskView(t) {
  return {
    id: t.id,
    slot: t.slot,
    node: t.nodeId,
    release: t.labels[LABEL.release] ?? "",
    port: taskPort(t.labels, t.slot),
    state: t.state,
    desiredState: t.desiredState,
    containerId: t.containerId,
    err: t.err,
    message: t.message,
    exitCode: t.exitCode,
    timestamp: t.timestamp
  };
}
var ALIVE = /* @__PURE__ */ new Set(["new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running"]);
var FAILED = /* @__PURE__ */ new Set(["failed", "rejected", "complete", "shutdown", "orphaned"]);
function alive(t) {
  return t.desiredState === "running" && ALIVE.has(t.state);
}
function readConvergence(service, tasks, release, change, before) {
  const views = tasks.map(taskView);
  const desired = service.spec.Mode?.Replicated?.Replicas ?? 0;
  const wanted = views.filter((t) => t.release === release && alive(t)).sort((a, b) => a.slot - b.slot);
  const running = wanted.filter((t) => t.state === "running");
  const others = views.filter((t) => t.release !== release && (alive(t) || t.state === "running"));
  const status = service.updateStatus;
  const update = status && status.startedAt !== before ? { state: status.state, message: status.message } : void 0;
  const named = /task ([a-z0-9]{25})/.exec(update?.message ?? "")?.[1];
  const failedOfRelease = views.filter((t) => t.release === release && FAILED.has(t.state) && t.desiredState !== "running").sort((a, b) => b.timestamp.localeCompare(a.timestamp))[0];
  const failed = views.find((t) => t.id === named) ?? failedOfRelease;
  const settled = running.length === desired && wanted.length === desired && others.length === 0;
  let phase = "converging";
  switch (update?.state) {
    case "paused":
    case "rollback_paused":
      phase = "paused";
      break;
    case "rollback_started":
      phase = change === "rollback" ? "converging" : "rolling-back";
      break;
    case "rollback_completed":
      phase = change === "rollback" ? settled ? "converged" : "converging" : "rolled-back";
      break;
    case "completed":
      phase = change !== "rollback" && settled ? "converged" : "converging";
      break;
    case void 0:
      phase = change === "create" && settled ? "converged" : "converging";
      break;
    default:
      phase = "converging";
  }
  return {
    phase,
    desired,
    wanted,
    running,
    others,
    ...update ? { update } : {},
    ...failed ? { failed } : {}
  };
}
function progressText(c, release) {
  const older = c.others.length > 0 ? `, ${c.others.length} of an older release` : "";
  const update = c.update ? `; ${c.update.state.replace("_", " ")}${c.update.message ? ` (${c.update.message})` : ""}` : "";
  return `${c.running.length}/${c.desired} tasks of ${release} running${older}${update}`;
}
function describeTask(t) {
  const why = [t.err, t.message].filter((x) => x !== "").join(": ");
  return `task ${t.id.slice(0, 12)} (slot ${t.slot}${t.port === void 0 ? "" : `, port ${t.port}`}) ${t.state}${why ? `: ${why}` : ""}, exit ${t.exitCode}`;
}
function taskHost(t, localNode, nodes) {
  if (t.node === "" || t.node === localNode) return "127.0.0.1";
  return nodes.get(t.node) || void 0;
}

export {
  swarmEngineOf,
  managerProblem,
  swarmManager,
  managerDetail,
  PORTS_LABEL,
  parsePortsLabel,
  choosePorts,
  swarmServiceName,
  buildServiceSpec,
  taskView,
  alive,
  readConvergence,
  progressText,
  describeTask,
  taskHost
};
