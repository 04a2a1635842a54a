import {
  require_undici
} from "./chunk-C6LFNWKB.js";
import {
  systemElapsedMs
} from "./chunk-VA52T2SJ.js";
import {
  errorMessage
} from "./chunk-HCRHB4A5.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// src/http/client.ts
var import_undici = __toESM(require_undici(), 1);
import { isIP } from "node:net";
import { connect as tlsConnect } from "node:tls";
var DEFAULT_MAX_BODY_BYTES = 256 * 1024;
var MAX_REDIRECTS = 5;
var CONNECT_TIMEOUT_MS = 1e4;
function httpClient(o = {}) {
  const agent = agentFor(o);
  const elapsed = o.elapsedMs ?? systemElapsedMs;
  return {
    request: (url, r) => send(agent, elapsed, url, r),
    close: () => agent.close().catch(() => void 0)
  };
}
async function requestOnce(url, r) {
  const agent = agentFor({ ...r, keepAlive: false, connectTimeoutMs: r.connectTimeoutMs ?? r.timeoutMs });
  try {
    return await send(agent, r.elapsedMs ?? systemElapsedMs, url, r);
  } finally {
    agent.destroy().catch(() => void 0);
  }
}
function agentFor(o) {
  const timeout = o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const connect = o.via ? transportConnector(o.via, timeout) : { timeout };
  return new import_undici.Agent(
    o.keepAlive === false ? { pipelining: 0, connect } : { keepAliveTimeout: 1e4, connections: 8, connect }
  );
}
async function send(d, elapsed, url, r) {
  const started = elapsed();
  let next = { url, method: r.method ?? "GET", body: r.body };
  for (let hops = 0; ; hops++) {
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    try {
      const a = await exchange(d, next, r, signal);
      const redirect = a.location !== void 0 && a.status >= 300 && a.status < 400;
      if (r.followRedirects && redirect && hops < MAX_REDIRECTS) {
        next = { url: new URL(a.location, next.url).toString(), method: "GET", body: void 0 };
        continue;
      }
      return { ok: true, ...a, latencyMs: elapsed() - started };
    } catch (err) {
      const why = timeout.aborted ? `no complete answer within ${r.timeoutMs} ms` : errorMessage(err);
      return { ok: false, error: why, latencyMs: elapsed() - started };
    }
  }
}
async function exchange(d, hop, r, signal) {
  const u = new URL(hop.url);
  const res = await d.request({
    origin: u.origin,
    path: `${u.pathname}${u.search}`,
    method: hop.method,
    headers: r.headers,
    body: hop.body,
    signal,
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs
  });
  const max = r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const chunks = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of res.body) {
    const b = chunk;
    chunks.push(b);
    size += b.length;
    if (size > max) {
      truncated = true;
      res.body.destroy();
      break;
    }
  }
  const location = typeof res.headers.location === "string" ? res.headers.location : void 0;
  const body = Buffer.concat(chunks).subarray(0, max).toString("utf8");
  return { status: res.statusCode, headers: res.headers, body, truncated, location };
}
function transportConnector(transport, timeoutMs) {
  return (opts, callback) => {
    const https = opts.protocol === "https:";
    const host = opts.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(opts.port) || (https ? 443 : 80);
    let stream;
    let settled = false;
    const done = (err, socket) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (err || !socket) {
        stream?.destroy();
        callback(err ?? new Error("no socket"), null);
      } else callback(null, socket);
    };
    const timer = setTimeout(
      () => done(new Error(`${transport.name} could not connect to ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs
    );
    transport.connectTcp(host, port).then(
      (s) => {
        stream = s;
        if (settled) {
          s.destroy();
          return;
        }
        if (!https) {
          done(null, s);
          return;
        }
        const servername = opts.servername || (isIP(host) ? void 0 : host);
        const tls = tlsConnect({ socket: s, host, servername, ALPNProtocols: ["http/1.1"] });
        const fail = (e) => {
          tls.destroy();
          done(e);
        };
        tls.once("error", fail);
        tls.once("secureConnect", () => {
          tls.off("error", fail);
          done(null, tls);
        });
      },
      (e) => done(e)
    );
  };
}

// src/http/expect.ts
function valuesAt(doc, path) {
  let current = [doc];
  for (const key of path.split(".")) {
    const next = [];
    for (const v of current) {
      if (v === null || typeof v !== "object") continue;
      if (key === "*") next.push(...Object.values(v));
      else if (Object.hasOwn(v, key)) next.push(v[key]);
    }
    current = next;
  }
  return current;
}
function unmet(e, status, body) {
  const problems = [];
  const statuses = e?.status === void 0 ? [200] : Array.isArray(e.status) ? e.status : [e.status];
  if (!statuses.includes(status)) problems.push(`status ${status}, expected ${statuses.join(" or ")}`);
  if (e?.json) {
    let doc;
    try {
      doc = JSON.parse(body);
    } catch {
      return [...problems, "body is not JSON"];
    }
    for (const [path, want] of Object.entries(e.json)) {
      const got = valuesAt(doc, path);
      if (typeof want === "object" && !Array.isArray(want)) {
        if (want.exists && got.length === 0) problems.push(`${path} is missing`);
        if (!want.exists && got.length > 0)
          problems.push(`${path} is present (${JSON.stringify(got[0])}), expected none`);
        continue;
      }
      const allowed = Array.isArray(want) ? want : [want];
      if (got.length === 0) problems.push(`${path} is missing`);
      const bad = got.filter((g) => !allowed.some((a) => a === g));
      if (bad.length > 0)
        problems.push(
          `${path} is ${JSON.stringify(bad[0])}, expected ${allowed.map((a) => JSON.stringify(a)).join(" or ")}`
        );
    }
  }
  return problems;
}

export {
  DEFAULT_MAX_BODY_BYTES,
  httpClient,
  requestOnce,
  unmet
};
