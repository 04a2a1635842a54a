import type { DockerTarget } from '../config/schema.js';
import { satisfies, type VersionConstraint } from '../config/version.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { connectDocker, endpointLabel } from '../docker/connect.js';
import { dockerEndpointOf } from '../docker/endpoint.js';
import { type CheckResult, fail, pass } from './types.js';

/**
 * A `docker:` target: the Engine API answers (Unix socket, or TCP with mutual TLS: a wrong CA or client certificate
 * fails here), and its version meets `checks.docker`. There is no shell, so no disk or compose check.
 */
export async function checkEngineTarget(
  target: DockerTarget,
  rule: VersionConstraint | false,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): Promise<CheckResult[]> {
  let endpoint: ReturnType<typeof dockerEndpointOf>;
  try {
    endpoint = dockerEndpointOf(target.name, target.docker, env, log);
  } catch (err) {
    return [fail(target.name, 'reachable', errorMessage(err))];
  }
  const how = endpoint.kind === 'tcp' ? (endpoint.tls ? 'mutual TLS' : 'PLAIN TCP') : 'Unix socket';
  try {
    const client = await connectDocker(endpoint, log, { timeoutMs: 15_000 });
    try {
      const v = await client.version();
      const results = [
        pass(target.name, 'reachable', `${endpointLabel(endpoint)} (${how}), Engine API ${client.apiVersion}`),
      ];
      if (rule !== false) {
        results.push(
          satisfies(v.engineVersion, rule)
            ? pass(target.name, 'docker', `docker engine ${v.engineVersion} (${rule.raw})`)
            : fail(target.name, 'docker', `docker engine ${v.engineVersion} does not satisfy ${rule.raw}`),
        );
      }
      return results;
    } finally {
      await client.close();
    }
  } catch (err) {
    return [fail(target.name, 'reachable', `${endpointLabel(endpoint)} (${how}): ${errorMessage(err)}`)];
  }
}
