import {
  parseSocketAccess,
  socketAccessArgv
} from "./chunk-KF2DUK75.js";
import {
  ConnectionError
} from "./chunk-O2HJWNJA.js";

// src/transports/ssh-channel.ts
var OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
var ForwardingRefusedError = class extends ConnectionError {
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
  kind;
  name = "ForwardingRefusedError";
};
function forwardingFix(kind, user) {
  const tcp = "AllowTcpForwarding local (or yes)";
  const options = kind === "tcp" ? tcp : `AllowStreamLocalForwarding local (or yes) and ${tcp} (OpenSSH refuses Unix socket forwarding when either is no)`;
  return `in the server's sshd_config (or its Match block for ${user}) set ${options}, make sure DisableForwarding is not yes and no PermitOpen or authorized_keys restrict/no-port-forwarding option forbids it, then reload sshd`;
}
var describe = (err) => err.message.replace(/^\(SSH\) Channel open failure: /, "");
function openTcp(client, where, user, host, port) {
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, host, port, (err, stream) => {
      if (!err) resolve(stream);
      else if (err.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
        reject(
          new ForwardingRefusedError(
            `${where} refused to open a TCP connection to ${host}:${port}: TCP forwarding is disabled on the server (direct-tcpip: administratively prohibited); ${forwardingFix("tcp", user)}`,
            "tcp"
          )
        );
      } else {
        reject(new ConnectionError(`${where} could not open a connection to ${host}:${port}: ${err.message}`));
      }
    });
  });
}
function openStreamLocal(client, where, user, path, look) {
  return new Promise((resolve, reject) => {
    client.openssh_forwardOutStreamLocal(path, (err, stream) => {
      if (!err) {
        resolve(stream);
        return;
      }
      const refused = () => new ForwardingRefusedError(
        `${where} refused to open the Unix socket ${path}: Unix socket forwarding is disabled on the server (streamlocal refused although ${user} may use the socket); ${forwardingFix("streamlocal", user)}`,
        "streamlocal"
      );
      if (err.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
        reject(refused());
        return;
      }
      const cannot = (why) => new ConnectionError(`${where} could not open the Unix socket ${path}: ${why}`);
      look(socketAccessArgv(path)).then(
        (r) => {
          switch (parseSocketAccess(r.stdout)) {
            case "missing":
              return reject(cannot("it does not exist (set the target's docker-socket)"));
            case "not-a-socket":
              return reject(cannot("it is not a Unix socket (set the target's docker-socket)"));
            case "denied":
              return reject(cannot(`${user} may not connect to it (add ${user} to the socket's group)`));
            case "ok":
              return reject(refused());
            default:
              return reject(cannot(describe(err)));
          }
        },
        () => reject(cannot(describe(err)))
      );
    });
  });
}

export {
  ForwardingRefusedError,
  openTcp,
  openStreamLocal
};
