import {
  closest,
  show
} from "./chunk-KPGNJUSS.js";
import {
  array,
  number,
  string
} from "./chunk-WNIEMWDA.js";

// src/config/fields.ts
import { isIP } from "node:net";
function zMatching(re, expectation) {
  return string({ error: expectation }).regex(re, { error: expectation });
}
var RESERVED_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
function reservedKeyProblem(key) {
  if (!RESERVED_KEYS.has(key)) return void 0;
  return `${show(key)} cannot be used as a key (__proto__, constructor and prototype are reserved in JavaScript); rename it`;
}
function reservedKeyPaths(data, path = [], out = []) {
  if (out.length >= 100 || data === null || typeof data !== "object") return out;
  if (Array.isArray(data)) {
    for (const [i, item] of data.entries()) reservedKeyPaths(item, [...path, i], out);
    return out;
  }
  for (const key of Object.keys(data)) {
    if (RESERVED_KEYS.has(key)) out.push([...path, key]);
    else reservedKeyPaths(data[key], [...path, key], out);
  }
  return out;
}
var APP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
var ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
var TARGET_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;
var SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
var USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/i;
var ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;
var zAppName = zMatching(APP_NAME, 'expected lowercase letters, digits and "-" (at most 63, like "shop")');
var zEnvironmentName = zMatching(
  ENVIRONMENT_NAME,
  'expected letters, digits, "_" and "-" starting with a letter or digit (at most 63)'
);
var zTargetName = zMatching(
  TARGET_NAME,
  'expected letters, digits, ".", "_" and "-" starting with a letter or digit (at most 63)'
);
var zServiceName = zMatching(
  SERVICE_NAME,
  'expected lowercase letters, digits, "_" and "-" starting with a letter or digit (at most 63)'
);
var zUser = zMatching(USER_NAME, 'expected a user name like "deploy" (letters, digits, "_", ".", "-")');
var zEnvVarName = zMatching(
  ENV_VAR_NAME,
  'expected the NAME of an environment variable, like DB_PASSWORD (A-Z, 0-9, "_"), never the value itself'
);
var zPort = number({ error: "expected a port number from 1 to 65535" }).int({ error: "expected a port number from 1 to 65535" }).min(1, { error: "expected a port number from 1 to 65535" }).max(65535, { error: "expected a port number from 1 to 65535" });
function zInt(min, max = Number.MAX_SAFE_INTEGER) {
  const expectation = max === Number.MAX_SAFE_INTEGER ? `expected a whole number \u2265 ${min}` : `expected a whole number from ${min} to ${max}`;
  return number({ error: expectation }).int({ error: expectation }).min(min, { error: expectation }).max(max, { error: expectation });
}
var zFraction = number({ error: "expected a fraction from 0 to 1, like 0.01 for 1%" }).min(0, { error: "expected a fraction from 0 to 1, like 0.01 for 1%" }).max(1, { error: "expected a fraction from 0 to 1, like 0.01 for 1%" });
var HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
var HOST_HELP = 'expected a hostname or an IPv4/IPv6 address (no leading "-", no spaces or shell characters)';
function isHost(value) {
  if (value.length === 0 || value.length > 253) return false;
  if (isIP(value) !== 0) return true;
  const labels = value.split(".");
  if (!labels.every((label) => HOST_LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? "");
}
var zHost = string({ error: HOST_HELP }).refine(isHost, { error: HOST_HELP });
var NO_CONTROL = /^[^\p{Cc}]*$/u;
var zAbsPath = string({ error: "expected an absolute path like /var/lib/runbook" }).refine((p) => p.startsWith("/") && NO_CONTROL.test(p) && !p.split("/").includes(".."), {
  error: 'expected an absolute path like /var/lib/runbook (starting with "/", no ".." or control characters)'
});
var zFilePath = string({ error: "expected a file path" }).refine((p) => p.length > 0 && !p.startsWith("-") && NO_CONTROL.test(p), {
  error: 'expected a file path (not starting with "-", no control characters)'
});
var zArg = string({ error: "expected a string argument" }).refine((a) => NO_CONTROL.test(a), { error: "expected an argument without newlines or control characters" });
var zArgs = array(zArg, { error: "expected a list of arguments like [python, -m, workers]" }).min(1, {
  error: "expected at least one argument"
});
var zArgv = zArgs.refine((argv) => !(argv[0] ?? "").startsWith("-") && (argv[0] ?? "") !== "", {
  error: 'expected a command like [nginx, -t]: the first item is the program and cannot be empty or start with "-"'
});
var zones;
function isTimeZone(tz) {
  if (tz === "" || !NO_CONTROL.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
var zTimeZone = string({ error: "expected an IANA time zone like Europe/Berlin or UTC" }).superRefine((tz, ctx) => {
  if (isTimeZone(tz)) return;
  zones ??= Intl.supportedValuesOf("timeZone");
  const guess = closest(tz, zones);
  const hint = guess === void 0 ? "" : ` (did you mean ${JSON.stringify(guess)}?)`;
  ctx.addIssue({
    code: "custom",
    message: `unknown time zone ${show(tz)}${hint}: expected an IANA time zone like Europe/Berlin or UTC`
  });
});
var zClockTime = string({ error: 'expected a time like "09:00" (24-hour HH:MM, quoted)' }).regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'expected a time like "09:00" (24-hour HH:MM, quoted)' });
function clockMinutes(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
var DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?)?$/;
var DATE_HELP = "expected a date like 2026-12-20 or a local date-time like 2026-12-20T18:00 (the zone is set by tz)";
function isRealDate(y, m, d) {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
var zDateOrDateTime = string({ error: DATE_HELP }).refine(
  (s) => {
    const m = DATE_TIME.exec(s);
    return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  { error: DATE_HELP }
);
function dateKey(s, edge) {
  if (s.includes("T")) return s.length === 16 ? `${s}:00` : s;
  return `${s}T${edge === "start" ? "00:00:00" : "23:59:59"}`;
}
var zHttpUrl = string({ error: "expected an http(s) URL like https://shop.example.com" }).superRefine((s, ctx) => {
  let url;
  try {
    url = NO_CONTROL.test(s) && !/\s/.test(s) && /^https?:\/\//i.test(s) ? new URL(s) : void 0;
  } catch {
    url = void 0;
  }
  if (url === void 0 || url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({
      code: "custom",
      message: `got ${show(s)}, expected an http(s) URL like https://shop.example.com`
    });
  } else if (url.username !== "" || url.password !== "") {
    ctx.addIssue({
      code: "custom",
      message: "a URL must not contain credentials: pass secrets through environment variables"
    });
  }
});
function uniqueBy(items, key, what, ctx, field) {
  const seen = /* @__PURE__ */ new Map();
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === void 0) seen.set(k, index);
    else {
      ctx.addIssue({
        code: "custom",
        path: field === void 0 ? [index] : [index, field],
        message: `duplicate ${what} ${show(k)} (already used by item ${first})`
      });
    }
  });
}
function exactlyOne(value, keys, what, allowed, ctx) {
  const present = keys.filter((k) => value[k] !== void 0);
  if (present.length === 1) return;
  const got = present.length === 0 ? "none" : present.join(" and ");
  ctx.addIssue({
    code: "custom",
    message: `${what} needs exactly one of ${keys.join(", ")} (got ${got}); allowed keys: ${allowed.join(", ")}`
  });
}

export {
  zMatching,
  reservedKeyProblem,
  reservedKeyPaths,
  TARGET_NAME,
  zAppName,
  zEnvironmentName,
  zTargetName,
  zServiceName,
  zUser,
  zEnvVarName,
  zPort,
  zInt,
  zFraction,
  isHost,
  zHost,
  zAbsPath,
  zFilePath,
  zArgs,
  zArgv,
  zTimeZone,
  zClockTime,
  clockMinutes,
  zDateOrDateTime,
  dateKey,
  zHttpUrl,
  uniqueBy,
  exactlyOne
};
