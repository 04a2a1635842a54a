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

export {
  DURATION_HELP,
  durationProblem
};
