/** Helpers for the SSH integration tests: connecting to the sandbox sshd, throwaway keys, its log, a TCP proxy. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../../src/core/log-types.js';
import { connectSsh, type SshOptions, type SshTransport } from '../../../src/transports/ssh.js';
import { type CapturedLogger, captureLogger } from './capture-logger.js';
import { sandboxSsh } from './sandbox.js';

const run = promisify(execFile);

/** sandboxSsh() plus the sandbox's public host keys (`type base64`), ed25519 first. */
export function sandboxHost() {
  const ssh = sandboxSsh();
  const hostKeys = ssh.hostKeyPaths.map((p) => readFileSync(`${p}.pub`, 'utf8').split(' ').slice(0, 2).join(' '));
  return { ...ssh, hostKeys };
}

/** Options for connectSsh pointing at the sandbox with its key and known_hosts, overridable per test. */
export function sandboxOptions(overrides: Partial<SshOptions> = {}): SshOptions {
  const ssh = sandboxSsh();
  return {
    name: 'sandbox',
    host: ssh.host,
    port: ssh.port,
    user: ssh.user,
    privateKey: ssh.privateKey,
    knownHosts: ssh.knownHosts,
    insecureIgnoreHostKey: false,
    connectTimeoutMs: 5000,
    keepaliveIntervalMs: 5000,
    ...overrides,
  };
}

export async function connectSandbox(
  overrides: Partial<SshOptions> = {},
  logger: CapturedLogger = captureLogger(),
): Promise<{ transport: SshTransport; logger: CapturedLogger }> {
  return { transport: await connectSsh(sandboxOptions(overrides), logger as Logger), logger };
}

/** A fresh key pair made by ssh-keygen: private key text, `type base64` public key, fingerprint. */
export async function freshKey(type: 'ed25519' | 'rsa' = 'ed25519', passphrase = '') {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-test-key-'));
  try {
    const file = join(dir, 'key');
    await run('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'throwaway', '-f', file]);
    const fp = (await run('ssh-keygen', ['-lf', `${file}.pub`])).stdout.split(' ')[1] ?? '';
    return {
      privateKey: readFileSync(file, 'utf8'),
      publicKey: readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' '),
      fingerprint: fp,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sshd log's current size, to read only what a test adds. */
export function logOffset(path: string): number {
  return statSync(path).size;
}

/** Lines the sshd log gained since `offset`. */
export function logSince(path: string, offset: number): string[] {
  return readFileSync(path).subarray(offset).toString('utf8').split('\n').filter(Boolean);
}

/** The local port of this test's TCP connection, from the transport's debug line. */
export function localPortOf(logger: CapturedLogger): number {
  const line = logger.messages('debug').find((m) => m.includes('TCP connected to'));
  const port = Number(line?.match(/from [^ ]+:(\d+)$/)?.[1]);
  if (!Number.isInteger(port)) throw new Error(`no "TCP connected" debug line in ${JSON.stringify(logger.calls)}`);
  return port;
}

/** Poll `fn` until it returns a truthy value or `ms` passes. */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP proxy to the sandbox sshd whose connections a test can cut (`drop`) or silently stall (`freeze`). */
export async function tcpProxy(targetPort: number): Promise<{
  port: number;
  drop(): void;
  freeze(): void;
  close(): Promise<void>;
}> {
  const pairs: Array<[Socket, Socket]> = [];
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    drop: () => {
      for (const pair of pairs) for (const s of pair) s.destroy();
    },
    freeze: () => {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) for (const s of pair) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (bound and released by the OS a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
