/**
 * PKCS#8 private keys (`BEGIN PRIVATE KEY`, `BEGIN ENCRYPTED PRIVATE KEY`), which OpenSSH accepts and ssh2 does not
 * parse: decrypted and re-encoded in memory (never on disk) as a format ssh2 reads — PKCS#1 for RSA, SEC1 for ECDSA,
 * the OpenSSH format for ed25519. The result is unencrypted text held only by this process, like the decrypted key
 * ssh2 itself would hold.
 */
import { createPrivateKey, type KeyObject, randomBytes } from 'node:crypto';

const PKCS8_BLOCK = /^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----\n[\s\S]+\n-----END \1?PRIVATE KEY-----\n?$/;

/** How to turn any key OpenSSH reads into its own format, which every version of this action reads. */
export const CONVERT_HINT =
  'convert it to the OpenSSH format with `ssh-keygen -p -m RFC4716 -f <key file>` (rewrites the file in place, asking for the passphrase) and give that file instead';

/** Curves ssh2 (and OpenSSH) support for ECDSA keys, by the name node:crypto reports. */
const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** Why a PKCS#8 key could not be converted: `detail` is safe to print (it never holds key material). */
export class Pkcs8Error extends Error {
  constructor(
    readonly detail: string,
    readonly reason: 'no-passphrase' | 'bad-passphrase' | 'unsupported' | 'invalid',
  ) {
    super(detail);
  }
}

/** True when `text` (LF line endings, trimmed) is one PKCS#8 PEM block, encrypted or not. */
export function isPkcs8(text: string): boolean {
  return PKCS8_BLOCK.test(text.trim());
}

/** True when the PKCS#8 block is encrypted (PBES2): a passphrase is needed. */
export function isEncryptedPkcs8(text: string): boolean {
  return text.trimStart().startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----');
}

/** Decrypt (when needed) and re-encode a PKCS#8 key as unencrypted text ssh2 parses. Throws Pkcs8Error. */
export function pkcs8ToSsh2(text: string, passphrase: string | undefined): string {
  const encrypted = isEncryptedPkcs8(text);
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new Pkcs8Error(
      'the key is encrypted (BEGIN ENCRYPTED PRIVATE KEY) but no passphrase was given',
      'no-passphrase',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem', passphrase: encrypted ? passphrase : undefined });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (encrypted && /bad decrypt|passphrase|decrypt/i.test(`${e.code ?? ''} ${e.message}`)) {
      throw new Pkcs8Error('the passphrase is wrong (the PKCS#8 key could not be decrypted)', 'bad-passphrase');
    }
    throw new Pkcs8Error(`the PKCS#8 block could not be read (${e.code ?? 'invalid'})`, 'invalid');
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  switch (type) {
    case 'rsa':
      return String(key.export({ type: 'pkcs1', format: 'pem' }));
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
      if (!EC_CURVES.has(curve)) {
        throw new Pkcs8Error(
          `ECDSA keys on the curve ${curve} are not supported by SSH (use P-256, P-384 or P-521)`,
          'unsupported',
        );
      }
      return String(key.export({ type: 'sec1', format: 'pem' }));
    }
    case 'ed25519':
      return openSshEd25519(key);
    default:
      throw new Pkcs8Error(
        `a PKCS#8 ${type} key cannot be used here: ${CONVERT_HINT}, or use an ed25519 key`,
        'unsupported',
      );
  }
}

/** SSH wire encoding: a uint32 length, then the bytes. */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/**
 * An unencrypted `openssh-key-v1` block for an ed25519 key (PROTOCOL.key in OpenSSH's source): no cipher, one key,
 * the public blob, then the private section (two equal check words, type, public key, seed || public key, an empty
 * comment) padded with 1, 2, 3… to the cipher block size 8.
 */
function openSshEd25519(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string')
    throw new Pkcs8Error('the ed25519 key has no private part', 'invalid');
  const seed = Buffer.from(jwk.d, 'base64url');
  const pub = Buffer.from(jwk.x, 'base64url');
  const type = 'ssh-ed25519';
  const check = randomBytes(4);
  const parts = [check, check, sshString(type), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('')];
  let size = parts.reduce((n, b) => n + b.length, 0);
  const pad: number[] = [];
  for (let i = 1; size % 8 !== 0; i++, size++) pad.push(i);
  const secret = Buffer.concat([...parts, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(Buffer.concat([sshString(type), sshString(pub)])),
    sshString(secret),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  seed.fill(0);
  secret.fill(0);
  body.fill(0);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
