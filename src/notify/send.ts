/**
 * Sending one event to the configured webhooks (`notifications:` of runbook.yml). A notification is a courtesy, never
 * a step: nothing here throws, a hook that fails (unset variable, not a URL, an error status, no answer in time, no
 * connection, a cancelled run) is one warning line naming the hook and the event, and the caller carries on.
 *
 * The URL is a secret (it carries the hook's token): it is read from the runner variable `url-env` names and
 * registered with the logger's masker before anything else happens with it (its path and query too, where the token
 * sits, and a password in it); no message ever quotes it, and the event's text is masked before it leaves the runner
 * (RELIABILITY.md promise 17: a webhook is a sink like any other).
 */
import type { NotificationConfig } from '../config/schema-notify.js';
import { hookLabel } from '../config/schema-notify.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { untrusted } from '../core/untrusted.js';
import { type HttpRequest, type HttpResult, requestOnce } from '../http/client.js';
import type { DeployEvent, EventLinks } from './events.js';
import { messageBody, oneLine } from './message.js';

/** What `notify` needs from the run. */
export interface NotifyDeps {
  /** The runner's environment, where each hook's `url-env` variable is read. */
  env: Readonly<Record<string, string | undefined>>;
  log: Pick<Logger, 'info' | 'warn' | 'addSecret' | 'mask'>;
  /**
   * Aborting it ends the requests still running (each is then reported as failed: cancelled). To tell the hooks about
   * a run that was cancelled, leave it out: each request is still bounded by its hook's `timeout`.
   */
  signal?: AbortSignal;
  /**
   * One HTTP exchange; default `requestOnce` of src/http/client.ts (undici, a connection of its own, TLS verified
   * against Node's CA store, redirects not followed, never rejects).
   */
  request?: (url: string, r: HttpRequest) => Promise<HttpResult>;
}

/** How one hook fared. */
export interface NotifyResult {
  /** The hook's `name`, or `#n` (its place in the list, from 1). */
  name: string;
  /** True when the hook answered 2xx. */
  ok: boolean;
  /** The HTTP status, when the hook answered. */
  status?: number;
  /** Why it failed, in one line that never contains the URL. */
  error?: string;
}

/** Answer bytes read from a hook (enough for Slack's `invalid_payload`, `no_service`…). */
const MAX_ANSWER_BYTES = 2048;
/** The answer text quoted in a warning. */
const MAX_ANSWER_CHARS = 120;
/** A URL's path and query shorter than this are not masked on their own (`/`, `/hook` carry no token). */
const MIN_MASKED_PATH = 12;
/** The shortest URL there is: `http://a`. */
const MIN_URL = 8;

/** The hooks (with their labels) that want `event`: its kind in `on`, its environment in `environments` if given. */
export function hooksFor(
  hooks: readonly NotificationConfig[],
  event: Pick<DeployEvent, 'kind' | 'environment'>,
): Array<{ hook: NotificationConfig; label: string }> {
  return hooks.flatMap((hook, i) =>
    hook.on.includes(event.kind) && (hook.environments?.includes(event.environment) ?? true)
      ? [{ hook, label: hookLabel(hook, i) }]
      : [],
  );
}

/** A hook's URL as read from the runner: ready to POST to (with Basic credentials from the URL), or why not. */
export type HookUrl = { url: string; headers: Record<string, string> } | { problem: string };

/**
 * Read `hook`'s URL from `env[hook['url-env']]` and register it with `log` (the value as given and trimmed, its
 * path + query when at least MIN_MASKED_PATH long, a password in it and the Basic header made from it) before it is
 * checked; a value shorter than any URL is refused unregistered. Problems name the variable, never the value.
 */
export function readHookUrl(
  hook: Pick<NotificationConfig, 'url-env'>,
  env: NotifyDeps['env'],
  log: Pick<Logger, 'addSecret'>,
): HookUrl {
  const name = hook['url-env'];
  const raw = env[name];
  if (raw === undefined) return { problem: `environment variable ${name} is not set` };
  const value = raw.trim();
  if (value === '') return { problem: `environment variable ${name} is empty` };
  // Shorter than `http://a`: no URL, and masking it would shred every log line it occurs in.
  if (value.length < MIN_URL) return { problem: `environment variable ${name} does not hold a URL` };
  log.addSecret(raw);
  log.addSecret(value);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { problem: `environment variable ${name} does not hold a URL` };
  }
  const rest = `${u.pathname}${u.search}`;
  if (rest.length >= MIN_MASKED_PATH) log.addSecret(rest);
  const headers: Record<string, string> = {};
  if (u.username !== '' || u.password !== '') {
    const password = decoded(u.password);
    if (password !== '') log.addSecret(password);
    const basic = `Basic ${Buffer.from(`${decoded(u.username)}:${password}`).toString('base64')}`;
    log.addSecret(basic);
    headers.authorization = basic;
    u.username = '';
    u.password = '';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { problem: `environment variable ${name} holds a ${u.protocol.replace(/:$/, '')} URL, expected http(s)` };
  }
  log.addSecret(u.href);
  return { url: u.href, headers };
}

/** A percent-encoded URL part decoded; as it is when it is not valid percent-encoding. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Register the URL of every hook with `log`, so it is masked from the start of a run (before any step could print
 * it). Unset variables are skipped here; `notify` reports them. Never throws.
 */
export function maskHookUrls(
  hooks: readonly NotificationConfig[],
  env: NotifyDeps['env'],
  log: Pick<Logger, 'addSecret'>,
): void {
  for (const hook of hooks) readHookUrl(hook, env, log);
}

/** `e` with every registered secret masked in its text (a reason may quote anything). */
function maskedEvent(e: DeployEvent, mask: (text: string) => string): DeployEvent {
  const m = (v: string | undefined) => (v === undefined ? undefined : mask(v));
  const links: EventLinks = {};
  for (const [k, v] of Object.entries(e.links) as Array<[keyof EventLinks, string | undefined]>) {
    if (v !== undefined) links[k] = mask(v);
  }
  return {
    kind: e.kind,
    app: mask(e.app),
    environment: mask(e.environment),
    version: mask(e.version),
    actor: m(e.actor),
    releaseId: m(e.releaseId),
    previousVersion: m(e.previousVersion),
    restoredVersion: m(e.restoredVersion),
    reason: m(e.reason),
    links,
  };
}

/** A failed exchange or an error status in one line: the status and the start of the answer, or the cause. */
function failureOf(r: HttpResult, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'cancelled';
  if (!r.ok) return r.error;
  const said = oneLine(r.body, MAX_ANSWER_CHARS);
  const redirect = r.status >= 300 && r.status < 400 ? ' (redirects are not followed)' : '';
  return `HTTP ${r.status}${redirect}${said === '' ? '' : `: ${untrusted(said)}`}`;
}

/**
 * Send `event` to every hook that wants it (hooksFor), all at once, each within its `timeout`: a POST of
 * `application/json` (message.ts builds the body in the hook's `format`). Every URL is read and masked before the
 * first request; the event's text is masked too. Logs one line per hook: `notification <name> (<kind>) sent: HTTP 200`
 * (info) or `notification <name> (<kind>) failed: <why>` (a warning). Resolves, never rejects, with one result per
 * hook called, in config order.
 */
export async function notify(
  hooks: readonly NotificationConfig[],
  event: DeployEvent,
  deps: NotifyDeps,
): Promise<NotifyResult[]> {
  const { log } = deps;
  const wanted = hooksFor(hooks, event);
  const prefix = (label: string) => `notification ${label} (${event.kind})`;
  const failed = (label: string, error: string, status?: number): NotifyResult => {
    log.warn(`${prefix(label)} failed: ${error}`);
    return { name: label, ok: false, ...(status === undefined ? {} : { status }), error };
  };
  // Every URL is read and registered before any request is made or any event text is masked.
  const urls = wanted.map(({ hook }): HookUrl => {
    try {
      return readHookUrl(hook, deps.env, log);
    } catch (err) {
      return { problem: `its URL could not be read: ${errorMessage(err)}` };
    }
  });
  const request = deps.request ?? requestOnce;
  return Promise.all(
    wanted.map(async ({ hook, label }, i): Promise<NotifyResult> => {
      const target = urls[i] as HookUrl;
      if ('problem' in target) {
        log.warn(`${prefix(label)} not sent: ${target.problem}`);
        return { name: label, ok: false, error: target.problem };
      }
      try {
        const r = await request(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'runbook-actions', ...target.headers },
          body: messageBody(
            hook.format,
            maskedEvent(event, (t) => log.mask(t)),
          ),
          timeoutMs: hook.timeout,
          maxBodyBytes: MAX_ANSWER_BYTES,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        if (r.ok && r.status >= 200 && r.status < 300) {
          log.info(`${prefix(label)} sent: HTTP ${r.status}`);
          return { name: label, ok: true, status: r.status };
        }
        return failed(label, log.mask(failureOf(r, deps.signal)), r.ok ? r.status : undefined);
      } catch (err) {
        return failed(label, deps.signal?.aborted ? 'cancelled' : log.mask(`unexpected error: ${errorMessage(err)}`));
      }
    }),
  );
}
