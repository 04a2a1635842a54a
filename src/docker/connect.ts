/**
 * connectDocker: an undici connection pool (keep-alive) to a Unix socket, a mutual-TLS TCP port or any stream (a
 * remote socket through SSH), then API version negotiation. TLS material stays in memory; plain TCP is refused unless
 * explicitly allowed, and then warned about loudly.
 */
import type { Socket } from 'node:net';
import { Pool } from 'undici';
import { systemClock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { DockerClient } from './client.js';
import { DockerHttp } from './http.js';
import { parseVersionInfo } from './parse.js';
import type { ConnectDockerOptions, DockerEndpoint } from './types.js';
import { negotiateApiVersion } from './wire.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_LONG_TIMEOUT_MS = 10 * 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

type PoolOptions = NonNullable<ConstructorParameters<typeof Pool>[1]>;

/** A human name for the endpoint, used in every message. */
export function endpointLabel(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix://${endpoint.path}`;
    case 'tcp':
      return `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
    case 'stream':
      return endpoint.label;
  }
}

function checkPem(value: string, field: string, label: string): void {
  if (typeof value !== 'string' || !value.includes('-----BEGIN ')) {
    throw new UserError(`Docker TLS for ${label}: ${field} is not a PEM text (expected "-----BEGIN …")`);
  }
}

/** The pool's origin and connect options for an endpoint; validates it before anything is opened. */
function poolTarget(endpoint: DockerEndpoint, logger: Logger): { origin: string; options: PoolOptions } {
  const label = endpointLabel(endpoint);
  switch (endpoint.kind) {
    case 'unix':
      if (!endpoint.path) throw new UserError('Docker endpoint: the Unix socket path is empty');
      return { origin: 'http://localhost', options: { socketPath: endpoint.path } };
    case 'stream':
      return {
        origin: 'http://docker',
        options: {
          connect: (_opts, callback) => {
            endpoint.open().then(
              (stream) => callback(null, stream as Socket),
              (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
            );
          },
        },
      };
    case 'tcp': {
      const { host, port, tls } = endpoint;
      if (!host || /[\s/]/.test(host)) throw new UserError(`Docker endpoint: invalid host ${JSON.stringify(host)}`);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new UserError(`Docker endpoint ${label}: invalid port ${port}`);
      }
      const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      if (tls) {
        checkPem(tls.ca, 'ca', label);
        checkPem(tls.cert, 'cert', label);
        checkPem(tls.key, 'key', label);
        logger.addSecret(tls.key);
        return {
          origin: `https://${authority}`,
          options: {
            connect: {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              rejectUnauthorized: true,
              timeout: CONNECT_TIMEOUT_MS,
            },
          },
        };
      }
      if (!endpoint.allowPlainTcp) {
        throw new UserError(
          `Docker endpoint ${label} has no TLS: anyone who can reach that port controls the daemon (root on the ` +
            'host). Give the CA, client certificate and key for mutual TLS, reach the socket through SSH, or set ' +
            'allow-plain-tcp if this network is trusted',
        );
      }
      logger.warn(
        `Docker endpoint ${label}: talking to the daemon over PLAIN TCP without TLS (allow-plain-tcp is set) — ` +
          'anyone on the network path can read and hijack this connection and take over the host',
      );
      return { origin: `http://${authority}`, options: { connect: { timeout: CONNECT_TIMEOUT_MS } } };
    }
  }
}

/**
 * Open a client to the Docker daemon and negotiate the API version (GET /version, unversioned). Rejects with
 * UserError for a bad endpoint, ConnectionError when unreachable, or when the daemon is too old/new.
 */
export async function connectDocker(
  endpoint: DockerEndpoint,
  logger: Logger,
  opts: ConnectDockerOptions = {},
): Promise<DockerClient> {
  const label = endpointLabel(endpoint);
  const { origin, options } = poolTarget(endpoint, logger);
  const pool = new Pool(origin, {
    ...options,
    connections: opts.maxConnections ?? 4,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    // Deadlines are ours (DockerHttp), per call; undici's would cut long pulls and waits.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const http = new DockerHttp(pool, label, logger, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    longTimeoutMs: opts.longTimeoutMs ?? DEFAULT_LONG_TIMEOUT_MS,
    tls: endpoint.kind === 'tcp' && endpoint.tls !== undefined,
    clock: opts.clock ?? systemClock,
  });
  try {
    const raw = await http.json<unknown>({ method: 'GET', path: '/version', versioned: false });
    const info = parseVersionInfo(raw);
    if (!info.apiVersion) throw new UserError(`${label} did not answer GET /version like a Docker daemon`);
    http.apiVersion = negotiateApiVersion(info.apiVersion, info.minApiVersion);
    logger.debug(
      `docker: ${label} is Docker ${info.engineVersion || '(unknown version)'} with API ${info.apiVersion}; ` +
        `using API ${http.apiVersion}`,
    );
    return new DockerClient(http, {
      apiVersion: http.apiVersion,
      serverApiVersion: info.apiVersion,
      engineVersion: info.engineVersion,
      os: info.os,
      arch: info.arch,
    });
  } catch (err) {
    await pool.destroy().catch(() => {});
    throw err;
  }
}
