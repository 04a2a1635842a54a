import {
  COMPOSE_CANDIDATES,
  composeVersionArgv,
  dfArgv,
  parseDf
} from "../chunks/chunk-737GUY7Q.js";
import {
  pendingMigrationCheck
} from "../chunks/chunk-7OGLSL4B.js";
import {
  findDrift
} from "../chunks/chunk-D2ZUNCQ3.js";
import {
  candidateSample,
  checkUpstreamCandidate
} from "../chunks/chunk-NO3PKMBD.js";
import {
  composeMismatch,
  composeReplicaOf,
  composeServiceOf
} from "../chunks/chunk-5V63FDDH.js";
import {
  inspectAccessLog,
  stickyDirective
} from "../chunks/chunk-RB6QVMVN.js";
import {
  managerDetail,
  managerProblem,
  swarmEngineOf
} from "../chunks/chunk-JZF2JHVW.js";
import "../chunks/chunk-2IS7G2IM.js";
import {
  composeProjectHint
} from "../chunks/chunk-HEVGDBH7.js";
import "../chunks/chunk-6PYKIDPT.js";
import {
  tcpRefusal
} from "../chunks/chunk-EJKV34LF.js";
import {
  ForwardingRefusedError
} from "../chunks/chunk-LS37LGEL.js";
import {
  commandPathArgv,
  ephemeralRangeArgv,
  isNginxMaster,
  isSudo,
  nginxConfOf,
  parseEphemeralRange,
  parsePidFile,
  parseSocketAccess,
  parseStateDirProbe,
  processArgsArgv,
  signalCheckArgv,
  socketAccessArgv,
  stateDirProbeArgv,
  sudoListArgv,
  sudoListingArgv,
  sudoNonInteractive,
  sudoPasswordFor
} from "../chunks/chunk-KF2DUK75.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import {
  balancerAddressOf,
  runsHere
} from "../chunks/chunk-TSVKQNYQ.js";
import {
  driverOf,
  resolveStrategy,
  usesEngine
} from "../chunks/chunk-UXZUOFCM.js";
import "../chunks/chunk-FFUIHGTR.js";
import "../chunks/chunk-ISVV4EDO.js";
import {
  BackupStore
} from "../chunks/chunk-XOMS26GA.js";
import {
  secretEnvProblem
} from "../chunks/chunk-NJUICJBY.js";
import {
  toRemoteCommand
} from "../chunks/chunk-MOIZCRN3.js";
import "../chunks/chunk-QETEGG6J.js";
import {
  composeConfig,
  composeConfigCheck
} from "../chunks/chunk-MIAGCR4I.js";
import {
  dockerObjectExistsArgv,
  dockerServerVersionArgv
} from "../chunks/chunk-GYOLDUFK.js";
import "../chunks/chunk-PDADLHLK.js";
import {
  configFileAccess,
  notWritable
} from "../chunks/chunk-H5JJLJ3Z.js";
import {
  catArgv
} from "../chunks/chunk-CSTC25GN.js";
import {
  exitText,
  failureText
} from "../chunks/chunk-62JVSY2V.js";
import {
  notifyRun
} from "../chunks/chunk-IVJAZNWL.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import {
  githubChecks,
  githubPlan,
  skipUntrusted
} from "../chunks/chunk-5BJCLG46.js";
import {
  fail,
  pass,
  warn
} from "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import {
  checksFor,
  satisfies
} from "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import {
  buildSummary
} from "../chunks/chunk-2EYAEJCG.js";
import {
  githubContext,
  untrustedReason
} from "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import {
  formatDuration
} from "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

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

// src/checks/balancer.ts
var CHECK = "balancer reach";
var REACH_TIMEOUT_MS = 5e3;
function listeningPort(target) {
  if (target.kind === "ssh") return target.ssh.port;
  if (target.kind === "docker") {
    const m = /^tcp:\/\/(?:\[[^\]]+\]|[^:/]+):(\d+)$/.exec(target.docker.host);
    return m ? Number(m[1]) : void 0;
  }
  return void 0;
}
async function checkBalancerReach(environment, services, shell) {
  const name = environment["load-balancer"];
  const balancer = environment.targets.find((t) => t.name === name && t.kind !== "docker");
  if (name === void 0 || !balancer) return [];
  const lb = await shell(balancer).catch(() => void 0);
  if (!lb) return [];
  const hosts = environment.targets.filter(
    (t) => t.name !== name && t.kind !== "local" && services.some((s) => runsHere(environment, t, s))
  );
  return Promise.all(
    hosts.map(async (t) => {
      const address = balancerAddressOf(t, name);
      const port = listeningPort(t);
      if (port === void 0) return pass(t.name, CHECK, `${address} (no port to probe it on before the deploy)`);
      try {
        const refused = await tcpRefusal(lb, address, port, REACH_TIMEOUT_MS);
        if (refused === void 0) return pass(t.name, CHECK, `${name} reaches ${address} (port ${port} accepted)`);
        return warn(
          t.name,
          CHECK,
          `${name} could not connect to ${address}:${port} (${errorMessage(refused)}): nginx on ${name} sends this host's requests to ${address} (targets[].address) \u2014 check the address, or that a firewall lets ${name} through`
        );
      } catch (err) {
        return fail(t.name, CHECK, `${name} cannot open TCP connections: ${errorMessage(err)}`);
      }
    })
  );
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

// src/checks/canary-log.ts
var CHECK2 = "canary access log";
async function checkAccessLog(t, path) {
  const f = await inspectAccessLog(t, path);
  const make = f.status === "pass" ? pass : f.status === "warn" ? warn : fail;
  return make(t.name, CHECK2, f.detail);
}

// src/checks/host-run.ts
function hostRun(t, o) {
  return (argv, extra = {}) => t.exec(argv, {
    quiet: true,
    cwd: extra.cwd,
    env: { ...o.env, ...extra.env },
    timeoutMs: o.timeoutMs,
    signal: o.signal
  });
}

// src/checks/forwarding.ts
var REFUSED = /administratively prohibited|channel open failure: open failed\s*$/i;
var refusedBySshd = (err, kind) => err instanceof ForwardingRefusedError ? err.kind === kind : REFUSED.test(errorMessage(err));
function within(p, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1e3}s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
async function checkTcpForwarding(target, ssh, o) {
  const check = "tcp forwarding";
  try {
    const stream = await within(ssh.connectTcp("127.0.0.1", o.port), o.timeoutMs, "direct-tcpip");
    stream.destroy();
    return pass(target, check, `SSH direct-tcpip channel to 127.0.0.1:${o.port} opened (and closed)`);
  } catch (err) {
    const message = errorMessage(err);
    if (!refusedBySshd(err, "tcp")) {
      return pass(target, check, `SSH direct-tcpip channels are allowed (127.0.0.1:${o.port} answered: ${message})`);
    }
    const detail = `sshd refuses TCP forwarding for ${o.user} (AllowTcpForwarding no, or DisableForwarding yes)`;
    return o.neededFor ? fail(
      target,
      check,
      `${detail}; deploy needs it for ${o.neededFor}: set AllowTcpForwarding local (or yes) for ${o.user}`
    ) : warn(
      target,
      check,
      `${detail}; this config does not need it yet (HTTP health checks and smoke checks via this target would)`
    );
  }
}
async function checkSocketForwarding(target, ssh, run, o) {
  const check = "socket forwarding";
  if (!ssh.openUnixSocket) return pass(target, check, "not an SSH target: the socket is opened directly");
  const looked = await run(socketAccessArgv(o.socket)).catch((err) => ({
    code: 1,
    stdout: "",
    stderr: errorMessage(err)
  }));
  const access = parseSocketAccess(looked.stdout);
  try {
    const stream = await within(ssh.openUnixSocket(o.socket), o.timeoutMs, "streamlocal");
    stream.destroy();
    return pass(target, check, `SSH streamlocal channel to ${o.socket} opened (and closed)`);
  } catch (err) {
    const why = errorMessage(err);
    if (err instanceof ForwardingRefusedError && err.kind === "streamlocal") return refusedSocket(target, o);
    switch (access) {
      case "missing":
        return fail(target, check, `${o.socket} does not exist on the host: set the target's docker-socket`);
      case "not-a-socket":
        return fail(target, check, `${o.socket} is not a Unix socket: set the target's docker-socket`);
      case "denied":
        return fail(target, check, `${o.user} may not connect to ${o.socket}: add ${o.user} to the socket's group`);
      case "ok":
        return refusedSocket(target, o);
      default:
        return fail(
          target,
          check,
          `cannot open ${o.socket} through SSH: ${why} (looking at it: ${failureText(looked)})`
        );
    }
  }
}
function refusedSocket(target, o) {
  return fail(
    target,
    "socket forwarding",
    `sshd refuses Unix socket forwarding for ${o.user} (AllowStreamLocalForwarding no, or DisableForwarding yes) \u2014 AllowTcpForwarding no refuses it too \u2014 which the engine driver needs to reach ${o.socket}: set AllowStreamLocalForwarding local (or yes) and AllowTcpForwarding local (or yes) for ${o.user}, DisableForwarding no`
  );
}

// src/checks/nginx.ts
function nginxPlan(nginx) {
  const container = nginx.container;
  if (container !== void 0)
    return [
      {
        note: `nginx in container ${container}: Engine API GET /containers/${container}/json, exec ${nginx.test.join(" ")}`
      }
    ];
  const items = [{ argv: catArgv(nginx["pid-file"]) }];
  items.push({ note: `then: ps -o args= -p PID (PID from ${nginx["pid-file"]})` });
  items.push({ argv: sudoNonInteractive(nginx.test) });
  if (isSudo(nginx.reload))
    items.push({ argv: sudoListArgv(nginx.reload) }, { argv: sudoListingArgv(nginx.reload[0]) });
  else if (isNginx(nginx.reload)) items.push({ note: "then: kill -0 PID (sends no signal)" });
  else items.push({ argv: commandPathArgv(nginx.reload[0] ?? "") });
  return items;
}
var isNginx = (argv) => /(^|\/)nginx$/.test(argv[0] ?? "");
var shown = (argv) => argv.join(" ");
var NEEDS_PASSWORD = /password is required|terminal is required|askpass/i;
async function checkNginx(target, transport, run, nginx, candidate) {
  const container = nginx.container;
  if (container !== void 0) {
    if (candidate) {
      return candidate({ target, transport, nginx, run }).catch((e) => [
        fail(target, "nginx container", errorMessage(e))
      ]);
    }
    return [warn(target, "nginx", `nginx runs in container ${container}: its test, reload and master are not checked`)];
  }
  const guarded = (check, fn) => fn().catch((err) => fail(target, check, errorMessage(err)));
  let master;
  const pid = await guarded("nginx pid", async () => {
    const r = await masterOf(target, run, nginx["pid-file"], nginx.test);
    master = r.pid;
    return r.result;
  });
  const test = await guarded("nginx test", () => checkTest(target, run, nginx.test));
  const reload = await guarded("nginx reload", () => checkReload(target, run, nginx.reload, master));
  const results = [pid, test, reload];
  if (candidate && test.status === "pass") {
    results.push(
      ...await candidate({ target, transport, nginx, run }).catch((e) => [
        fail(target, "nginx candidate", errorMessage(e))
      ])
    );
  }
  return results;
}
async function masterOf(target, run, file, test) {
  const check = "nginx pid";
  const how = `set strategy.proxy.nginx.pid-file to the file named by the \`pid\` directive of the running nginx (after a reload, deploy waits for that master's new workers)`;
  const read = await run(catArgv(file));
  if (read.code !== 0) {
    const missing = /No such file/i.test(read.stderr);
    return {
      result: fail(
        target,
        check,
        `${file} ${missing ? "does not exist" : `cannot be read (${failureText(read)})`}: ${how}`
      )
    };
  }
  const pid = parsePidFile(read.stdout);
  if (pid === void 0) return { result: fail(target, check, `${file} does not hold a process id: ${how}`) };
  const ps = await run(processArgsArgv(pid));
  const args = ps.stdout.trim();
  if (ps.code !== 0 || args === "") {
    return {
      result: fail(
        target,
        check,
        `${file} names pid ${pid}, which is not running (nginx stopped, or a stale file): ${how}`
      )
    };
  }
  if (!isNginxMaster(args)) {
    return {
      result: fail(target, check, `${file} names pid ${pid} (${args.slice(0, 120)}), not an nginx master: ${how}`)
    };
  }
  const [theirs, ours] = [nginxConfOf(args), nginxConfOf(test)];
  if (theirs !== void 0 && ours !== void 0 && theirs !== ours) {
    return {
      result: fail(
        target,
        check,
        `${file} names the master of another nginx (pid ${pid}, -c ${theirs}) than the one test and reload drive (-c ${ours}): ${how}`
      )
    };
  }
  return { pid, result: pass(target, check, `${file}: pid ${pid}, ${args.slice(0, 120)}`) };
}
async function checkTest(target, run, test) {
  const check = "nginx test";
  const r = await run(sudoNonInteractive(test));
  if (r.code === 0) return pass(target, check, `${shown(test)} passes on the live config`);
  if (isSudo(test) && NEEDS_PASSWORD.test(r.stderr)) {
    return fail(target, check, `sudo asks for a password to run ${shown(test)}: add a NOPASSWD sudoers rule for it`);
  }
  if (r.code === 127) {
    return fail(
      target,
      check,
      `${test[0]} is not found on the deploy user's PATH: give its full path in strategy.proxy.nginx.test`
    );
  }
  return fail(target, check, `${shown(test)} fails (${exitText(r)}): ${failureText(r)}`);
}
async function checkReload(target, run, reload, master) {
  const check = "nginx reload";
  if (isSudo(reload)) {
    const allowed = await run(sudoListArgv(reload));
    if (allowed.code !== 0) {
      const why = NEEDS_PASSWORD.test(allowed.stderr) ? "sudo asks for a password" : `sudoers does not allow it (${failureText(allowed)})`;
      return fail(target, check, `${shown(reload)}: ${why}; add a NOPASSWD sudoers rule for exactly this command`);
    }
    const resolved = allowed.stdout.trim().split("\n")[0]?.trim() || shown(reload.slice(1));
    const listing = await run(sudoListingArgv(reload[0]));
    switch (sudoPasswordFor(listing.stdout, resolved)) {
      case "nopasswd":
        return pass(target, check, `sudo allows ${resolved} without a password (sudo -n -l; not run)`);
      case "passwd":
        return fail(target, check, `sudo allows ${resolved} only with a password: make its sudoers rule NOPASSWD`);
      default:
        return warn(target, check, `sudo allows ${resolved}; whether without a password, sudo -l does not say`);
    }
  }
  const found = await run(commandPathArgv(reload[0] ?? ""));
  if (found.code !== 0) {
    return fail(
      target,
      check,
      `${reload[0]} is not found on the deploy user's PATH: give its full path in strategy.proxy.nginx.reload`
    );
  }
  if (!isNginx(reload)) return pass(target, check, `${found.stdout.trim()} found (${shown(reload)} not run)`);
  if (master === void 0)
    return warn(target, check, `${shown(reload)}: without a running master, whether it may signal nginx is unknown`);
  const signal = await run(signalCheckArgv(master));
  if (signal.code === 0)
    return pass(target, check, `the deploy user may signal nginx's master, pid ${master} (kill -0; not reloaded)`);
  return fail(
    target,
    check,
    `${shown(reload)} runs as the deploy user, who may not signal nginx's master (pid ${master}: ${failureText(signal)}): use reload: [sudo, nginx, -s, reload] with a NOPASSWD sudoers rule`
  );
}

// src/checks/prerequisites.ts
var COMPOSE_CHECK_VERSION = "pre-deploy-check";
async function checkPrerequisites(target, t, o) {
  const run = hostRun(t, o);
  const guarded = (check, fn) => fn().catch((err) => [fail(target, check, errorMessage(err))]);
  const { stateDir, nginx, ssh, compose } = o;
  const groups = await Promise.all([
    stateDir ? guarded("state dir", async () => [await checkStateDir(target, run, stateDir)]) : [],
    nginx ? guarded("nginx", () => checkNginx(target, t, run, nginx, o.nginxCandidate)) : [],
    ssh ? guarded("ssh forwarding", async () => {
      const channel = { ...ssh, timeoutMs: o.timeoutMs };
      const tcp = checkTcpForwarding(target, t, { ...channel, neededFor: ssh.tcpNeededFor });
      const socket = ssh.dockerSocket ? [await checkSocketForwarding(target, t, run, { ...channel, socket: ssh.dockerSocket })] : [];
      return [await tcp, ...socket];
    }) : [],
    compose ? guarded("compose file", async () => [await checkComposeFile(target, run, compose)]) : [],
    compose && o.composeReplicas ? guarded("compose replicas", () => checkComposeReplicas(target, run, compose, o.composeReplicas ?? {})) : [],
    o.canary?.accessLog ? guarded("canary access log", async () => [await checkAccessLog(t, o.canary?.accessLog)]) : [],
    o.canary?.routeFile ? guarded("canary route", async () => [await checkRouteFile(target, t, o.canary?.routeFile)]) : [],
    o.hostPorts && Object.keys(o.hostPorts).length > 0 ? guarded("host ports", async () => [await checkHostPorts(target, run, o.hostPorts ?? {})]) : []
  ]);
  return groups.flat();
}
async function checkRouteFile(target, t, path) {
  if (await configFileAccess(t, path) === void 0)
    return fail(target, "canary route", notWritable(t, path).message);
  return pass(target, "canary route", `${path} can be written (nginx must include it at http level)`);
}
async function checkStateDir(target, run, s) {
  const check = "state dir";
  const r = await run(stateDirProbeArgv(s.dir, s.journal));
  if (r.code !== 0) return fail(target, check, `cannot look at ${s.dir}: ${failureText(r)}`);
  const p = parseStateDirProbe(r.stdout);
  const fix = `make it writable by the deploy user, or set the environment's state-dir`;
  if (p.state === "not-a-directory")
    return fail(target, check, `${p.dir} is not a directory, so ${s.dir} cannot be one`);
  if (!p.writable) {
    const why = failureText(r);
    return p.state === "exists" ? fail(target, check, `${s.dir} (journal and lock) is not writable by the deploy user (${why}): ${fix}`) : fail(
      target,
      check,
      `${s.dir} (journal and lock) does not exist and cannot be created in ${p.dir} (${why}): ${fix}`
    );
  }
  if (p.unreadable) return fail(target, check, `the journal ${p.unreadable} cannot be read by the deploy user: ${fix}`);
  return p.state === "exists" ? pass(target, check, `${s.dir} is writable (probe file written and removed)`) : pass(
    target,
    check,
    `${s.dir} does not exist yet; deploy can create it in ${p.dir} (probe file written and removed)`
  );
}
async function checkHostPorts(target, run, ranges) {
  const check = "host ports";
  const r = await run(ephemeralRangeArgv());
  const eph = r.code === 0 ? parseEphemeralRange(r.stdout) : void 0;
  const all = Object.entries(ranges).map(([name, [lo, hi]]) => `${name} ${lo}-${hi}`).join(", ");
  if (!eph) return warn(target, check, `${all}; the host's ephemeral port range could not be read (${failureText(r)})`);
  const [elo, ehi] = eph;
  const inside = Object.entries(ranges).filter(([, [lo, hi]]) => lo <= ehi && hi >= elo);
  if (inside.length === 0) return pass(target, check, `${all}: outside the ephemeral range ${elo}-${ehi}`);
  return warn(
    target,
    check,
    `${inside.map(([n, [lo, hi]]) => `services.${n}.host-ports ${lo}-${hi}`).join(", ")} overlap the host's ephemeral port range ${elo}-${ehi} (net.ipv4.ip_local_port_range): a port an outgoing connection holds cannot be bound, and a replica fails to start; choose ports below ${elo}`
  );
}
async function checkComposeFile(target, run, c) {
  const check = "compose file";
  const argv = composeConfigCheck(c);
  const r = await run(argv, { cwd: c.directory, env: { [c["version-env"]]: COMPOSE_CHECK_VERSION } });
  if (r.code === 0) return pass(target, check, `${argv.join(" ")} resolves in ${c.directory}`);
  const lines = r.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !/variable is not set/i.test(l));
  return fail(
    target,
    check,
    `${argv.join(" ")} in ${c.directory} fails (${exitText(r)}): ${lines.slice(0, 3).join(" ").slice(0, 400) || failureText(r)}`
  );
}
async function checkComposeReplicas(target, run, c, services) {
  const r = await run(composeConfig(c), { cwd: c.directory, env: { [c["version-env"]]: COMPOSE_CHECK_VERSION } });
  if (r.code !== 0) return [];
  const results = [];
  for (const [name, service] of Object.entries(services)) {
    results.push(await checkComposeService(target, run, r.stdout, c, name, service));
  }
  return results;
}
async function checkComposeService(target, run, resolved, c, name, service) {
  const check = "compose replicas";
  try {
    const svc = composeServiceOf(resolved, name, composeProjectHint(c));
    const mismatch = composeMismatch(name, service, svc);
    if (mismatch) return fail(target, check, mismatch);
    const external = [
      ...svc.volumes.filter((v) => v.external).map((v) => ["volume", v.name]),
      ...svc.networks.filter((n) => n.external).map((n) => ["network", n.name])
    ];
    const missing = [];
    for (const [kind, objName] of external) {
      if ((await run(dockerObjectExistsArgv(kind, objName))).code !== 0) missing.push(`${kind} ${objName}`);
    }
    if (missing.length > 0) {
      return fail(
        target,
        check,
        `compose service ${name} uses external ${missing.join(", ")}, which ${missing.length > 1 ? "do" : "does"} not exist: create ${missing.length > 1 ? "them" : "it"} first, or remove external`
      );
    }
    const carried = [
      `${Object.keys(svc.template.env ?? {}).length} environment variables`,
      ...svc.volumes.length > 0 ? [`volumes ${svc.volumes.map((v) => v.name).join(", ")}`] : [],
      ...svc.template.healthcheck ? [svc.template.healthcheck.test[0] === "NONE" ? "its healthcheck disabled" : "its healthcheck"] : [],
      ...svc.dependsOn.length > 0 ? [`depends_on ${svc.dependsOn.join(", ")} (started, never recreated)`] : []
    ];
    const replaced = svc.replaced.length > 0 ? `; replaced per replica: ${svc.replaced.join(", ")}` : "";
    return pass(target, check, `compose service ${name} \u2192 replicas with ${carried.join(", ")}${replaced}`);
  } catch (err) {
    return fail(target, check, errorMessage(err));
  }
}
function prerequisitePlan(o) {
  const items = [];
  if (o.stateDir) items.push({ argv: stateDirProbeArgv(o.stateDir.dir, o.stateDir.journal) });
  if (o.nginx) {
    items.push(...nginxPlan(o.nginx));
    if (o.nginxCandidate) items.push({ note: "then: the nginx upstream candidate test" });
  }
  if (o.ssh) {
    items.push({ note: `SSH: open a direct-tcpip channel to 127.0.0.1:${o.ssh.port} and close it` });
    if (o.ssh.dockerSocket) {
      items.push({ argv: socketAccessArgv(o.ssh.dockerSocket) });
      items.push({ note: `SSH: open a streamlocal channel to ${o.ssh.dockerSocket} and close it` });
    }
  }
  if (o.compose) {
    const env = { [o.compose["version-env"]]: COMPOSE_CHECK_VERSION };
    items.push({ argv: composeConfigCheck(o.compose), cwd: o.compose.directory, env });
    if (o.composeReplicas) items.push({ argv: composeConfig(o.compose), cwd: o.compose.directory, env });
  }
  if (o.hostPorts && Object.keys(o.hostPorts).length > 0) items.push({ argv: ephemeralRangeArgv() });
  return items;
}

// src/checks/report.ts
function buildReport(environment, checks, failOn) {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  const passed = counts.fail === 0 && (failOn === "error" || counts.warn === 0);
  return { environment, passed, counts, checks };
}
var ICON = { pass: "\u2705 pass", warn: "\u26A0\uFE0F warn", fail: "\u274C fail" };
function reportSummary(r) {
  return buildSummary((doc) => {
    doc.heading("Checks", 3);
    doc.paragraph(`${r.counts.pass} passed, ${r.counts.warn} warnings, ${r.counts.fail} failed`);
    doc.table(
      ["target", "check", "status", "details"],
      r.checks.map((c) => [c.target, c.check, ICON[c.status], c.detail])
    );
  });
}
function reportLines(r) {
  const width = Math.max(6, ...r.checks.map((c) => `${c.target} ${c.check}`.length));
  return r.checks.map(
    (c) => `${c.status.toUpperCase().padEnd(4)}  ${`${c.target} ${c.check}`.padEnd(width)}  ${c.detail}`
  );
}

// src/checks/secrets.ts
function envPassedSecrets(config) {
  return config.database ? { [config.database["password-env"]]: "database.password-env" } : {};
}
function checkSecrets(names, env, log, passedAsEnv = {}) {
  return [.../* @__PURE__ */ new Set([...names, ...Object.keys(passedAsEnv)])].map((name) => {
    const check = `secret ${name}`;
    const value = env[name];
    if (value === void 0) return fail("*", check, `environment variable ${name} is not set`);
    if (value.trim() === "") return fail("*", check, `environment variable ${name} is empty`);
    log.addSecret(value);
    const key = Object.hasOwn(passedAsEnv, name) ? passedAsEnv[name] : void 0;
    const problem = key !== void 0 ? secretEnvProblem(value) : value.includes("\0") ? secretEnvProblem(value) : void 0;
    if (problem) return fail("*", check, `environment variable ${name}${key ? ` (${key})` : ""} ${problem}`);
    return pass("*", check, "set");
  });
}

// src/checks/swarm.ts
async function checkSwarmManager(target, engine) {
  try {
    const info = await swarmEngineOf(target, await engine()).swarmInfo();
    const problem = managerProblem(target, info);
    return problem ? fail(target, "swarm", problem) : pass(target, "swarm", managerDetail(info));
  } catch (err) {
    return fail(target, "swarm", errorMessage(err));
  }
}

// src/checks/target.ts
var GiB = 1024 ** 3;
var fmtBytes = (n) => `${(n / GiB).toFixed(1)} GiB`;
async function checkTargetFacts(target, t, o) {
  const run = (argv) => t.exec(argv, { quiet: true, env: o.env, timeoutMs: o.timeoutMs, signal: o.signal });
  const results = [];
  try {
    const df = await run(dfArgv(o.diskPaths));
    if (df.code !== 0) {
      results.push(fail(target, "disk", `df failed (${exitText(df)}): ${firstLine(df.stderr)}`));
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
  if (o.docker !== false && o.engine) {
    results.push(await checkEngineVersion(target, o.engine, o.docker));
  } else if (o.docker !== false) {
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
async function checkEngineVersion(target, engine, rule) {
  try {
    const version = await engine.version();
    return satisfies(version, rule) ? pass(target, "docker", `docker engine ${version} (${rule.raw})`) : fail(target, "docker", `docker engine ${version} does not satisfy ${rule.raw}`);
  } catch (err) {
    return fail(target, "docker", `${engine.label}: ${errorMessage(err)}`);
  }
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
      tried.push(`${label}: ${firstLine(r.stderr) || exitText(r)}`);
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
  for (const service of Object.values(config.services ?? {})) names.push(...Object.values(service["secret-env"] ?? {}));
  return [...new Set(names)];
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
function tcpNeedsOf(config, driver, target) {
  const services = Object.values(config.services ?? {});
  const needs = [];
  if (services.some((s) => s.health?.http)) needs.push("HTTP health probes");
  if (usesEngine(driver, config.strategy.type) && services.some((s) => s["host-ports"])) needs.push("free-port probes");
  if (config.smoke?.checks.some((c) => c.via === target)) needs.push(`smoke checks via ${target}`);
  return needs.length > 0 ? needs.join(", ") : void 0;
}
var environmentOfTarget = (config, target) => Object.values(config.environments).find((e) => e.targets.includes(target));
function runsThere(config, target, service) {
  const environment = environmentOfTarget(config, target);
  return environment ? runsHere(environment, target, service) : true;
}
function runsNginx(config, target) {
  const balancer = environmentOfTarget(config, target)?.["load-balancer"];
  return balancer === void 0 || balancer === target.name;
}
function prerequisiteOptions(config, target, o) {
  const engine = usesEngine(o.driver, config.strategy.type);
  const composeRolling = o.driver === "compose" && config.strategy.type !== "recreate";
  return {
    stateDir: o.stateDir,
    nginx: runsNginx(config, target) ? config.strategy.proxy?.nginx : void 0,
    nginxCandidate: o.nginxCandidate,
    compose: o.driver === "compose" ? config.compose : void 0,
    canary: config.strategy.type === "canary" && config.strategy.canary ? { accessLog: config.strategy.canary["access-log"], routeFile: config.strategy.canary.route?.file } : void 0,
    composeReplicas: composeRolling ? Object.fromEntries(Object.entries(config.services ?? {}).map(([n, s]) => [n, composeReplicaOf(s)])) : void 0,
    hostPorts: engine ? Object.fromEntries(
      Object.entries(config.services ?? {}).flatMap(
        ([n, s]) => s["host-ports"] && runsThere(config, target, s) ? [[n, s["host-ports"]]] : []
      )
    ) : void 0,
    ssh: target.kind === "ssh" ? {
      user: target.ssh.user,
      port: target.ssh.port,
      tcpNeededFor: tcpNeedsOf(config, o.driver, target.name),
      dockerSocket: engine ? target["docker-socket"] : void 0
    } : void 0,
    env: target.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal
  };
}

// src/actions/pre-deploy-check.ts
var COMMAND_TIMEOUT_MS = 3e4;
async function runPreDeployCheck(ctx) {
  const { log, runner, inputs } = ctx;
  const untrusted = untrustedReason(githubContext(runner.env));
  if (untrusted) return skipUntrusted(ctx, untrusted);
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const checks = checksFor(config, environmentName);
  const results = [
    pass("*", "config", `${inputs.config} is valid (${environment.targets.length} targets)`)
  ];
  results.push(...checkSecrets(requiredSecretNames(config, checks), runner.env, log, envPassedSecrets(config)));
  results.push(...checkSchedule(ctx.clock.now(), checks.windows, checks.freeze));
  const { result: strategyResult, driver } = strategyCheck(config);
  results.push(strategyResult);
  const options = {
    ...targetCheckOptions(config, checks),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal
  };
  const prereqs = (t) => prerequisiteOptions(config, t, {
    driver,
    stateDir: t === environment.targets[0] ? { dir: session.paths.dir, journal: session.paths.journal } : void 0,
    nginxCandidate: upstreamCandidate(ctx, session),
    timeoutMs: COMMAND_TIMEOUT_MS,
    signal: ctx.signal
  });
  const maxAge = checks["backup-max-age"];
  if (inputs["dry-run"]) {
    await log.group("Plan (dry run: no connection is opened)", async () => {
      for (const t of environment.targets) {
        for (const line of planFor(
          t,
          options,
          usesEngine(driver, config.strategy.type),
          t.kind === "docker" ? void 0 : prereqs(t)
        ))
          log.info(line);
      }
      for (const line of githubPlan(checks, inputs["github-token"], runner.env)) log.info(line);
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
          (t) => t.kind === "docker" ? checkEngineTarget(t, options.docker, () => session.dockerTarget(t)) : checkTarget(
            t,
            session,
            { ...options, driver, prereqs: prereqs(t) },
            inputs["ssh-insecure-ignore-host-key"]
          )
        )
      )
    );
    ctx.signal.throwIfAborted();
    results.push(...perHost.flat());
    results.push(...await githubChecks(ctx, checks, inputs["github-token"], environmentName));
    if (maxAge !== void 0) results.push(await backupAgeCheck(ctx, session, maxAge));
    results.push(...await driftCheck(ctx, session, driver));
    results.push(
      ...await checkBalancerReach(environment, Object.values(config.services ?? {}), (t) => session.shell(t))
    );
    if (inputs["pending-migration"] && config.database?.migrate) {
      const pending = await pendingMigrationCheck(ctx, session, inputs.version);
      results.push(pending.result);
      if (pending.summary) await runner.appendSummary(pending.summary);
    }
  }
  const report = buildReport(environmentName, results, inputs["fail-on"]);
  for (const line of reportLines(report)) log.info(line);
  for (const c of report.checks)
    if (c.status === "fail") log.error(`${c.target} ${c.check}: ${c.detail}`);
    else if (c.status === "warn") log.warn(`${c.target} ${c.check}: ${c.detail}`);
  runner.setOutput("report", JSON.stringify(report));
  runner.setOutput("passed", String(report.passed));
  runner.setOutput("result", report.passed ? "passed" : "failed");
  await runner.appendSummary(reportSummary(report));
  if (!report.passed) {
    const failed = report.checks.filter(
      (c) => c.status === "fail" || inputs["fail-on"] === "warning" && c.status === "warn"
    );
    const first = failed[0];
    if (!ctx.nested && !inputs["dry-run"])
      await notifyRun(ctx, config, {
        kind: "refusal",
        environment: environmentName,
        version: ctx.runner.env.GITHUB_SHA?.slice(0, 7) ?? "",
        url: environment.url,
        reason: `${first?.target} ${first?.check}: ${first?.detail}`
      });
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : "";
    throw new UserError(`pre-deploy check failed: ${first?.target} ${first?.check}: ${first?.detail}${more}`);
  }
  log.info(`pre-deploy check passed: ${report.counts.pass} passed, ${report.counts.warn} warnings`);
}
function strategyCheck(config) {
  try {
    const { strategy, driver } = resolveStrategy(config);
    return { result: pass("*", "strategy", `${strategy} with the ${driver} driver`), driver };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { result: fail("*", "strategy", err.message), driver: driverOf(config) };
  }
}
function engineOf(target, session) {
  const through = target.kind === "ssh" ? " through SSH" : "";
  return {
    label: `Docker Engine API on ${target["docker-socket"]}${through}`,
    version: async () => {
      const engine = await session.engine(target);
      const version = engine.version;
      if (typeof version !== "function") throw new Error("this engine connection does not report its version");
      return (await version.call(engine)).engineVersion;
    }
  };
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
  const engine = usesEngine(options.driver, session.config.strategy.type) ? engineOf(target, session) : void 0;
  const [facts, prereqs, swarm] = await Promise.all([
    checkTargetFacts(target.name, transport, { ...options, env: target.env, engine }),
    checkPrerequisites(target.name, transport, options.prereqs),
    // The swarm driver deploys to a swarm that exists, through a manager.
    options.driver === "swarm" ? checkSwarmManager(target.name, () => session.engine(target)).then((r) => [r]) : []
  ]);
  return [reached, ...facts, ...prereqs, ...swarm];
}
function planFor(target, o, engine, prereqs) {
  if (target.kind === "docker")
    return [`${target.name} (${target.docker.host}): Docker Engine API GET /version (no shell)`];
  const items = [{ argv: ["true"] }, { argv: dfArgv(o.diskPaths) }];
  if (o.docker !== false && engine) {
    const through = target.kind === "ssh" ? " through SSH" : "";
    items.push({ note: `Docker Engine API on ${target["docker-socket"]}${through}: GET /version` });
  } else if (o.docker !== false) items.push({ argv: dockerServerVersionArgv() });
  if (o.compose !== false) {
    for (const c of o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES)
      items.push({ argv: composeVersionArgv(c) });
  }
  items.push(...prereqs ? prerequisitePlan(prereqs) : []);
  const where = target.kind === "ssh" ? `${target.ssh.user}@${target.ssh.host}:${target.ssh.port}` : "local";
  const line = (i) => "note" in i ? `  ${i.note}` : `  $ ${toRemoteCommand(i.argv, { env: { ...target.env, ...i.env }, cwd: i.cwd })}`;
  return [`${target.name} (${where}):`, ...items.map(line)];
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
function upstreamCandidate(ctx, session) {
  const { config, environment } = session;
  const nginx = config.strategy.proxy?.nginx;
  const fronted = nginx?.service ?? Object.keys(config.services ?? {})[0];
  const sample = candidateSample(fronted === void 0 ? void 0 : config.services?.[fronted]);
  return async ({ target, transport, nginx: n }) => {
    const shell = environment.targets.find((t) => t.name === target && t.kind !== "docker");
    const engine = n.container !== void 0 && shell ? await session.engine(shell) : void 0;
    const sticky = config.strategy.type === "canary" ? stickyDirective(config.strategy.canary?.sticky) : void 0;
    const found = await checkUpstreamCandidate(
      transport,
      n,
      sample,
      { engine, clock: ctx.clock, log: ctx.log },
      { sticky }
    );
    return found.map((r) => ({ target, ...r }));
  };
}
async function driftCheck(ctx, session, driver) {
  if (Object.keys(session.config.services ?? {}).length === 0) return [];
  try {
    const findings = await findDrift({
      config: session.config,
      environmentName: session.environmentName,
      journal: await (await session.journal()).read(),
      targets: await session.deployTargets(driver, session.config.strategy.type),
      clock: ctx.clock,
      log: ctx.log
    });
    const lines = findings.map(
      (f) => f.kind === "drift" ? warn(f.target, "drift", `${f.service}: ${f.detail}`) : pass(f.target, "drift", `${f.service}: ${f.detail}`)
    );
    return lines.length > 0 ? lines : [pass("*", "drift", "what runs is what the journal says is live")];
  } catch (err) {
    return [warn("*", "drift", `not compared: ${errorMessage(err)}`)];
  }
}
export {
  runPreDeployCheck
};
