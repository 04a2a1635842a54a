import type { DockerConfig } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { DockerEndpoint } from './types.js';

/**
 * The endpoint of a `docker:` target: `unix:///path`, or `tcp://host:port` with mutual TLS from the environment
 * variables `tls` names (the key is masked at once). `ssh://` hosts are reached as an ssh target with docker-socket.
 */
export function dockerEndpointOf(
  name: string,
  docker: DockerConfig,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): DockerEndpoint {
  const unix = /^unix:\/\/(\/.*)$/.exec(docker.host);
  if (unix) return { kind: 'unix', path: unix[1] ?? '' };
  const tcp = /^tcp:\/\/\[?([^\]]+?)\]?:(\d+)$/.exec(docker.host);
  if (!tcp) {
    throw new ConfigError(
      `target ${name}: ${docker.host}: reach a Docker socket over SSH as an ssh target with docker-socket instead`,
    );
  }
  const [, host = '', port = ''] = tcp;
  const t = docker.tls;
  if (!t) return { kind: 'tcp', host, port: Number(port), allowPlainTcp: docker['allow-plain-tcp'] };
  const read = (what: string, variable: string): string => {
    const value = env[variable];
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(`target ${name}: the TLS ${what} variable ${variable} is not set (docker.tls)`);
    }
    return value;
  };
  const key = read('key', t['key-env']);
  log.addSecret(key);
  return {
    kind: 'tcp',
    host,
    port: Number(port),
    tls: { ca: read('CA', t['ca-env']), cert: read('certificate', t['cert-env']), key },
  };
}
