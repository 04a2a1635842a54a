import {
  checksFor,
  satisfies
} from "../chunks/chunk-7XM3OR6H.js";
import {
  BackupStore
} from "../chunks/chunk-G4FNDYAO.js";
import {
  toRemoteCommand
} from "../chunks/chunk-HFIWHNBU.js";
import {
  dockerServerVersionArgv
} from "../chunks/chunk-Q672BN7X.js";
import "../chunks/chunk-4LVJ3BVZ.js";
import "../chunks/chunk-XVE5HBAN.js";
import "../chunks/chunk-QETEGG6J.js";
import "../chunks/chunk-J7P47IO6.js";
import {
  formatDuration
} from "../chunks/chunk-U2CKN5SY.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-IILPN5PE.js";
import "../chunks/chunk-PDEXDIYD.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/checks/types.ts
var pass = (target, check, detail) => ({
  target,
  check,
  status: "pass",
  detail
});
var warn = (target, check, detail) => ({
  target,
  check,
  status: "warn",
  detail
});
var fail = (target, check, detail) => ({
  target,
  check,
  status: "fail",
  detail
});

// src/checks/backup-age.ts
async function checkBackupAge(t, o) {
  const check = "backup age";
  try {
    const { backups } = await new BackupStore(t, o.directory, o.app, o.environment).list();
    const newest = backups.filter((b) => b.verified).sort((a, b) => a.created.localeCompare(b.created)).at(-1);
    const limit = formatDuration(o.maxAgeMs);
    if (!newest) return fail(t.name, check, `no verified backup in ${o.directory} (backup-max-age ${limit})`);
    const age = o.now.getTime() - Date.parse(newest.created);
    const detail = `newest verified backup ${newest.id} is ${formatDuration(Math.max(0, age))} old (max ${limit})`;
    return age <= o.maxAgeMs ? pass(t.name, check, detail) : fail(t.name, check, detail);
  } catch (err) {
    return fail(t.name, check, `cannot list the backups in ${o.directory}: ${errorMessage(err)}`);
  }
}

// src/checks/engine.ts
async function checkEngineTarget(target, rule, open) {
  let probe;
  try {
    probe = await open();
  } catch (err) {
    return [fail(target.name, "reachable", errorMessage(err))];
  }
  try {
    const version = await probe.engineVersion();
    const results = [pass(target.name, "reachable", `${probe.label} (${probe.how}), Engine API ${probe.apiVersion}`)];
    if (rule !== false) {
      results.push(
        satisfies(version, rule) ? pass(target.name, "docker", `docker engine ${version} (${rule.raw})`) : fail(target.name, "docker", `docker engine ${version} does not satisfy ${rule.raw}`)
      );
    }
    return results;
  } catch (err) {
    return [fail(target.name, "reachable", errorMessage(err))];
  } finally {
    await probe.close();
  }
}

// src/checks/incidents.ts
var CHECK = "open incidents";
async function checkIncidents(q) {
  const [owner, repo] = (q.repository ?? "").split("/");
  if (!owner || !repo) {
    return fail(
      "*",
      CHECK,
      `incident-label is set, but GITHUB_REPOSITORY (owner/repo) is not: cannot look for open issues labelled "${q.label}"`
    );
  }
  if (!q.token) {
    return fail(
      "*",
      CHECK,
      `incident-label is set: the input github-token is needed to read open issues labelled "${q.label}"`
    );
  }
  const { Octokit } = await import("../chunks/dist-src-YQWRULUB.js");
  const octokit = new Octokit({
    auth: q.token,
    baseUrl: (q.apiUrl ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: "runbook-actions",
    request: { signal: q.signal }
  });
  try {
    const { data } = await octokit.rest.issues.listForRepo({
      owner,
      repo,
      labels: q.label,
      state: "open",
      per_page: 20
    });
    const open = data.filter((i) => !i.pull_request);
    if (open.length === 0) return pass("*", CHECK, `no open issue labelled "${q.label}" in ${owner}/${repo}`);
    const shown = open.slice(0, 3).map((i) => `#${i.number} "${i.title.slice(0, 80)}" (${i.html_url})`).join(", ");
    return fail(
      "*",
      CHECK,
      `${open.length} open issue${open.length === 1 ? "" : "s"} labelled "${q.label}": ${shown}${open.length > 3 ? ", \u2026" : ""}`
    );
  } catch (err) {
    const status = err.status;
    return fail(
      "*",
      CHECK,
      `cannot read the issues of ${owner}/${repo}${status ? ` (HTTP ${status})` : ""}: ${errorMessage(err)}`
    );
  }
}

// src/checks/report.ts
function buildReport(environment, checks, failOn) {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  const passed = counts.fail === 0 && (failOn === "error" || counts.warn === 0);
  return { environment, passed, counts, checks };
}
var ICON = { pass: "\u2705 pass", warn: "\u26A0\uFE0F warn", fail: "\u274C fail" };
function cell(text) {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
function reportMarkdown(r, title) {
  const verdict = r.passed ? "passed" : "failed";
  const rows = r.checks.map((c) => `| ${cell(c.target)} | ${cell(c.check)} | ${ICON[c.status]} | ${cell(c.detail)} |`);
  return [
    `### ${title}: ${verdict} (${r.environment})`,
    "",
    `${r.counts.pass} passed, ${r.counts.warn} warnings, ${r.counts.fail} failed`,
    "",
    "| target | check | status | details |",
    "| --- | --- | --- | --- |",
    ...rows,
    ""
  ].join("\n");
}
function reportLines(r) {
  const width = Math.max(6, ...r.checks.map((c) => `${c.target} ${c.check}`.length));
  return r.checks.map(
    (c) => `${c.status.toUpperCase().padEnd(4)}  ${`${c.target} ${c.check}`.padEnd(width)}  ${c.detail}`
  );
}

// src/checks/secrets.ts
function checkSecrets(names, env, log) {
  return [...new Set(names)].map((name) => {
    const value = env[name];
    if (value === void 0) return fail("*", `secret ${name}`, `environment variable ${name} is not set`);
    if (value.trim() === "") return fail("*", `secret ${name}`, `environment variable ${name} is empty`);
    log.addSecret(value);
    return pass("*", `secret ${name}`, "set");
  });
}

// src/commands/target-facts.ts
function dfArgv(paths) {
  return ["df", "-P", "-k", "--", ...paths];
}
function parseDf(stdout, paths) {
  const rows = stdout.split("\n").slice(1).map((l) => l.trim()).filter((l) => l !== "");
  return rows.map((row, i) => {
    const fields = row.split(/\s+/);
    const mount = fields.at(-1) ?? "";
    const [total, , available] = fields.slice(-5, -2).map((f) => Number(f));
    if (total === void 0 || available === void 0 || !Number.isFinite(total) || !Number.isFinite(available)) {
      throw new Error(`cannot read df output line: ${row}`);
    }
    return {
      path: paths[i] ?? mount,
      mount,
      totalBytes: total * 1024,
      availableBytes: available * 1024,
      freePercent: total === 0 ? 0 : available / total * 100
    };
  });
}
function composeVersionArgv(command) {
  return [...command, "version", "--short"];
}
var COMPOSE_CANDIDATES = [["docker", "compose"], ["docker-compose"]];

// src/checks/target.ts
var GiB = 1024 ** 3;
var fmtBytes = (n) => `${(n / GiB).toFixed(1)} GiB`;
async function checkTargetFacts(target, t, o) {
  const run = (argv) => t.exec(argv, { quiet: true, env: o.env, timeoutMs: o.timeoutMs, signal: o.signal });
  const results = [];
  try {
    const df = await run(dfArgv(o.diskPaths));
    if (df.code !== 0) {
      results.push(fail(target, "disk", `df failed (exit ${df.code}): ${firstLine(df.stderr)}`));
    } else {
      for (const d of parseDf(df.stdout, o.diskPaths)) {
        const detail = `${d.path}: ${fmtBytes(d.availableBytes)} free of ${fmtBytes(d.totalBytes)} (${d.freePercent.toFixed(1)}%)`;
        const min = o.minFreeDisk;
        const [have, need] = min.kind === "percent" ? [d.freePercent, min.percent] : [d.availableBytes, min.bytes];
        const needText = min.kind === "percent" ? `${min.percent}%` : fmtBytes(min.bytes);
        const enough = have >= need;
        const tight = have < need * 1.5;
        if (!enough) results.push(fail(target, "disk", `${detail}; needs at least ${needText}`));
        else if (tight) results.push(warn(target, "disk", `${detail}; close to the minimum of ${needText}`));
        else results.push(pass(target, "disk", detail));
      }
    }
  } catch (err) {
    results.push(fail(target, "disk", errorMessage(err)));
  }
  if (o.docker !== false) {
    const tries = [{ label: "docker engine", argv: dockerServerVersionArgv() }];
    results.push(await checkVersion(target, "docker", tries, o.docker, run));
  }
  if (o.compose !== false) {
    const candidates = o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES;
    const tries = candidates.map((c) => ({ label: c.join(" "), argv: composeVersionArgv(c) }));
    results.push(await checkVersion(target, "compose", tries, o.compose, run));
  }
  return results;
}
async function checkVersion(target, check, tries, rule, run) {
  const tried = [];
  for (const { label, argv } of tries) {
    try {
      const r = await run(argv);
      const version = r.stdout.trim().split("\n")[0]?.trim() ?? "";
      if (r.code === 0 && version !== "") {
        return satisfies(version, rule) ? pass(target, check, `${label} ${version} (${rule.raw})`) : fail(target, check, `${label} ${version} does not satisfy ${rule.raw}`);
      }
      tried.push(`${label}: ${firstLine(r.stderr) || `exit ${r.code}`}`);
    } catch (err) {
      tried.push(`${label}: ${errorMessage(err)}`);
    }
  }
  const hint = check === "compose" ? "; choose the command with compose.command, or skip with checks.compose: false" : "";
  return fail(target, check, `no usable ${check} found (${tried.join("; ")})${hint}`);
}
function firstLine(text) {
  return text.trim().split("\n")[0]?.slice(0, 200) ?? "";
}

// src/checks/windows.ts
function localTime(instant, tz) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    weekday: "short"
  }).formatToParts(instant);
  const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    time: `${get("hour")}:${get("minute")}`,
    weekday: get("weekday").toLowerCase().slice(0, 3)
  };
}
function inWindow(now, w) {
  const local = localTime(now, w.tz);
  if (!w.days.includes(local.weekday)) return false;
  return local.time >= w.from && local.time < w.to;
}
var HAS_OFFSET = /(Z|[+-]\d\d:?\d\d)$/;
function inFreeze(now, f) {
  const local = localTime(now, f.tz ?? "UTC");
  const stamp = `${local.date}T${local.time}`;
  const after = HAS_OFFSET.test(f.from) ? now >= new Date(f.from) : stamp >= f.from.slice(0, 16);
  const before = HAS_OFFSET.test(f.to) ? now <= new Date(f.to) : f.to.length === 10 ? local.date <= f.to : stamp <= f.to.slice(0, 16);
  return after && before;
}
function describeWindow(w) {
  return `${w.days.join(",")} ${w.from}-${w.to} ${w.tz}`;
}
function checkSchedule(now, windows = [], freezes = []) {
  const results = [];
  if (windows.length > 0) {
    const open = windows.find((w) => inWindow(now, w));
    const first = windows[0];
    const local = localTime(now, first.tz);
    const at = `${local.weekday} ${local.time} ${first.tz}`;
    results.push(
      open ? pass("*", "deploy window", `inside ${describeWindow(open)} (now ${at})`) : fail(
        "*",
        "deploy window",
        `outside every deploy window (now ${at}); allowed: ${windows.map(describeWindow).join("; ")}`
      )
    );
  }
  const frozen = freezes.find((f) => inFreeze(now, f));
  if (frozen) {
    const why = frozen.reason ? ` (${frozen.reason})` : "";
    results.push(fail("*", "freeze", `deploys are frozen from ${frozen.from} to ${frozen.to}${why}`));
  } else if (freezes.length > 0) {
    results.push(pass("*", "freeze", `no freeze period active (${freezes.length} configured)`));
  }
  return results;
}

// src/actions/pre-deploy-check-options.ts
function requiredSecretNames(config, checks) {
  const names = [...checks["required-secrets"]];
  if (config.database) names.push(config.database["password-env"]);
  return names;
}
function targetCheckOptions(config, checks) {
  return {
    diskPaths: checks["disk-paths"],
    minFreeDisk: checks["min-free-disk"],
    docker: checks.docker,
    compose: checks.compose,
    composeCommand: config.compose?.command
  };
}

// src/actions/pre-deploy-check.ts
var COMMAND_TIMEOUT_MS = 3e4;
async function runPreDeployCheck(ctx) {
  const { log, runner, inputs } = ctx;
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const checks = checksFor(config, environmentName);
  const results = [
    pass("*", "config", `${inputs.config} is valid (${environment.targets.length} targets)`)
  ];
  results.push(...checkSecrets(requiredSecretNames(config, checks), runner.env, log));
  results.push(...checkSchedule(ctx.clock.now(), checks.windows, checks.freeze));
  const options = {
    ...targetCheckOptions(config, checks),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal
  };
  const label = checks["incident-label"];
  const maxAge = checks["backup-max-age"];
  if (inputs["dry-run"]) {
    await log.group("Plan (dry run: no connection is opened)", async () => {
      for (const target of environment.targets) for (const line of planFor(target, options)) log.info(line);
      if (label)
        log.info(`GitHub: open issues labelled "${label}" in ${runner.env.GITHUB_REPOSITORY ?? "(GITHUB_REPOSITORY)"}`);
      if (maxAge !== void 0)
        log.info(
          `backups: the newest verified one in ${config.database?.backup?.directory ?? "(database.backup)"} on ${environment.targets[0]?.name}`
        );
    });
  } else {
    const perHost = await log.group(
      `Checking ${environment.targets.length} targets`,
      () => Promise.all(
        environment.targets.map(
          (t) => t.kind === "docker" ? checkEngineTarget(t, options.docker, () => session.dockerTarget(t)) : checkTarget(t, session, options, inputs["ssh-insecure-ignore-host-key"])
        )
      )
    );
    ctx.signal.throwIfAborted();
    results.push(...perHost.flat());
    if (label) {
      results.push(
        await checkIncidents({
          label,
          repository: runner.env.GITHUB_REPOSITORY,
          token: inputs["github-token"],
          apiUrl: runner.env.GITHUB_API_URL,
          signal: ctx.signal
        })
      );
    }
    if (maxAge !== void 0) results.push(await backupAgeCheck(ctx, session, maxAge));
  }
  const report = buildReport(environmentName, results, inputs["fail-on"]);
  for (const line of reportLines(report)) log.info(line);
  runner.setOutput("report", JSON.stringify(report));
  runner.setOutput("passed", String(report.passed));
  await runner.appendSummary(reportMarkdown(report, "Pre-deploy check"));
  if (!report.passed) {
    const failed = report.checks.filter(
      (c) => c.status === "fail" || inputs["fail-on"] === "warning" && c.status === "warn"
    );
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : "";
    throw new UserError(`pre-deploy check failed: ${first?.target} ${first?.check}: ${first?.detail}${more}`);
  }
  log.info(`pre-deploy check passed: ${report.counts.pass} passed, ${report.counts.warn} warnings`);
}
async function checkTarget(target, session, options, insecure) {
  let transport;
  try {
    transport = await session.shell(target);
  } catch (err) {
    if (err instanceof UserError) return [fail(target.name, "reachable", errorMessage(err))];
    throw err;
  }
  const ping = await transport.exec(["true"], { quiet: true, timeoutMs: options.timeoutMs, signal: options.signal });
  if (ping.code !== 0) return [fail(target.name, "reachable", `connected, but "true" exited ${ping.code}`)];
  const key = insecure ? "host key NOT verified" : "host key pinned";
  const how = target.kind === "ssh" ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}, ${key}` : "local";
  const reached = pass(target.name, "reachable", how);
  return [reached, ...await checkTargetFacts(target.name, transport, { ...options, env: target.env })];
}
function planFor(target, o) {
  if (target.kind === "docker")
    return [`${target.name} (${target.docker.host}): Docker Engine API GET /version (no shell)`];
  const argvs = [["true"], dfArgv(o.diskPaths)];
  if (o.docker !== false) argvs.push(dockerServerVersionArgv());
  if (o.compose !== false) {
    for (const c of o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES) argvs.push(composeVersionArgv(c));
  }
  const where = target.kind === "ssh" ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}` : "local";
  return [`${target.name} (${where}):`, ...argvs.map((a) => `  $ ${toRemoteCommand(a, { env: target.env })}`)];
}
async function backupAgeCheck(ctx, session, maxAgeMs) {
  const { config, environment, environmentName } = session;
  const backup = config.database?.backup;
  if (!backup) return fail("*", "backup age", "backup-max-age needs database.backup (where the backups are)");
  try {
    const t = await session.primary();
    return await checkBackupAge(t, {
      directory: backup.directory,
      app: config.app,
      environment: environmentName,
      maxAgeMs,
      now: ctx.clock.now()
    });
  } catch (err) {
    return fail(environment.targets[0]?.name ?? "*", "backup age", errorMessage(err));
  }
}
export {
  runPreDeployCheck
};
