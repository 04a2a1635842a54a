/**
 * The duration grammar of `runbook.yml` and the action inputs: `500ms`, `30s`, `5m`, `6h`, `1d`, combined largest
 * first (`1m30s`). A bare number is an error (seconds or milliseconds?). No zod here: inputs parse with it at start-up.
 */
import { ConfigError } from '../core/errors.js';
import { show } from './text.js';

const DURATION_UNITS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type DurationUnit = keyof typeof DURATION_UNITS;
const UNIT_ORDER: readonly DurationUnit[] = ['d', 'h', 'm', 's', 'ms'];
const MAX_DURATION_MS = 366 * DURATION_UNITS.d;

export const DURATION_HELP = 'expected a duration like 500ms, 30s, 5m, 6h or 1d (units combine largest first: 1m30s)';
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** Why `input` is not a duration, or undefined with the milliseconds. */
export function durationProblem(input: string): { ms?: number; problem?: string } {
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
    const unit = match[2] as DurationUnit;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return { problem: `units must go from largest to smallest, each once; ${DURATION_HELP}` };
    lastRank = rank;
    ms += Number(match[1]) * DURATION_UNITS[unit];
    pos = token.lastIndex;
  }
  if (pos === 0) return { problem: DURATION_HELP };
  if (!Number.isInteger(ms)) return { problem: 'a duration must be a whole number of milliseconds' };
  if (ms > MAX_DURATION_MS) return { problem: 'a duration must be at most 366d' };
  return { ms };
}

/** Parse `500ms`, `2s`, `15m`, `6h`, `1d` or combinations like `1m30s` into milliseconds. */
export function parseDuration(input: string): number {
  const { ms, problem } = durationProblem(input);
  if (ms === undefined) throw new ConfigError(`invalid duration ${show(input)}: ${problem ?? DURATION_HELP}`);
  return ms;
}
