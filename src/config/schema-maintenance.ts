/**
 * `strategy.proxy.nginx.maintenance` — where the upstream points while the site is in maintenance (`runbook
 * maintenance on`): a server the team runs (`server`), or a page nginx itself answers (`file` + `listen`): the toolkit
 * writes a `server { listen 127.0.0.1:<listen>; … return 503 … }` into `file`, which nginx includes at http level.
 */
import { isIP } from 'node:net';
import * as z from 'zod';
import { exactlyOne, isHost, zAbsPath, zMatching, zPort } from './fields.js';
import { show } from './text.js';
import { zDurationIn } from './units.js';

const SERVER_HELP =
  'expected an nginx server address: host:port (127.0.0.1:8099, [::1]:8099, maint.internal:80) or unix:/path';

/** The longest page body accepted (characters): a page, not a site. */
export const MAX_BODY = 8000;
/** Retry-After from 1s to 1d (sent in whole seconds). */
const RETRY_AFTER = { min: 1000, max: 86_400_000 } as const;

/** The page body when `body` is not given. */
export const DEFAULT_BODY = 'The site is down for maintenance and will be back shortly.\n';
export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const DEFAULT_RETRY_AFTER_MS = 120_000;

/** `host:port`, `[v6]:port` or `unix:/path`: what an upstream `server` line accepts, nothing a shell or nginx reads more into. */
export function isServerAddress(s: string): boolean {
  if (s.startsWith('unix:/')) return /^unix:\/[^\s;{}"'\\$#]*$/.test(s) && !s.split('/').includes('..');
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(s);
  if (!m) return false;
  const host = m[1] ?? '';
  const port = Number(m[2]);
  const hostOk = host.startsWith('[') ? isIP(host.slice(1, -1)) === 6 : isHost(host);
  return hostOk && port >= 1 && port <= 65535;
}

const zServerAddress = z.string({ error: SERVER_HELP }).refine(isServerAddress, { error: SERVER_HELP });

const BODY_HELP = `expected the page's text: at most ${MAX_BODY} characters, no "$" (nginx reads it as a variable) and no control characters but newlines and tabs`;

const zBody = z.string({ error: BODY_HELP }).superRefine((body, ctx) => {
  const bad =
    body.length === 0 || body.length > MAX_BODY
      ? `got ${body.length} characters`
      : body.includes('$')
        ? 'got a "$"'
        : /[^\P{Cc}\n\t]/u.test(body)
          ? 'got a control character'
          : undefined;
  if (bad) ctx.addIssue({ code: 'custom', message: `${bad} (${show(body, 30)}), ${BODY_HELP}` });
});

const zContentType = zMatching(
  /^[a-z]+\/[a-z0-9.+-]+(?:; ?charset=[A-Za-z0-9_-]+)?$/,
  'expected a media type like text/html; charset=utf-8',
);

const FORM_KEYS = ['server', 'file'] as const;
const FILE_ONLY = ['listen', 'retry-after', 'body', 'content-type'] as const;

/** The maintenance target, as the toolkit uses it: a server of the team's, or the page nginx answers itself. */
export type MaintenanceConfig =
  | { kind: 'server'; server: string }
  | {
      kind: 'file';
      /** The file nginx includes at http level; the toolkit owns its whole content while maintenance is on. */
      file: string;
      /** The port the page listens on, on 127.0.0.1. */
      listen: number;
      /** Retry-After, in milliseconds (sent rounded up to whole seconds). */
      'retry-after': number;
      body: string;
      'content-type': string;
    };

export const maintenanceSchema = z
  .strictObject({
    /** A server the team runs that answers during maintenance. */
    server: zServerAddress.optional(),
    /** The file the toolkit writes the page's server block into (nginx includes it at http level). */
    file: zAbsPath.optional(),
    listen: zPort.optional(),
    'retry-after': zDurationIn(RETRY_AFTER.min, RETRY_AFTER.max).optional(),
    body: zBody.optional(),
    'content-type': zContentType.optional(),
  })
  .superRefine((m, ctx) => {
    exactlyOne(m, FORM_KEYS, 'maintenance', [...FORM_KEYS, ...FILE_ONLY], ctx);
    if (m.file !== undefined && m.listen === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['listen'],
        message: 'file needs listen: the port on 127.0.0.1 the page answers on, like 8099',
      });
    }
    if (m.server !== undefined) {
      for (const key of FILE_ONLY.filter((k) => m[k] !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} describes the page the toolkit writes (with file); a server of your own answers for itself`,
        });
      }
    }
  })
  .transform((m): MaintenanceConfig => {
    if (m.server !== undefined) return { kind: 'server', server: m.server };
    return {
      kind: 'file',
      file: m.file ?? '',
      listen: m.listen ?? 0,
      'retry-after': m['retry-after'] ?? DEFAULT_RETRY_AFTER_MS,
      body: m.body ?? DEFAULT_BODY,
      'content-type': m['content-type'] ?? DEFAULT_CONTENT_TYPE,
    };
  });
