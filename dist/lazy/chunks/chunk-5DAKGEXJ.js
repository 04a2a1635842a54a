import {
  require_undici
} from "./chunk-C6LFNWKB.js";
import {
  systemElapsedMs
} from "./chunk-VA52T2SJ.js";
import {
  errorMessage
} from "./chunk-O2HJWNJA.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// src/http/client.ts
var import_undici2 = __toESM(require_undici(), 1);

// src/http/connector.ts
var import_undici = __toESM(require_undici(), 1);
import { isIP, Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
function connectorFor(o) {
  if (o.via) return transportConnector(o.via, o.timeoutMs, o.tls ?? {});
  return (0, import_undici.buildConnector)({ timeout: o.timeoutMs, ...tlsOf(o.tls ?? {}) });
}
function tlsOf(t) {
  return {
    ...t.ca === void 0 ? {} : { ca: t.ca },
    ...t.rejectUnauthorized === void 0 ? {} : { rejectUnauthorized: t.rejectUnauthorized }
  };
}
function serverNameOf(hostHeader) {
  if (hostHeader === void 0) return void 0;
  const name = hostHeader.trim().replace(/:\d*$/, "");
  if (name === "" || name.startsWith("[") || isIP(name) !== 0) return void 0;
  return name;
}
function transportConnector(transport, timeoutMs, t) {
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
          done(null, keepDestroyError(s));
          return;
        }
        const servername = opts.servername || (isIP(host) ? void 0 : host);
        const tls = tlsConnect({ socket: s, host, servername, ALPNProtocols: ["http/1.1"], ...tlsOf(t) });
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
function keepDestroyError(s) {
  if (s instanceof Socket) return s;
  const destroy = s.destroy.bind(s);
  let reported = false;
  s.destroy = ((err) => {
    if (err && !reported) {
      reported = true;
      process.nextTick(() => s.emit("error", err));
    }
    destroy(err);
    return s;
  });
  return s;
}

// src/http/failure.ts
var CERT_CODES = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the certificate chain ends in an untrusted self-signed CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate is not signed by a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate issuer is not a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate issuer is not a trusted CA",
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate is not for this name"
};
function rootOf(err) {
  let e = err ?? {};
  for (let i = 0; i < 5 && typeof e.code !== "string" && e.cause && typeof e.cause === "object"; i++) {
    e = e.cause;
  }
  return e;
}
function opensslReason(message) {
  return /:error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/.exec(message)?.[1] ?? message.trim();
}
function tlsCause(code, raw) {
  const message = opensslReason(raw);
  const meaning = CERT_CODES[code];
  if (meaning) return `TLS: ${meaning} (${code}: ${message})`;
  if (/^ERR_(SSL|TLS)_/.test(code) || code === "EPROTO" || /\b(SSL|TLS)\b|certificate/i.test(message)) {
    const hint = /wrong version number|packet length too long|http request/i.test(message) ? "; the port does not speak TLS (plain http?)" : "";
    return `TLS: ${message}${code ? ` (${code})` : ""}${hint}`;
  }
  return void 0;
}
function describeFailure(err, where) {
  const e = rootOf(err);
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : errorMessage(err);
  const tls = tlsCause(code, message);
  if (tls) return tls;
  const channel = /Channel open failure: (.*)$/.exec(message);
  if (channel) {
    const via = message.split(" could not open a connection")[0];
    const said = channel[1] ?? "";
    const hint = /refused/i.test(said) ? " (nothing listens there)" : /^open failed$/i.test(said) ? " (the SSH server refused to forward: AllowTcpForwarding or PermitOpen?)" : "";
    return `the target${via && via !== message ? ` (${via})` : ""} could not connect to ${where}: ${said}${hint}`;
  }
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused by ${where} (nothing listens there)`;
    case "ECONNRESET":
      return message === "socket hang up" ? `${where} closed the connection without answering` : `connection reset by ${where} (ECONNRESET)`;
    case "EPIPE":
      return `${where} closed the connection while the request was sent (EPIPE)`;
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return `no connection to ${where} in time (${message})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} is unreachable (${code})`;
    case "UND_ERR_SOCKET": {
      const read = e.socket?.bytesRead ?? 0;
      return read > 0 ? `${where} closed the connection in the middle of its answer (${message})` : `${where} closed the connection without answering (${message})`;
    }
    default:
      break;
  }
  if (e.name === "HTTPParserError" || code.startsWith("HPE_")) {
    const reason = /\((.*)\)$/.exec(message)?.[1] ?? (typeof e.reason === "string" ? e.reason : message);
    return `the answer from ${where} is not valid HTTP/1.x: ${reason}`;
  }
  if (/^(socket hang up|other side closed|closed)$/i.test(message))
    return `${where} closed the connection (${message})`;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

// src/http/lenient.ts
import { request as httpRequest } from "node:http";
function hostHeaderOf(headers) {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === "host") return v;
  return void 0;
}
function lenientExchange(connect, hop, maxBodyBytes, signal) {
  const u = new URL(hop.url);
  const hostname = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const servername = serverNameOf(hostHeaderOf(hop.headers));
  return new Promise((resolve, reject) => {
    let socket;
    const req = httpRequest({
      method: hop.method,
      host: hostname,
      port: u.port,
      path: `${u.pathname}${u.search}`,
      headers: { ...hop.headers, connection: "close" },
      insecureHTTPParser: true,
      createConnection: ((_, oncreate) => {
        connect(
          { protocol: u.protocol, hostname, host: u.host, port: u.port, servername: servername ?? null },
          (err, s) => {
            socket = s ?? void 0;
            if (err || !s) oncreate(err ?? new Error("no socket"));
            else oncreate(null, s);
          }
        );
        return void 0;
      })
    });
    const abort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    let settled = false;
    const finish = (err, answer) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", abort);
      req.destroy();
      socket?.destroy();
      if (err) reject(err);
      else resolve(answer);
    };
    req.once("error", (err) => finish(err));
    req.once("response", (res) => {
      const chunks = [];
      let size = 0;
      let truncated = false;
      const done = () => {
        const location = typeof res.headers.location === "string" ? res.headers.location : void 0;
        const body = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString("utf8");
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body, truncated, location });
      };
      res.on("data", (b) => {
        chunks.push(b);
        size += b.length;
        if (size > maxBodyBytes && !truncated) {
          truncated = true;
          done();
        }
      });
      res.once("end", () => {
        if (!truncated) done();
      });
      res.once("error", (err) => finish(err));
    });
    req.end(hop.body);
  });
}

// src/http/client.ts
var DEFAULT_MAX_BODY_BYTES = 256 * 1024;
var MAX_REDIRECTS = 5;
var CONNECT_TIMEOUT_MS = 1e4;
var CLOSE_GRACE_MS = 1e3;
async function closeAgent(agent) {
  let timer;
  const grace = new Promise((resolve) => {
    timer = setTimeout(resolve, CLOSE_GRACE_MS);
  });
  await Promise.race([agent.close().catch(() => void 0), grace]);
  clearTimeout(timer);
  await agent.destroy().catch(() => void 0);
}
var RESENDABLE = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
function httpClient(o = {}) {
  const c = connFor(o);
  const elapsed = o.elapsedMs ?? systemElapsedMs;
  return {
    request: (url, r) => send(c, elapsed, url, r),
    close: () => closeAgent(c.agent)
  };
}
async function requestOnce(url, r) {
  const c = connFor({ ...r, keepAlive: false, connectTimeoutMs: r.connectTimeoutMs ?? r.timeoutMs });
  try {
    return await send(c, r.elapsedMs ?? systemElapsedMs, url, r);
  } finally {
    c.agent.destroy().catch(() => void 0);
  }
}
function connFor(o) {
  const connect = connectorFor({ via: o.via, timeoutMs: o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, tls: o.tls });
  const c = connect;
  const agent = new import_undici2.Agent(
    o.keepAlive === false ? { pipelining: 0, connect: c } : { keepAliveTimeout: 1e4, connections: 8, connect: c }
  );
  return { agent, connect, lenient: /* @__PURE__ */ new Set() };
}
function whereOf(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`;
  } catch {
    return url;
  }
}
async function send(c, elapsed, url, r) {
  const started = elapsed();
  let next = { url, method: r.method ?? "GET", body: r.body, headers: r.headers };
  for (let hops = 0; ; hops++) {
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    try {
      const a = await exchange(c, next, r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, r.timeoutMs, signal);
      const redirect = a.location !== void 0 && a.status >= 300 && a.status < 400;
      if (r.followRedirects && redirect && hops < MAX_REDIRECTS) {
        next = { url: new URL(a.location, next.url).toString(), method: "GET", headers: r.headers };
        continue;
      }
      return { ok: true, ...a, latencyMs: elapsed() - started };
    } catch (err) {
      const why = timeout.aborted ? `no complete answer within ${r.timeoutMs} ms` : err instanceof NotResent ? `${describeFailure(err.cause, whereOf(next.url))}; not read leniently, as a ${err.method} is never sent twice` : describeFailure(err, whereOf(next.url));
      return { ok: false, error: why, latencyMs: elapsed() - started };
    }
  }
}
var NotResent = class extends Error {
  constructor(cause, method) {
    super("not resent");
    this.cause = cause;
    this.method = method;
  }
  cause;
  method;
};
async function exchange(c, hop, maxBody, timeoutMs, signal) {
  const origin = new URL(hop.url).origin;
  if (c.lenient.has(origin)) return lenientExchange(c.connect, hop, maxBody, signal);
  try {
    return await strictExchange(c.agent, hop, maxBody, timeoutMs, signal);
  } catch (err) {
    if (!(err instanceof import_undici2.errors.HTTPParserError) || signal.aborted) throw err;
    if (!RESENDABLE.has(hop.method.toUpperCase())) throw new NotResent(err, hop.method);
    const a = await lenientExchange(c.connect, hop, maxBody, signal);
    c.lenient.add(origin);
    return a;
  }
}
async function strictExchange(d, hop, max, timeoutMs, signal) {
  const u = new URL(hop.url);
  const res = await d.request({
    origin: u.origin,
    path: `${u.pathname}${u.search}`,
    method: hop.method,
    headers: hop.headers,
    body: hop.body,
    signal,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs
  });
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

export {
  describeFailure,
  DEFAULT_MAX_BODY_BYTES,
  httpClient,
  requestOnce
};
