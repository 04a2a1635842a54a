import {
  unmet
} from "./chunk-6PYKIDPT.js";
import {
  tcpRefusal
} from "./chunk-EJKV34LF.js";
import {
  HostShare,
  NginxUpstream
} from "./chunk-FAX57M2F.js";
import {
  probeOf
} from "./chunk-TSVKQNYQ.js";
import {
  composePs,
  composePull,
  composeUp
} from "./chunk-MIAGCR4I.js";
import {
  dockerImageDigestsArgv,
  dockerImageIdArgv,
  dockerInspectConfigImageArgv,
  dockerInspectImageIdArgv,
  dockerInspectStateArgv,
  dockerLogsArgv,
  dockerPullArgv,
  dockerTagArgv
} from "./chunk-GYOLDUFK.js";
import {
  check
} from "./chunk-H5JJLJ3Z.js";
import {
  describeFailure,
  httpClient
} from "./chunk-5DAKGEXJ.js";
import {
  ConfigError,
  UserError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/deploy/pull-policy.ts
function namesRegistryHost(image) {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
}
function pullDecision(name, service, composePull2) {
  if (service.pull) return { policy: service.pull, why: `services.${name}.pull` };
  if (composePull2 !== void 0)
    return { policy: composePull2 ? "always" : "missing", why: `compose.pull: ${composePull2} (deprecated)` };
  return namesRegistryHost(service.image) ? { policy: "always", why: "default for an image that names a registry host" } : { policy: "missing", why: "default for an image that names no registry host" };
}
function composePullDeprecation(name, composePull2) {
  return `compose.pull is deprecated: set services.${name}.pull: ${composePull2 ? "always" : "missing"} instead (always | missing | never)`;
}

// src/http/ca.ts
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
var PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
function parseCaPem(text) {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? " (it holds a private key, not a certificate)" : "";
    throw new Error(`no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)${hint}`);
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new Error(`certificate ${i + 1} of ${blocks.length} does not parse: ${err.message}`);
    }
  });
  return `${blocks.join("\n")}
`;
}
async function readCaFile(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = err.code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : err.message;
    throw new Error(`cannot read ${path}: ${why}`);
  }
  try {
    return parseCaPem(text);
  } catch (err) {
    throw new Error(`${path}: ${err.message}`);
  }
}

// src/deploy/health.ts
var HealthGateError = class extends UserError {
  name = "HealthGateError";
};
var RUNNING_GATE = { interval: 1e3, timeout: 3e3, deadline: 3e4, stable: 3e3 };
var PROGRESS_MS = 5e3;
var HEALTH_MAX_BODY_BYTES = 64 * 1024;
var caFiles = /* @__PURE__ */ new WeakMap();
async function tlsOf(http, label) {
  const t = http.tls;
  if (http.scheme !== "https" || t === void 0) return void 0;
  if (t["insecure-skip-verify"]) return { rejectUnauthorized: false };
  const path = t["ca-file"];
  if (path === void 0) return void 0;
  let ca = caFiles.get(t);
  if (!ca) {
    ca = readCaFile(path);
    caFiles.set(t, ca);
  }
  try {
    return { ca: await ca };
  } catch (err) {
    throw new ConfigError(`${label}: health.http.tls.ca-file: ${errorMessage(err)}`);
  }
}
async function accepts(ctx, s, port, timeoutMs) {
  const refused = await tcpRefusal(ctx.transport, s.host, port, timeoutMs);
  return refused === void 0 ? void 0 : describeFailure(refused, `${s.host}:${port}`);
}
async function withAccept(ctx, s, timeoutMs, verdict) {
  if (!verdict.healthy || s.acceptPort === void 0) return verdict;
  const refused = await accepts(ctx, s, s.acceptPort, timeoutMs);
  return refused === void 0 ? { healthy: true, answer: `${verdict.answer}; port ${s.acceptPort} accepts connections` } : { healthy: false, answer: `${verdict.answer}, but port ${s.acceptPort} accepts no connection: ${refused}` };
}
async function look(ctx, h, s, client, started) {
  const st = await s.state();
  if (!st.running) throw new HealthGateError(`${s.label} exited (code ${st.exitCode}) while starting`);
  started.at ??= st.startedAt;
  if (st.startedAt !== void 0 && st.startedAt !== started.at) {
    throw new HealthGateError(`${s.label} crashed and was restarted (started ${started.at}, again ${st.startedAt})`);
  }
  const timeout = h?.timeout ?? RUNNING_GATE.timeout;
  if (h === void 0) return withAccept(ctx, s, timeout, { healthy: true, answer: "running" });
  if (h.container) {
    if (st.health === void 0) {
      throw new HealthGateError(
        `${s.label}: health.container is true but the image${s.image ? ` ${s.image}` : ""} has no HEALTHCHECK; add a HEALTHCHECK to the image, or configure health.http (path, and port when the service has none) instead`
      );
    }
    return withAccept(ctx, s, timeout, { healthy: st.health === "healthy", answer: `container health: ${st.health}` });
  }
  const http = h.http;
  if (!http || !client || s.port === void 0) throw new HealthGateError(`${s.label}: no port to probe for health`);
  if (st.health === "unhealthy") {
    return { healthy: false, answer: "Docker reports the container unhealthy: its HEALTHCHECK fails" };
  }
  const host = s.host.includes(":") ? `[${s.host}]` : s.host;
  const r = await client.request(`${http.scheme ?? "http"}://${host}:${s.port}${http.path}`, {
    headers: http.headers,
    timeoutMs: h.timeout,
    maxBodyBytes: HEALTH_MAX_BODY_BYTES,
    signal: ctx.signal
  });
  if (!r.ok) return { healthy: false, answer: r.error };
  const problems = unmet(http.expect, r.status, r.body);
  const body = r.body.replace(/\s+/g, " ").slice(0, 120);
  return {
    healthy: problems.length === 0,
    answer: problems.length === 0 ? `${r.status} ${body}` : `${problems.join("; ")} (${r.status} ${body})`
  };
}
async function waitHealthy(ctx, h, s) {
  const g = h ?? RUNNING_GATE;
  const start = ctx.clock.now().getTime();
  let attempt = 0;
  let lastAnswer = "";
  let lastProgress = start;
  let healthySince;
  const started = {};
  const client = h?.http ? httpClient({
    via: ctx.transport,
    keepAlive: false,
    connectTimeoutMs: h.timeout,
    tls: await tlsOf(h.http, s.label)
  }) : void 0;
  try {
    for (; ; ) {
      attempt++;
      const { healthy, answer } = await look(ctx, h, s, client, started);
      const now = ctx.clock.now().getTime();
      const elapsed = ((now - start) / 1e3).toFixed(1);
      if (healthy) {
        healthySince ??= now;
        if (now - healthySince >= g.stable) {
          ctx.log.info(`${s.label} healthy after ${elapsed}s (attempt ${attempt}): ${answer}`);
          return;
        }
      } else if (healthySince !== void 0) {
        throw new HealthGateError(
          `${s.label} became unhealthy ${((now - healthySince) / 1e3).toFixed(1)}s after passing: ${answer}`
        );
      }
      if (answer !== lastAnswer || now - lastProgress >= PROGRESS_MS) {
        const phase = healthy ? `healthy, watching for ${g.stable / 1e3}s` : "waiting";
        ctx.log.info(`${s.label}: ${phase} \u2014 ${elapsed}s, attempt ${attempt}: ${answer}`);
        lastAnswer = answer;
        lastProgress = now;
      }
      if (now - start >= g.deadline && healthySince === void 0) {
        throw new HealthGateError(
          `${s.label} not healthy within ${g.deadline / 1e3}s (deadline) after ${attempt} attempts; last answer: ${answer}`
        );
      }
      await ctx.clock.sleep(g.interval, ctx.signal);
    }
  } catch (err) {
    if (err instanceof HealthGateError) {
      const logs = await s.logsTail().catch(() => "");
      if (logs.trim() !== "") {
        ctx.log.info(`last log lines of ${s.label}:`);
        ctx.log.remote(s.label, "stdout", `${logs.trimEnd()}
`);
      }
    }
    throw err;
  } finally {
    await client?.close();
  }
}

// src/deploy/compose/exec.ts
import { posix } from "node:path";
var COMPOSE_TIMEOUT_MS = 10 * 6e4;
function composeExecOptions(site, compose, version, env = site.envOverrides ?? {}) {
  return {
    cwd: compose.directory,
    env: { ...site.target.env, ...env, [compose["version-env"]]: version },
    quiet: true,
    timeoutMs: COMPOSE_TIMEOUT_MS,
    signal: site.signal
  };
}
function composeProjectHint(compose) {
  return compose.project ?? posix.basename(compose.directory);
}

// src/deploy/compose/recreate.ts
function imageOfRelease(release, name, service) {
  const rec = release.services[name];
  return {
    version: release.version,
    image: rec?.image ?? `${service.image}:${release.version}`,
    imageId: rec?.imageId,
    repoDigests: rec?.repoDigests,
    ...release.env?.[name] ? { env: release.env[name] } : {}
  };
}
function execOptions(d, version, env) {
  return composeExecOptions(d, d.compose, version, env);
}
function runner(d, version, env) {
  return async (argv, what, quiet = true) => check(
    await d.target.transport.exec(argv, { ...execOptions(d, version, env), quiet }),
    `${what} on ${d.target.name}`
  );
}
async function containerIds(d, version) {
  const r = await runner(d, version)(composePs(d.compose, d.name), "compose ps");
  return r.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
async function digestsOf(d, id) {
  const r = await d.target.transport.exec(dockerImageDigestsArgv(id), execOptions(d, d.version));
  if (r.code !== 0) return void 0;
  try {
    const list = JSON.parse(r.stdout);
    return Array.isArray(list) ? list.map(String) : void 0;
  } catch {
    return void 0;
  }
}
async function runningImages(d, ids) {
  const run = runner(d, d.version);
  return Promise.all(ids.map(async (id) => (await run(dockerInspectImageIdArgv(id), "docker inspect")).stdout.trim()));
}
function subject(d, id, slot) {
  const run = runner(d, d.version);
  const port = d.service.health?.http?.port ?? d.service.port;
  return {
    label: `${d.target.name}/${d.name}#${slot}${port === void 0 ? "" : ` (port ${port})`}`,
    host: "127.0.0.1",
    port,
    state: async () => {
      const s = JSON.parse((await run(dockerInspectStateArgv(id), "docker inspect")).stdout);
      return { running: s.Running, exitCode: s.ExitCode, health: s.Health?.Status, startedAt: s.StartedAt };
    },
    // Both streams: a crash is often explained on stderr (`bind: Address already in use`).
    logsTail: async () => {
      const r = await d.target.transport.exec(dockerLogsArgv(id, 20), { quiet: true, env: d.target.env });
      return `${r.stdout}${r.stderr}`;
    }
  };
}
async function pullFor(d, version) {
  const setPull = d.compose.pull;
  if (setPull !== void 0 && d.service.pull === void 0) d.log.warn(composePullDeprecation(d.name, setPull));
  const pull = pullDecision(d.name, d.service, setPull);
  const image = `${d.service.image}:${version}`;
  const label = `${d.target.name}/${d.name}`;
  if (pull.policy === "always") {
    d.log.info(`${label}: compose pull ${image} (pull: always, ${pull.why})`);
    await runner(d, version)(composePull(d.compose, [d.name]), "compose pull", false);
    return;
  }
  if (pull.policy === "missing") return;
  const have = await d.target.transport.exec(dockerImageIdArgv(image), execOptions(d, version));
  if (have.code !== 0)
    throw new UserError(
      `${label}: image ${image} is not on the target and pull is never (${pull.why}): load or build it there first, or set services.${d.name}.pull: missing`
    );
}
async function up(d, version, fresh, env) {
  const run = runner(d, version, env);
  if (fresh) await pullFor(d, version);
  await run(
    composeUp(d.compose, [d.name], { forceRecreate: true, scale: { [d.name]: d.service.replicas } }),
    "compose up",
    false
  );
  return containerIds(d, version);
}
async function bringBack(d, rec) {
  const label = `${d.target.name}/${d.name}`;
  const run = runner(d, rec.version);
  const present = async (ref) => (await d.target.transport.exec(dockerImageIdArgv(ref), execOptions(d, rec.version))).code === 0;
  if (!rec.imageId) {
    d.log.warn(`${label}: no image id recorded for ${rec.version}; using the tag ${rec.image} as it is`);
  } else {
    for (const ref of await present(rec.imageId) ? [] : rec.repoDigests ?? []) {
      d.log.info(`${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; pulling ${ref}`);
      await run(dockerPullArgv(ref), "docker pull", false).catch((e) => d.log.warn(e.message));
      if (await present(rec.imageId)) break;
    }
    if (await present(rec.imageId)) {
      await run(dockerTagArgv(rec.imageId, rec.image), "docker tag");
      d.log.info(`${label}: ${rec.image} \u2192 ${rec.imageId.slice(0, 19)} (the image it ran)`);
    } else {
      d.log.warn(
        `${label}: image ${rec.imageId.slice(0, 19)} is gone from the target; using the tag ${rec.image} as it is`
      );
    }
  }
  return up(d, rec.version, false, rec.env ?? {});
}
async function runningNow(d) {
  const [id] = await containerIds(d, d.version).catch(() => []);
  if (!id) return void 0;
  const run = runner(d, d.version);
  const image = (await run(dockerInspectConfigImageArgv(id), "docker inspect")).stdout.trim();
  const [imageId] = await runningImages(d, [id]);
  const tag = image.lastIndexOf(":") > image.lastIndexOf("/") ? image.slice(image.lastIndexOf(":") + 1) : "";
  if (tag === "") return void 0;
  d.log.info(
    `${d.target.name}/${d.name}: taking over ${image} (${(imageId ?? "").slice(0, 19)}), which the journal does not know`
  );
  return { version: tag, image, imageId };
}
async function composeRecreate(d, rec) {
  const fallback = rec || d.previous ? void 0 : await runningNow(d);
  const ids = rec ? await bringBack(d, rec) : await up(d, d.version, true);
  if (ids.length === 0) throw new UserError(`${d.target.name}/${d.name}: compose started no container`);
  const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal: d.signal };
  try {
    if (d.service.health) await Promise.all(ids.map((id, i) => waitHealthy(ctx, d.service.health, subject(d, id, i))));
  } catch (err) {
    const previous = d.previous ?? fallback;
    if (previous) {
      d.log.warn(`${d.target.name}/${d.name}: bringing ${previous.version} back up`);
      await bringBack(d, previous).catch(
        (e) => d.log.warn(`could not restore ${previous.version}: ${e.message}`)
      );
    }
    throw err;
  }
  const [imageId] = await runningImages(d, ids.slice(0, 1));
  const repoDigests = imageId ? await digestsOf(d, imageId) : void 0;
  const port = d.service.port;
  if (d.proxy && port !== void 0) await d.proxy.set([{ address: `127.0.0.1:${port}` }], `${d.name} recreated`);
  return {
    replicas: ids.map((id) => ({ target: d.target.name, id, name: id.slice(0, 12), port })),
    imageId,
    repoDigests
  };
}

// src/deploy/service-site.ts
function serviceSite(session, services, target, name, deps, envOverrides) {
  const { config } = session;
  const configured = config.services?.[name];
  if (!configured) throw new Error(`service ${name} is not in the config`);
  const proxy = deps.maintenance ? void 0 : frontedProxy(config, services, name, target, deps.clock, deps.log);
  const { clock, log, signal } = deps;
  const overridden = envOverrides !== void 0 && Object.keys(envOverrides).length > 0;
  const service = overridden ? { ...configured, env: { ...configured.env ?? {}, ...envOverrides } } : configured;
  return {
    config,
    environment: session.environmentName,
    target,
    name,
    service,
    ...overridden ? { envOverrides } : {},
    proxy,
    clock,
    log,
    signal
  };
}
function frontedProxy(config, services, name, target, clock, log) {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx || (nginx.service ?? services[0]) !== name) return void 0;
  const seat = target.balancer;
  if (!seat) return new NginxUpstream(target.transport, nginx, clock, log, target.docker);
  const lb = new NginxUpstream(seat.target.transport, nginx, clock, log, seat.target.docker);
  return new HostShare(lb, seat.address, seat.lock, seat.hosts, seat);
}
function composeDeployOf(s, compose, version, previous) {
  return { ...s, compose, version, previous: previous && imageOfRelease(previous, s.name, s.service) };
}
function engineDeployOf(s, docker, release, image, secrets) {
  return { ...s, docker, release, image, secrets };
}

export {
  HealthGateError,
  waitHealthy,
  namesRegistryHost,
  pullDecision,
  composeExecOptions,
  composeProjectHint,
  containerIds,
  runningImages,
  composeRecreate,
  serviceSite,
  frontedProxy,
  composeDeployOf,
  engineDeployOf
};
