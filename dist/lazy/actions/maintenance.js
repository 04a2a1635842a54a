import {
  frontedService,
  offStep,
  releaseServers
} from "../chunks/chunk-OIFOA7EI.js";
import {
  acceptsConnections
} from "../chunks/chunk-7NDG7RRJ.js";
import {
  LABEL,
  ownerLabels,
  portOf
} from "../chunks/chunk-EJKV34LF.js";
import "../chunks/chunk-LS37LGEL.js";
import "../chunks/chunk-KF2DUK75.js";
import {
  NginxUpstream,
  atHost,
  isPlaceholder,
  readUpstreamFile
} from "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import {
  driverOf,
  usesEngine
} from "../chunks/chunk-UXZUOFCM.js";
import {
  liveRelease,
  maintenanceOn,
  openCanary
} from "../chunks/chunk-PDADLHLK.js";
import {
  configFileAccess,
  notWritable,
  readText,
  writeConfigFile
} from "../chunks/chunk-H5JJLJ3Z.js";
import {
  removeFilesArgv
} from "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-ZZX7I4WI.js";
import {
  buildSummary
} from "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/maintenance/page.ts
function maintenanceAddress(m) {
  return m.kind === "server" ? m.server : `127.0.0.1:${m.listen}`;
}
function retryAfterSeconds(ms) {
  return Math.max(1, Math.ceil(ms / 1e3));
}
function nginxQuoted(text) {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
function maintenancePage(m, app) {
  return `# Maintenance page of ${app}: written by runbook-actions ("runbook maintenance on"); "off" puts this file back.
server {
    listen 127.0.0.1:${m.listen};
    default_type ${nginxQuoted(m["content-type"])};
    location / {
        add_header Retry-After ${retryAfterSeconds(m["retry-after"])} always;
        add_header Cache-Control "no-store" always;
        return 503 ${nginxQuoted(m.body)};
    }
}
`;
}

// src/maintenance/switch.ts
var QUIET = { quiet: true, timeoutMs: 3e4 };
function nginxOf(config) {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx)
    throw new ConfigError("maintenance mode points the nginx upstream elsewhere: it needs strategy.proxy.nginx");
  return nginx;
}
function maintenanceOf(config) {
  const m = nginxOf(config).maintenance;
  if (!m) {
    throw new ConfigError(
      "maintenance needs strategy.proxy.nginx.maintenance: { server: 127.0.0.1:8099 } (a server you run) or { file: /etc/nginx/conf.d/<app>-maintenance.conf, listen: 8099 } (a 503 page nginx answers)"
    );
  }
  return m;
}
function frontingTargets(config, environment, targets) {
  const balancer = config.environments[environment]?.["load-balancer"];
  return balancer === void 0 ? [...targets] : targets.filter((t) => t.name === balancer);
}
function sitesOf(s) {
  const nginx = nginxOf(s.config);
  return frontingTargets(s.config, s.environment, s.targets).map((target) => ({
    target,
    upstream: new NginxUpstream(target.transport, nginx, s.clock, s.log, target.docker)
  }));
}
async function putBack(t, path, before) {
  if (before === void 0) await t.exec(removeFilesArgv([path]), QUIET);
  else await writeConfigFile(t, path, before);
}

// src/maintenance/off.ts
async function runningPorts(s, target, service, release) {
  if (!release || !target.docker || !usesEngine(release.driver, release.strategy)) return void 0;
  const owner = { app: s.config.app, env: s.environment, service };
  const list = await target.docker.listContainers({ labels: { ...ownerLabels(owner), [LABEL.release]: release.id } });
  return new Set(list.flatMap((c) => c.state === "running" && portOf(c.labels) ? [portOf(c.labels)] : []));
}
async function liveServersOf(s, target, service, release) {
  const port = s.config.services?.[service]?.port;
  const seat = target.balancer;
  if (!seat)
    return releaseServers(release, service, target.name, port, await runningPorts(s, target, service, release));
  if (!release) return void 0;
  const all = [];
  for (const host of s.targets) {
    const address = host.balancer?.address;
    if (address === void 0 || !seat.hosts.owners.includes(address)) continue;
    const mine = releaseServers(release, service, host.name, port, await runningPorts(s, host, service, release)) ?? [];
    all.push(...mine.map((x) => atHost(x, address)));
  }
  return all;
}
function serversOf(text, nginx) {
  try {
    return readUpstreamFile(text, nginx.upstream, nginx["upstream-file"]).servers.filter((x) => !isPlaceholder(x));
  } catch {
    return [];
  }
}
async function switchOff(s, site, record, live) {
  const { target, upstream } = site;
  const nginx = nginxOf(s.config);
  const entry = record.targets[target.name];
  const saved = entry?.upstream === null ? void 0 : entry?.upstream;
  const { text } = await upstream.read();
  const service = frontedService(s.config);
  const release = live?.release;
  const liveServers = live === void 0 || service === void 0 ? void 0 : await liveServersOf(s, target, service, release);
  const step = offStep({
    saved: entry?.upstream,
    savedServers: serversOf(saved, nginx),
    untouched: entry !== void 0 && upstream.render(saved, [{ address: record.address }]) === text,
    sameRelease: live === void 0 || release?.id === record.liveRelease,
    live: liveServers
  });
  if (step.kind === "refuse") {
    throw new UserError(
      `${target.name}: ${step.why}, so the upstream stays on the maintenance page: deploy (or point ${nginx["upstream-file"]} by hand), then run maintenance off again`
    );
  }
  if (step.kind === "restore") await upstream.restore(step.text, step.why);
  else await upstream.set(step.servers, step.why);
  const line = step.kind === "restore" ? `${target.name}: ${nginx.upstream} back as it was before maintenance` : `${target.name}: ${nginx.upstream} \u2192 ${step.servers.map((x) => x.address).join(", ")} (${step.why.replace("maintenance off: ", "")})`;
  if (record.file && entry?.page !== void 0) {
    const t = target.transport;
    const now = await readText(t, record.file);
    const back = entry.page === null ? void 0 : entry.page;
    if (now !== back) {
      try {
        await putBack(t, record.file, back);
        await upstream.reloadAfter(record.file, now, "maintenance page removed");
      } catch (err) {
        s.log.warn(
          `${target.name}: traffic is back, but the maintenance page ${record.file} stays: ${errorMessage(err)}`
        );
      }
    }
  }
  return line;
}
async function maintenanceOffAll(s) {
  const sites = sitesOf(s);
  const j = await s.journal.read();
  const live = { release: liveRelease(j) };
  const record = maintenanceOn(j);
  if (!record) {
    const m = s.config.strategy.proxy?.nginx.maintenance;
    const address = m && maintenanceAddress(m);
    const lines2 = [];
    for (const site of sites) {
      const { file } = await site.upstream.read();
      const serving = file.servers.filter((x) => !isPlaceholder(x));
      if (address === void 0 || serving.length !== 1 || serving[0]?.address !== address) continue;
      s.log.warn(
        `${site.target.name}: the upstream points at the maintenance server ${address}, but no record says so`
      );
      lines2.push(await switchOff(s, site, { since: "", address, targets: {} }, live));
    }
    return { already: lines2.length === 0, lines: lines2 };
  }
  const lines = [];
  for (const site of sites) lines.push(await switchOff(s, site, record, live));
  await s.journal.update((jj) => {
    delete jj.maintenance;
  });
  return { record, already: false, lines };
}

// src/maintenance/on.ts
async function maintenanceOnAll(s, m, reason) {
  const address = maintenanceAddress(m);
  const sites = sitesOf(s);
  const j = await s.journal.read();
  const was = maintenanceOn(j);
  if (was?.file && m.kind === "file" && was.file !== m.file) {
    throw new UserError(
      `maintenance is on with its page in ${was.file}, and the config now says ${m.file}: run "maintenance off" first`
    );
  }
  const before = /* @__PURE__ */ new Map();
  for (const { target, upstream } of sites) {
    const t = target.transport;
    const { text } = await upstream.read();
    await upstream.assertWritable();
    await upstream.master();
    let page;
    if (m.kind === "file") {
      page = await readText(t, m.file);
      if (await configFileAccess(t, m.file) === void 0) throw notWritable(t, m.file);
    } else if (!await acceptsConnections(t, m.server)) {
      throw new UserError(
        `${target.name}: the maintenance server ${m.server} accepts no connections, so the upstream was not pointed at it (nothing changed)`
      );
    }
    before.set(target.name, { upstream: text, page });
  }
  const saved = (name) => {
    const kept = was?.targets[name];
    const now = before.get(name);
    const page = m.kind === "file" ? kept?.page !== void 0 ? kept.page : now?.page ?? null : kept?.page;
    return { upstream: kept ? kept.upstream : now?.upstream ?? null, ...page === void 0 ? {} : { page } };
  };
  const record = {
    since: was?.since ?? s.clock.now().toISOString(),
    actor: was?.actor ?? s.who.actor,
    runUrl: was?.runUrl ?? s.who.runUrl,
    reason: reason ?? was?.reason,
    liveRelease: was ? was.liveRelease : liveRelease(j)?.id,
    address,
    file: was?.file ?? (m.kind === "file" ? m.file : void 0),
    targets: { ...was?.targets, ...Object.fromEntries(sites.map(({ target }) => [target.name, saved(target.name)])) }
  };
  await s.journal.update((jj) => {
    jj.maintenance = record;
  });
  const lines = [];
  const done = [];
  let changed = false;
  try {
    for (const site of sites) {
      const moved = await switchOn(s, site, m, address);
      changed ||= moved;
      done.push(site);
      lines.push(
        `${site.target.name}: ${s.config.strategy.proxy?.nginx.upstream} \u2192 ${address}${moved ? "" : " (already)"}`
      );
    }
  } catch (err) {
    if (!was) {
      if (done.length > 0)
        s.log.warn(`maintenance on failed (${errorMessage(err)}); putting back the ${done.length} target(s) switched`);
      for (const site of done.reverse()) {
        await switchOff(s, site, record, void 0).catch(
          (e) => s.log.warn(`${site.target.name}: could not put the upstream back: ${e.message}`)
        );
      }
      await s.journal.update((jj) => {
        delete jj.maintenance;
      });
    }
    throw err;
  }
  return { record, already: was !== void 0 && !changed, lines };
}
async function switchOn(s, site, m, address) {
  const { target, upstream } = site;
  const t = target.transport;
  let undoPage;
  let moved = false;
  if (m.kind === "file") {
    const text = maintenancePage(m, s.config.app);
    const before = await readText(t, m.file);
    if (before !== text) {
      await writeConfigFile(t, m.file, text);
      undoPage = async () => {
        try {
          await putBack(t, m.file, before);
          await upstream.reloadAfter(m.file, text, "maintenance page put back");
        } catch (e) {
          s.log.warn(`${target.name}: could not put ${m.file} back: ${errorMessage(e)}`);
        }
      };
      try {
        await upstream.reloadAfter(m.file, before, "maintenance page");
      } catch (err) {
        if (await readText(t, m.file) === text) await putBack(t, m.file, before).catch(() => void 0);
        throw err;
      }
      moved = true;
    }
    if (!await acceptsConnections(t, address)) {
      await undoPage?.();
      throw new UserError(
        `${target.name}: after nginx's reload nothing answers on ${address} (is ${m.file} included at http level, and is port ${m.listen} free?); the upstream was not touched`
      );
    }
  }
  const { file } = await upstream.read();
  const already = file.servers.length === 1 && file.servers[0]?.address === address;
  try {
    await upstream.set([{ address }], "maintenance on");
  } catch (err) {
    await undoPage?.();
    throw err;
  }
  return moved || !already;
}

// src/actions/maintenance.ts
async function runMaintenance(run) {
  const { log, runner, clock, inputs } = run;
  const session = await run.session();
  const { config, environmentName, label } = session;
  nginxOf(config);
  const m = inputs.mode === "on" ? maintenanceOf(config) : void 0;
  if (inputs["dry-run"]) {
    await log.group("Plan (dry run: nothing is changed)", () => plan(run, m));
    return;
  }
  await session.lock(run, inputs["lock-wait"]);
  const journal = await session.journal();
  const j = await journal.read();
  const live = liveRelease(j);
  const canary = openCanary(j);
  if (inputs.mode === "on" && canary) {
    throw new UserError(
      `canary ${canary.id} (${canary.version}) serves ${canary.canary?.weight}% beside the live release: promote or abort it (runbook promote / runbook abort) before maintenance on`
    );
  }
  const targets = await session.deployTargets(live?.driver ?? driverOf(config), live?.strategy ?? config.strategy.type);
  const scope = {
    config,
    environment: environmentName,
    targets,
    journal,
    who: session.who,
    clock,
    log
  };
  const r = m ? await maintenanceOnAll(scope, m, inputs.reason) : await maintenanceOffAll(scope);
  for (const line of r.lines) log.info(line);
  const on = inputs.mode === "on";
  runner.setOutput("maintenance", on ? "on" : "off");
  runner.setOutput("since", on ? r.record?.since ?? "" : "");
  runner.setOutput("address", on ? r.record?.address ?? "" : "");
  await runner.appendSummary(maintenanceSummary(label, inputs.mode, r));
  log.info(verdict(label, inputs.mode, r));
  run.report.verdict = { outcome: on ? "on" : "off", detail: verdict(label, inputs.mode, r) };
}
function verdict(label, mode, r) {
  if (mode === "on")
    return `${label}: maintenance is on${r.already ? " (it already was)" : ""} since ${r.record?.since}; traffic goes to ${r.record?.address}`;
  return r.already ? `${label}: maintenance was not on; nothing to do` : `${label}: maintenance is off; traffic is back`;
}
function maintenanceSummary(label, mode, r) {
  const rec = r.record;
  const record = rec && mode === "on" ? [`since ${rec.since} by ${rec.actor ?? "?"}${rec.reason ? `: ${rec.reason}` : ""}`] : rec ? [`it had been on since ${rec.since} by ${rec.actor ?? "?"}${rec.reason ? ` (${rec.reason})` : ""}`] : [];
  return buildSummary((doc) => {
    doc.heading(`Maintenance ${mode}`, 3);
    doc.paragraph(verdict(label, mode, r));
    const items = [...record, ...r.lines];
    if (items.length > 0) doc.list(items);
  });
}
async function plan(run, m) {
  const { log, clock } = run;
  const session = await run.session();
  const { config } = session;
  const nginx = nginxOf(config);
  const j = await (await session.journal()).read();
  const rec = maintenanceOn(j);
  if (!m) {
    if (!rec) log.info("maintenance is not on: off would change nothing");
    else {
      const live = liveRelease(j);
      log.info(`maintenance is on since ${rec.since} (${rec.address}), by ${rec.actor ?? "?"}`);
      log.info(
        live?.id === rec.liveRelease ? `off would put the upstream back as it was (the live release ${live?.version ?? "(none)"} is the one of then)` : `off would point the upstream at the replicas of the live release ${live?.id} (deployed during maintenance)`
      );
      if (rec.file) log.info(`and put ${rec.file} back as it was`);
    }
    return;
  }
  const address = maintenanceAddress(m);
  if (rec) log.info(`maintenance is already on since ${rec.since}: on again changes only what differs`);
  if (m.kind === "file") {
    log.info(`would write ${m.file}, test it with ${nginx.test.join(" ")} and reload:`);
    for (const line of maintenancePage(m, config.app).trimEnd().split("\n")) log.info(`  ${line}`);
  } else log.info(`would check that ${m.server} accepts connections`);
  const targets = await session.deployTargets(driverOf(config), config.strategy.type);
  for (const target of frontingTargets(config, session.environmentName, targets)) {
    const upstream = new NginxUpstream(target.transport, nginx, clock, log, target.docker);
    const { text } = await upstream.read();
    log.info(`${target.name}: ${nginx["upstream-file"]} would become:`);
    for (const line of upstream.render(text, [{ address }]).trimEnd().split("\n")) log.info(`  ${line}`);
  }
}
export {
  maintenanceSummary,
  runMaintenance
};
