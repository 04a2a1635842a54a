/**
 * Why an exchange failed, in one line that names the cause: refused, reset, closed before/while answering, a TLS
 * error with its reason, an answer that is not HTTP, a target that could not open the connection (SSH channel
 * failures). "closed" or "socket hang up" alone is never the whole message.
 */
import { errorMessage } from '../core/errors.js';

/** Certificate verification failures (OpenSSL's X509 codes as node:tls reports them) → what they mean. */
const CERT_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted self-signed CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate issuer is not a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate issuer is not a trusted CA',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this name',
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  name?: unknown;
  socket?: { bytesRead?: number };
  reason?: unknown;
}

/** The error itself, or the first error of its cause chain that carries a code (a wrapper has none). */
function rootOf(err: unknown): ErrorLike {
  let e = (err ?? {}) as ErrorLike;
  for (let i = 0; i < 5 && typeof e.code !== 'string' && e.cause && typeof e.cause === 'object'; i++) {
    e = e.cause as ErrorLike;
  }
  return e;
}

/** OpenSSL's `…:error:0A00010B:SSL routines:func:wrong version number:file:line:` → `wrong version number`. */
function opensslReason(message: string): string {
  return /:error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/.exec(message)?.[1] ?? message.trim();
}

/** A TLS failure's one-line cause, or undefined when `e` is not about TLS. */
function tlsCause(code: string, raw: string): string | undefined {
  const message = opensslReason(raw);
  const meaning = CERT_CODES[code];
  if (meaning) return `TLS: ${meaning} (${code}: ${message})`;
  if (/^ERR_(SSL|TLS)_/.test(code) || code === 'EPROTO' || /\b(SSL|TLS)\b|certificate/i.test(message)) {
    const hint = /wrong version number|packet length too long|http request/i.test(message)
      ? '; the port does not speak TLS (plain http?)'
      : '';
    return `TLS: ${message}${code ? ` (${code})` : ''}${hint}`;
  }
  return undefined;
}

/**
 * The one-line cause of a failed exchange with `where` (`host:port`). Known shapes: node:net codes (ECONNREFUSED,
 * ECONNRESET, ETIMEDOUT, EHOSTUNREACH), undici's SocketError ("other side closed"), ConnectTimeoutError and
 * HTTPParserError, node:http's "socket hang up" and HPE_* parse errors, node:tls verification codes, and a transport's
 * connection error (SSH: "(SSH) Channel open failure: Connection refused").
 */
export function describeFailure(err: unknown, where: string): string {
  const e = rootOf(err);
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : errorMessage(err);
  const tls = tlsCause(code, message);
  if (tls) return tls;
  const channel = /Channel open failure: (.*)$/.exec(message);
  if (channel) {
    const via = message.split(' could not open a connection')[0];
    const said = channel[1] ?? '';
    // OpenSSH says "open failed" when it refuses to forward at all (AllowTcpForwarding, PermitOpen).
    const hint = /refused/i.test(said)
      ? ' (nothing listens there)'
      : /^open failed$/i.test(said)
        ? ' (the SSH server refused to forward: AllowTcpForwarding or PermitOpen?)'
        : '';
    return `the target${via && via !== message ? ` (${via})` : ''} could not connect to ${where}: ${said}${hint}`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (nothing listens there)`;
    case 'ECONNRESET':
      return message === 'socket hang up'
        ? `${where} closed the connection without answering`
        : `connection reset by ${where} (ECONNRESET)`;
    case 'EPIPE':
      return `${where} closed the connection while the request was sent (EPIPE)`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `no connection to ${where} in time (${message})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (${code})`;
    case 'UND_ERR_SOCKET': {
      const read = e.socket?.bytesRead ?? 0;
      return read > 0
        ? `${where} closed the connection in the middle of its answer (${message})`
        : `${where} closed the connection without answering (${message})`;
    }
    default:
      break;
  }
  if (e.name === 'HTTPParserError' || code.startsWith('HPE_')) {
    const reason = /\((.*)\)$/.exec(message)?.[1] ?? (typeof e.reason === 'string' ? e.reason : message);
    return `the answer from ${where} is not valid HTTP/1.x: ${reason}`;
  }
  if (/^(socket hang up|other side closed|closed)$/i.test(message))
    return `${where} closed the connection (${message})`;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
