/**
 * The bodies POSTed to webhooks, built from one event (pure functions, no I/O): a Slack-compatible message and the
 * plain JSON event. Every value is text from outside (a version, a reason quoting a server's error), so:
 * - control characters, line separators and bidirectional overrides are taken out (single-line values get a space,
 *   a reason keeps its line breaks), and each value is cut to a length every receiver accepts;
 * - in Slack mrkdwn, `&`, `<` and `>` are written as `&amp;`, `&lt;` and `&gt;`, as Slack's "Formatting text for app
 *   surfaces" asks (docs.slack.dev/messaging/formatting-message-text, "Escaping text"), so a value cannot open a
 *   link (`<https://evil|click>`) or a special mention (`<!channel>`, `<@U123>`); an `@` is followed by a zero-width
 *   space so `@channel` / `@here` stay text on receivers that read plain mentions (Mattermost, Rocket.Chat);
 * - links are kept only when they are absolute http(s) URLs without credentials, normalised by the WHATWG URL parser
 *   (which percent-encodes `<`, `>`, spaces and quotes) with `|` encoded too, so a link cannot end early or relabel.
 * The JSON body is built by JSON.stringify, which no value can break out of.
 */
import type { NotifyFormat } from '../config/schema-notify.js';
import type { DeployEvent, EventLinks, NotifyKind } from './events.js';

/** The JSON body's `schema`: bumped when a field changes meaning or goes away (new fields keep it). */
export const JSON_SCHEMA = 'runbook-actions/notification@1';

/** Longest single-line value and longest reason kept (characters; longer ones end with "…"). */
export const MAX_VALUE_CHARS = 300;
export const MAX_REASON_CHARS = 500;
/** The JSON body carries more of the reason than a chat message. */
export const MAX_JSON_REASON_CHARS = 4000;

export interface SlackText {
  type: 'mrkdwn';
  text: string;
}
export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

/** A Slack-compatible incoming-webhook message: `text` is the notification (and the fallback), `blocks` the layout. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** The plain JSON body: the event with its text cleaned and cut, a one-line summary, and only http(s) links. */
export interface JsonMessage {
  schema: typeof JSON_SCHEMA;
  event: NotifyKind;
  app: string;
  environment: string;
  version: string;
  actor?: string;
  releaseId?: string;
  previousVersion?: string;
  restoredVersion?: string;
  reason?: string;
  /** The headline in plain text with the actor, like `Deployed shop v2 to production (by octocat)`. */
  summary: string;
  links: EventLinks;
}

const EMOJI: Record<NotifyKind, string> = {
  start: ':rocket:',
  success: ':white_check_mark:',
  refusal: ':no_entry:',
  rollback: ':leftwards_arrow_with_hook:',
  failure: ':x:',
};

const LINK_LABELS: ReadonlyArray<[keyof EventLinks, string]> = [
  ['run', 'Workflow run'],
  ['deployment', 'Deployment'],
  ['commit', 'Commit'],
  ['environment', 'Environment'],
];

/** C0 and C1 controls (tab and line feed included), DEL, line/paragraph separators, bidirectional controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: taking control characters out is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNPRINTABLE = new RegExp(UNPRINTABLE.source);

/** At most `max` characters (code points, so no surrogate pair is split), `…` marking a cut. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** One line: every unprintable character a space, trimmed and cut. */
export function oneLine(text: string, max = MAX_VALUE_CHARS): string {
  return cut(text.replace(UNPRINTABLE, ' ').trim(), max);
}

/** Lines kept (`\r\n` and a lone `\r` become `\n`), every other unprintable character a space, trimmed and cut. */
export function multiLine(text: string, max: number): string {
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => l.replace(UNPRINTABLE, ' ').trimEnd());
  return cut(lines.join('\n').trim(), max);
}

/** Text for Slack mrkdwn: `&`, `<`, `>` as entities (Slack's control characters); `@` cannot start a mention. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('@', '@\u200b');
}

/** `url` normalised when it is an absolute http(s) URL without credentials, else undefined (left out). */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || HAS_UNPRINTABLE.test(url) || /\s/.test(url)) return undefined;
  try {
    const u = new URL(url);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '') return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

/** A Slack link `<url|label>`: the URL with `|` percent-encoded and `&`, `<`, `>` as entities. */
function slackLink(url: string, label: string): string {
  const target = url.replaceAll('|', '%7C').replaceAll('&', '&amp;').replaceAll('<', '%3C').replaceAll('>', '%3E');
  return `<${target}|${escapeMrkdwn(label)}>`;
}

/** The event's text cleaned and cut, its links checked: what both formats are built from. */
function clean(e: DeployEvent, reasonMax: number): Omit<JsonMessage, 'schema' | 'summary'> {
  const opt = (v: string | undefined) => (v === undefined || oneLine(v) === '' ? undefined : oneLine(v));
  const reason = e.reason === undefined ? undefined : multiLine(e.reason, reasonMax);
  const links: EventLinks = {};
  for (const [key] of LINK_LABELS) {
    const url = safeUrl(e.links[key]);
    if (url !== undefined) links[key] = url;
  }
  return {
    event: e.kind,
    app: oneLine(e.app),
    environment: oneLine(e.environment),
    version: oneLine(e.version),
    actor: opt(e.actor),
    releaseId: opt(e.releaseId),
    previousVersion: opt(e.previousVersion),
    restoredVersion: opt(e.restoredVersion),
    reason: reason === '' ? undefined : reason,
    links,
  };
}

/** The headline, each value passed through `v` (identity for plain text, escape + bold for mrkdwn). */
function headline(c: ReturnType<typeof clean>, v: (s: string) => string): string {
  const app = v(c.app);
  const version = v(c.version);
  const env = v(c.environment);
  switch (c.event) {
    case 'start':
      return `Deploying ${app} ${version} to ${env}`;
    case 'success':
      return `Deployed ${app} ${version} to ${env}`;
    case 'refusal':
      return `Refused to deploy ${app} ${version} to ${env}`;
    case 'rollback':
      return `Rolled back ${app} on ${env}${c.restoredVersion ? ` to ${v(c.restoredVersion)}` : ''} (from ${version})`;
    case 'failure':
      return `Deploy of ${app} ${version} to ${env} failed`;
  }
}

/** The headline in plain text with the actor: `Deployed shop v2 to production (by octocat)`. */
function summaryOf(c: ReturnType<typeof clean>): string {
  return `${headline(c, (s) => s)}${c.actor ? ` (by ${c.actor})` : ''}`;
}

/** The plain-text one-liner of `e`: `Deployed shop v2 to production (by octocat)`. */
export function summaryText(e: DeployEvent): string {
  return summaryOf(clean(e, MAX_REASON_CHARS));
}

/** The Slack-compatible message for `e` (see the module comment for what is escaped). */
export function slackMessage(e: DeployEvent): SlackMessage {
  const c = clean(e, MAX_REASON_CHARS);
  const bold = (s: string) => `*${escapeMrkdwn(s)}*`;
  const by = c.actor ? ` (by ${escapeMrkdwn(c.actor)})` : '';
  const firstLine = c.reason?.split('\n')[0];
  const why = firstLine ? `: ${escapeMrkdwn(oneLine(firstLine, 200))}` : '';
  const text = `${EMOJI[c.event]} ${headline(c, escapeMrkdwn)}${by}${why}`;
  const field = (label: string, value: string | undefined): SlackText[] =>
    value === undefined ? [] : [{ type: 'mrkdwn', text: `*${label}*\n${escapeMrkdwn(value)}` }];
  const fields = [
    ...field('Environment', c.environment),
    ...field('Version', c.version),
    ...field(c.event === 'rollback' ? 'Restored version' : 'Previous version', restoredOrPrevious(c)),
    ...field('Actor', c.actor),
    ...field('Release', c.releaseId),
  ];
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[c.event]} ${headline(c, bold)}` } },
    { type: 'section', fields },
  ];
  if (c.reason) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Reason*\n${escapeMrkdwn(c.reason)}` } });
  const links = LINK_LABELS.flatMap(([key, label]) => {
    const url = c.links[key];
    return url === undefined ? [] : [slackLink(url, label)];
  });
  if (links.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] });
  return { text, blocks };
}

function restoredOrPrevious(c: ReturnType<typeof clean>): string | undefined {
  return c.event === 'rollback' ? c.restoredVersion : c.previousVersion;
}

/** The plain JSON body for `e`: fields that are absent are left out. */
export function jsonMessage(e: DeployEvent): JsonMessage {
  const c = clean(e, MAX_JSON_REASON_CHARS);
  const { links, ...fields } = c;
  const summary = summaryOf(c);
  const out: Record<string, unknown> = { schema: JSON_SCHEMA };
  for (const [k, v] of Object.entries({ ...fields, summary, links })) if (v !== undefined) out[k] = v;
  return out as unknown as JsonMessage;
}

/** The request body for a webhook of `format`: JSON text. */
export function messageBody(format: NotifyFormat, e: DeployEvent): string {
  return JSON.stringify(format === 'slack' ? slackMessage(e) : jsonMessage(e));
}
