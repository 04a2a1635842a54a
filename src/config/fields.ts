/**
 * Field-level schemas shared by the sections of `runbook.yml`: names, hosts, users, ports, paths, argv lists,
 * environment variable names, time zones and clock times. Values that end up in commands are constrained here so
 * that nothing hostile reaches a shell or an option parser (RELIABILITY.md promise 1).
 */
import { isIP } from 'node:net';
import * as z from 'zod';
import { closest, show } from './text.js';

/** A string matching `re`; the error (for a wrong type too) is `expectation`, an "expected …" phrase. */
export function zMatching(re: RegExp, expectation: string) {
  return z.string({ error: expectation }).regex(re, { error: expectation });
}

/** Keys JavaScript objects treat specially: refused as names, never silently dropped. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `key` cannot be a key of a mapping, or undefined when it can. */
export function reservedKeyProblem(key: string): string | undefined {
  if (!RESERVED_KEYS.has(key)) return undefined;
  return `${show(key)} cannot be used as a key (__proto__, constructor and prototype are reserved in JavaScript); rename it`;
}

/**
 * Paths of every reserved key in plain data (a parsed YAML document). A mapping of names (services, environments,
 * env, labels, headers, JSON paths) built from such data drops `__proto__` without a word, so they are refused first.
 */
export function reservedKeyPaths(data: unknown, path: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  if (out.length >= 100 || data === null || typeof data !== 'object') return out;
  if (Array.isArray(data)) {
    for (const [i, item] of data.entries()) reservedKeyPaths(item, [...path, i], out);
    return out;
  }
  for (const key of Object.keys(data)) {
    if (RESERVED_KEYS.has(key)) out.push([...path, key]);
    else reservedKeyPaths((data as Record<string, unknown>)[key], [...path, key], out);
  }
  return out;
}

const APP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
export const TARGET_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;
const SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

export const zAppName = zMatching(APP_NAME, 'expected lowercase letters, digits and "-" (at most 63, like "shop")');
export const zEnvironmentName = zMatching(
  ENVIRONMENT_NAME,
  'expected letters, digits, "_" and "-" starting with a letter or digit (at most 63)',
);
export const zTargetName = zMatching(
  TARGET_NAME,
  'expected letters, digits, ".", "_" and "-" starting with a letter or digit (at most 63)',
);
export const zServiceName = zMatching(
  SERVICE_NAME,
  'expected lowercase letters, digits, "_" and "-" starting with a letter or digit (at most 63)',
);
export const zUser = zMatching(USER_NAME, 'expected a user name like "deploy" (letters, digits, "_", ".", "-")');
export const zEnvVarName = zMatching(
  ENV_VAR_NAME,
  'expected the NAME of an environment variable, like DB_PASSWORD (A-Z, 0-9, "_"), never the value itself',
);

export const zPort = z
  .number({ error: 'expected a port number from 1 to 65535' })
  .int({ error: 'expected a port number from 1 to 65535' })
  .min(1, { error: 'expected a port number from 1 to 65535' })
  .max(65535, { error: 'expected a port number from 1 to 65535' });

/** A whole number in [min, max]. */
export function zInt(min: number, max = Number.MAX_SAFE_INTEGER) {
  const expectation =
    max === Number.MAX_SAFE_INTEGER
      ? `expected a whole number ≥ ${min}`
      : `expected a whole number from ${min} to ${max}`;
  return z
    .number({ error: expectation })
    .int({ error: expectation })
    .min(min, { error: expectation })
    .max(max, { error: expectation });
}

/** A number in [0, 1], e.g. an error rate of 0.01 (1%). */
export const zFraction = z
  .number({ error: 'expected a fraction from 0 to 1, like 0.01 for 1%' })
  .min(0, { error: 'expected a fraction from 0 to 1, like 0.01 for 1%' })
  .max(1, { error: 'expected a fraction from 0 to 1, like 0.01 for 1%' });

const HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const HOST_HELP = 'expected a hostname or an IPv4/IPv6 address (no leading "-", no spaces or shell characters)';

/** A hostname, IPv4 or IPv6 literal. Rejects anything an SSH client could read as an option (`-oProxyCommand=…`). */
export function isHost(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  if (isIP(value) !== 0) return true;
  const labels = value.split('.');
  if (!labels.every((label) => HOST_LABEL.test(label))) return false;
  // 10.0.0.256 looks like an address, not a name: an all-numeric last label is never a valid hostname.
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

export const zHost = z.string({ error: HOST_HELP }).refine(isHost, { error: HOST_HELP });

/** No NUL, newline or other control characters: values that become arguments or file contents. */
const NO_CONTROL = /^[^\p{Cc}]*$/u;

export const zAbsPath = z
  .string({ error: 'expected an absolute path like /var/lib/runbook' })
  .refine((p) => p.startsWith('/') && NO_CONTROL.test(p) && !p.split('/').includes('..'), {
    error: 'expected an absolute path like /var/lib/runbook (starting with "/", no ".." or control characters)',
  });

/** A file path (relative or absolute) that cannot be read as an option. */
export const zFilePath = z
  .string({ error: 'expected a file path' })
  .refine((p) => p.length > 0 && !p.startsWith('-') && NO_CONTROL.test(p), {
    error: 'expected a file path (not starting with "-", no control characters)',
  });

/** One argument of an argv list. Never joined into a shell string by this project, but still printable. */
const zArg = z
  .string({ error: 'expected a string argument' })
  .refine((a) => NO_CONTROL.test(a), { error: 'expected an argument without newlines or control characters' });

/** A list of arguments for other commands (e.g. a container command): may start with an option. */
export const zArgs = z.array(zArg, { error: 'expected a list of arguments like [python, -m, workers]' }).min(1, {
  error: 'expected at least one argument',
});

/** A command to run: non-empty argv whose program does not start with "-". */
export const zArgv = zArgs.refine((argv) => !(argv[0] ?? '').startsWith('-') && (argv[0] ?? '') !== '', {
  error: 'expected a command like [nginx, -t]: the first item is the program and cannot be empty or start with "-"',
});

let zones: readonly string[] | undefined;

/** Whether Intl knows the IANA zone (`Europe/Berlin`, `UTC`). */
function isTimeZone(tz: string): boolean {
  if (tz === '' || !NO_CONTROL.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const zTimeZone = z
  .string({ error: 'expected an IANA time zone like Europe/Berlin or UTC' })
  .superRefine((tz, ctx) => {
    if (isTimeZone(tz)) return;
    zones ??= Intl.supportedValuesOf('timeZone');
    const guess = closest(tz, zones);
    const hint = guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
    ctx.addIssue({
      code: 'custom',
      message: `unknown time zone ${show(tz)}${hint}: expected an IANA time zone like Europe/Berlin or UTC`,
    });
  });

/** `"09:00"` → minutes after midnight; `"24:00"` (end of day) is allowed. */
export const zClockTime = z
  .string({ error: 'expected a time like "09:00" (24-hour HH:MM, quoted)' })
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'expected a time like "09:00" (24-hour HH:MM, quoted)' });

export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?)?$/;
const DATE_HELP = 'expected a date like 2026-12-20 or a local date-time like 2026-12-20T18:00 (the zone is set by tz)';

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A calendar date or a local date-time without offset (the zone comes from `tz`). */
export const zDateOrDateTime = z.string({ error: DATE_HELP }).refine(
  (s) => {
    const m = DATE_TIME.exec(s);
    return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  { error: DATE_HELP },
);

/** Sort key for dates and date-times: a date as `from` is the start of the day, as `to` the end of it. */
export function dateKey(s: string, edge: 'start' | 'end'): string {
  if (s.includes('T')) return s.length === 16 ? `${s}:00` : s;
  return `${s}T${edge === 'start' ? '00:00:00' : '23:59:59'}`;
}

/** An http(s) URL without credentials in it. */
export const zHttpUrl = z
  .string({ error: 'expected an http(s) URL like https://shop.example.com' })
  .superRefine((s, ctx) => {
    let url: URL | undefined;
    try {
      // `http:host` parses (WHATWG URLs fill in the slashes) but is a typo, never what was meant: // is required.
      url = NO_CONTROL.test(s) && !/\s/.test(s) && /^https?:\/\//i.test(s) ? new URL(s) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      ctx.addIssue({
        code: 'custom',
        message: `got ${show(s)}, expected an http(s) URL like https://shop.example.com`,
      });
    } else if (url.username !== '' || url.password !== '') {
      ctx.addIssue({
        code: 'custom',
        message: 'a URL must not contain credentials: pass secrets through environment variables',
      });
    }
  });

/** Report `path`-relative issues for items whose `key` repeats. */
export function uniqueBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  what: string,
  ctx: z.RefinementCtx,
  field?: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: field === undefined ? [index] : [index, field],
        message: `duplicate ${what} ${show(k)} (already used by item ${first})`,
      });
    }
  });
}

/** Report an issue unless exactly one of `keys` is present in `value`. */
export function exactlyOne(
  value: Record<string, unknown>,
  keys: readonly string[],
  what: string,
  allowed: readonly string[],
  ctx: z.RefinementCtx,
): void {
  const present = keys.filter((k) => value[k] !== undefined);
  if (present.length === 1) return;
  const got = present.length === 0 ? 'none' : present.join(' and ');
  ctx.addIssue({
    code: 'custom',
    message: `${what} needs exactly one of ${keys.join(', ')} (got ${got}); allowed keys: ${allowed.join(', ')}`,
  });
}
