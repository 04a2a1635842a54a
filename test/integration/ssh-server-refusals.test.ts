/**
 * Servers that refuse what deploy needs say so. An sshd of the test's own (the sandbox's is never changed) with
 * each forwarding option off: pre-deploy-check's forwarding lines fail naming the sshd_config option, and the
 * errors deploy meets (the Docker socket through SSH, a probe of a port through the target) say that forwarding is
 * disabled on the server — not "Channel open failure: open failed", which a missing socket gives too. And a remote
 * command killed by a signal reads "killed by SIGKILL", never "exit -1".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstError } from '../../src/backup/pg.js';
import { checkPrerequisites } from '../../src/checks/prerequisites.js';
import { ConnectionError } from '../../src/core/errors.js';
import { connectDocker } from '../../src/docker/connect.js';
import { describeFailure } from '../../src/http/failure.js';
import { exitText } from '../../src/transports/exit-status.js';
import { LocalTransport } from '../../src/transports/local.js';
import { connectSsh, type SshTransport } from '../../src/transports/ssh.js';
import { ForwardingRefusedError } from '../../src/transports/ssh-channel.js';
import { tcpRefusal } from '../../src/transports/tcp-probe.js';
import { captureLogger } from './helpers/capture-logger.js';
import { type OwnSshd, startOwnSshd } from './helpers/own-sshd.js';
import { sandbox } from './helpers/sandbox.js';
import { closedPort, connectSandbox, sandboxOptions } from './helpers/ssh.js';

const dockerSocket = (): string => {
  const socket = sandbox().docker?.socket;
  if (!socket) throw new Error('the sandbox dockerd is not running (test/sandbox/up.sh)');
  return socket;
};

async function connectTo(sshd: OwnSshd): Promise<SshTransport> {
  return connectSsh(
    sandboxOptions({ name: 'web1', host: sshd.host, port: sshd.port, knownHosts: sshd.knownHosts }),
    captureLogger(),
  );
}

const CASES = [
  { option: 'AllowTcpForwarding no', tcpRefused: true },
  { option: 'AllowStreamLocalForwarding no', tcpRefused: false },
  { option: 'DisableForwarding yes', tcpRefused: true },
] as const;

describe.each(CASES)('sshd with $option', ({ option, tcpRefused }) => {
  let sshd: OwnSshd;
  let t: SshTransport;
  beforeAll(async () => {
    sshd = await startOwnSshd([option]);
    t = await connectTo(sshd);
  });
  afterAll(async () => {
    await t?.close();
    await sshd?.stop();
  });

  it('pre-deploy-check: the forwarding checks deploy needs fail, naming the option to change', async () => {
    const results = await checkPrerequisites('web1', t, {
      ssh: { user: sshd.user, port: sshd.port, tcpNeededFor: 'HTTP health probes', dockerSocket: dockerSocket() },
      timeoutMs: 10_000,
    });
    const lines = results.map((r) => `${r.status} ${r.check}: ${r.detail}`);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      tcpRefused
        ? `fail tcp forwarding: sshd refuses TCP forwarding for ${sshd.user} (AllowTcpForwarding no, or DisableForwarding yes); deploy needs it for HTTP health probes: set AllowTcpForwarding local (or yes) for ${sshd.user}`
        : `pass tcp forwarding: SSH direct-tcpip channel to 127.0.0.1:${sshd.port} opened (and closed)`,
    );
    expect(lines[1]).toBe(
      `fail socket forwarding: sshd refuses Unix socket forwarding for ${sshd.user} (AllowStreamLocalForwarding no, or DisableForwarding yes) — AllowTcpForwarding no refuses it too — which the engine driver needs to reach ${dockerSocket()}: set AllowStreamLocalForwarding local (or yes) and AllowTcpForwarding local (or yes) for ${sshd.user}, DisableForwarding no`,
    );
  });

  it("deploy's Docker connection says forwarding is disabled on the server and which option to change", async () => {
    const socket = dockerSocket();
    const err = await connectDocker(
      { kind: 'stream', label: `web1:${socket}`, open: () => t.openUnixSocket(socket) },
      captureLogger(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForwardingRefusedError);
    const message = (err as Error).message;
    expect(message).toContain(
      `${sandbox().ssh.user}@127.0.0.1:${sshd.port} refused to open the Unix socket ${socket}: Unix socket forwarding is disabled on the server`,
    );
    expect(message).toContain('set AllowStreamLocalForwarding local (or yes) and AllowTcpForwarding local (or yes)');
    expect(message).toContain('make sure DisableForwarding is not yes');
    expect(message).not.toMatch(/open failed/);
  });

  it('a missing Docker socket is told apart from a refusal', async () => {
    const err = await t.openUnixSocket('/nonexistent/docker.sock').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).not.toBeInstanceOf(ForwardingRefusedError);
    expect((err as Error).message).toBe(
      `${sandbox().ssh.user}@127.0.0.1:${sshd.port} could not open the Unix socket /nonexistent/docker.sock: it does not exist (set the target's docker-socket)`,
    );
  });

  it('a probe through the target (health, free ports) says TCP forwarding is disabled, or reaches the port', async () => {
    // A refusal to forward says nothing about the port: it is thrown, never returned as "nothing listens".
    const refused = await tcpRefusal(t, '127.0.0.1', sshd.port, 10_000).catch((err: unknown) => ({ thrown: err }));
    if (!tcpRefused) {
      expect(refused).toBeUndefined();
      return;
    }
    expect(refused).toEqual({ thrown: expect.any(ForwardingRefusedError) });
    const thrown = (refused as { thrown: unknown }).thrown;
    expect(describeFailure(thrown, `127.0.0.1:${sshd.port}`)).toBe(
      `${sandbox().ssh.user}@127.0.0.1:${sshd.port} refused to open a TCP connection to 127.0.0.1:${sshd.port}: TCP forwarding is disabled on the server (direct-tcpip: administratively prohibited); in the server's sshd_config (or its Match block for ${sshd.user}) set AllowTcpForwarding local (or yes), make sure DisableForwarding is not yes and no PermitOpen or authorized_keys restrict/no-port-forwarding option forbids it, then reload sshd`,
    );
  });
});

describe('the sandbox sshd (forwarding allowed)', () => {
  let t: SshTransport;
  beforeAll(async () => {
    t = (await connectSandbox()).transport;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a closed port is "connection refused" at the far end, not a forwarding refusal', async () => {
    const port = await closedPort();
    const refused = await tcpRefusal(t, '127.0.0.1', port, 10_000);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused).not.toBeInstanceOf(ForwardingRefusedError);
    expect(describeFailure(refused, `127.0.0.1:${port}`)).toMatch(/Connection refused \(nothing listens there\)$/);
  });

  it('a remote command killed by a signal reads "killed by SIGKILL"', async () => {
    const r = await t.exec(['sh', '-c', 'echo dying >&2; kill -9 $$'], { quiet: true });
    expect(r).toMatchObject({ code: -1, signal: 'SIGKILL' });
    expect(exitText(r)).toBe('killed by SIGKILL');
    expect(firstError(r)).toBe('killed by SIGKILL: dying');
    const term = await t.exec(['sh', '-c', 'kill -TERM $$'], { quiet: true });
    expect(exitText(term)).toBe('killed by SIGTERM');
    expect(exitText(await t.exec(['sh', '-c', 'exit 3'], { quiet: true }))).toBe('exit 3');
  });
});

describe('the local transport', () => {
  it('a command killed by a signal reads "killed by SIGKILL" too', async () => {
    const r = await new LocalTransport('local', captureLogger()).exec(['sh', '-c', 'kill -9 $$'], { quiet: true });
    expect(r).toMatchObject({ code: -1, signal: 'SIGKILL' });
    expect(exitText(r)).toBe('killed by SIGKILL');
  });
});
