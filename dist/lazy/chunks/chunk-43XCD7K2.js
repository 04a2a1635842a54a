import {
  TARGET_NAME,
  reservedKeyPaths,
  reservedKeyProblem,
  uniqueBy,
  zFilePath,
  zFraction,
  zInt,
  zMatching,
  zPort
} from "./chunk-7DXSFZAX.js";
import {
  durationText,
  zDurationIn,
  zRate
} from "./chunk-PRVHMAC4.js";
import {
  require_dist
} from "./chunk-YGCRCGPR.js";
import {
  _enum,
  array,
  boolean,
  literal,
  number,
  record,
  strictObject,
  string,
  union
} from "./chunk-NDZR3XTD.js";
import {
  show
} from "./chunk-KPGNJUSS.js";
import {
  NEVER
} from "./chunk-PDEXDIYD.js";
import {
  __toESM
} from "./chunk-SEWDMQ6Q.js";

// src/config/schema-smoke.ts
var import_yaml = __toESM(require_dist(), 1);

// src/config/schema-health.ts
var STATUS_HELP = "expected an HTTP status code from 100 to 599";
var zStatusCode = number({ error: STATUS_HELP }).int({ error: STATUS_HELP }).min(100, { error: STATUS_HELP }).max(599, { error: STATUS_HELP });
var JSON_SCALAR_HELP = "expected a string, number or true/false";
var zJsonScalar = union([string(), number(), boolean()], { error: JSON_SCALAR_HELP });
var zJsonPath = string().min(1, { error: "expected a JSON path like status or checks.db" });
var HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
var CLIENT_HEADERS = {
  connection: "a hop-by-hop header the client manages",
  "keep-alive": "a hop-by-hop header the client manages",
  "proxy-connection": "a hop-by-hop header the client manages",
  te: "a hop-by-hop header the client manages",
  trailer: "a hop-by-hop header the client manages",
  upgrade: "a hop-by-hop header the client manages",
  "transfer-encoding": "set by the client (it frames the request)",
  "content-length": "set by the client (it frames the request)",
  expect: "not supported in a health probe (the client sends no body)"
};
var HEADER_VALUE_HELP = "expected a header value: text on one line, without control characters";
var zProbeHeaders = record(
  string(),
  string({ error: HEADER_VALUE_HELP }).regex(/^(?:[^\p{Cc}]|\t)*$/u, { error: HEADER_VALUE_HELP }),
  { error: "expected a mapping of header name to value, like { Host: api.example.com }" }
).superRefine((headers, ctx) => {
  const seen = /* @__PURE__ */ new Map();
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: `${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+-.^_\`|~: an RFC 9110 token)`
      });
    } else if (CLIENT_HEADERS[lower]) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} is ${CLIENT_HEADERS[lower]}; remove it` });
    } else if (seen.has(lower)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} is given twice (also as ${seen.get(lower)})` });
    }
    seen.set(lower, name);
  }
});
var healthTlsSchema = strictObject({
  /** A PEM file on the runner (relative to the step's working directory) with the CA(s) to trust instead. */
  "ca-file": zFilePath.optional(),
  /** true: accept any certificate (no verification at all). */
  "insecure-skip-verify": boolean({ error: "expected true or false" }).default(false)
}).superRefine((t, ctx) => {
  if (t["ca-file"] !== void 0 && t["insecure-skip-verify"]) {
    ctx.addIssue({
      code: "custom",
      path: ["insecure-skip-verify"],
      message: "give either ca-file (verify against that CA) or insecure-skip-verify: true (verify nothing), not both"
    });
  }
});
var httpHealthSchema = strictObject({
  path: zMatching(/^\/[^\s\p{Cc}]*$/u, 'expected a URL path starting with "/", like /health'),
  /**
   * Container port to probe. Defaults to the service's `port`; when neither is set (as for `web` in the sketch) the
   * deployer has to find the port itself, e.g. the image's single exposed port, or fail.
   */
  port: zPort.optional(),
  /** `https`: the probe speaks TLS (verified unless `tls` says otherwise). */
  scheme: _enum(["http", "https"], { error: "expected http or https" }).default("http"),
  /** Request headers of the probe, e.g. the Host an app checks (its name is also the TLS server name). */
  headers: zProbeHeaders.optional(),
  tls: healthTlsSchema.optional(),
  expect: strictObject({
    status: union([zStatusCode, array(zStatusCode).min(1)], { error: `${STATUS_HELP}, or a list of them` }).optional(),
    json: record(zJsonPath, zJsonScalar, { error: "expected a mapping like { status: ready }" }).optional()
  }).optional()
}).superRefine((h, ctx) => {
  if (h.tls !== void 0 && h.scheme !== "https") {
    ctx.addIssue({ code: "custom", path: ["tls"], message: "tls applies to scheme: https; set scheme: https" });
  }
});
var healthSchema = strictObject({
  http: httpHealthSchema.optional(),
  /** Use the image's own HEALTHCHECK. */
  container: literal(true, { error: "expected true (use the image's HEALTHCHECK); remove the key otherwise" }).optional(),
  interval: zDurationIn(100, 5 * 6e4).default(2e3),
  timeout: zDurationIn(100, 5 * 6e4).default(3e3),
  deadline: zDurationIn(1e3, 36e5).default(12e4),
  /** After the first healthy answer, it must stay healthy (and running) this long before traffic moves. */
  stable: zDurationIn(0, 36e5).default(5e3)
}).superRefine((h, ctx) => {
  if (h.http === void 0 === (h.container === void 0)) {
    const got = h.http === void 0 ? "none" : "both";
    ctx.addIssue({ code: "custom", message: `health needs exactly one of http, container (got ${got})` });
  }
  if (h.timeout > h.deadline)
    ctx.addIssue({ code: "custom", path: ["timeout"], message: "timeout must not exceed deadline" });
  if (h.interval > h.deadline)
    ctx.addIssue({ code: "custom", path: ["interval"], message: "interval must not exceed deadline" });
});

// src/config/schema-smoke.ts
var SMOKE_REQUEST_TIMEOUT_MS = 1e4;
var MAX_SAMPLE_MS = 36e5;
var URL_HELP = 'expected an absolute http(s) URL or a path starting with "/" (relative to the environment url)';
var zSmokeUrl = string({ error: URL_HELP }).superRefine((s, ctx) => {
  if (/[\s\p{Cc}]/u.test(s)) {
    ctx.addIssue({ code: "custom", message: `got ${show(s)}, ${URL_HELP} without spaces or control characters` });
    return;
  }
  if (s.startsWith("/") && !s.startsWith("//")) return;
  try {
    const url = new URL(s);
    if (url.protocol === "http:" || url.protocol === "https:") {
      if (url.username === "" && url.password === "") return;
      ctx.addIssue({ code: "custom", message: `a URL must not contain credentials: use headers with \${env.NAME}` });
      return;
    }
  } catch {
  }
  ctx.addIssue({ code: "custom", message: `got ${show(s)}, ${URL_HELP}` });
});
var HEADER_VALUE_HELP2 = `expected a header value on one line; it may reference secrets as \${env.NAME}`;
var zHeaderValue = string({ error: HEADER_VALUE_HELP2 }).superRefine((v, ctx) => {
  if (/[\r\n\0]/.test(v)) {
    ctx.addIssue({ code: "custom", message: HEADER_VALUE_HELP2 });
    return;
  }
  for (const ref of v.matchAll(/\$\{([^}]*)\}?/g)) {
    if (!/^env\.[A-Z_][A-Z0-9_]*$/.test(ref[1] ?? "") || !ref[0].endsWith("}")) {
      ctx.addIssue({
        code: "custom",
        message: `unsupported reference ${show(ref[0])}: only \${env.NAME} is allowed (NAME in A-Z, 0-9, _)`
      });
    }
  }
});
function envReferences(value) {
  return [...value.matchAll(/\$\{env\.([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1] ?? "");
}
var zStatusClassOrRange = zMatching(
  /^([1-5]xx|[1-5]\d\d-[1-5]\d\d)$/,
  'expected a status class like "2xx" or a range like "200-399"'
).refine((r) => !r.includes("-") || Number(r.slice(0, 3)) <= Number(r.slice(4)), {
  error: 'expected a range whose first status is the lower, like "200-399"'
});
var zHttpStatusExpectation = union([zStatusCode, array(zStatusCode).min(1), zStatusClassOrRange], {
  error: 'expected an HTTP status like 200, a list like [200, 204], a class like "2xx" or a range like "200-399"'
});
var zExists = strictObject({ exists: boolean({ error: "expected true or false" }) });
var zSmokeVia = zMatching(
  TARGET_NAME,
  `expected runner, target or the name of one of the environment's targets (letters, digits, ".", "_" and "-")`
);
var smokeCheckSchema = strictObject({
  name: zMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'expected a short name (letters, digits, " ", "_", ".", "-")'),
  method: _enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
  url: zSmokeUrl,
  headers: record(zMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "expected an HTTP header name"), zHeaderValue, {
    error: "expected a mapping of header names to values"
  }).optional(),
  body: string({ error: "expected the request body as a string" }).optional(),
  expect: strictObject({
    status: zHttpStatusExpectation.optional(),
    json: record(
      zJsonPath,
      union([zJsonScalar, array(zJsonScalar), zExists], {
        error: "expected a value, a list of values, or { exists: true | false }"
      }),
      {
        error: "expected a mapping like { status: ready }"
      }
    ).optional(),
    regex: string({ error: "expected a regular expression" }).refine(
      (r) => {
        try {
          new RegExp(r, "u");
          return true;
        } catch {
          return false;
        }
      },
      { error: "expected a valid regular expression" }
    ).optional(),
    "max-latency": zDurationIn(1, SMOKE_REQUEST_TIMEOUT_MS).optional()
  }).optional(),
  "follow-redirects": boolean({ error: "expected true or false" }).default(false),
  /** Open the connection from the runner (default) or through a target's transport (SSH: direct-tcpip). */
  via: zSmokeVia.default("runner")
});
var sampleSchema = strictObject({
  requests: zInt(1, 1e5),
  /** Requests per second (`20/s` → 20). */
  rate: zRate,
  p95: zDurationIn(1, SMOKE_REQUEST_TIMEOUT_MS).optional(),
  /** Failed requests allowed, as a fraction of all (default 0: any failure fails the sample). */
  "error-rate": zFraction.optional(),
  "min-samples": zInt(1, 1e5).optional()
}).superRefine((s, ctx) => {
  const seconds = s.requests / s.rate;
  if (seconds * 1e3 > MAX_SAMPLE_MS) {
    ctx.addIssue({
      code: "custom",
      path: ["requests"],
      message: `${s.requests} requests at ${+s.rate.toFixed(3)}/s take ${durationText(Math.round(seconds * 1e3))}; a sample must finish within ${durationText(MAX_SAMPLE_MS)} (fewer requests or a higher rate)`
    });
  }
  if (s["min-samples"] !== void 0 && s["min-samples"] > s.requests) {
    ctx.addIssue({
      code: "custom",
      path: ["min-samples"],
      message: `min-samples (${s["min-samples"]}) exceeds requests (${s.requests})`
    });
  }
});
var smokeSchema = strictObject({
  checks: array(smokeCheckSchema, { error: "expected a list of checks like [{ name: ready, url: /health }]" }).min(1, { error: "expected at least one check" }).superRefine((checks, ctx) => uniqueBy(checks, (c) => c.name, "check name", ctx, "name")),
  sample: sampleSchema.optional(),
  /** Retry failing checks for this long (absent: one round; the smoke-test `wait` input overrides it). */
  wait: zDurationIn(0, 36e5).optional()
});
var zChecksInput = string().transform((text, ctx) => {
  let doc;
  try {
    doc = (0, import_yaml.parse)(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `not a YAML list: ${err.message.split("\n")[0]}` });
    return NEVER;
  }
  const reserved = reservedKeyPaths(doc);
  for (const path of reserved) {
    const at = path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("");
    ctx.addIssue({ code: "custom", message: `checks${at}: ${reservedKeyProblem(String(path[path.length - 1]))}` });
  }
  if (reserved.length > 0) return NEVER;
  const r = smokeSchema.shape.checks.safeParse(doc);
  if (r.success) return r.data;
  for (const i of r.error.issues) {
    const at = i.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("");
    ctx.addIssue({ code: "custom", message: `checks${at}: ${i.message}` });
  }
  return NEVER;
});

export {
  healthSchema,
  SMOKE_REQUEST_TIMEOUT_MS,
  envReferences,
  smokeSchema,
  zChecksInput
};
