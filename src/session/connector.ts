import type { EngineProbe } from '../checks/engine.js';
import type { DockerTarget, LocalTarget, SshTarget } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { EngineApi } from '../deploy/engine/api.js';
import { type SshCredentials, TargetPool } from '../transports/pool.js';
import type { Transport } from '../transports/types.js';

/** A target with a shell: where journals, locks, nginx and compose commands run. */
export type ShellTarget = SshTarget | LocalTarget;

/** An Engine API client the session can close. */
export type EngineConnection = EngineApi & { close(): Promise<void> };

/**
 * The connection seam of a run. Production opens SSH (ssh2, pinned host keys) or local shells and Docker Engine
 * clients (the target's socket, tunnelled through its SSH connection); unit tests pass a recording transport and a
 * fake engine. The session calls each at most once per target and closes what it opened.
 */
export interface Connector {
  /** The shell of a target. Rejects with a UserError when it cannot be reached. */
  shell(target: ShellTarget): Promise<Transport>;
  /** The Docker Engine API on a target whose shell is `shell` (its `docker-socket`). */
  engine(target: ShellTarget, shell: Transport): Promise<EngineConnection>;
  /**
   * The Engine API of a `docker:` target (no shell): its Unix socket, or TCP with mutual TLS from the variables
   * `docker.tls` names. Rejects with a UserError naming the endpoint when it is unreachable or refuses us.
   */
  dockerTarget(target: DockerTarget): Promise<EngineProbe>;
  /**
   * The Engine API of a `docker:` target for deploy and rollback (the engine driver's client), reached as
   * dockerTarget reaches it; the session closes it. Optional for test connectors: without it, a deploy to a docker:
   * target is refused naming the target.
   */
  dockerEngine?(target: DockerTarget): Promise<EngineConnection>;
  /** Close every shell this connector opened. */
  close(): Promise<void>;
}

/**
 * The production connector: SSH/local shells from a TargetPool, Engine clients over the target's socket. `clock` is
 * the run's (the Engine clients' pull progress and exec polling); `signal` cancels connection attempts.
 */
export function liveConnector(
  creds: SshCredentials,
  log: Logger,
  signal?: AbortSignal,
  clock: Clock = systemClock,
  /** The process environment the TLS variables of `docker:` targets are read from. */
  vars: Readonly<Record<string, string | undefined>> = {},
): Connector {
  const pool = new TargetPool(creds, log, signal);
  return {
    shell: (target) => pool.get(target),
    engine: async (target, shell) => {
      const [{ connectDocker }, { SshTransport }] = await Promise.all([
        import('../docker/connect.js'),
        import('../transports/ssh.js'),
      ]);
      const socket = target['docker-socket'];
      // No client-wide abort signal: after a cancel, the undo (restart what was stopped, remove what was started)
      // still needs the engine. Long waits take the run's signal per call; a second signal closes the client.
      return shell instanceof SshTransport
        ? connectDocker(
            { kind: 'stream', label: `${target.name}:${socket}`, open: () => shell.openUnixSocket(socket) },
            log,
            { clock },
          )
        : connectDocker({ kind: 'unix', path: socket }, log, { clock });
    },
    dockerTarget: async (target) => {
      const { client, label, how, named } = await openDockerTarget(target, log, clock, vars, 15_000);
      return {
        label,
        how,
        apiVersion: client.apiVersion,
        engineVersion: () =>
          client.version().then(
            (v) => v.engineVersion,
            (err: unknown) => {
              throw named(err);
            },
          ),
        close: () => client.close(),
      };
    },
    // No client-wide abort signal, as for engine(): the undo of a cancelled deploy still needs the engine.
    dockerEngine: async (target) => (await openDockerTarget(target, log, clock, vars)).client,
    close: () => pool.close(),
  };
}

/**
 * Connect to a `docker:` target's Engine API (its Unix socket, or TCP with mutual TLS from the variables `docker.tls`
 * names). Errors name the endpoint and how it was reached. `timeoutMs`: each call's deadline (default: the client's).
 */
async function openDockerTarget(
  target: DockerTarget,
  log: Logger,
  clock: Clock,
  vars: Readonly<Record<string, string | undefined>>,
  timeoutMs?: number,
) {
  const [{ connectDocker, endpointLabel }, { dockerEndpointOf }] = await Promise.all([
    import('../docker/connect.js'),
    import('../docker/endpoint.js'),
  ]);
  const endpoint = dockerEndpointOf(target.name, target.docker, vars, log);
  const how: EngineProbe['how'] = endpoint.kind === 'tcp' ? (endpoint.tls ? 'mutual TLS' : 'PLAIN TCP') : 'Unix socket';
  const label = endpointLabel(endpoint);
  const named = (err: unknown) => new UserError(`${label} (${how}): ${errorMessage(err)}`);
  const client = await connectDocker(endpoint, log, { ...(timeoutMs ? { timeoutMs } : {}), clock }).catch(
    (err: unknown) => {
      throw named(err);
    },
  );
  return { client, label, how, named };
}
