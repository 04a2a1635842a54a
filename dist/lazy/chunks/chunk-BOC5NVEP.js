import {
  show
} from "./chunk-KPGNJUSS.js";
import {
  NEVER,
  number,
  string
} from "./chunk-WNIEMWDA.js";

// src/config/duration.ts
var DURATION_UNITS = { d: 864e5, h: 36e5, m: 6e4, s: 1e3, ms: 1 };
var UNIT_ORDER = ["d", "h", "m", "s", "ms"];
var MAX_DURATION_MS = 366 * DURATION_UNITS.d;
var DURATION_HELP = "expected a duration like 500ms, 30s, 5m, 6h or 1d (units combine largest first: 1m30s)";
var BARE_NUMBER = /^\d+(?:\.\d+)?$/;
function durationProblem(input) {
  if (BARE_NUMBER.test(input))
    return { problem: `expected a duration with a unit, like "${input}s" (ms, s, m, h or d)` };
  const token = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
  let ms = 0;
  let pos = 0;
  let lastRank = -1;
  while (pos < input.length) {
    token.lastIndex = pos;
    const match = token.exec(input);
    if (match === null) return { problem: DURATION_HELP };
    const unit = match[2];
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return { problem: `units must go from largest to smallest, each once; ${DURATION_HELP}` };
    lastRank = rank;
    ms += Number(match[1]) * DURATION_UNITS[unit];
    pos = token.lastIndex;
  }
  if (pos === 0) return { problem: DURATION_HELP };
  if (!Number.isInteger(ms)) return { problem: "a duration must be a whole number of milliseconds" };
  if (ms > MAX_DURATION_MS) return { problem: "a duration must be at most 366d" };
  return { ms };
}

// src/config/units.ts
var SIZE_HELP = "expected a size like 512MiB, 10GB or 100k (B; k, M, G, T = powers of 1000; KiB, MiB, GiB, TiB = powers of 1024)";
var PERCENT_HELP = "expected a percentage from 0% to 100%, like 20%";
var RATE_HELP = "expected a rate like 20/s or 600/m";
var MIN_RATE_PER_S = 1 / 60;
var MAX_RATE_PER_S = 1e3;
var MAX_SIZE_BYTES = 2 ** 50;
var SIZE_TOO_LARGE = "expected a size of at most 1024TiB";
var BARE_NUMBER2 = /^\d+(?:\.\d+)?$/;
var SIZE_UNITS = {
  B: 1,
  k: 1e3,
  K: 1e3,
  kB: 1e3,
  KB: 1e3,
  M: 1e6,
  MB: 1e6,
  G: 1e9,
  GB: 1e9,
  T: 1e12,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40
};
function sizeProblem(input) {
  if (BARE_NUMBER2.test(input))
    return { problem: `expected a size with a unit, like "${input}MiB" (B, k, M, G, T, KiB, MiB, GiB or TiB)` };
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(input);
  const factor = match?.[2] === void 0 ? void 0 : SIZE_UNITS[match[2]];
  if (match === null || factor === void 0) return { problem: SIZE_HELP };
  const bytes = Math.floor(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_SIZE_BYTES) return { problem: SIZE_TOO_LARGE };
  return { bytes };
}
function percentProblem(input) {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(input);
  if (match === null) return { problem: PERCENT_HELP };
  const percent = Number(match[1]);
  if (percent > 100) return { problem: PERCENT_HELP };
  return { percent };
}
function rateProblem(input) {
  const match = /^(\d+(?:\.\d+)?)\/(s|m)$/.exec(input);
  if (match === null) return { problem: RATE_HELP };
  const count = Number(match[1]);
  const perSecond = match[2] === "s" ? count : count / 60;
  if (perSecond < MIN_RATE_PER_S || perSecond > MAX_RATE_PER_S)
    return { problem: "expected a rate from 1/m to 1000/s, like 20/s or 600/m" };
  return { perSecond };
}
function unitSchema(help, check) {
  const typeError = (issue) => typeof issue.input === "number" ? check(String(issue.input)).problem ?? help : help;
  return string({ error: typeError }).transform((input, ctx) => {
    const { value, problem } = check(input);
    if (value !== void 0) return value;
    ctx.addIssue({ code: "custom", message: `got ${show(input)}, ${problem ?? help}` });
    return NEVER;
  });
}
var zDuration = unitSchema(DURATION_HELP, (s) => {
  const r = durationProblem(s);
  return { value: r.ms, problem: r.problem };
});
function durationText(ms) {
  if (ms === 0) return "0s";
  const units = [
    ["d", 864e5],
    ["h", 36e5],
    ["m", 6e4],
    ["s", 1e3],
    ["ms", 1]
  ];
  let rest = ms;
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
function zDurationIn(minMs, maxMs) {
  const allowed = `expected a duration from ${durationText(minMs)} to ${durationText(maxMs)}`;
  return zDuration.pipe(number().refine((ms) => ms >= minMs && ms <= maxMs, { error: allowed }));
}
var zSize = unitSchema(SIZE_HELP, (s) => {
  const r = sizeProblem(s);
  return { value: r.bytes, problem: r.problem };
});
var zRate = unitSchema(RATE_HELP, (s) => {
  const r = rateProblem(s);
  return { value: r.perSecond, problem: r.problem };
});
var DISK_HELP = "expected a percentage like 20% or a size like 5GiB";
var zDiskThreshold = string({ error: DISK_HELP }).transform((input, ctx) => {
  if (input.endsWith("%")) {
    const r2 = percentProblem(input);
    if (r2.percent !== void 0) return { kind: "percent", percent: r2.percent };
    ctx.addIssue({ code: "custom", message: `got ${show(input)}, ${r2.problem ?? PERCENT_HELP}` });
    return NEVER;
  }
  const r = sizeProblem(input);
  if (r.bytes !== void 0) return { kind: "bytes", bytes: r.bytes };
  ctx.addIssue({
    code: "custom",
    message: `got ${show(input)}, ${r.problem === SIZE_TOO_LARGE ? r.problem : DISK_HELP}`
  });
  return NEVER;
});
function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1e3));
  const d = Math.floor(s / 86400);
  const h = Math.floor(s % 86400 / 3600);
  const m = Math.floor(s % 3600 / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m` : `${s}s`;
}

export {
  durationProblem,
  durationText,
  zDurationIn,
  zSize,
  zRate,
  zDiskThreshold,
  formatDuration
};
