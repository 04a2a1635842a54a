/**
 * One Docker API call over an undici dispatcher: version prefix, deadline and cancellation covering the whole
 * response body, a debug line per call (method, path, status — never headers), and every failure turned into a
 * DockerApiError (Docker answered), ConnectionError (it could not be reached), TimeoutError or CancelledError.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import { CancelledError, ConnectionError, TimeoutError, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { formatDuration } from '../transports/command.js';
import { DockerApiError, dockerMessageOf } from './errors.js';
import type { CallOptions } from './types.js';
import { type QueryValue, queryString } from './wire.js';

export interface DockerRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  /** Without the version prefix, e.g. `/containers/json`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Prefix the path with `/v1.xx` (default); false only for the negotiation's GET /version. */
  versioned?: boolean;
  /** Non-2xx statuses that are not failures, e.g. 304 from start/stop of an already started/stopped container. */
  okStatuses?: number[];
  /** Use the long default deadline (pulls, execs, waits). */
  long?: boolean;
  /** Put in front of Docker's message in errors, e.g. `pulling app:v1`. */
  context?: string;
}

export type ResponseBody = Dispatcher.ResponseData['body'];

export interface HttpDefaults {
  signal?: AbortSignal;
  timeoutMs: number;
  longTimeoutMs: number;
  /** The endpoint uses TLS (for hints on connection errors). */
  tls?: boolean;
  /** Time for the calls that wait or stamp (exec polling, logs `since`, pull progress). */
  clock: Clock;
}

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
]);

/** A sentence saying what a socket/TLS error code means for a Docker endpoint. */
function connectionHint(code: string | undefined, tls = false): string {
  if (!code) return '';
  if (TLS_UNTRUSTED.has(code)) return ' — the daemon’s TLS certificate is not trusted by the given CA';
  if (tls && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')) {
    return ' — over TLS this is how dockerd refuses a client certificate it does not trust (is it signed by the CA dockerd was started with?)';
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return ' — the daemon’s TLS certificate does not name this host';
  if (code.startsWith('ERR_SSL_') && /ALERT|CERTIFICATE/.test(code)) {
    return ' — the daemon refused the TLS handshake (is the client certificate signed by the CA dockerd trusts?)';
  }
  if (code === 'ECONNREFUSED') return ' — nothing listens there (is dockerd running?)';
  if (code === 'ENOENT') return ' — the socket does not exist (is dockerd running?)';
  if (code === 'EACCES') return ' — permission denied on the socket (is the user in the docker group?)';
  if (code.startsWith('HPE_')) return ' — the answer is not HTTP (a TLS port reached without TLS?)';
  return '';
}

export class DockerHttp {
  /** Set once negotiated; every versioned path starts with `/v${apiVersion}`. */
  apiVersion: string | undefined;

  constructor(
    readonly dispatcher: Dispatcher,
    readonly label: string,
    readonly logger: Logger,
    private readonly defaults: HttpDefaults,
  ) {}

  /** The client's clock (see HttpDefaults.clock). */
  get clock(): Clock {
    return this.defaults.clock;
  }

  fullPath(req: DockerRequest): string {
    const prefix = req.versioned === false ? '' : `/v${this.requireVersion()}`;
    return `${prefix}${req.path}${queryString(req.query ?? {})}`;
  }

  /**
   * Send the request and hand a successful response's body to `consume`. The deadline and the signals stay armed
   * until `consume` returns, so a stalled stream is cut too.
   */
  async call<T>(
    req: DockerRequest,
    opts: CallOptions | undefined,
    consume: (body: ResponseBody, statusCode: number) => Promise<T>,
  ): Promise<T> {
    const path = this.fullPath(req);
    const what = `${req.method} ${path}`;
    const timeoutMs = opts?.timeoutMs ?? (req.long ? this.defaults.longTimeoutMs : this.defaults.timeoutMs);
    const signals = [this.defaults.signal, opts?.signal].filter((s): s is AbortSignal => s !== undefined);
    const cancelled = (): CancelledError => new CancelledError(`Docker API ${what} on ${this.label} was cancelled`);
    if (signals.some((s) => s.aborted)) throw cancelled();
    const ac = new AbortController();
    const onAbort = (): void => ac.abort(cancelled());
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        ac.abort(new TimeoutError(`Docker API ${what} on ${this.label} timed out after ${formatDuration(timeoutMs)}`)),
      timeoutMs,
    );
    let body: ResponseBody | undefined;
    try {
      const headers: Record<string, string> = { ...req.headers };
      let payload: string | undefined;
      if (req.body !== undefined) {
        payload = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
      const res = await this.dispatcher.request({
        method: req.method,
        path,
        headers,
        body: payload,
        signal: ac.signal,
      });
      body = res.body;
      this.logger.debug(`docker: ${what} → ${res.statusCode}`);
      const ok = (res.statusCode >= 200 && res.statusCode < 300) || (req.okStatuses ?? []).includes(res.statusCode);
      if (!ok) {
        const text = await res.body.text();
        const info = { method: req.method, path, statusCode: res.statusCode };
        throw new DockerApiError({ ...info, dockerMessage: dockerMessageOf(text, res.statusCode) }, req.context);
      }
      return await consume(res.body, res.statusCode);
    } catch (err) {
      body?.destroy();
      if (ac.signal.aborted) throw ac.signal.reason;
      throw this.mapError(err, what);
    } finally {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
    }
  }

  /** The parsed JSON answer (undefined for an empty body, e.g. 204/304). */
  json<T>(req: DockerRequest, opts?: CallOptions): Promise<T> {
    return this.call(req, opts, async (body) => {
      const text = await body.text();
      if (text.trim() === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new UserError(`Docker API ${req.method} ${req.path} on ${this.label} answered with invalid JSON`);
      }
    });
  }

  /** For calls whose answer does not matter: the body is drained so the connection can be reused. */
  async send(req: DockerRequest, opts?: CallOptions): Promise<number> {
    return this.call(req, opts, async (body, status) => {
      await body.dump({ limit: 1024 * 1024 });
      return status;
    });
  }

  private requireVersion(): string {
    if (!this.apiVersion) throw new Error('DockerHttp: the API version has not been negotiated yet');
    return this.apiVersion;
  }

  private mapError(err: unknown, what: string): unknown {
    if (err instanceof UserError) return err;
    if (err instanceof Error) {
      const code = (err as Error & { code?: unknown }).code;
      if (typeof code === 'string') {
        // Node's own text for an untrusted certificate suggests --use-system-ca, which is wrong advice here.
        const detail = TLS_UNTRUSTED.has(code) ? `TLS verification failed (${code})` : err.message || code;
        return new ConnectionError(
          `could not talk to the Docker daemon at ${this.label} (${what}): ${detail}${connectionHint(code, this.defaults.tls)}`,
          { cause: err },
        );
      }
    }
    return err;
  }
}
