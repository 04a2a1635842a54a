/**
 * A throwaway OpenSSH server of a test's own (never the sandbox's): its own host key, config and authorized_keys,
 * on a free port of 127.0.0.1, for the sandbox's login user. For what the sandbox sshd must not be changed for:
 * forwarding switched off, keys the sandbox does not authorize. Started in the foreground (-D) as a child of the
 * test process and stopped by its pid.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sandboxSsh } from './sandbox.js';

const run = promisify(execFile);

export interface OwnSshd {
  host: string;
  port: number;
  user: string;
  /** known_hosts pinning this server's host key. */
  knownHosts: string;
  logPath: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('data', (d) => done(d.toString().startsWith('SSH-2.0-')));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 1000);
  });
}

/**
 * Start an sshd with `options` (sshd_config lines, e.g. `AllowTcpForwarding no`) that authorizes the sandbox's key
 * plus `authorizedKeys` (`type base64` lines).
 */
export async function startOwnSshd(options: string[], authorizedKeys: string[] = []): Promise<OwnSshd> {
  const sandbox = sandboxSsh();
  const dir = mkdtempSync(join(tmpdir(), 'runbook-own-sshd-'));
  chmodSync(dir, 0o755); // the login user reads authorized_keys itself
  const hostKey = join(dir, 'host_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'own-sshd', '-f', hostKey]);
  const keys = [readFileSync(`${sandbox.privateKeyPath}.pub`, 'utf8').trim(), ...authorizedKeys];
  writeFileSync(join(dir, 'authorized_keys'), `${keys.join('\n')}\n`, { mode: 0o644 });
  const logPath = join(dir, 'sshd.log');
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PubkeyAuthentication yes',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        `AllowUsers ${sandbox.user}`,
        'PermitRootLogin no',
        'PrintMotd no',
        'LogLevel VERBOSE',
        ...options,
        '',
      ].join('\n'),
    );
    await run('/usr/sbin/sshd', ['-t', '-f', config]);
    const started = spawn('/usr/sbin/sshd', ['-D', '-f', config, '-E', logPath], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (started.exitCode !== null) break;
      if (await greets(port)) {
        child = started;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!child && started.exitCode === null) started.kill('SIGTERM');
  }
  if (!child) throw new Error(`own sshd did not start; see ${logPath}`);
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  const proc = child;
  return {
    host: '127.0.0.1',
    port,
    user: sandbox.user,
    knownHosts: `[127.0.0.1]:${port} ${hostPub}\n`,
    logPath,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
