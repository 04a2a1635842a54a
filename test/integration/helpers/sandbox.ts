/**
 * The running test sandbox (test/sandbox/up.sh), as recorded in .sandbox/sandbox.json. Integration tests must FAIL,
 * never skip, when it is not running: `sandbox()` throws with the command to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { type CapturedLogger, captureLogger } from './capture-logger.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SANDBOX_JSON = join(REPO_ROOT, '.sandbox', 'sandbox.json');

export interface SandboxSsh {
  host: string;
  port: number;
  user: string;
  home: string;
  privateKeyPath: string;
  encryptedKeyPath: string;
  passphrase: string;
  knownHostsPath: string;
  /** Private host key files (sshd HostKey); the public key is `<path>.pub`. ed25519 first, then RSA. */
  hostKeyPaths: string[];
  configPath: string;
  logPath: string;
  pidFile: string;
}

export interface SandboxDocker {
  socket: string;
  host: string;
  tcp: string;
  tls: { ca: string; cert: string; key: string; wrongCa: string; wrongCert: string; wrongKey: string };
}

export interface SandboxNginx {
  port: number;
  prefix: string;
  conf: string;
  pidFile: string;
  upstreamFile: string;
  upstream: string;
  test: string[];
  reload: string[];
}

export interface SandboxRegistry {
  host: string;
  user: string;
  passwordFile: string;
}

export interface Sandbox {
  ssh: SandboxSsh;
  docker?: SandboxDocker;
  nginx?: SandboxNginx;
  registry?: SandboxRegistry;
  app?: { image: string; tags: string[] };
}

const HINT = 'start it with: npm run sandbox:up (bash test/sandbox/up.sh)';

/** Read .sandbox/sandbox.json; throws a clear error when the sandbox (or one of its services) is not up. */
export function sandbox(): Sandbox {
  if (!existsSync(SANDBOX_JSON))
    throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing); ${HINT}`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as Partial<Sandbox>;
  if (!doc.ssh) throw new Error(`the sandbox sshd is not running (no "ssh" section in ${SANDBOX_JSON}); ${HINT}`);
  return doc as Sandbox;
}

/** The sandbox sshd's facts plus the file contents tests need (key texts, known_hosts). */
export function sandboxSsh(): SandboxSsh & { privateKey: string; encryptedKey: string; knownHosts: string } {
  const ssh = sandbox().ssh;
  return {
    ...ssh,
    privateKey: readFileSync(ssh.privateKeyPath, 'utf8'),
    encryptedKey: readFileSync(ssh.encryptedKeyPath, 'utf8'),
    knownHosts: readFileSync(ssh.knownHostsPath, 'utf8'),
  };
}

/** A service of the sandbox that later issues added (docker, nginx, registry, app); throws when it is not up. */
export function sandboxPart<K extends 'docker' | 'nginx' | 'registry' | 'app'>(key: K): NonNullable<Sandbox[K]> {
  const part = sandbox()[key];
  if (!part) throw new Error(`the sandbox has no ${key} (no "${key}" section in ${SANDBOX_JSON}); ${HINT}`);
  return part as NonNullable<Sandbox[K]>;
}
