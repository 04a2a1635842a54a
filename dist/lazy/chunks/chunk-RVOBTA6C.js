import {
  ACCESS_LOG_PREFIX
} from "./chunk-BF2RMSMW.js";
import {
  sizeArgv,
  tailFromArgv
} from "./chunk-CSTC25GN.js";
import {
  failureText
} from "./chunk-62JVSY2V.js";

// src/canary/access-log.ts
var LINE = new RegExp(
  `^${ACCESS_LOG_PREFIX} (\\d+(?:\\.\\d+)?) (\\d{3}) (\\d+(?:\\.\\d+)?) "([^"]*)" "([^"]*)" "([^"]*)"$`
);
var ATTEMPT_SEPARATOR = /, | : /;
var listOf = (field) => field.split(ATTEMPT_SEPARATOR).map((s) => s.trim());
var secondsOf = (s) => /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : void 0;
function parseAccessLine(line) {
  const m = LINE.exec(line.trimEnd());
  if (!m) return void 0;
  const [, msec, status, requestTime, addrs, statuses, times] = m;
  const seconds = Number(requestTime);
  const entry = { atMs: Math.round(Number(msec) * 1e3), status: Number(status), seconds };
  if (addrs === "-" || addrs === "") return { ...entry, attempts: [] };
  const a = listOf(addrs);
  const s = listOf(statuses);
  const t = listOf(times);
  if (s.length !== a.length || t.length !== a.length) return void 0;
  const attempts = [];
  for (let i = 0; i < a.length; i++) {
    const st = s[i];
    if (st !== "-" && !/^\d{3}$/.test(st)) return void 0;
    const code = st === "-" ? void 0 : Number(st);
    attempts.push({
      address: a[i],
      status: code,
      seconds: secondsOf(t[i]) ?? seconds,
      error: code === void 0 || code >= 500
    });
  }
  return { ...entry, attempts };
}
function parseAccessLog(text) {
  const entries = [];
  let foreign = 0;
  let firstForeign;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const e = parseAccessLine(line);
    if (e) entries.push(e);
    else {
      foreign++;
      firstForeign ??= line.trimEnd();
    }
  }
  return firstForeign === void 0 ? { entries, foreign } : { entries, foreign, firstForeign };
}
async function accessLogSize(t, path) {
  const r = await t.exec(sizeArgv(path), { quiet: true });
  if (r.code === 0 && /^\d+\s*$/.test(r.stdout)) return Number(r.stdout.trim());
  if (/no such file/i.test(r.stderr)) return void 0;
  throw new Error(`cannot read the size of ${path} on ${t.name}: ${failureText(r)}`);
}
async function readAccessLogSince(t, path, offset) {
  const size = await accessLogSize(t, path);
  if (size === void 0) return { text: "", size: 0, rotated: offset > 0 };
  const rotated = size < offset;
  const from = rotated ? 0 : offset;
  if (size === from) return { text: "", size: from, rotated };
  const r = await t.exec(tailFromArgv(path, from), { quiet: true });
  if (r.code !== 0) throw new Error(`cannot read ${path} on ${t.name}: ${failureText(r)}`);
  const text = r.stdout.slice(0, r.stdout.lastIndexOf("\n") + 1);
  return { text, size: from + Buffer.byteLength(text), rotated };
}

export {
  parseAccessLine,
  parseAccessLog,
  accessLogSize,
  readAccessLogSince
};
