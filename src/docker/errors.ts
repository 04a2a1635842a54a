/** Errors of the Docker Engine API: Docker's own message, with the call and the HTTP status that produced it. */
import { UserError } from '../core/errors.js';

export interface DockerApiErrorInfo {
  method: string;
  /** The request path (with query string); never headers. */
  path: string;
  /** HTTP status; for a failure reported inside a 200 stream (pulls), 200 with `inStream` set. */
  statusCode: number;
  /** Docker's `message`, or the response text when it was not JSON. */
  dockerMessage: string;
  inStream?: boolean;
}

export class DockerApiError extends UserError {
  override name = 'DockerApiError';
  readonly method: string;
  readonly path: string;
  readonly statusCode: number;
  readonly dockerMessage: string;
  readonly inStream: boolean;

  constructor(info: DockerApiErrorInfo, context?: string) {
    const where = `${info.method} ${info.path}`;
    const status = info.inStream ? 'reported in the response stream' : `HTTP ${info.statusCode}`;
    super(`${context ? `${context}: ` : ''}${info.dockerMessage} (Docker API ${where}: ${status})`);
    this.method = info.method;
    this.path = info.path;
    this.statusCode = info.statusCode;
    this.dockerMessage = info.dockerMessage;
    this.inStream = info.inStream ?? false;
  }
}

/** Docker answered 404: no such container, image, exec or network. */
export function isNotFound(err: unknown): err is DockerApiError {
  return err instanceof DockerApiError && err.statusCode === 404;
}

/** Docker answered 409: e.g. a container name in use, or an operation on a stopped container. */
export function isConflict(err: unknown): err is DockerApiError {
  return err instanceof DockerApiError && err.statusCode === 409;
}

const MAX_MESSAGE = 2000;

/** Docker's `{"message": …}` from an error body; the raw text (shortened) when it is not that JSON. */
export function dockerMessageOf(body: string, statusCode: number): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message.trim() !== '') return parsed.message.trim();
  } catch {
    // not JSON: fall through to the text
  }
  if (text === '') return `HTTP ${statusCode} with an empty body`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
