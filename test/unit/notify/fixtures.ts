/**
 * What the notification tests share: an event, a hook, a logger that keeps what it was handed and what it printed, and
 * a real webhook receiver on 127.0.0.1 (port 0) that records every request and answers as a test says (a status,
 * nothing at all).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { expect } from 'vitest';
import type { NotificationConfig } from '../../../src/config/schema-notify.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import type { DeployEvent } from '../../../src/notify/events.js';

export const SUCCESS: DeployEvent = {
  kind: 'success',
  app: 'shop',
  environment: 'production',
  version: 'v2',
  actor: 'octocat',
  releaseId: 'r-20260101-abc',
  previousVersion: 'v1',
  links: {
    run: 'https://github.com/acme/shop/actions/runs/42',
    commit: 'https://github.com/acme/shop/commit/abc123',
    environment: 'https://shop.example.com',
  },
};

/** One request the receiver got. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  port: number;
  received: Received[];
  /** A URL on this receiver whose path carries `token` the way Slack's hook URLs do. */
  url(token: string): string;
  close(): Promise<void>;
}

/**
 * A real node:http server on 127.0.0.1 that records each request (after its whole body arrived) and then lets
 * `answer` respond, or not respond at all. `close` drops connections still open (a hook that never answers).
 */
export async function receiver(answer: (res: ServerResponse, r: Received) => void = ok): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      answer(res, r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    url: (token) => `http://127.0.0.1:${port}/services/T000/B000/${token}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Slack's answer to a good message. */
export function ok(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
}

/** The token part of every hook URL: it must appear in no log line. */
export const TOKEN = 'XXXXSECRETxxxxSECRET0123';

/** A logger as the actions build it (real masker, actions mode) that also keeps what it was handed, unmasked. */
export function recordingLog() {
  const printed: string[] = [];
  const handed: string[] = [];
  const order: string[] = [];
  const real = new StreamLogger({ sink: (l) => printed.push(l), masker: new Masker(), mode: 'actions', debug: true });
  const log = {
    info: (m: string) => {
      handed.push(m);
      real.info(m);
    },
    warn: (m: string) => {
      handed.push(`warning: ${m}`);
      real.warn(m);
    },
    addSecret: (v: string) => {
      order.push(`secret ${v}`);
      real.addSecret(v);
    },
    mask: (t: string) => real.mask(t),
  };
  const warnings = () => handed.filter((m) => m.startsWith('warning: '));
  return { log, printed, handed, order, warnings };
}

export function hook(over: Partial<NotificationConfig> = {}): NotificationConfig {
  return {
    'url-env': 'HOOK_URL',
    format: 'json',
    on: ['start', 'success', 'refusal', 'rollback', 'failure'],
    timeout: 10_000,
    ...over,
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const opened: Receiver[] = [];
/** A receiver closed by `closeReceivers` (each test file calls it after each test). */
export async function open(...args: Parameters<typeof receiver>): Promise<Receiver> {
  const r = await receiver(...args);
  opened.push(r);
  return r;
}
export async function closeReceivers(): Promise<void> {
  await Promise.all(opened.splice(0).map((r) => r.close()));
}

/** No log line, handed or printed, carries the token or the URL's path. */
export function expectNoToken(rec: ReturnType<typeof recordingLog>): void {
  for (const line of [...rec.handed, ...rec.printed]) {
    expect(line).not.toContain('SECRET');
    expect(line).not.toContain('/services/T000');
  }
}
