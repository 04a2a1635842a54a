import {
  readText,
  writeAtomic
} from "./chunk-H5JJLJ3Z.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/deploy/journal.ts
var MAX_RELEASES = 50;
function stateDirs(stateDir, environment) {
  const dir = `${stateDir}/${environment}`;
  return { dir, journal: `${dir}/journal.json`, lock: `${dir}/lock` };
}
function newReleaseId(now, version) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${version}`.slice(0, 100);
}
var JournalStore = class {
  constructor(t, path, app, environment) {
    this.t = t;
    this.path = path;
    this.app = app;
    this.environment = environment;
  }
  t;
  path;
  app;
  environment;
  async read() {
    const text = await readText(this.t, this.path);
    if (text === void 0) return { format: 1, app: this.app, environment: this.environment, releases: [] };
    try {
      const j = JSON.parse(text);
      if (j.format !== 1 || !Array.isArray(j.releases)) throw new Error("unknown format");
      return j;
    } catch (err) {
      throw new UserError(`the journal ${this.path} on ${this.t.name} is unreadable (${err.message})`);
    }
  }
  /** Apply `change` to the current journal and write it back atomically. */
  async update(change) {
    const j = await this.read();
    change(j);
    j.releases = j.releases.slice(-MAX_RELEASES);
    await writeAtomic(this.t, this.path, `${JSON.stringify(j, null, 2)}
`);
    return j;
  }
  async upsert(release) {
    return this.update((j) => {
      const i = j.releases.findIndex((r) => r.id === release.id);
      if (i >= 0) j.releases[i] = release;
      else j.releases.push(release);
    });
  }
};
function liveRelease(j) {
  return j.releases.findLast((r) => r.status === "live");
}
function maintenanceOn(j) {
  return j.maintenance;
}
function openCanary(j) {
  const last = j.releases.findLast((r) => r.status === "canary" || r.status === "in-progress" && r.canary);
  return last?.canary && (last.canary.state === "paused" || last.canary.state === "running") ? last : void 0;
}
var MAX_MIGRATIONS = 50;
var INTERRUPTED = "interrupted: the run that deployed it ended without finishing (killed or lost)";
function sweepInterrupted(j) {
  const swept = j.releases.filter((r) => r.status === "in-progress");
  for (const r of swept) {
    r.status = "failed";
    r.error = INTERRUPTED;
  }
  return swept;
}
function putMigration(j, record) {
  j.migrations = [...(j.migrations ?? []).filter((m) => m.id !== record.id), record].slice(-MAX_MIGRATIONS);
}
function beginRollback(j, fromId, record) {
  const from = fromId === void 0 ? void 0 : j.releases.find((r) => r.id === fromId);
  if (from && (!from.rollback || from.rollback.to !== record.to)) from.rollback = record;
}
function finishRollback(j, o) {
  const moved = o.scope.includes("image") || o.scope.includes("traffic");
  const rb = o.from === void 0 ? void 0 : j.releases.find((r) => r.id === o.from)?.rollback;
  if (rb) {
    if (o.error) rb.error = o.error;
    else {
      rb.finishedAt = o.at;
      delete rb.error;
    }
    if (o.revision !== void 0) rb.revision = o.revision;
    if (o.scope.includes("database") && !o.error) rb.restoredBackupId = o.backupId;
    if (o.safetyBackupId) rb.safetyBackupId = o.safetyBackupId;
  }
  if (o.error) return;
  if (moved) {
    const to = j.releases.find((r) => r.id === o.to);
    for (const [name, replicas] of Object.entries(o.replicas ?? {})) {
      const svc = to?.services[name];
      if (svc && replicas.length > 0) svc.replicas = replicas;
    }
    for (const [name, record] of Object.entries(o.swarm ?? {})) {
      const svc = to?.services[name];
      if (svc) svc.swarm = record;
    }
    for (const r of j.releases) {
      if (r.id === o.to) r.status = "live";
      else if (r.status === "live") r.status = r.id === o.from ? "rolled-back" : "superseded";
    }
  }
  if (o.revision !== void 0 || o.scope.includes("database")) {
    const undone = new Set(o.undone);
    for (const m of j.migrations ?? []) if (undone.has(m.id)) m.status = "rolled-back";
  }
}
var ADOPTED_VERSION = "adopted";
function adoptedRelease(first, servers) {
  const services = {};
  for (const [name, list] of Object.entries(servers)) {
    services[name] = { image: "(not deployed by runbook-actions)", replicas: [], servers: list };
  }
  return {
    id: `${first.id.split("-")[0]}-${ADOPTED_VERSION}`,
    version: ADOPTED_VERSION,
    status: "superseded",
    strategy: "adopted",
    driver: first.driver,
    origin: "adopted",
    services,
    startedAt: first.startedAt,
    finishedAt: first.startedAt
  };
}
function markLive(j, release) {
  for (const r of j.releases) if (r.status === "live") r.status = "superseded";
  const i = j.releases.findIndex((r) => r.id === release.id);
  if (i >= 0) j.releases[i] = release;
  else j.releases.push(release);
}

export {
  stateDirs,
  newReleaseId,
  JournalStore,
  liveRelease,
  maintenanceOn,
  openCanary,
  sweepInterrupted,
  putMigration,
  beginRollback,
  finishRollback,
  adoptedRelease,
  markLive
};
