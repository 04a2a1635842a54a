/**
 * Channels besides exec (direct-tcpip, streamlocal) and what their failures mean. ssh2 keeps the RFC 4254 reason
 * code of a channel-open failure (`err.reason`): 1 administratively prohibited — sshd refuses forwarding — and 2
 * connect failed — sshd tried and nothing answered. OpenSSH answers a refused direct-tcpip with 1, but a
 * streamlocal open with 2 "open failed" both when it refuses and when the socket is missing, so that case is told
 * apart by looking at the socket through the shell.
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { parseSocketAccess, socketAccessArgv } from '../commands/prerequisites.js';
import { ConnectionError } from '../core/errors.js';
import type { ExecResult } from './types.js';

/** RFC 4254 §5.1 reason code 1; 2 is connect failed. */
export const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;

/** sshd refuses the forwarding a step needs: the message names the sshd_config options to change. */
export class ForwardingRefusedError extends ConnectionError {
  override name = 'ForwardingRefusedError';

  constructor(
    message: string,
    readonly kind: 'tcp' | 'streamlocal',
  ) {
    super(message);
  }
}

/** What to change in sshd_config (for `user`) so a channel of `kind` is allowed. */
export function forwardingFix(kind: 'tcp' | 'streamlocal', user: string): string {
  const tcp = 'AllowTcpForwarding local (or yes)';
  const options =
    kind === 'tcp'
      ? tcp
      : `AllowStreamLocalForwarding local (or yes) and ${tcp} (OpenSSH refuses Unix socket forwarding when either is no)`;
  return `in the server's sshd_config (or its Match block for ${user}) set ${options}, make sure DisableForwarding is not yes and no PermitOpen or authorized_keys restrict/no-port-forwarding option forbids it, then reload sshd`;
}

type ChannelError = Error & { reason?: number | string };

const describe = (err: Error): string => err.message.replace(/^\(SSH\) Channel open failure: /, '');

/** A direct-tcpip channel from the target to host:port, its failure worded by reason code. */
export function openTcp(client: Client, where: string, user: string, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err: ChannelError | undefined, stream) => {
      if (!err) resolve(stream);
      else if (err.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
        reject(
          new ForwardingRefusedError(
            `${where} refused to open a TCP connection to ${host}:${port}: TCP forwarding is disabled on the server (direct-tcpip: administratively prohibited); ${forwardingFix('tcp', user)}`,
            'tcp',
          ),
        );
      } else {
        // Reason 2 (connect failed): sshd tried and nothing answered. The wording keeps ssh2's text, which the HTTP
        // failure descriptions read ("Channel open failure: Connection refused").
        reject(new ConnectionError(`${where} could not open a connection to ${host}:${port}: ${err.message}`));
      }
    });
  });
}

/**
 * A streamlocal channel to the Unix socket `path` on the target. On failure, `look` (a command through the shell)
 * tells a missing or inaccessible socket from sshd refusing the channel.
 */
export function openStreamLocal(
  client: Client,
  where: string,
  user: string,
  path: string,
  look: (argv: string[]) => Promise<ExecResult>,
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.openssh_forwardOutStreamLocal(path, (err: ChannelError | undefined, stream) => {
      if (!err) {
        resolve(stream);
        return;
      }
      const refused = (): ForwardingRefusedError =>
        new ForwardingRefusedError(
          `${where} refused to open the Unix socket ${path}: Unix socket forwarding is disabled on the server (streamlocal refused although ${user} may use the socket); ${forwardingFix('streamlocal', user)}`,
          'streamlocal',
        );
      if (err.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
        reject(refused());
        return;
      }
      const cannot = (why: string): ConnectionError =>
        new ConnectionError(`${where} could not open the Unix socket ${path}: ${why}`);
      look(socketAccessArgv(path)).then(
        (r) => {
          switch (parseSocketAccess(r.stdout)) {
            case 'missing':
              return reject(cannot("it does not exist (set the target's docker-socket)"));
            case 'not-a-socket':
              return reject(cannot("it is not a Unix socket (set the target's docker-socket)"));
            case 'denied':
              return reject(cannot(`${user} may not connect to it (add ${user} to the socket's group)`));
            case 'ok':
              return reject(refused());
            default:
              return reject(cannot(describe(err)));
          }
        },
        () => reject(cannot(describe(err))),
      );
    });
  });
}
