// src/maintenance/plan.ts
function frontedService(config) {
  const all = Object.keys(config.services ?? {});
  const order = [...config.strategy.order ?? [], ...all.filter((s) => !config.strategy.order?.includes(s))];
  return config.strategy.proxy?.nginx.service ?? order[0];
}
function releaseServers(release, service, target, servicePort, running) {
  if (!release) return void 0;
  const rec = release.services[service];
  if (!rec) return [];
  const taken = (rec.servers ?? []).filter((s) => s.target === target).map((s) => ({ address: s.address, params: s.params }));
  const replicas = rec.replicas.filter((r) => r.target === target);
  const own = replicas.flatMap(
    (r) => r.port === void 0 || running && !running.has(r.port) ? [] : [{ address: `127.0.0.1:${r.port}` }]
  );
  const fixed = replicas.length > 0 && replicas.every((r) => r.port === void 0) && servicePort !== void 0 ? [{ address: `127.0.0.1:${servicePort}` }] : [];
  return [...taken, ...own, ...fixed];
}
function offStep(f) {
  const saved = f.saved === null ? void 0 : f.saved;
  const savedAddresses = new Set(f.savedServers.map((s) => s.address));
  const liveKept = f.live === void 0 || f.live.every((s) => savedAddresses.has(s.address));
  if (f.saved !== void 0 && f.sameRelease && liveKept) {
    if (f.untouched || f.savedServers.length === 0)
      return { kind: "restore", text: saved, why: "maintenance off: the upstream as it was before" };
    return {
      kind: "set",
      servers: [...f.savedServers],
      why: "maintenance off: the servers of before (the file was edited during maintenance; the edits are kept)"
    };
  }
  if (f.live !== void 0 && f.live.length > 0) {
    return {
      kind: "set",
      servers: [...f.live],
      why: "maintenance off: the live release (deployed during maintenance)"
    };
  }
  if (f.saved !== void 0)
    return { kind: "restore", text: saved, why: "maintenance off: the upstream as it was before" };
  return {
    kind: "refuse",
    why: f.live === void 0 ? "no release is live and the upstream before maintenance was not saved here" : "no replica of the live release runs here"
  };
}
function wrapDecision(o) {
  if (o.mode === "never") return { wrap: false, why: "maintenance: never" };
  if (!o.configured)
    return { wrap: false, why: "no maintenance page is configured (strategy.proxy.nginx.maintenance)" };
  if (o.mode === "always") return { wrap: true, why: "maintenance: always" };
  if (!o.migrates) return { wrap: false, why: "no migration to wrap" };
  if (o.destructive === void 0)
    return {
      wrap: false,
      why: "the migration's SQL could not be read, so whether it is destructive is unknown: not wrapped (set maintenance: always to wrap it)"
    };
  return o.destructive > 0 ? { wrap: true, why: `the migration has ${o.destructive} destructive statement(s)` } : { wrap: false, why: "the migration has no destructive statement" };
}
function maintenanceDeployNote(m) {
  return `maintenance is on (since ${m.since}${m.actor ? ` by ${m.actor}` : ""}): the new release starts and is health-checked, but stays out of the upstream; traffic stays on the maintenance page (${m.address}) until "runbook maintenance off"`;
}

export {
  frontedService,
  releaseServers,
  offStep,
  wrapDecision,
  maintenanceDeployNote
};
