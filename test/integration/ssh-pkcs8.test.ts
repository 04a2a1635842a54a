/**
 * PKCS#8 private keys (`BEGIN PRIVATE KEY`, `BEGIN ENCRYPTED PRIVATE KEY`), which OpenSSH accepts, log in: an sshd
 * of the test's own authorizes their public keys (the sandbox's authorized_keys is never changed). The key is
 * re-encoded in memory only: no file under the temporary directory holds it afterwards.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/core/errors.js';
import { connectSsh } from '../../src/transports/ssh.js';
import { parsePrivateKey } from '../../src/transports/ssh-key.js';
import { captureLogger } from './helpers/capture-logger.js';
import { type OwnSshd, startOwnSshd } from './helpers/own-sshd.js';
import { sandboxOptions } from './helpers/ssh.js';

const run = promisify(execFile);
const PASS = 'pkcs8 passphrase';

function pkcs8(kind: 'rsa' | 'ec' | 'ed25519', passphrase?: string): string {
  const { privateKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return String(
    privateKey.export(
      passphrase
        ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }
        : { type: 'pkcs8', format: 'pem' },
    ),
  );
}

/** `type base64` of the key's public half, for authorized_keys. */
function publicLine(pem: string, passphrase?: string): string {
  const key = ssh2.utils.parseKey(parsePrivateKey(pem, passphrase).text);
  if (key instanceof Error || Array.isArray(key)) throw new Error('not one key');
  return `${key.type} ${key.getPublicSSH().toString('base64')}`;
}

const KEYS = [
  { name: 'RSA', pem: pkcs8('rsa') },
  { name: 'ECDSA P-256', pem: pkcs8('ec') },
  { name: 'ed25519', pem: pkcs8('ed25519') },
  { name: 'encrypted ed25519', pem: pkcs8('ed25519', PASS), passphrase: PASS },
  { name: 'encrypted RSA', pem: pkcs8('rsa', PASS), passphrase: PASS },
];

let sshd: OwnSshd;
beforeAll(async () => {
  sshd = await startOwnSshd(
    [],
    KEYS.map((k) => publicLine(k.pem, k.passphrase)),
  );
});
afterAll(async () => {
  await sshd?.stop();
});

const options = (privateKey: string, passphrase?: string) =>
  sandboxOptions({ host: sshd.host, port: sshd.port, knownHosts: sshd.knownHosts, privateKey, passphrase });

describe('PKCS#8 private keys log in', () => {
  it.each(KEYS)('$name', async ({ pem, passphrase }) => {
    const logger = captureLogger();
    const t = await connectSsh(options(pem, passphrase), logger);
    try {
      const r = await t.exec(['echo', 'logged in'], { quiet: true });
      expect(r).toMatchObject({ code: 0, stdout: 'logged in\n' });
    } finally {
      await t.close();
    }
    expect(
      logger.messages('debug').some((m) => /PKCS#8 private key \(.+ SHA256:.+\) re-encoded in memory/.test(m)),
    ).toBe(true);
    // The re-encoded (decrypted) key is masked like the input.
    const secrets = logger.messages('secret');
    expect(secrets).toContain(pem);
    const converted = secrets.find((m) => m !== pem && m.includes('PRIVATE KEY'));
    expect(converted).toMatch(/^-----BEGIN (RSA|EC|OPENSSH) PRIVATE KEY-----\n/);
    // Neither the input nor the re-encoded form is on disk (the part of a body line that is the key's own bytes).
    const probeOf = (text: string) => {
      const body = text.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
      return (body[Math.floor(body.length / 2)] ?? '').slice(-24);
    };
    const found: string[] = [];
    for (const probe of [probeOf(pem), probeOf(converted ?? '')]) {
      expect(probe).toMatch(/^[A-Za-z0-9+/=]{24}$/);
      found.push(
        await run('grep', ['-rlF', '--', probe, tmpdir()]).then(
          (r) => r.stdout,
          () => '',
        ),
      );
    }
    expect(found.join('')).toBe('');
  });

  it('a wrong passphrase fails before connecting, naming ssh-private-key-passphrase', async () => {
    const [, , , , encrypted] = KEYS;
    const err = await connectSsh(options(encrypted?.pem ?? '', 'wrong'), captureLogger()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(
      'ssh-private-key could not be parsed: wrong ssh-private-key-passphrase (the key could not be decrypted)',
    );
  });
});
