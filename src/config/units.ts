/**
 * Strict parsers for the units used in `runbook.yml`: durations, sizes, percentages and request rates. A bare
 * number is always an error (is `30` seconds or milliseconds?), and every error says what is allowed.
 */
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';
import { DURATION_HELP, durationProblem } from './duration.js';
import { show } from './text.js';

const SIZE_HELP =
  'expected a size like 512MiB, 10GB or 100k (B; k, M, G, T = powers of 1000; KiB, MiB, GiB, TiB = powers of 1024)';
const PERCENT_HELP = 'expected a percentage from 0% to 100%, like 20%';
const RATE_HELP = 'expected a rate like 20/s or 600/m';
/** Rates allowed: from one request a minute to 1000 a second (a smoke sample, not a load test). */
const MIN_RATE_PER_S = 1 / 60;
const MAX_RATE_PER_S = 1000;
/** The largest size accepted anywhere (1 PiB): a larger one is a typo. */
const MAX_SIZE_BYTES = 2 ** 50;
const SIZE_TOO_LARGE = 'expected a size of at most 1024TiB';

const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

const SIZE_UNITS: Readonly<Record<string, number>> = {
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
  TiB: 2 ** 40,
};

function sizeProblem(input: string): { bytes?: number; problem?: string } {
  if (BARE_NUMBER.test(input))
    return { problem: `expected a size with a unit, like "${input}MiB" (B, k, M, G, T, KiB, MiB, GiB or TiB)` };
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(input);
  const factor = match?.[2] === undefined ? undefined : SIZE_UNITS[match[2]];
  if (match === null || factor === undefined) return { problem: SIZE_HELP };
  const bytes = Math.floor(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_SIZE_BYTES) return { problem: SIZE_TOO_LARGE };
  return { bytes };
}

/** Parse `512MiB`, `10GB`, `100k`, `4096B` into bytes. Decimal units are powers of 1000, `…iB` powers of 1024. */
export function parseSize(input: string): number {
  const { bytes, problem } = sizeProblem(input);
  if (bytes === undefined) throw new ConfigError(`invalid size ${show(input)}: ${problem ?? SIZE_HELP}`);
  return bytes;
}

function percentProblem(input: string): { percent?: number; problem?: string } {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(input);
  if (match === null) return { problem: PERCENT_HELP };
  const percent = Number(match[1]);
  if (percent > 100) return { problem: PERCENT_HELP };
  return { percent };
}

/** Parse `20%` into 20 (0 to 100). */
export function parsePercent(input: string): number {
  const { percent, problem } = percentProblem(input);
  if (percent === undefined) throw new ConfigError(`invalid percentage ${show(input)}: ${problem ?? PERCENT_HELP}`);
  return percent;
}

function rateProblem(input: string): { perSecond?: number; problem?: string } {
  const match = /^(\d+(?:\.\d+)?)\/(s|m)$/.exec(input);
  if (match === null) return { problem: RATE_HELP };
  const count = Number(match[1]);
  const perSecond = match[2] === 's' ? count : count / 60;
  if (perSecond < MIN_RATE_PER_S || perSecond > MAX_RATE_PER_S)
    return { problem: 'expected a rate from 1/m to 1000/s, like 20/s or 600/m' };
  return { perSecond };
}

/** Parse `20/s` or `600/m` into requests per second. */
export function parseRate(input: string): number {
  const { perSecond, problem } = rateProblem(input);
  if (perSecond === undefined) throw new ConfigError(`invalid rate ${show(input)}: ${problem ?? RATE_HELP}`);
  return perSecond;
}

/** A zod schema that accepts a string, checks it with `check` and outputs the parsed number. */
function unitSchema(help: string, check: (input: string) => { value?: number; problem?: string }) {
  const typeError = (issue: { input?: unknown }) =>
    typeof issue.input === 'number' ? (check(String(issue.input)).problem ?? help) : help;
  return z.string({ error: typeError }).transform((input, ctx): number => {
    const { value, problem } = check(input);
    if (value !== undefined) return value;
    ctx.addIssue({ code: 'custom', message: `got ${show(input)}, ${problem ?? help}` });
    return z.NEVER;
  });
}

/** `"2s"` → 2000 (milliseconds). */
export const zDuration = unitSchema(DURATION_HELP, (s) => {
  const r = durationProblem(s);
  return { value: r.ms, problem: r.problem };
});

/** `90000` → `1m30s`: milliseconds written as the duration grammar writes them (largest unit first). */
export function durationText(ms: number): string {
  if (ms === 0) return '0s';
  const units: readonly [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/**
 * A duration from `minMs` to `maxMs` (milliseconds, inclusive): `zDuration` piped into the bound, so the error says
 * the value and the range (`got "0ms", expected a duration from 100ms to 5m`).
 */
export function zDurationIn(minMs: number, maxMs: number) {
  const allowed = `expected a duration from ${durationText(minMs)} to ${durationText(maxMs)}`;
  return zDuration.pipe(z.number().refine((ms) => ms >= minMs && ms <= maxMs, { error: allowed }));
}

/** `"512MiB"` → 536870912 (bytes). */
export const zSize = unitSchema(SIZE_HELP, (s) => {
  const r = sizeProblem(s);
  return { value: r.bytes, problem: r.problem };
});

/** `"20/s"` → 20 (requests per second). */
export const zRate = unitSchema(RATE_HELP, (s) => {
  const r = rateProblem(s);
  return { value: r.perSecond, problem: r.problem };
});

/** A free-disk threshold: a percentage of the filesystem or an absolute size. */
export type DiskThreshold = { kind: 'percent'; percent: number } | { kind: 'bytes'; bytes: number };

const DISK_HELP = 'expected a percentage like 20% or a size like 5GiB';

/** `"20%"` → `{ kind: 'percent', percent: 20 }`; `"5GiB"` → `{ kind: 'bytes', bytes: 5368709120 }`. */
export const zDiskThreshold = z.string({ error: DISK_HELP }).transform((input, ctx): DiskThreshold => {
  if (input.endsWith('%')) {
    const r = percentProblem(input);
    if (r.percent !== undefined) return { kind: 'percent', percent: r.percent };
    ctx.addIssue({ code: 'custom', message: `got ${show(input)}, ${r.problem ?? PERCENT_HELP}` });
    return z.NEVER;
  }
  const r = sizeProblem(input);
  if (r.bytes !== undefined) return { kind: 'bytes', bytes: r.bytes };
  ctx.addIssue({
    code: 'custom',
    message: `got ${show(input)}, ${r.problem === SIZE_TOO_LARGE ? r.problem : DISK_HELP}`,
  });
  return z.NEVER;
});

/** `3d 4h`, `5h 2m`, `40s`: a duration for people (ages, limits). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m` : `${s}s`;
}
