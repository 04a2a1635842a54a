import type { Target } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { connectDocker } from '../docker/connect.js';
import type { TargetPool } from '../transports/pool.js';
import { SshTransport } from '../transports/ssh.js';
import type { DeployTarget } from './release.js';

/**
 * A deploy target: its shell transport (journal, lock, nginx) and its Docker Engine API. Over SSH the engine's Unix
 * socket is tunnelled through the same connection; on the runner it is opened directly.
 */
export async function openDeployTarget(
  target: Target,
  pool: TargetPool,
  log: Logger,
  driver: 'engine' | 'compose',
): Promise<DeployTarget & { close(): Promise<void> }> {
  if (target.kind === 'docker') {
    throw new ConfigError(
      `target ${target.name}: deploy needs a shell on the host for its journal, lock and proxy; use an ssh (or local) target with docker-socket instead of docker: ${target.docker.host}`,
    );
  }
  const transport = await pool.get(target);
  if (driver === 'compose') return { name: target.name, transport, env: target.env, close: async () => {} };
  const socket = target['docker-socket'];
  // No client-wide abort signal: after a cancel, the undo (restart what was stopped, remove what was started) still
  // needs the engine. Long waits take the run's signal per call; a second signal closes the client (cleanup).
  const docker =
    transport instanceof SshTransport
      ? await connectDocker(
          { kind: 'stream', label: `${target.name}:${socket}`, open: () => transport.openUnixSocket(socket) },
          log,
        )
      : await connectDocker({ kind: 'unix', path: socket }, log);
  return { name: target.name, transport, docker, env: target.env, close: () => docker.close() };
}

/** Every target of an environment, each closed by the run's cleanup. */
export async function openDeployTargets(
  targets: readonly Target[],
  pool: TargetPool,
  log: Logger,
  driver: 'engine' | 'compose',
  onCleanup: (fn: () => Promise<void>) => void,
): Promise<DeployTarget[]> {
  const out: DeployTarget[] = [];
  for (const t of targets) {
    const opened = await openDeployTarget(t, pool, log, driver);
    onCleanup(() => opened.close());
    out.push(opened);
  }
  return out;
}
