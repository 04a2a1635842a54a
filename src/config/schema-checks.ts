/** `checks:` — what pre-deploy-check verifies. Top-level values get defaults; an environment may override keys. */
import * as z from 'zod';
import {
  clockMinutes,
  dateKey,
  uniqueBy,
  zAbsPath,
  zClockTime,
  zDateOrDateTime,
  zEnvVarName,
  zTimeZone,
} from './fields.js';
import { type DiskThreshold, zDiskThreshold, zDurationIn } from './units.js';
import { parseConstraint, type VersionConstraint, zVersionConstraint } from './version.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A deploy window: deploys are allowed on `days` from `from` to `to` (local time in `tz`). */
const windowSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS), { error: 'expected a list of days like [mon, tue, wed]' })
      .min(1, { error: 'expected at least one day' })
      .superRefine((days, ctx) => uniqueBy(days, (d) => d, 'day', ctx)),
    from: zClockTime,
    to: zClockTime,
    tz: zTimeZone,
  })
  .superRefine((w, ctx) => {
    if (clockMinutes(w.from) >= clockMinutes(w.to)) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the window must end after it starts (from ${w.from} to ${w.to}); split an overnight window in two`,
      });
    }
  });

/** A change freeze: no deploys from `from` to `to` inclusive (dates are whole days in `tz`). */
const freezeSchema = z
  .strictObject({
    from: zDateOrDateTime,
    to: zDateOrDateTime,
    tz: zTimeZone.default('UTC'),
    reason: z.string({ error: 'expected a short text' }).optional(),
  })
  .superRefine((f, ctx) => {
    if (dateKey(f.from, 'start') > dateKey(f.to, 'end')) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the freeze ends (${f.to}) before it starts (${f.from})` });
    }
  });

const LABEL_HELP = 'expected a GitHub label name (1 to 50 characters)';

const CONTEXT_HELP =
  'expected the name of a check run or commit status context, as GitHub shows it (1 to 255 characters)';
const zContext = z.string({ error: CONTEXT_HELP }).min(1, { error: CONTEXT_HELP }).max(255, { error: CONTEXT_HELP });

/** `checks.ci`: the commit's CI must be green (GitHub check runs and commit statuses) before a deploy. */
const ciSchema = z.strictObject({
  /** Contexts that must have reported success; default: every check run and status on the commit. */
  required: z
    .array(zContext, { error: 'expected a list of check or status names' })
    .min(1, { error: 'expected at least one name; leave required out to require every check on the commit' })
    .superRefine((names, ctx) => uniqueBy(names, (n) => n, 'context', ctx))
    .optional(),
  /** Checks and statuses never waited for nor counted (a nightly job, an optional linter). */
  ignore: z.array(zContext, { error: 'expected a list of check or status names' }).optional(),
  /** How long pending checks are waited for, then the check fails: from 0s (no wait) to 6h. */
  wait: zDurationIn(0, 6 * 3_600_000).default(600_000),
  /** How often GitHub is asked again while checks are pending: from 5s to 5m. */
  poll: zDurationIn(5_000, 300_000).default(15_000),
});

export type CiCheckConfig = z.output<typeof ciSchema>;

export const checksOverrideSchema = z.strictObject({
  /** Minimum free space on each of `disk-paths`: a percentage (`20%`) or a size (`5GiB`). */
  'min-free-disk': zDiskThreshold.optional(),
  'disk-paths': z
    .array(zAbsPath, { error: 'expected a list of absolute paths like [/var/lib/docker, /backups]' })
    .min(1, { error: 'expected at least one path' })
    .optional(),
  /** Minimum Docker Engine version, or false to skip. */
  docker: zVersionConstraint.optional(),
  /** Minimum Docker Compose version, or false to skip. */
  compose: zVersionConstraint.optional(),
  /** Environment variables that must be set and non-empty. */
  'required-secrets': z.array(zEnvVarName, { error: 'expected a list of environment variable names' }).optional(),
  /** The newest backup must be younger than this. */
  'backup-max-age': zDurationIn(60_000, 366 * 86_400_000).optional(),
  /** An open issue with this label blocks deploys. */
  'incident-label': z
    .string({ error: LABEL_HELP })
    .min(1, { error: LABEL_HELP })
    .max(50, { error: LABEL_HELP })
    .optional(),
  ci: ciSchema.optional(),
  windows: z.array(windowSchema, { error: 'expected a list of deploy windows' }).optional(),
  freeze: z.array(freezeSchema, { error: 'expected a list of freezes' }).optional(),
});

export type ChecksOverride = z.output<typeof checksOverrideSchema>;

/** Keys that always have a value once defaults are applied. */
type DefaultedCheck = 'min-free-disk' | 'disk-paths' | 'docker' | 'compose' | 'required-secrets';

export type ChecksConfig = Omit<ChecksOverride, DefaultedCheck> & {
  'min-free-disk': DiskThreshold;
  'disk-paths': string[];
  docker: VersionConstraint | false;
  compose: VersionConstraint | false;
  'required-secrets': string[];
};

/** Fill in defaults: 20% free on `/`, Docker >=24, Compose >=2.20, no required secrets. */
function applyCheckDefaults(checks: ChecksOverride): ChecksConfig {
  return {
    ...checks,
    'min-free-disk': checks['min-free-disk'] ?? { kind: 'percent', percent: 20 },
    'disk-paths': checks['disk-paths'] ?? ['/'],
    docker: checks.docker ?? parseConstraint('>=24'),
    compose: checks.compose ?? parseConstraint('>=2.20'),
    'required-secrets': checks['required-secrets'] ?? [],
  };
}

/** Layer an environment's overrides over the effective top-level checks (keys the environment sets win). */
export function mergeChecks(base: ChecksConfig, override: ChecksOverride | undefined): ChecksConfig {
  if (override === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) if (value !== undefined) merged[key] = value;
  return merged as ChecksConfig;
}

export const checksSchema = checksOverrideSchema.transform(applyCheckDefaults);
