/**
 * Minimum-version constraints for tools on a target (`docker: ">=24"`, `compose: ">=2.20"`). Deliberately small:
 * operators `>=`, `>` and `=`, versions of one to three numeric parts.
 *
 * A constraint compares only as many parts as it names, like node-semver's partial versions: `=24` matches any
 * 24.x.y, `>24` means 25 or later, `>=2.20` matches 2.20.0 and 2.29.1.
 */
import * as z from 'zod';
import { ConfigError, UserError } from '../core/errors.js';
import { show } from './text.js';

export type ConstraintOperator = '>=' | '>' | '=';

export interface VersionConstraint {
  op: ConstraintOperator;
  /** One to three numeric parts. */
  version: number[];
  /** The constraint as written, e.g. `>=24`. */
  raw: string;
}

const CONSTRAINT = /^(>=|>|=)\s*v?(\d{1,9}(?:\.\d{1,9}){0,2})$/;
const CONSTRAINT_HELP = 'expected a version constraint like ">=24", ">=20.10.5", ">2" or "=2.29" (quote it)';

function constraintProblem(input: string): VersionConstraint | string {
  const match = CONSTRAINT.exec(input.trim());
  if (match === null) return CONSTRAINT_HELP;
  return { op: match[1] as ConstraintOperator, version: (match[2] ?? '').split('.').map(Number), raw: input.trim() };
}

/** Parse `>=24`, `> 2.20`, `=20.10.5`. Throws ConfigError saying what is allowed. */
export function parseConstraint(input: string): VersionConstraint {
  const result = constraintProblem(input);
  if (typeof result === 'string') throw new ConfigError(`invalid version constraint ${show(input)}: ${result}`);
  return result;
}

/**
 * The first version number in a tool's output, tolerating real-world noise: `20.10.24+dfsg1`, `v2.29.1`,
 * `1.29.2, build unknown`, `Docker version 28.2.2, build e6534b4`. Suffixes (`+dfsg1`, `-0ubuntu1`, `-rc.1`) are
 * ignored. Undefined when there is no number.
 */
export function parseVersion(text: string): number[] | undefined {
  const match = /(?:^|[^0-9A-Za-z.])v?(\d{1,9}(?:\.\d{1,9}){0,2})/.exec(text.trim());
  return match?.[1]?.split('.').map(Number);
}

/** -1, 0 or 1 comparing `actual` with `wanted` on `wanted`'s parts only (missing actual parts count as 0). */
function compareParts(actual: readonly number[], wanted: readonly number[]): number {
  for (let i = 0; i < wanted.length; i++) {
    const a = actual[i] ?? 0;
    const w = wanted[i] ?? 0;
    if (a !== w) return a < w ? -1 : 1;
  }
  return 0;
}

/**
 * Whether a tool's reported version satisfies a constraint. Throws UserError when `actual` holds no version number
 * (the caller reports what the tool printed).
 */
export function satisfies(actual: string, constraint: string | VersionConstraint): boolean {
  const c = typeof constraint === 'string' ? parseConstraint(constraint) : constraint;
  const version = parseVersion(actual);
  if (version === undefined) throw new UserError(`could not find a version number in ${show(actual)}`);
  const cmp = compareParts(version, c.version);
  switch (c.op) {
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '=':
      return cmp === 0;
  }
}

/** A constraint string, or `false` to skip the check. Outputs a parsed VersionConstraint or `false`. */
export const zVersionConstraint = z
  .union([z.string(), z.literal(false)], { error: `${CONSTRAINT_HELP}, or false to skip the check` })
  .transform((input, ctx): VersionConstraint | false => {
    if (input === false) return false;
    const result = constraintProblem(input);
    if (typeof result !== 'string') return result;
    ctx.addIssue({ code: 'custom', message: `got ${show(input)}, ${result}, or false to skip the check` });
    return z.NEVER;
  });
