import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SSH_PASSPHRASE_INPUT } from '../../../src/transports/ssh-inputs.js';
import { parsePrivateKey } from '../../../src/transports/ssh-key.js';
import { isPkcs8, pkcs8ToSsh2 } from '../../../src/transports/ssh-key-pkcs8.js';

const run = promisify(execFile);
const PASS = 'correct horse battery';

type Kind = 'rsa' | 'ec-256' | 'ec-384' | 'ec-521' | 'ed25519';

function pair(kind: Kind) {
  if (kind === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (kind === 'ed25519') return generateKeyPairSync('ed25519');
  const namedCurve = { 'ec-256': 'P-256', 'ec-384': 'P-384', 'ec-521': 'P-521' }[kind];
  return generateKeyPairSync('ec', { namedCurve });
}

function pkcs8(kind: Kind, passphrase?: string) {
  const { privateKey } = pair(kind);
  const pem = String(
    privateKey.export(
      passphrase
        ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }
        : { type: 'pkcs8', format: 'pem' },
    ),
  );
  return { pem, privateKey };
}

const TYPES: Record<Kind, string> = {
  rsa: 'ssh-rsa',
  'ec-256': 'ecdsa-sha2-nistp256',
  'ec-384': 'ecdsa-sha2-nistp384',
  'ec-521': 'ecdsa-sha2-nistp521',
  ed25519: 'ssh-ed25519',
};

describe('PKCS#8 private keys', () => {
  for (const kind of Object.keys(TYPES) as Kind[]) {
    for (const encrypted of [false, true]) {
      it(`${kind}${encrypted ? ', encrypted' : ''}: parsed, same key, signs what its public key verifies`, () => {
        const { pem, privateKey } = pkcs8(kind, encrypted ? PASS : undefined);
        expect(pem).toContain(encrypted ? 'BEGIN ENCRYPTED PRIVATE KEY' : 'BEGIN PRIVATE KEY');
        expect(isPkcs8(pem)).toBe(true);
        const info = parsePrivateKey(pem.replace(/\n/g, '\r\n'), encrypted ? PASS : undefined);
        expect(info.type).toBe(TYPES[kind]);
        expect(info.convertedFrom).toBe('PKCS#8');
        expect(info.passphrase).toBeUndefined();
        const key = ssh2.utils.parseKey(info.text);
        if (key instanceof Error || Array.isArray(key)) throw new Error('not one key');
        const data = Buffer.from('runbook');
        expect(key.verify(data, key.sign(data))).toBe(true);
        // The public key is the one node:crypto derives from the PKCS#8 key.
        const expected = ssh2.utils.parseKey(
          String(
            privateKey.export(
              kind === 'rsa'
                ? { type: 'pkcs1', format: 'pem' }
                : kind === 'ed25519'
                  ? { type: 'pkcs8', format: 'pem' }
                  : { type: 'sec1', format: 'pem' },
            ),
          ),
        );
        if (kind !== 'ed25519' && !(expected instanceof Error) && !Array.isArray(expected)) {
          expect(key.getPublicSSH().equals(expected.getPublicSSH())).toBe(true);
        }
      });
    }
  }

  it('ed25519: the OpenSSH block is the key ssh-keygen derives the same public key from', async () => {
    const { pem } = pkcs8('ed25519');
    const info = parsePrivateKey(pem);
    const dir = await mkdtemp(join(tmpdir(), 'runbook-pkcs8-'));
    try {
      await writeFile(join(dir, 'id'), info.text, { mode: 0o600 });
      const { stdout } = await run('ssh-keygen', ['-y', '-f', join(dir, 'id')]);
      const key = ssh2.utils.parseKey(info.text);
      if (key instanceof Error || Array.isArray(key)) throw new Error('not one key');
      expect(stdout.trim().split(' ').slice(0, 2).join(' ')).toBe(
        `ssh-ed25519 ${key.getPublicSSH().toString('base64')}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('encrypted without a passphrase names the real input', () => {
    const { pem } = pkcs8('ed25519', PASS);
    expect(() => parsePrivateKey(pem)).toThrow(
      `ssh-private-key could not be parsed: the key is encrypted (BEGIN ENCRYPTED PRIVATE KEY) but no ${SSH_PASSPHRASE_INPUT} was given`,
    );
    expect(() => parsePrivateKey(pem, '')).toThrow(/no ssh-private-key-passphrase was given/);
  });

  it('a wrong passphrase names the real input and shows no key material', () => {
    const { pem } = pkcs8('rsa', PASS);
    let message = '';
    try {
      parsePrivateKey(pem, 'wrong');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      'ssh-private-key could not be parsed: wrong ssh-private-key-passphrase (the key could not be decrypted)',
    );
    for (const line of pem.split('\n').filter((l) => l.length > 20)) expect(message).not.toContain(line.slice(0, 20));
  });

  it('a key type SSH cannot use says what to do instead', () => {
    const { privateKey } = generateKeyPairSync('ed448');
    const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => parsePrivateKey(pem)).toThrow(
      /PKCS#8 ed448 key cannot be used here: convert it .*ssh-keygen -p -m RFC4716 -f <key file>/,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    expect(() => pkcs8ToSsh2(String(ec.export({ type: 'pkcs8', format: 'pem' })), undefined)).toThrow(
      /curve secp256k1/,
    );
  });

  it('a damaged PKCS#8 block is refused without echoing it', () => {
    const { pem } = pkcs8('rsa');
    const lines = pem.split('\n');
    lines.splice(3, 4); // the DER structure's lengths no longer match
    expect(() => parsePrivateKey(lines.join('\n'))).toThrow(
      /^ssh-private-key could not be parsed: PKCS#8 key: the PKCS#8 block could not be read \([A-Z_0-9]+\)$/,
    );
  });

  it('an unknown format names the formats and the conversion', () => {
    expect(() => parsePrivateKey('-----BEGIN FOO PRIVATE KEY-----\nabc\n-----END FOO PRIVATE KEY-----\n')).toThrow(
      /PKCS#8 "-----BEGIN PRIVATE KEY-----"\): convert it to the OpenSSH format with `ssh-keygen -p -m RFC4716/,
    );
  });

  it('OpenSSH keys still parse unchanged, with the passphrase they need', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-pkcs8-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASS, '-f', join(dir, 'id')]);
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(join(dir, 'id'), 'utf8');
      const info = parsePrivateKey(text, PASS);
      expect(info.text).toBe(text);
      expect(info.passphrase).toBe(PASS);
      expect(info.convertedFrom).toBeUndefined();
      expect(() => parsePrivateKey(text)).toThrow('the key is encrypted but no ssh-private-key-passphrase was given');
      expect(() => parsePrivateKey(text, 'nope')).toThrow(
        'wrong ssh-private-key-passphrase (the key could not be decrypted)',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
