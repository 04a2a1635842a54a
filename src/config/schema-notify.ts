/**
 * `notifications:` — webhooks told when a deploy starts, succeeds, is refused, is rolled back or fails (src/notify/).
 * The URL is a secret: the config names the runner environment variable that holds it (`url-env`), never the URL.
 */
import * as z from 'zod';
import { uniqueBy, zEnvVarName, zMatching } from './fields.js';
import { show } from './text.js';
import { zDurationIn } from './units.js';

/** The events a webhook can be told about, in the order a run meets them. */
export const NOTIFY_KINDS = ['start', 'success', 'refusal', 'rollback', 'failure'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** The body formats: a Slack-compatible message (`{ text, blocks }`) or the plain JSON event. */
export const NOTIFY_FORMATS = ['slack', 'json'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

/** Each request's deadline (connecting, sending, the whole answer): from 1s to 60s, 10s by default. */
export const NOTIFY_TIMEOUT = { min: 1000, max: 60_000, default: 10_000 } as const;
/** More webhooks than this is a copy-paste mistake, not a team's channels. */
export const MAX_NOTIFICATIONS = 20;

const NAME_HELP =
  'expected a short label like "ops channel" (letters, digits, spaces, "#", "_", ".", "-"; at most 63, starting with a letter, digit or "#")';
const zNotifyName = zMatching(/^[A-Za-z0-9#](?:[A-Za-z0-9 #_.-]{0,61}[A-Za-z0-9#_.-])?$/, NAME_HELP);

const ON_HELP = `expected a list of events from ${NOTIFY_KINDS.join(', ')}, like [failure, rollback]`;
const ENVIRONMENTS_HELP = 'expected a list of environment names like [production]';

/** One webhook, as the toolkit uses it. */
export interface NotificationConfig {
  /** A label for logs and results; unnamed hooks are `#1`, `#2`… (their place in the list, from 1). */
  name?: string;
  /** The runner environment variable holding the webhook URL (a secret, masked once read). */
  'url-env': string;
  format: NotifyFormat;
  /** The events sent; all of them by default. */
  on: NotifyKind[];
  /** Only deploys to these environments are sent; all environments when absent. */
  environments?: string[];
  /** Deadline of each request, in milliseconds. */
  timeout: number;
}

const notificationSchema = z.strictObject({
  name: zNotifyName.optional(),
  'url-env': zEnvVarName,
  format: z.enum(NOTIFY_FORMATS),
  on: z
    .array(z.enum(NOTIFY_KINDS), { error: ON_HELP })
    .min(1, { error: `expected at least one event (${NOTIFY_KINDS.join(', ')}); remove the hook to send none` })
    .superRefine((kinds, ctx) => uniqueBy(kinds, (k) => k, 'event', ctx))
    .default([...NOTIFY_KINDS]),
  environments: z
    .array(z.string({ error: ENVIRONMENTS_HELP }), { error: ENVIRONMENTS_HELP })
    .min(1, { error: 'expected at least one environment; leave the key out to send for every environment' })
    .superRefine((names, ctx) => uniqueBy(names, (n) => n, 'environment', ctx))
    .optional(),
  timeout: zDurationIn(NOTIFY_TIMEOUT.min, NOTIFY_TIMEOUT.max).default(NOTIFY_TIMEOUT.default),
}) satisfies z.ZodType<NotificationConfig, unknown>;

export const notificationsSchema = z
  .array(notificationSchema, {
    error: 'expected a list of webhooks like [{ url-env: SLACK_WEBHOOK_URL, format: slack }]',
  })
  .max(MAX_NOTIFICATIONS, { error: `expected at most ${MAX_NOTIFICATIONS} webhooks` })
  .superRefine((hooks, ctx) => {
    const named = hooks.flatMap((h, i) => (h.name === undefined ? [] : [{ name: h.name, i }]));
    const seen = new Map<string, number>();
    for (const { name, i } of named) {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate webhook name ${show(name)} (already used by item ${first})`,
        });
    }
  });

/**
 * The cross-section check of `notifications`: every name in an entry's `environments` must be an environment of the
 * config. Called by the root schema's cross-check (schema.ts) with the parsed config.
 */
export function checkNotificationEnvironments(
  config: { environments: Record<string, unknown>; notifications?: readonly NotificationConfig[] },
  ctx: z.RefinementCtx,
): void {
  const defined = Object.keys(config.environments);
  config.notifications?.forEach((hook, i) => {
    hook.environments?.forEach((name, j) => {
      if (defined.includes(name)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['notifications', i, 'environments', j],
        message: `unknown environment ${show(name)} (defined environments: ${defined.join(', ')})`,
      });
    });
  });
}

/** `name` when the hook has one, else `#n` (its place in the list, from 1): how logs and results call it. */
export function hookLabel(hook: Pick<NotificationConfig, 'name'>, index: number): string {
  return hook.name ?? `#${index + 1}`;
}
