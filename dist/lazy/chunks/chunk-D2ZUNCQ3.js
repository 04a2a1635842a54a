import {
  managerProblem,
  swarmEngineOf,
  swarmServiceName,
  taskHost,
  taskView
} from "./chunk-JZF2JHVW.js";
import {
  frontedProxy
} from "./chunk-HEVGDBH7.js";
import {
  LABEL,
  ownerLabels,
  portOf
} from "./chunk-EJKV34LF.js";
import {
  isPlaceholder
} from "./chunk-FAX57M2F.js";
import {
  usesEngine
} from "./chunk-UXZUOFCM.js";
import {
  liveRelease,
  openCanary
} from "./chunk-PDADLHLK.js";
import {
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/deploy/swarm/drift.ts
async function swarmDrift(target, docker, owner, live) {
  const api = swarmEngineOf(target, docker);
  const info = await api.swarmInfo();
  const problem = managerProblem(target, info);
  if (problem) throw new UserError(problem);
  const name = swarmServiceName(owner);
  const service = await api.inspectService(name);
  if (!service) return { drift: [`Swarm service ${name} of the live release ${live.version} is gone`], serving: [] };
  const drift = [];
  const release = service.spec.Labels?.[LABEL.release];
  if (release !== live.id)
    drift.push(`Swarm service ${name} runs the spec of release ${release ?? "?"}, not the live ${live.id}`);
  const state = service.updateStatus?.state;
  if (state && state !== "completed" && state !== "rollback_completed") {
    drift.push(
      `Swarm service ${name}: its last update is ${state.replace("_", " ")} (${service.updateStatus?.message ?? ""})`
    );
  }
  const tasks = (await api.listTasks(service.id)).map(taskView);
  const running = tasks.filter((t) => t.state === "running" && t.desiredState === "running");
  const desired = service.spec.Mode?.Replicated?.Replicas ?? 0;
  if (running.length !== desired) drift.push(`Swarm service ${name}: ${running.length} of ${desired} tasks running`);
  const remote = running.some((t) => t.node !== "" && t.node !== info.nodeId);
  const nodes = new Map(remote ? (await api.listNodes()).map((n) => [n.id, n.addr]) : []);
  const serving = running.flatMap((t) => {
    const host = taskHost(t, info.nodeId, nodes);
    return t.port === void 0 || host === void 0 ? [] : [`${host}:${t.port}`];
  });
  return { drift, serving };
}

// src/deploy/drift.ts
var short = (id) => (id ?? "?").replace(/^sha256:/, "").slice(0, 12);
async function findDrift(s) {
  const live = liveRelease(s.journal);
  const services = Object.keys(s.config.services ?? {});
  const out = [];
  for (const target of s.targets) {
    for (const name of services) {
      const add = (kind, detail) => out.push({ target: target.name, service: name, kind, detail });
      try {
        await serviceDrift(s, target, name, live, add);
      } catch (err) {
        add("drift", `could not compare: ${errorMessage(err)}`);
      }
    }
  }
  return out;
}
async function serviceDrift(s, target, name, live, add) {
  const rec = live?.services[name];
  const recorded = (rec?.replicas ?? []).filter((r) => r.target === target.name);
  const expected = new Set(recorded.flatMap((r) => r.port === void 0 ? [] : [`127.0.0.1:${r.port}`]));
  for (const x of rec?.servers ?? []) if (x.target === target.name) expected.add(x.address);
  const proxy = frontedProxy(s.config, Object.keys(s.config.services ?? {}), name, target, s.clock, s.log);
  const serving = proxy ? (await proxy.read()).file.servers.filter((x) => !isPlaceholder(x)).map((x) => x.address) : [];
  if (target.docker && live?.driver === "swarm") {
    const owner = { app: s.config.app, env: s.environmentName, service: name };
    const found = await swarmDrift(target.name, target.docker, owner, live);
    for (const d of found.drift) add("drift", d);
    for (const a of found.serving) expected.add(a);
  } else if (target.docker && (!live || usesEngine(live.driver, live.strategy))) {
    const owner = { app: s.config.app, env: s.environmentName, service: name };
    const all = await target.docker.listContainers({ all: true, labels: ownerLabels(owner) });
    for (const r of recorded) {
      const c = all.find((x) => x.id === r.id || x.names.includes(r.name));
      if (!c) add("drift", `${r.name} of the live release ${live?.version} is gone`);
      else if (c.state !== "running") add("drift", `${r.name} of the live release ${live?.version} is ${c.state}`);
      else if (rec?.imageId && c.imageId !== rec.imageId)
        add("drift", `${r.name} runs image ${short(c.imageId)}, the journal recorded ${short(rec.imageId)}`);
      else if (/\(unhealthy\)/.test(c.status))
        add(
          "drift",
          `${r.name} of the live release ${live?.version} runs, but Docker reports it unhealthy (${c.status})`
        );
    }
    const standby = live?.standby;
    const canary = openCanary(s.journal);
    for (const c of all.filter((x) => x.state === "running" && !recorded.some((r) => r.id === x.id))) {
      const port = portOf(c.labels);
      const release = c.labels[LABEL.release];
      if (port) expected.add(`127.0.0.1:${port}`);
      if (standby && release === standby.release) {
        add(
          "note",
          `${c.names[0] ?? short(c.id)} is the blue-green standby (release ${release}) until ${standby.until}`
        );
        continue;
      }
      const recordedAs = s.journal.releases.find((r) => r.id === release);
      if (recordedAs?.status === "rolled-back" && !serving.includes(`127.0.0.1:${port}`)) {
        add(
          "note",
          `${c.names[0] ?? short(c.id)} of the rolled-back release ${recordedAs.version} still runs, out of traffic`
        );
        continue;
      }
      if (canary && release === canary.id) {
        add(
          "note",
          `${c.names[0] ?? short(c.id)} is the canary ${canary.version} at ${canary.canary?.weight}% (promote or abort it)`
        );
        continue;
      }
      add(
        "drift",
        `${c.names[0] ?? short(c.id)} (release ${release ?? "?"}${port ? `, port ${port}` : ""}) runs but is not part of the live release`
      );
    }
  }
  if (!proxy) return;
  if (!live) {
    if (serving.length > 0)
      add("note", `not deployed yet: the upstream serves ${serving.join(", ")}; the first deploy takes it over`);
    return;
  }
  const page = s.journal.maintenance;
  if (page && serving.includes(page.address)) {
    add(
      "note",
      `maintenance mode since ${page.since}: the upstream serves the page at ${page.address} until "runbook maintenance off"`
    );
    return;
  }
  for (const a of serving.filter((x) => !expected.has(x)))
    add("drift", `the upstream serves ${a}, which no replica of the live release holds (added by hand?)`);
  const own = /* @__PURE__ */ new Set([
    ...recorded.map((r) => `127.0.0.1:${r.port}`),
    ...(rec?.servers ?? []).filter((x) => x.target === target.name).map((x) => x.address)
  ]);
  for (const a of [...own].filter((x) => expected.has(x) && !serving.includes(x)))
    add("drift", `${a} of the live release ${live.version} is not in the upstream`);
}

export {
  findDrift
};
