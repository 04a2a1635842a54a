import type { DockerTarget } from '../config/schema.js';
import { satisfies, type VersionConstraint } from '../config/version.js';
import { errorMessage } from '../core/errors.js';
import { type CheckResult, fail, pass } from './types.js';

/** An open `docker:` target engine (the session's connection seam opens it). */
export interface EngineProbe {
  /** `tcp://host:2376` or `unix:///run/docker.sock`. */
  label: string;
  how: 'mutual TLS' | 'PLAIN TCP' | 'Unix socket';
  apiVersion: string;
  engineVersion(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A `docker:` target: the Engine API answers (Unix socket, or TCP with mutual TLS: a wrong CA or client certificate
 * fails here), and its version meets `checks.docker`. There is no shell, so no disk or compose check. `open`
 * connects (its errors name the endpoint); the probe is closed here.
 */
export async function checkEngineTarget(
  target: DockerTarget,
  rule: VersionConstraint | false,
  open: () => Promise<EngineProbe>,
): Promise<CheckResult[]> {
  let probe: EngineProbe;
  try {
    probe = await open();
  } catch (err) {
    return [fail(target.name, 'reachable', errorMessage(err))];
  }
  try {
    const version = await probe.engineVersion();
    const results = [pass(target.name, 'reachable', `${probe.label} (${probe.how}), Engine API ${probe.apiVersion}`)];
    if (rule !== false) {
      results.push(
        satisfies(version, rule)
          ? pass(target.name, 'docker', `docker engine ${version} (${rule.raw})`)
          : fail(target.name, 'docker', `docker engine ${version} does not satisfy ${rule.raw}`),
      );
    }
    return results;
  } catch (err) {
    return [fail(target.name, 'reachable', errorMessage(err))];
  } finally {
    await probe.close();
  }
}
