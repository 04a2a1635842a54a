/**
 * SSH channels deploy needs besides exec: direct-tcpip (health probes, free-port probes, smoke checks via a target)
 * and streamlocal (the Docker socket, engine driver). sshd refuses them with `AllowTcpForwarding no`,
 * `AllowStreamLocalForwarding no` or `DisableForwarding yes`; these checks open one channel each and close it at once.
 */
import type { Duplex } from 'node:stream';
import { parseSocketAccess, socketAccessArgv } from '../commands/prerequisites.js';
import { errorMessage } from '../core/errors.js';
import { ForwardingRefusedError } from '../transports/ssh-channel.js';
import { failureText, type HostRun } from './host-run.js';
import { type CheckResult, fail, pass, warn } from './types.js';

/** The channels an SSH transport opens (SshTransport has both). */
export interface ChannelOpener {
  connectTcp(host: string, port: number): Promise<Duplex>;
  openUnixSocket?(path: string): Promise<Duplex>;
}

/**
 * A channel sshd refused: SshTransport says so by class (from the channel-open reason code, or for streamlocal by
 * looking at the socket); other openers' messages are matched as OpenSSH and other servers word a refusal.
 */
const REFUSED = /administratively prohibited|channel open failure: open failed\s*$/i;
const refusedBySshd = (err: unknown, kind: 'tcp' | 'streamlocal'): boolean =>
  err instanceof ForwardingRefusedError ? err.kind === kind : REFUSED.test(errorMessage(err));

/** `p`, or a rejection after `ms` milliseconds (a channel open that never answers). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Open a direct-tcpip channel to 127.0.0.1:`port` (sshd's own port) and close it. A refusal by sshd fails when
 * `neededFor` says what deploy needs it for, else warns; a refused TCP connection at the far end still proves the
 * channel is allowed.
 */
export async function checkTcpForwarding(
  target: string,
  ssh: ChannelOpener,
  o: { port: number; user: string; neededFor?: string; timeoutMs: number },
): Promise<CheckResult> {
  const check = 'tcp forwarding';
  try {
    const stream = await within(ssh.connectTcp('127.0.0.1', o.port), o.timeoutMs, 'direct-tcpip');
    stream.destroy();
    return pass(target, check, `SSH direct-tcpip channel to 127.0.0.1:${o.port} opened (and closed)`);
  } catch (err) {
    const message = errorMessage(err);
    if (!refusedBySshd(err, 'tcp')) {
      return pass(target, check, `SSH direct-tcpip channels are allowed (127.0.0.1:${o.port} answered: ${message})`);
    }
    const detail = `sshd refuses TCP forwarding for ${o.user} (AllowTcpForwarding no, or DisableForwarding yes)`;
    return o.neededFor
      ? fail(
          target,
          check,
          `${detail}; deploy needs it for ${o.neededFor}: set AllowTcpForwarding local (or yes) for ${o.user}`,
        )
      : warn(
          target,
          check,
          `${detail}; this config does not need it yet (HTTP health checks and smoke checks via this target would)`,
        );
  }
}

/**
 * The Docker socket through SSH, as the engine driver opens it: the socket is first looked at through the shell
 * (exists, a socket, readable and writable by the user), then a streamlocal channel is opened to it and closed. A
 * channel refused although the user may use the socket means sshd refuses Unix socket forwarding.
 */
export async function checkSocketForwarding(
  target: string,
  ssh: ChannelOpener,
  run: HostRun,
  o: { socket: string; user: string; timeoutMs: number },
): Promise<CheckResult> {
  const check = 'socket forwarding';
  if (!ssh.openUnixSocket) return pass(target, check, 'not an SSH target: the socket is opened directly');
  const looked = await run(socketAccessArgv(o.socket)).catch((err: unknown) => ({
    code: 1,
    stdout: '',
    stderr: errorMessage(err),
  }));
  const access = parseSocketAccess(looked.stdout);
  try {
    const stream = await within(ssh.openUnixSocket(o.socket), o.timeoutMs, 'streamlocal');
    stream.destroy();
    return pass(target, check, `SSH streamlocal channel to ${o.socket} opened (and closed)`);
  } catch (err) {
    const why = errorMessage(err);
    if (err instanceof ForwardingRefusedError && err.kind === 'streamlocal') return refusedSocket(target, o);
    switch (access) {
      case 'missing':
        return fail(target, check, `${o.socket} does not exist on the host: set the target's docker-socket`);
      case 'not-a-socket':
        return fail(target, check, `${o.socket} is not a Unix socket: set the target's docker-socket`);
      case 'denied':
        return fail(target, check, `${o.user} may not connect to ${o.socket}: add ${o.user} to the socket's group`);
      case 'ok':
        return refusedSocket(target, o);
      default:
        return fail(
          target,
          check,
          `cannot open ${o.socket} through SSH: ${why} (looking at it: ${failureText(looked)})`,
        );
    }
  }
}

function refusedSocket(target: string, o: { socket: string; user: string }): CheckResult {
  return fail(
    target,
    'socket forwarding',
    `sshd refuses Unix socket forwarding for ${o.user} (AllowStreamLocalForwarding no, or DisableForwarding yes) — AllowTcpForwarding no refuses it too — which the engine driver needs to reach ${o.socket}: set AllowStreamLocalForwarding local (or yes) and AllowTcpForwarding local (or yes) for ${o.user}, DisableForwarding no`,
  );
}
