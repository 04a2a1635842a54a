import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkSocketForwarding, checkTcpForwarding } from '../../../src/checks/forwarding.js';
import { ConnectionError } from '../../../src/core/errors.js';
import { ForwardingRefusedError, forwardingFix } from '../../../src/transports/ssh-channel.js';

const stream = { destroy: () => undefined } as unknown as Duplex;
const ok = { code: 0, stdout: 'ok\n', stderr: '' };

describe('forwarding checks read a refusal from its class, not its words', () => {
  it('tcp: a ForwardingRefusedError fails when deploy needs it, warns when not', async () => {
    const refused = new ForwardingRefusedError(
      'web1 refused to open a TCP connection: TCP forwarding is disabled',
      'tcp',
    );
    const ssh = { connectTcp: () => Promise.reject(refused) };
    const needed = await checkTcpForwarding('web1', ssh, {
      port: 22,
      user: 'deploy',
      neededFor: 'HTTP health probes',
      timeoutMs: 1000,
    });
    expect(needed).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/AllowTcpForwarding local \(or yes\) for deploy$/),
    });
    const notNeeded = await checkTcpForwarding('web1', ssh, { port: 22, user: 'deploy', timeoutMs: 1000 });
    expect(notNeeded.status).toBe('warn');
  });

  it('tcp: connection refused at the far end (reason 2) proves the channel is allowed', async () => {
    const ssh = {
      connectTcp: () =>
        Promise.reject(
          new ConnectionError(
            'web1 could not open a connection to 127.0.0.1:22: (SSH) Channel open failure: Connection refused',
          ),
        ),
    };
    expect(
      (await checkTcpForwarding('web1', ssh, { port: 22, user: 'deploy', neededFor: 'x', timeoutMs: 1000 })).status,
    ).toBe('pass');
  });

  it('socket: a streamlocal refusal fails naming both options, whatever the socket looked like', async () => {
    const ssh = {
      connectTcp: () => Promise.resolve(stream),
      openUnixSocket: () => Promise.reject(new ForwardingRefusedError('refused', 'streamlocal')),
    };
    const r = await checkSocketForwarding('web1', ssh, async () => ({ ...ok, stdout: 'weird\n' }), {
      socket: '/var/run/docker.sock',
      user: 'deploy',
      timeoutMs: 1000,
    });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'set AllowStreamLocalForwarding local (or yes) and AllowTcpForwarding local (or yes) for deploy',
    );
  });
});

describe('forwardingFix', () => {
  it('names every sshd_config option that can refuse the channel', () => {
    expect(forwardingFix('tcp', 'deploy')).toBe(
      "in the server's sshd_config (or its Match block for deploy) set AllowTcpForwarding local (or yes), make sure DisableForwarding is not yes and no PermitOpen or authorized_keys restrict/no-port-forwarding option forbids it, then reload sshd",
    );
    expect(forwardingFix('streamlocal', 'deploy')).toMatch(
      /AllowStreamLocalForwarding local \(or yes\) and AllowTcpForwarding local \(or yes\)/,
    );
  });
});
