/**
 * Connecting to the sandbox sshd: host key pinning (before authentication), authentication and key parsing
 * failures, connect timeouts, and the jump host.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/core/errors.js';
import { fingerprint } from '../../src/transports/known-hosts.js';
import { connectSsh } from '../../src/transports/ssh.js';
import { captureLogger } from './helpers/capture-logger.js';
import {
  closedPort,
  connectSandbox,
  eventually,
  freshKey,
  localPortOf,
  logOffset,
  logSince,
  sandboxHost,
  sandboxOptions,
} from './helpers/ssh.js';

const host = sandboxHost();
const hostName = `[127.0.0.1]:${host.port}`;
const [ed25519HostKey = '', rsaHostKey = ''] = host.hostKeys;
const hostFingerprint = (key: string) => fingerprint(Buffer.from(key.split(' ')[1] ?? '', 'base64'));

/** Connect expecting failure; returns the error. */
async function connectError(overrides: Parameters<typeof sandboxOptions>[0], logger = captureLogger()) {
  const err = await connectSsh(sandboxOptions(overrides), logger).then(
    async (t) => {
      await t.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectionError);
  return err as ConnectionError;
}

describe('host key pinning', () => {
  it('a changed host key is refused before authentication: nothing runs, sshd saw no login attempt', async () => {
    const impostor = await freshKey();
    const marker = `/tmp/runbook-hostkey-marker-${randomBytes(6).toString('hex')}`;
    const offset = logOffset(host.logPath);
    const logger = captureLogger();
    const err = await connectSsh(sandboxOptions({ knownHosts: `${hostName} ${impostor.publicKey}\n` }), logger).then(
      (t) => t.exec(['touch', marker]),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(
      `host key mismatch for ${hostName}: the server offered ssh-ed25519 ${hostFingerprint(ed25519HostKey)}, ` +
        `known_hosts pins ${impostor.fingerprint} — if the key was rotated on purpose, update ssh-known-hosts`,
    );
    expect(existsSync(marker)).toBe(false);

    // The sshd log, for this test's TCP connection only (others may use the sandbox at the same time).
    const port = localPortOf(logger);
    const mine = await eventually(() => {
      const lines = logSince(host.logPath, offset).filter(
        (l) => l.includes(`port ${port} `) || l.endsWith(`port ${port}`),
      );
      return lines.some((l) => /closed|Disconnected|disconnect/i.test(l)) ? lines : undefined;
    });
    expect(mine?.some((l) => l.startsWith(`Connection from 127.0.0.1 port ${port} `))).toBe(true);
    expect(mine?.filter((l) => /(Accepted|Failed|Postponed) publickey/.test(l))).toEqual([]);
  });

  it('a host missing from known_hosts is refused with the ssh-keyscan hint', async () => {
    const err = await connectError({ knownHosts: `[127.0.0.1]:1 ${ed25519HostKey}\n` });
    expect(err.message).toBe(
      `no known_hosts entry for ${hostName} (server offered ssh-ed25519 ${hostFingerprint(ed25519HostKey)}); add the ` +
        `host's key to ssh-known-hosts (ssh-keyscan -p ${host.port} 127.0.0.1, then verify the fingerprint out of band)`,
    );
  });

  it('a revoked key is refused even though it is also pinned', async () => {
    const err = await connectError({ knownHosts: `${hostName} ${ed25519HostKey}\n@revoked * ${ed25519HostKey}\n` });
    expect(err.message).toMatch(/is marked @revoked in ssh-known-hosts/);
  });

  it('offers only the pinned key types, so a server with several host keys presents the pinned one', async () => {
    // Only the RSA key is pinned: unrestricted, ssh2 would negotiate ed25519 first and report a mismatch.
    const logger = captureLogger();
    const { transport } = await connectSandbox({ knownHosts: `${hostName} ${rsaHostKey}\r\n` }, logger);
    expect((await transport.exec(['echo', 'rsa ok'])).stdout).toBe('rsa ok\n');
    await transport.close();
    expect(logger.messages('debug')).toContain(
      `ssh: 127.0.0.1:${host.port} presented pinned host key ssh-rsa ${hostFingerprint(rsaHostKey)}`,
    );
  });

  it('accepts a rotated pin list (old and new key both listed), hashed entries and CRLF', async () => {
    const old = await freshKey();
    const salt = randomBytes(20);
    const { createHmac } = await import('node:crypto');
    const hashedName = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(hostName).digest('base64')}`;
    const knownHosts = `# rotation\r\n${hostName} ${old.publicKey}\r\n${hashedName} ${ed25519HostKey}\r\n`;
    const { transport } = await connectSandbox({ knownHosts });
    expect((await transport.exec(['true'])).code).toBe(0);
    await transport.close();
  });

  it('insecureIgnoreHostKey connects without a pin but warns loudly with the fingerprint', async () => {
    const logger = captureLogger();
    const { transport } = await connectSandbox({ knownHosts: '', insecureIgnoreHostKey: true }, logger);
    expect((await transport.exec(['true'])).code).toBe(0);
    await transport.close();
    const warnings = logger.messages('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WITHOUT verification/);
    expect(warnings[0]).toContain(hostFingerprint(ed25519HostKey));
  });

  it('@cert-authority lines are reported as ignored', async () => {
    const logger = captureLogger();
    const knownHosts = `@cert-authority * ${ed25519HostKey}\n${host.knownHosts}`;
    const { transport } = await connectSandbox({ knownHosts }, logger);
    await transport.close();
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/line 1: @cert-authority entries are ignored/)]);
  });
});

describe('authentication and keys', () => {
  it('a key the server does not know fails with its fingerprint', async () => {
    const stranger = await freshKey();
    const err = await connectError({ privateKey: stranger.privateKey });
    expect(err.message).toBe(
      `authentication failed for ${host.user}@127.0.0.1:${host.port}: the server rejected the private key ` +
        `(${stranger.fingerprint} of the public key)`,
    );
  });

  it('an encrypted key works with the right passphrase', async () => {
    const { transport } = await connectSandbox({ privateKey: host.encryptedKey, passphrase: host.passphrase });
    expect((await transport.exec(['whoami'])).stdout).toBe(`${host.user}\n`);
    await transport.close();
  });

  const keyBody = (key: string) => key.split('\n').filter((l) => l && !l.startsWith('-----'));

  it('a wrong or missing passphrase is a clear error without key material', async () => {
    const wrong = await connectError({ privateKey: host.encryptedKey, passphrase: 'not-the-passphrase' });
    expect(wrong.message).toBe(
      'ssh-private-key could not be parsed: wrong ssh-private-key-passphrase (the key could not be decrypted)',
    );
    const missing = await connectError({ privateKey: host.encryptedKey });
    expect(missing.message).toBe(
      'ssh-private-key could not be parsed: the key is encrypted but no ssh-private-key-passphrase was given',
    );
    for (const line of keyBody(host.encryptedKey)) {
      expect(wrong.message).not.toContain(line.slice(0, 16));
      expect(missing.message).not.toContain(line.slice(0, 16));
    }
  });

  it('garbage and public keys are refused without echoing them', async () => {
    const garbage = await connectError({ privateKey: 'QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\nnot a key' });
    expect(garbage.message).toMatch(
      /^ssh-private-key could not be parsed: not a private key format this action reads .*ssh-keygen -p -m RFC4716/,
    );
    expect(garbage.message).not.toContain('QUFBQUFB');
    const pub = await connectError({ privateKey: ed25519HostKey });
    expect(pub.message).toMatch(/this is a public key/);
    expect(pub.message).not.toContain(ed25519HostKey.split(' ')[1]);
  });

  it('a key with CRLF line endings and surrounding blank lines works', async () => {
    const crlf = `\r\n${host.privateKey.replaceAll('\n', '\r\n')}\r\n\r\n`;
    const { transport } = await connectSandbox({ privateKey: crlf });
    expect((await transport.exec(['true'])).code).toBe(0);
    await transport.close();
  });
});

describe('unreachable servers', () => {
  const servers: Array<{ close(): void }> = [];
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  it('a closed port fails fast with "connection refused"', async () => {
    const port = await closedPort();
    const err = await connectError({ port, connectTimeoutMs: 5000 });
    expect(err.message).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  it('a port that accepts TCP but never speaks SSH fails at the connect timeout', async () => {
    const silent = createServer((socket) => {
      sockets.push(socket); // never writes a banner
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // The message names the connect-timeout path (not a refusal or a reset); the test's own timeout bounds the wait.
    const err = await connectError({
      port,
      connectTimeoutMs: 1500,
      knownHosts: `[127.0.0.1]:${port} ${ed25519HostKey}`,
    });
    expect(err.message).toBe(`no SSH answer from 127.0.0.1:${port} within 1.5s (connect-timeout)`);
  });
});

describe('jump host', () => {
  it('reaches the target through the jump host, verifying both host keys', async () => {
    const logger = captureLogger();
    const jump = { host: '127.0.0.1', port: host.port, user: host.user };
    const { transport } = await connectSandbox({ jump }, logger);
    // The target connection comes from the jump host's sshd (direct-tcpip), not from our TCP socket.
    const result = await transport.exec(['sh', '-c', 'echo "$SSH_CONNECTION"'], { quiet: true });
    expect(result.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${host.port}\\n$`));
    expect(transport.where).toBe(`${host.user}@127.0.0.1:${host.port} via 127.0.0.1:${host.port}`);
    const verified = logger.messages('debug').filter((m) => m.includes('presented pinned host key'));
    expect(verified).toEqual([
      `ssh: jump host 127.0.0.1:${host.port} presented pinned host key ssh-ed25519 ${hostFingerprint(ed25519HostKey)}`,
      `ssh: 127.0.0.1:${host.port} (via jump host 127.0.0.1:${host.port}) presented pinned host key ssh-ed25519 ${hostFingerprint(ed25519HostKey)}`,
    ]);
    // Only one TCP connection was made by us: the jump's.
    expect(logger.messages('debug').filter((m) => m.includes('TCP connected to'))).toHaveLength(1);
    await transport.close();
  });

  it("the target's host key is checked on its own: a target without a pin is refused after the jump succeeds", async () => {
    const jump = { host: '127.0.0.1', port: host.port, user: host.user };
    const err = await connectError({ jump, host: 'localhost' });
    expect(err.message).toMatch(new RegExp(`^no known_hosts entry for \\[localhost\\]:${host.port} `));
  });

  it('a jump host that cannot reach the target says so', async () => {
    const port = await closedPort();
    const jump = { host: '127.0.0.1', port: host.port, user: host.user };
    const err = await connectError({
      jump,
      port,
      knownHosts: `${host.knownHosts}[127.0.0.1]:${port} ${ed25519HostKey}\n`,
    });
    expect(err.message).toMatch(
      new RegExp(`^jump host 127\\.0\\.0\\.1:${host.port} could not open a connection to 127\\.0\\.0\\.1:${port}: `),
    );
  });
});
